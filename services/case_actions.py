"""What a supervisor decides about a whole case: hand it to another team, or resolve it with a reason.

Each change is written with its audit entry and its case event (through the outbox) in one transaction,
as services.followups does for follow-ups.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from models.cases import CANCELLED, OPEN, PENDING, RESOLVED, FollowUp, InspectionCase
from models.registry import Team
from models.rules.jurisdiction import team_jurisdiction
from services.casework import CaseState
from services.followups import Transitions

#: Resolution of a case a supervisor closed (the reason is in the audit trail).
CLOSED_BY_SUPERVISOR = "closed_by_supervisor"
CASE_REASSIGNED = "case_reassigned"
CASE_RESOLVED = "case_resolved"
MAX_REASON_LENGTH = 2000


class CaseActionError(ValueError):
    """A decision that cannot be applied to the case, in words a supervisor understands."""


def _state(case: InspectionCase) -> CaseState:
    return CaseState(**{name: getattr(case, name) for name in CaseState.__dataclass_fields__})


def _open_case(session: Session, case_id: str) -> InspectionCase:
    case = session.get(InspectionCase, case_id, with_for_update=session.bind.dialect.name == "postgresql")
    if case is None:
        raise CaseActionError(f"no case {case_id}")
    if case.status != OPEN:
        raise CaseActionError(f"case {case_id} is already {case.status}")
    return case


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise CaseActionError("give a reason")
    if len(reason) > MAX_REASON_LENGTH:
        raise CaseActionError(f"a reason is at most {MAX_REASON_LENGTH} characters")
    return reason


def teams_for_regency(session: Session, regency_code: str) -> list[Team]:
    """The teams that may take a case of this regency: its own, its province's, the national one."""
    teams = session.query(Team).order_by(Team.level, Team.region_code).all()
    return [team for team in teams if (j := team_jurisdiction(team.level, team.region_code)) and j.covers(regency_code)]


def reassign_case(session: Session, case_id: str, team_id: str, reason: str, actor: str,
                  now: datetime) -> InspectionCase:
    """Hand an open case to another team whose regions include the case's regency."""
    reason = _reason(reason)
    case = _open_case(session, case_id)
    if team_id == case.assigned_team:
        raise CaseActionError(f"case {case_id} is already with team {team_id}")
    if team_id not in {team.team_id for team in teams_for_regency(session, case.regency_code)}:
        raise CaseActionError(f"team '{team_id}' does not supervise regency {case.regency_code}")
    previous, case.assigned_team = case.assigned_team, team_id
    case.assignment_note = f"reassigned by {actor}"[:300]
    changes = Transitions(now, actor)
    changes.record(_state(case), f"{case_id}/reassigned/{now.isoformat()}", CASE_REASSIGNED, "reassigned",
                   from_state=(previous or "-")[:32], to_state=team_id[:32],
                   reason=f"{previous or '-'} -> {team_id}: {reason}")
    changes.write(session)
    return case


def resolve_case(session: Session, case_id: str, reason: str, actor: str, now: datetime) -> InspectionCase:
    """Close an open case for a stated reason; its pending follow-ups are cancelled."""
    reason = _reason(reason)
    case = _open_case(session, case_id)
    case.status, case.resolution, case.resolved_at = RESOLVED, CLOSED_BY_SUPERVISOR, now
    session.execute(
        update(FollowUp).where(FollowUp.case_id == case_id, FollowUp.status.in_(PENDING)).values(status=CANCELLED)
    )
    changes = Transitions(now, actor)
    # The same event and audit keys as the worker's resolution: a case is resolved once.
    changes.record(_state(case), case_id, CASE_RESOLVED, "resolved", from_state=OPEN,
                   to_state=CLOSED_BY_SUPERVISOR, reason=reason)
    changes.write(session)
    return case
