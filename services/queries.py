"""Read models for the CLI (and later the web): cases as the public `--json` contract shapes them."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models.audit import CaseAudit
from models.cases import FollowUp, InspectionCase
from models.regions import timezone_of_regency


def case_as_dict(case: InspectionCase) -> dict[str, Any]:
    zone = timezone_of_regency(case.regency_code)
    return {
        "case_id": case.case_id,
        "nik": case.nik,
        "fiscal_year": case.fiscal_year,
        "rule": case.rule,
        "status": case.status,
        "priority": case.priority,
        "regency_code": case.regency_code,
        "assigned_team": case.assigned_team,
        "assignment_note": case.assignment_note,
        "escalation": case.escalation,
        "opened_at": case.opened_at.astimezone(zone).isoformat(),
        "resolved_at": case.resolved_at.astimezone(zone).isoformat() if case.resolved_at else None,
        "resolution": case.resolution,
        "filing_id": case.filing_id,
        "details": case.details,
        "stage": case.stage,
        "followups": [followup_as_dict(followup) for followup in case.followups],
    }


def followup_as_dict(followup: FollowUp) -> dict[str, Any]:
    return {
        "followup_id": followup.followup_id,
        "case_id": followup.case_id,
        "kind": followup.kind,
        "due_date": followup.due_date.isoformat(),
        "status": followup.status,
        "reminded_at": followup.reminded_at.isoformat() if followup.reminded_at else None,
        "done_at": followup.done_at.isoformat() if followup.done_at else None,
        "done_by": followup.done_by,
        "note": followup.note,
    }


def list_followups(
    session: Session, case_id: str | None = None, status: str | None = None, regency: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    statement = select(FollowUp).join(InspectionCase).order_by(FollowUp.due_date, FollowUp.followup_id)
    if case_id:
        statement = statement.where(FollowUp.case_id == case_id)
    if status:
        statement = statement.where(FollowUp.status == status)
    if regency:
        statement = statement.where(InspectionCase.regency_code == regency)
    if limit:
        statement = statement.limit(limit)
    return [followup_as_dict(followup) for followup in session.scalars(statement)]


def case_audit(session: Session, case_id: str) -> list[dict[str, Any]]:
    """The case's audit trail, oldest first, times in the case's province zone."""
    case = session.get(InspectionCase, case_id)
    zone = timezone_of_regency(case.regency_code) if case else None
    entries = session.scalars(select(CaseAudit).where(CaseAudit.case_id == case_id).order_by(CaseAudit.at, CaseAudit.id))
    return [
        {
            "at": entry.at.astimezone(zone).isoformat(), "actor": entry.actor, "action": entry.action,
            "followup_id": entry.followup_id, "from": entry.from_state, "to": entry.to_state, "reason": entry.reason,
        }
        for entry in entries
    ]


def list_cases(
    session: Session,
    regency: str | None = None,
    status: str | None = None,
    nik: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    statement = select(InspectionCase).options(selectinload(InspectionCase.followups)).order_by(InspectionCase.case_id)
    if regency:
        statement = statement.where(InspectionCase.regency_code == regency)
    if status:
        statement = statement.where(InspectionCase.status == status)
    if nik:
        statement = statement.where(InspectionCase.nik == nik)
    if limit:
        statement = statement.limit(limit)
    return [case_as_dict(case) for case in session.scalars(statement)]


def get_case(session: Session, case_id: str) -> dict[str, Any] | None:
    """The case with its follow-ups and its audit trail."""
    case = session.get(InspectionCase, case_id, options=[selectinload(InspectionCase.followups)])
    return {**case_as_dict(case), "audit": case_audit(session, case_id)} if case else None
