"""Downloading a RAT document: the cooperative its own, a supervisor those of cooperatives in its regions."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse
from sqlalchemy.orm import Session

from web.auth import CurrentUser, page_user
from web.database import db
from web.filing_access import document_response

router = APIRouter()


@router.get("/dokumen/{filing_id:path}")
def download(filing_id: str, request: Request, user: CurrentUser = Depends(page_user),
             session: Session = Depends(db)) -> FileResponse:
    return document_response(request, session, user, filing_id)
