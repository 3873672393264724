"""The cooperative's side: its profile and filing history, the RAT report form, the receipt."""
from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from models.base import utcnow
from models.registry import Cooperative
from services.filing_history import filing_history
from web.auth import CurrentUser, cooperative_page_user
from web.csrf import verify_csrf
from web.database import db
from web.forms.rat_report import AMOUNT_FIELDS, MEMBER_FIELDS
from web.rat_intake import new_submission_key, refuse_other_nik, take_rat_report
from web.templating import flash

router = APIRouter()


@router.get("/koperasi")
def cooperative_home(request: Request, user: CurrentUser = Depends(cooperative_page_user),
                     session: Session = Depends(db)) -> Response:
    return request.app.state.templates.TemplateResponse(request, "koperasi/beranda.html", {
        "user": user, "cooperative": session.get(Cooperative, user.nik), "history": filing_history(session, user.nik),
    })


def _form(request: Request, user: CurrentUser, values: dict, errors: dict, submission_key: str,
          document=None, kept_upload: str | None = None, status_code: int = 200) -> Response:
    return request.app.state.templates.TemplateResponse(request, "koperasi/formulir.html", {
        "user": user, "values": values, "errors": errors, "submission_key": submission_key,
        "document": document, "kept_upload": kept_upload or "", "amount_fields": AMOUNT_FIELDS,
        "member_fields": MEMBER_FIELDS, "max_upload_mb": request.app.state.settings.web.max_upload_mb,
    }, status_code=status_code)


@router.get("/koperasi/rat/baru")
def report_form(request: Request, user: CurrentUser = Depends(cooperative_page_user)) -> Response:
    year = utcnow().year - 1
    return _form(request, user, {"fiscal_year": str(year)}, {}, new_submission_key())


@router.post("/koperasi/rat", dependencies=[Depends(verify_csrf)])
def submit_report(
    request: Request, background: BackgroundTasks,
    fiscal_year: str = Form(""), rat_date: str = Form(""), members_men: str = Form(""), members_women: str = Form(""),
    assets: str = Form(""), liabilities: str = Form(""), equity: str = Form(""), business_volume: str = Form(""),
    shu: str = Form(""), document: UploadFile | None = File(None), kept_upload: str = Form(""),
    submission_key: str = Form(""), nik: str | None = Form(None),
    user: CurrentUser = Depends(cooperative_page_user), session: Session = Depends(db),
) -> Response:
    refuse_other_nik(user, nik)
    typed = {"fiscal_year": fiscal_year, "rat_date": rat_date, "members_men": members_men,
             "members_women": members_women, "assets": assets, "liabilities": liabilities, "equity": equity,
             "business_volume": business_volume, "shu": shu}
    intake = take_rat_report(request.app.state, session, user, typed, document, kept_upload, submission_key,
                             utcnow())
    if intake.receipt is None:
        return _form(request, user, typed, intake.errors, submission_key or new_submission_key(), intake.document,
                     intake.kept_upload, status_code=400)
    if intake.receipt.new:
        background.add_task(request.app.state.relay)
        flash(request, "Laporan RAT Anda sudah diterima.")
    else:
        flash(request, "Formulir ini sudah dikirim sebelumnya; berikut tanda terimanya. Untuk koreksi, buat laporan "
                       "baru lewat Laporkan RAT.")
    return RedirectResponse(f"/koperasi/rat/{intake.receipt.filing_id}", 303)


@router.get("/koperasi/rat/{filing_id:path}")
def receipt(filing_id: str, request: Request, user: CurrentUser = Depends(cooperative_page_user),
            session: Session = Depends(db)) -> Response:
    found = filing_history(session, user.nik, filing_id)
    if not found:
        raise HTTPException(404, "Laporan ini tidak ditemukan di antara laporan koperasi Anda.")
    return request.app.state.templates.TemplateResponse(request, "koperasi/tanda_terima.html", {
        "user": user, "filing": found[0], "cooperative": session.get(Cooperative, user.nik),
    })
