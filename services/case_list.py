"""Case lists for supervisors: filtered, limited to a jurisdiction, paged by keyset (newest first).

Paging never counts rows to skip: each page starts after the last (opened_at, case_id) of the one
before, which the index ix_cases_opened_at_case_id serves at any depth.
"""
from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session

from models.cases import OVERDUE, FollowUp, InspectionCase
from models.regions import timezone_of_regency
from models.registry import Cooperative
from models.rules.jurisdiction import Jurisdiction

MAX_PAGE_SIZE = 200


class BadCursor(ValueError):
    """A page cursor this service did not hand out."""


@dataclass(frozen=True)
class CaseFilters:
    regency: str | None = None
    rule: str | None = None
    status: str | None = None
    priority: str | None = None
    #: Only cases with a follow-up past its due date and not done.
    overdue: bool = False
    nik: str | None = None


@dataclass(frozen=True)
class CasePage:
    items: list[dict[str, Any]]
    total: int
    next_cursor: str | None


def encode_cursor(opened_at: datetime, case_id: str) -> str:
    raw = json.dumps([opened_at.isoformat(), case_id]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str]:
    try:
        opened_at, case_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        instant = datetime.fromisoformat(opened_at)
        if instant.tzinfo is None or not isinstance(case_id, str):
            raise ValueError
        return instant, case_id
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        raise BadCursor("not a cursor from this case list") from None


_has_overdue_followup = exists().where(FollowUp.case_id == InspectionCase.case_id, FollowUp.status == OVERDUE)


def scoped_conditions(scope: Jurisdiction, filters: CaseFilters) -> list:
    conditions = []
    if not scope.is_national:
        conditions.append(InspectionCase.regency_code.in_(scope.regency_codes()))
    for column, value in ((InspectionCase.regency_code, filters.regency), (InspectionCase.rule, filters.rule),
                          (InspectionCase.status, filters.status), (InspectionCase.priority, filters.priority),
                          (InspectionCase.nik, filters.nik)):
        if value:
            conditions.append(column == value)
    if filters.overdue:
        conditions.append(_has_overdue_followup)
    return conditions


def _row(row) -> dict[str, Any]:
    zone = timezone_of_regency(row.regency_code)
    return {
        "case_id": row.case_id, "nik": row.nik, "cooperative_name": row.cooperative_name,
        "fiscal_year": row.fiscal_year, "rule": row.rule, "status": row.status, "priority": row.priority,
        "stage": row.stage, "regency_code": row.regency_code, "assigned_team": row.assigned_team,
        "opened_at": row.opened_at.astimezone(zone).isoformat(), "overdue": bool(row.overdue),
        "resolution": row.resolution,
    }


def list_cases_page(session: Session, scope: Jurisdiction, filters: CaseFilters, cursor: str | None = None,
                    limit: int = 50) -> CasePage:
    """Newest first; `cursor` is the `next_cursor` of the page before."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    conditions = scoped_conditions(scope, filters)
    total = session.scalar(select(func.count()).select_from(InspectionCase).where(*conditions))
    statement = (
        select(InspectionCase.case_id, InspectionCase.nik, InspectionCase.fiscal_year, InspectionCase.rule,
               InspectionCase.status, InspectionCase.priority, InspectionCase.stage, InspectionCase.regency_code,
               InspectionCase.assigned_team, InspectionCase.opened_at, InspectionCase.resolution,
               Cooperative.name.label("cooperative_name"), _has_overdue_followup.label("overdue"))
        .outerjoin(Cooperative, Cooperative.nik == InspectionCase.nik)
        .where(*conditions)
        .order_by(InspectionCase.opened_at.desc(), InspectionCase.case_id.desc())
        .limit(limit + 1)
    )
    if cursor:
        opened_at, case_id = decode_cursor(cursor)
        statement = statement.where(or_(
            InspectionCase.opened_at < opened_at,
            and_(InspectionCase.opened_at == opened_at, InspectionCase.case_id < case_id),
        ))
    rows = session.execute(statement).all()
    next_cursor = encode_cursor(rows[limit - 1].opened_at, rows[limit - 1].case_id) if len(rows) > limit else None
    return CasePage([_row(row) for row in rows[:limit]], total, next_cursor)
