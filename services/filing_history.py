"""A cooperative's RAT reports as it and its supervisors see them: received, on time or late, or still in process."""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.filings import RatFiling
from models.messaging import OutboxMessage
from models.submissions import RatSubmission
from services.intake import filing_message_id

#: Where a report stands: the worker has not judged it yet, or judged it on time or late.
DIPROSES = "diproses"
TEPAT_WAKTU = "tepat_waktu"
TERLAMBAT = "terlambat"
FIGURES = ("rat_date", "members", "assets", "liabilities", "equity", "business_volume", "shu")


def _timeliness(late: bool | None) -> str:
    return DIPROSES if late is None else TERLAMBAT if late else TEPAT_WAKTU


def _from_filing(filing: RatFiling) -> dict[str, Any]:
    return {
        "filing_id": filing.filing_id, "nik": filing.nik, "fiscal_year": filing.fiscal_year,
        "rat_date": filing.rat_date.isoformat(), "submitted_at": filing.submitted_at.isoformat(),
        "members": filing.members, **{name: f"{getattr(filing, name):.2f}" for name in FIGURES[2:]},
        "late": filing.late, "timeliness": _timeliness(filing.late),
        "members_men": None, "members_women": None, "document": None,
    }


def _from_outbox(submission: RatSubmission, value: bytes | None) -> dict[str, Any]:
    """A web submission the worker has not stored yet: its figures as they were sent."""
    sent = json.loads(value) if value else {}
    return {
        "filing_id": submission.filing_id, "nik": submission.nik, "fiscal_year": submission.fiscal_year,
        "submitted_at": sent.get("submitted_at", submission.submitted_at.isoformat()),
        **{name: sent.get(name) for name in FIGURES}, "late": None, "timeliness": DIPROSES,
        "members_men": None, "members_women": None, "document": None,
    }


def _with_submission(item: dict[str, Any], submission: RatSubmission) -> dict[str, Any]:
    return {
        **item, "members_men": submission.members_men, "members_women": submission.members_women,
        "document": {"name": submission.document_name, "sha256": submission.document_sha256,
                     "bytes": submission.document_bytes},
    }


def filing_history(session: Session, nik: str, filing_id: str | None = None) -> list[dict[str, Any]]:
    """Newest fiscal year first; one filing only when `filing_id` is given."""
    filings = select(RatFiling).where(RatFiling.nik == nik)
    submissions = select(RatSubmission).where(RatSubmission.nik == nik)
    if filing_id is not None:
        filings = filings.where(RatFiling.filing_id == filing_id)
        submissions = submissions.where(RatSubmission.filing_id == filing_id)
    stored = {filing.filing_id: _from_filing(filing) for filing in session.scalars(filings)}
    by_web = {submission.filing_id: submission for submission in session.scalars(submissions)}
    waiting = [filing_message_id(fid) for fid in by_web if fid not in stored]
    sent = dict(session.execute(
        select(OutboxMessage.message_id, OutboxMessage.value).where(OutboxMessage.message_id.in_(waiting))
    ).tuples().all()) if waiting else {}
    items = dict(stored)
    for fid, submission in by_web.items():
        base = stored.get(fid) or _from_outbox(submission, sent.get(filing_message_id(fid)))
        items[fid] = _with_submission(base, submission)
    return sorted(items.values(), key=lambda item: (item["fiscal_year"], item["submitted_at"]), reverse=True)


def submission_document(session: Session, nik: str, filing_id: str) -> RatSubmission | None:
    submission = session.get(RatSubmission, filing_id)
    return submission if submission is not None and submission.nik == nik else None
