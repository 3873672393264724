"""RAT reports handed in through the web: into the outbox like `satgas submit-rat`, with their document."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from models.regions import timezone_of_regency
from models.submissions import RatSubmission
from services.bulk import insert_ignoring_duplicates
from services.documents import StoredDocument
from services.intake import accept_filings
from streams.validation import validate_filing

WEB_FILING_PREFIX = "WEB-"


@dataclass(frozen=True)
class RatReport:
    """A RAT report as a cooperative fills it in, already checked field by field."""

    nik: str
    fiscal_year: int
    rat_date: date
    members_men: int
    members_women: int
    assets: Decimal
    liabilities: Decimal
    equity: Decimal
    business_volume: Decimal
    shu: Decimal

    @property
    def members(self) -> int:
        return self.members_men + self.members_women


@dataclass(frozen=True)
class Receipt:
    filing_id: str  #: the receipt number the cooperative keeps
    new: bool  #: False when the same submission came in before (a double click, a retried request)


class SubmissionRefused(ValueError):
    """The pipeline refused the filing (its id was used before for other figures)."""


def web_filing_id(nik: str, submission_key: str) -> str:
    """The form carries a random key, so sending the same form twice is one filing."""
    return f"{WEB_FILING_PREFIX}{nik}-{submission_key}"


def submit_rat_report(session: Session, report: RatReport, document: StoredDocument, submission_key: str,
                      login: str, now: datetime, regency_code: str | None) -> Receipt:
    """Stored in the outbox in this transaction; the relay (the web's or the worker's) publishes it."""
    filing_id = web_filing_id(report.nik, submission_key)
    claim = insert_ignoring_duplicates(session.bind.dialect.name, RatSubmission.__table__).returning(
        RatSubmission.filing_id)
    claimed = session.execute(claim, {
        "filing_id": filing_id, "nik": report.nik, "fiscal_year": report.fiscal_year,
        "members_men": report.members_men, "members_women": report.members_women, "submitted_at": now,
        "submitted_by": login, "document_name": document.name, "document_path": document.path,
        "document_sha256": document.sha256, "document_bytes": document.size,
    })
    if claimed.scalar() is None:  # another request with this key claimed it first
        return Receipt(filing_id, new=False)
    # The submission time in the cooperative's own zone, as a Dinas reads it (WIB when its seat is not known yet).
    local_now = now.astimezone(timezone_of_regency(regency_code or "31"))
    event = validate_filing({
        "filing_id": filing_id, "nik": report.nik, "fiscal_year": report.fiscal_year,
        "rat_date": report.rat_date.isoformat(), "submitted_at": local_now.isoformat(timespec="seconds"),
        "members": report.members, "assets": str(report.assets), "liabilities": str(report.liabilities),
        "equity": str(report.equity), "business_volume": str(report.business_volume), "shu": str(report.shu),
    })
    result = accept_filings(session, [event], now)
    if result.refused:
        raise SubmissionRefused(result.refused[filing_id])
    return Receipt(filing_id, new=True)
