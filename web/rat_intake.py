"""A RAT report from the form or the API, turned into a submission: checked, its PDF kept, handed to the pipeline."""
from __future__ import annotations

import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from fastapi import HTTPException, UploadFile
from sqlalchemy.orm import Session

from models.regions import WIB, timezone_of_regency
from models.registry import Cooperative
from services.documents import DocumentRefused, StoredDocument, store_pdf, stored_document
from services.submissions import Receipt, SubmissionRefused, submit_rat_report
from web.auth import CurrentUser
from web.forms.rat_report import check_rat_report

CHUNK_BYTES = 256 * 1024
_SUBMISSION_KEY = re.compile(r"^[0-9a-f]{16,32}$")


def new_submission_key() -> str:
    return secrets.token_hex(8)


@dataclass
class Intake:
    """What became of one submission: a receipt, or the fields to correct (with what was typed, kept)."""

    receipt: Receipt | None = None
    errors: dict[str, str] = field(default_factory=dict)
    document: StoredDocument | None = None
    #: Signed reference to the upload already kept, so the form shown again need not ask for it twice.
    kept_upload: str | None = None


def refuse_other_nik(user: CurrentUser, nik: str | None) -> None:
    """A cooperative files only for its own NIK, whatever the request claims."""
    if nik not in (None, "") and nik != user.nik:
        raise HTTPException(403, "Koperasi hanya dapat melapor dan melihat data NIK-nya sendiri.")


def _chunks(upload: UploadFile):
    upload.file.seek(0)
    while chunk := upload.file.read(CHUNK_BYTES):
        yield chunk


def _document(app_state, user: CurrentUser, upload: UploadFile | None, kept_upload: str | None,
              errors: dict[str, str]) -> StoredDocument | None:
    data_dir = app_state.settings.data_dir
    if upload is not None and upload.filename:
        try:
            return store_pdf(data_dir, user.nik, _chunks(upload), upload.filename, app_state.max_upload_bytes)
        except DocumentRefused as error:
            errors["document"] = str(error)
            return None
    kept = app_state.signer.read_kept_upload(kept_upload, user.nik) if kept_upload else None
    document = stored_document(data_dir, user.nik, *kept) if kept else None
    if document is None:
        errors["document"] = "Unggah notulen RAT dan laporan keuangan dalam satu berkas PDF."
    return document


def take_rat_report(app_state, session: Session, user: CurrentUser, typed: Mapping[str, str],
                    upload: UploadFile | None, kept_upload: str | None, submission_key: str | None,
                    now: datetime) -> Intake:
    cooperative = session.get(Cooperative, user.nik)
    zone = timezone_of_regency(cooperative.regency_code) if cooperative else WIB
    report, errors = check_rat_report(typed, user.nik, now.astimezone(zone).date(),
                                      cooperative.fiscal_year_end if cooperative else "12-31")
    document = _document(app_state, user, upload, kept_upload, errors)
    intake = Intake(errors=errors, document=document)
    if document is not None:
        intake.kept_upload = app_state.signer.kept_upload(user.nik, document.sha256, document.name)
    if errors:
        return intake
    key = submission_key if submission_key and _SUBMISSION_KEY.match(submission_key) else new_submission_key()
    try:
        intake.receipt = submit_rat_report(session, report, document, key, user.login, now,
                                           cooperative.regency_code if cooperative else None)
        session.commit()
    except SubmissionRefused:
        session.rollback()
        intake.errors["form"] = "Laporan ini sudah diterima sebelumnya dengan angka lain. Kirim laporan baru."
    return intake
