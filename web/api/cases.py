"""Cases for supervisors: the list (filters, keyset paging), one case, and the actions on it."""
from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from sqlalchemy.orm import Session

from models.base import utcnow
from models.cases import FollowUp as FollowUpRow, followup_id
from services.case_list import MAX_PAGE_SIZE, BadCursor, CaseFilters, list_cases_page
from services.queries import followup_as_dict
from web import case_commands
from web.api.case_schemas import (CaseDetail, CasePage, CaseStatus, FollowUp, FollowUpKind, NoteIn, Priority,
                                  ReassignIn, RescheduleIn, ResolveIn, Rule)
from web.api.schemas import Problem, problem_responses
from web.auth import CurrentUser, api_supervisor
from web.case_access import case_file
from web.database import db

router = APIRouter(prefix="/cases", tags=["cases"])
DENIED = problem_responses(400, 401, 403, 404, 422)
#: An action the case's state does not allow raises ActionRefused: web.errors answers it with 409.
REFUSED = {**DENIED, 409: {"model": Problem, "description": "the action cannot be done (reason in detail)"}}


def _in_reach(user: CurrentUser):
    if user.jurisdiction is None:
        raise HTTPException(403, f"team '{user.team_id}' no longer exists")
    return user.jurisdiction


@router.get("", response_model=CasePage, responses=DENIED)
def list_cases(
    regency: str | None = Query(None, pattern=r"^[0-9]{4}$"), rule: Rule | None = None,
    status: CaseStatus | None = None, priority: Priority | None = None,
    overdue: bool = Query(False, description="only cases with a follow-up past its due date"),
    nik: str | None = Query(None, pattern=r"^[0-9]{16}$"),
    cursor: str | None = Query(None, max_length=500, description="next_cursor of the page before"),
    limit: int = Query(50, ge=1, le=MAX_PAGE_SIZE),
    user: CurrentUser = Depends(api_supervisor), session: Session = Depends(db),
) -> CasePage:
    """Newest first, only within the user's regions."""
    filters = CaseFilters(regency=regency, rule=rule, status=status, priority=priority, overdue=overdue, nik=nik)
    try:
        page = list_cases_page(session, _in_reach(user), filters, cursor, limit)
    except BadCursor as error:
        raise HTTPException(400, str(error)) from None
    return CasePage(items=page.items, total=page.total, next_cursor=page.next_cursor)


@router.get("/{case_id:path}", response_model=CaseDetail, responses=DENIED)
def get_case(case_id: str, user: CurrentUser = Depends(api_supervisor), session: Session = Depends(db)) -> dict:
    """The case with its follow-ups, audit trail, the cooperative's profile and filings, and reassignment choices."""
    _in_reach(user)
    return case_file(session, user, case_id)


def _followup(session: Session, case_id: str, kind: str) -> dict:
    return followup_as_dict(session.get(FollowUpRow, followup_id(case_id, kind)))


@router.post("/{case_id:path}/followups/{kind}/done", response_model=FollowUp, responses=REFUSED)
def followup_done(case_id: str, kind: FollowUpKind, body: NoteIn, user: CurrentUser = Depends(api_supervisor),
                  session: Session = Depends(db)) -> dict:
    """Record that a warning letter was sent or the field visit happened."""
    _in_reach(user)
    case_commands.record_done(session, user, case_id, kind, body.note, utcnow())
    return _followup(session, case_id, kind)


@router.post("/{case_id:path}/followups/{kind}/reschedule", response_model=FollowUp, responses=REFUSED)
def followup_reschedule(case_id: str, kind: FollowUpKind, body: RescheduleIn, request: Request,
                        user: CurrentUser = Depends(api_supervisor), session: Session = Depends(db)) -> dict:
    """Move a pending follow-up to a working day; a field visit needs 3 days' written notice."""
    _in_reach(user)
    case_commands.reschedule(session, user, case_id, kind, body.due_date, utcnow(),
                             request.app.state.settings.rules)
    return _followup(session, case_id, kind)


@router.post("/{case_id:path}/reassign", response_model=CaseDetail, responses=REFUSED)
def reassign(case_id: str, body: ReassignIn, user: CurrentUser = Depends(api_supervisor),
             session: Session = Depends(db)) -> dict:
    """Hand an open case to another team that supervises its regency (see `reassign_to`)."""
    _in_reach(user)
    case_commands.reassign(session, user, case_id, body.team_id, body.reason, utcnow())
    return case_file(session, user, case_id)


@router.post("/{case_id:path}/resolve", response_model=CaseDetail, responses=REFUSED)
def resolve(case_id: str, body: ResolveIn, user: CurrentUser = Depends(api_supervisor),
            session: Session = Depends(db)) -> dict:
    """Close an open case for a stated reason (resolution `closed_by_supervisor`)."""
    _in_reach(user)
    case_commands.resolve(session, user, case_id, body.reason, utcnow())
    return case_file(session, user, case_id)
