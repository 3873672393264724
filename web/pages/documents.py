"""Downloading a RAT document: the cooperative its own, a supervisor those of cooperatives in its regions."""
from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session

from models.registry import Cooperative
from models.submissions import RatSubmission
from services.documents import document_file
from web.auth import CurrentUser, page_user
from web.database import db

router = APIRouter()


def may_read_documents_of(session: Session, user: CurrentUser, nik: str) -> bool:
    if user.is_cooperative:
        return user.nik == nik
    cooperative = session.get(Cooperative, nik)
    return bool(user.jurisdiction and cooperative and user.jurisdiction.covers(cooperative.regency_code))


def document_response(request: Request, session: Session, user: CurrentUser, filing_id: str) -> FileResponse:
    submission = session.get(RatSubmission, filing_id)
    if submission is None or not may_read_documents_of(session, user, submission.nik):
        raise HTTPException(404, "Dokumen tidak ditemukan.")
    path = document_file(request.app.state.settings.data_dir, submission.document_path)
    if path is None:
        raise HTTPException(404, "Berkas dokumen tidak ada lagi di penyimpanan.")
    return FileResponse(path, media_type="application/pdf", filename=submission.document_name,
                        content_disposition_type="attachment")


@router.get("/dokumen/{filing_id:path}")
def download(filing_id: str, request: Request, user: CurrentUser = Depends(page_user),
             session: Session = Depends(db)) -> FileResponse:
    return document_response(request, session, user, filing_id)
