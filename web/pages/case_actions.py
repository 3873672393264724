"""The forms on the case page: a follow-up done or moved, the case handed over or resolved."""
from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from models.base import utcnow
from web import case_commands
from web.auth import CurrentUser, supervisor_page_user
from web.case_commands import ActionRefused
from web.csrf import verify_csrf
from web.database import db
from web.pages.cases import render_case
from web.templating import flash

router = APIRouter(dependencies=[Depends(verify_csrf)])


def _done(request: Request, case_id: str, message: str) -> Response:
    flash(request, message)
    return RedirectResponse(f"/kasus/{quote(case_id, safe='')}", 303)


def _refused(request: Request, session: Session, user: CurrentUser, case_id: str, action: str,
             error: ActionRefused, values: dict) -> Response:
    session.rollback()
    problem = {"action": action, "message": str(error), "values": values}
    return render_case(request, session, user, case_id, problem, status_code=400)


@router.post("/kasus/{case_id:path}/tindak-lanjut/{kind}/selesai")
def followup_done(case_id: str, kind: str, request: Request, note: str = Form(""),
                  user: CurrentUser = Depends(supervisor_page_user), session: Session = Depends(db)) -> Response:
    try:
        case_commands.record_done(session, user, case_id, kind, note, utcnow())
    except ActionRefused as error:
        return _refused(request, session, user, case_id, f"done:{kind}", error, {"note": note})
    return _done(request, case_id, "Tindak lanjut dicatat selesai.")


@router.post("/kasus/{case_id:path}/tindak-lanjut/{kind}/jadwal-ulang")
def followup_moved(case_id: str, kind: str, request: Request, due_date: str = Form(""),
                   user: CurrentUser = Depends(supervisor_page_user), session: Session = Depends(db)) -> Response:
    try:
        case_commands.reschedule(session, user, case_id, kind, case_commands.parse_day(due_date), utcnow(),
                                 request.app.state.settings.rules)
    except ActionRefused as error:
        return _refused(request, session, user, case_id, f"move:{kind}", error, {"due_date": due_date})
    return _done(request, case_id, "Tindak lanjut dijadwalkan ulang.")


@router.post("/kasus/{case_id:path}/alihkan")
def reassign(case_id: str, request: Request, team_id: str = Form(""), reason: str = Form(""),
             user: CurrentUser = Depends(supervisor_page_user), session: Session = Depends(db)) -> Response:
    try:
        case_commands.reassign(session, user, case_id, team_id, reason, utcnow())
    except ActionRefused as error:
        return _refused(request, session, user, case_id, "reassign", error, {"team_id": team_id, "reason": reason})
    return _done(request, case_id, f"Kasus dialihkan ke tim {team_id}.")


@router.post("/kasus/{case_id:path}/selesaikan")
def resolve(case_id: str, request: Request, reason: str = Form(""),
            user: CurrentUser = Depends(supervisor_page_user), session: Session = Depends(db)) -> Response:
    try:
        case_commands.resolve(session, user, case_id, reason, utcnow())
    except ActionRefused as error:
        return _refused(request, session, user, case_id, "resolve", error, {"reason": reason})
    return _done(request, case_id, "Kasus diselesaikan.")
