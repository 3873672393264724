"""The supervisor's case list (filters, keyset paging) and case page."""
from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from models.regions import regencies
from models.rules.cases import PRIORITIES, RULES
from services.case_list import BadCursor, CaseFilters, list_cases_page
from web.auth import CurrentUser, supervisor_page_user
from web.case_access import case_file
from web.database import db

router = APIRouter()
PAGE_SIZE = 50
STATUSES = ("open", "resolved")


def _known(value: str | None, allowed) -> str | None:
    return value if value in allowed else None


def no_team(request: Request, user: CurrentUser) -> Response:
    return request.app.state.templates.TemplateResponse(request, "error.html", {
        "user": user, "status": 403, "title": "Tim tidak ditemukan",
        "text": f"Tim '{user.team_id}' tidak ada lagi. Minta Dinas mengimpor tim Anda atau memindahkan login Anda.",
    }, status_code=403)


@router.get("/kasus")
def case_list(request: Request, regency: str | None = None, rule: str | None = None, status: str | None = "open",
              priority: str | None = None, overdue: str | None = None, setelah: str | None = None,
              user: CurrentUser = Depends(supervisor_page_user), session: Session = Depends(db)) -> Response:
    if user.jurisdiction is None:
        return no_team(request, user)
    reachable = user.jurisdiction.regency_codes()
    filters = CaseFilters(regency=_known(regency, reachable), rule=_known(rule, RULES),
                          status=_known(status, STATUSES), priority=_known(priority, PRIORITIES),
                          overdue=overdue == "1")
    try:
        page = list_cases_page(session, user.jurisdiction, filters, setelah or None, PAGE_SIZE)
    except BadCursor:
        raise HTTPException(400, "Tautan halaman tidak valid; mulai lagi dari halaman pertama.") from None
    return request.app.state.templates.TemplateResponse(request, "pengawas/daftar_kasus.html", {
        "user": user, "page": page, "filters": filters, "first_page": not setelah,
        "regency_choices": [(code, regencies()[code].name) for code in reachable],
        "rules": RULES, "priorities": PRIORITIES, "statuses": STATUSES,
    })


def render_case(request: Request, session: Session, user: CurrentUser, case_id: str,
                problem: dict | None = None, status_code: int = 200) -> Response:
    """`problem`: {"action": ..., "message": ..., "values": {...}} to show next to the form that failed."""
    return request.app.state.templates.TemplateResponse(request, "pengawas/kasus.html", {
        "user": user, "case": case_file(session, user, case_id), "problem": problem or {},
    }, status_code=status_code)


@router.get("/kasus/{case_id:path}")
def case_page(case_id: str, request: Request, user: CurrentUser = Depends(supervisor_page_user),
              session: Session = Depends(db)) -> Response:
    return render_case(request, session, user, case_id)


@router.get("/cases/{case_id:path}")
def case_link_in_an_email(case_id: str) -> Response:
    """Emails link to {SATGAS_NOTIFICATIONS__BASE_URL}/cases/{case_id}; the case page is /kasus/{case_id}."""
    return RedirectResponse(f"/kasus/{quote(case_id, safe='')}", 303)
