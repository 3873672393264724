"""Read models for the CLI (and later the web): cases as the public `--json` contract shapes them."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models.cases import InspectionCase
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
        "followups": [
            {
                "followup_id": followup.followup_id,
                "kind": followup.kind,
                "due_date": followup.due_date.isoformat(),
                "status": followup.status,
            }
            for followup in case.followups
        ],
    }


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
    case = session.get(InspectionCase, case_id, options=[selectinload(InspectionCase.followups)])
    return case_as_dict(case) if case else None
