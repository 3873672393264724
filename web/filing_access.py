"""Who may read a cooperative's filings and documents: the cooperative itself, and supervisors whose reach
includes its regency. Shared by the pages and the API."""
from __future__ import annotations

from fastapi import HTTPException, Request
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session

from models.registry import Cooperative
from models.submissions import RatSubmission
from services.documents import document_file
from web.auth import CurrentUser


def may_read_filings_of(session: Session, user: CurrentUser, nik: str) -> bool:
    if user.is_cooperative:
        return user.nik == nik
    cooperative = session.get(Cooperative, nik)
    return bool(user.jurisdiction and cooperative and user.jurisdiction.covers(cooperative.regency_code))


def document_response(request: Request, session: Session, user: CurrentUser, filing_id: str) -> FileResponse:
    """The PDF of a web filing, as a download; 404 when it is missing or out of reach."""
    submission = session.get(RatSubmission, filing_id)
    if submission is None or not may_read_filings_of(session, user, submission.nik):
        raise HTTPException(404, "Dokumen tidak ditemukan.")
    path = document_file(request.app.state.settings.data_dir, submission.document_path)
    if path is None:
        raise HTTPException(404, "Berkas dokumen tidak ada lagi di penyimpanan.")
    return FileResponse(path, media_type="application/pdf", filename=submission.document_name,
                        content_disposition_type="attachment")
