"""RAT filings: a cooperative files and reads its own; a supervisor reads those of cooperatives in its regions."""
from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import FileResponse, JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from models.base import utcnow
from models.filings import RatFiling
from models.submissions import RatSubmission
from services.filing_history import filing_history
from web.api.schemas import Filing, FilingReceipt, Problem, problem_responses
from web.auth import CurrentUser, api_cooperative, api_user
from web.database import db
from web.filing_access import document_response, may_read_filings_of
from web.rat_intake import refuse_other_nik, take_rat_report

router = APIRouter(tags=["filings"])
DENIED = problem_responses(400, 401, 403, 404, 422)
NOT_FOUND = "no such filing within your reach"


def _filing_nik(session: Session, filing_id: str) -> str | None:
    return (session.scalar(select(RatFiling.nik).where(RatFiling.filing_id == filing_id))
            or session.scalar(select(RatSubmission.nik).where(RatSubmission.filing_id == filing_id)))


@router.get("/filings", response_model=list[Filing], responses=DENIED)
def own_filings(user: CurrentUser = Depends(api_cooperative), session: Session = Depends(db)) -> list[dict]:
    """The cooperative's own filings, newest fiscal year first, each with whether it was on time."""
    return filing_history(session, user.nik)


@router.get("/cooperatives/{nik}/filings", response_model=list[Filing], responses=DENIED)
def cooperative_filings(nik: str, user: CurrentUser = Depends(api_user), session: Session = Depends(db)) -> list[dict]:
    """A cooperative's filings: a supervisor's for cooperatives in its regions, a cooperative's for itself."""
    if not may_read_filings_of(session, user, nik):
        raise HTTPException(404, "no such cooperative within your reach")
    return filing_history(session, nik)


@router.get("/filings/{filing_id:path}/document", responses={**DENIED, 200: {"content": {"application/pdf": {}}}},
            response_class=FileResponse)
def filing_document(filing_id: str, request: Request, user: CurrentUser = Depends(api_user),
                    session: Session = Depends(db)) -> FileResponse:
    """The minutes and financial statements uploaded with a web filing (PDF)."""
    return document_response(request, session, user, filing_id)


@router.get("/filings/{filing_id:path}", response_model=Filing, responses=DENIED)
def get_filing(filing_id: str, user: CurrentUser = Depends(api_user), session: Session = Depends(db)) -> dict:
    nik = _filing_nik(session, filing_id)
    if nik is None or not may_read_filings_of(session, user, nik):
        raise HTTPException(404, NOT_FOUND)
    found = filing_history(session, nik, filing_id)
    if not found:
        raise HTTPException(404, NOT_FOUND)
    return found[0]


@router.post("/filings", status_code=201, response_model=FilingReceipt,
             responses={**DENIED,
                        200: {"model": FilingReceipt, "description": "the same submission_key came in before"},
                        422: {"model": Problem, "description": "the fields to correct, in `errors`"}})
def submit_filing(
    request: Request, background: BackgroundTasks,
    fiscal_year: str = Form("", description="e.g. 2024"), rat_date: str = Form("", description="YYYY-MM-DD"),
    members_men: str = Form(""), members_women: str = Form(""),
    assets: str = Form("", description="rupiah, e.g. 1250000.00 or 1.250.000"), liabilities: str = Form(""),
    equity: str = Form(""), business_volume: str = Form(""), shu: str = Form(""),
    document: UploadFile | None = File(None, description="the minutes and financial statements, PDF"),
    submission_key: str = Form("", description="16-32 lowercase hex digits; the same key twice is one filing"),
    nik: str | None = Form(None, description="optional; must be the cooperative's own NIK"),
    user: CurrentUser = Depends(api_cooperative), session: Session = Depends(db),
):
    """A RAT report with its PDF, handed to the pipeline like `satgas submit-rat`. `members` = men + women."""
    refuse_other_nik(user, nik)
    typed = {"fiscal_year": fiscal_year, "rat_date": rat_date, "members_men": members_men,
             "members_women": members_women, "assets": assets, "liabilities": liabilities, "equity": equity,
             "business_volume": business_volume, "shu": shu}
    intake = take_rat_report(request.app.state, session, user, typed, document, None, submission_key, utcnow())
    if intake.receipt is None:
        return JSONResponse({"detail": "the filing has errors", "errors": intake.errors}, 422)
    if intake.receipt.new:
        background.add_task(request.app.state.relay)
    filing = filing_history(session, user.nik, intake.receipt.filing_id)[0]
    body = FilingReceipt(filing_id=intake.receipt.filing_id, new=intake.receipt.new, filing=filing)
    return JSONResponse(body.model_dump(mode="json"), 201 if intake.receipt.new else 200, background=background)
