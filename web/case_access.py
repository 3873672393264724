"""The supervisor's reach over cases, checked on the server for every read and every change."""
from __future__ import annotations

from typing import Any

from fastapi import HTTPException
from sqlalchemy.orm import Session

from models.cases import InspectionCase
from models.regions import regency
from models.registry import Cooperative
from models.rules.followups import FOLLOWUP_KINDS
from services.case_actions import teams_for_regency
from services.filing_history import filing_history
from services.queries import get_case
from web.auth import CurrentUser

NOT_FOUND = "Kasus tidak ditemukan atau bukan wewenang tim Anda."


def case_in_reach(session: Session, user: CurrentUser, case_id: str) -> InspectionCase:
    """The case, if it exists and lies in the user's regions; otherwise 404 (its existence is not revealed)."""
    case = session.get(InspectionCase, case_id)
    if case is None or user.jurisdiction is None or not user.jurisdiction.covers(case.regency_code):
        raise HTTPException(404, NOT_FOUND)
    return case


def followup_kind(kind: str) -> str:
    if kind not in FOLLOWUP_KINDS:
        raise HTTPException(404, NOT_FOUND)
    return kind


def cooperative_profile(cooperative: Cooperative | None) -> dict[str, Any] | None:
    if cooperative is None:
        return None
    place = regency(cooperative.regency_code)
    return {
        "nik": cooperative.nik, "name": cooperative.name, "kind": cooperative.kind, "level": cooperative.level,
        "membership_area": cooperative.membership_area, "regency_code": cooperative.regency_code,
        "regency_name": place.name if place else None, "province_name": place.province.name if place else None,
        "email": cooperative.email, "status": cooperative.status, "fiscal_year_end": cooperative.fiscal_year_end,
    }


def case_file(session: Session, user: CurrentUser, case_id: str) -> dict[str, Any]:
    """Everything the case page and GET /api/cases/{id} show: the case with its follow-ups and audit trail,
    the cooperative's profile and filing history, and the teams the case may be handed to."""
    case = case_in_reach(session, user, case_id)
    place = regency(case.regency_code)
    return {
        **get_case(session, case_id),
        "regency_name": place.name if place else None,
        "cooperative": cooperative_profile(session.get(Cooperative, case.nik)),
        "filings": filing_history(session, case.nik),
        "reassign_to": [{"team_id": team.team_id, "name": team.name, "level": team.level}
                        for team in teams_for_regency(session, case.regency_code)
                        if team.team_id != case.assigned_team],
    }
