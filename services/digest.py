"""What the weekly escalation email needs, per province: the week's cases, breaches and RAT compliance."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from config.settings import RuleSettings
from models.audit import CaseAudit
from models.base import utcnow
from models.cases import CANCELLED, FollowUp, InspectionCase
from models.digests import WeeklyDigest
from models.filings import RatFiling
from models.regions import provinces, regencies
from models.registry import DIBUBARKAN, Cooperative
from models.rules.deadlines import latest_overdue_fiscal_year
from models.rules.ladder import ESKALASI_NASIONAL, ESKALASI_PROVINSI
from services.bulk import insert_ignoring_duplicates


class UnknownWeek(ValueError):
    """A week that is not written as ISO YYYY-Www."""


WEEK_PATTERN = re.compile(r"^([0-9]{4})-W([0-9]{2})$")


def week_start(week: str) -> date:
    """Monday of an ISO week such as "2025-W32"."""
    match = WEEK_PATTERN.match(week)
    try:
        return date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except (AttributeError, ValueError):
        raise UnknownWeek(f"a week is written like 2025-W32, not '{week}'") from None


def iso_week(day: date) -> str:
    year, number, _ = day.isocalendar()
    return f"{year}-W{number:02d}"


def _in_province(province_code: str):
    return func.substr(InspectionCase.regency_code, 1, 2) == province_code


def _headline(session: Session, province_code: str, start: datetime, end: datetime, rules: RuleSettings) -> dict:
    """Counts for the week [start, end): new cases, follow-ups overdue at its end, cases past SLA, escalations."""
    new_cases = dict(session.execute(
        select(InspectionCase.priority, func.count())
        .where(_in_province(province_code), InspectionCase.opened_at >= start, InspectionCase.opened_at < end)
        .group_by(InspectionCase.priority)
    ).tuples().all())
    end_day = end.date()
    overdue = session.scalar(
        select(func.count()).select_from(FollowUp).join(InspectionCase, InspectionCase.case_id == FollowUp.case_id)
        .where(_in_province(province_code), FollowUp.due_date < end_day, FollowUp.status != CANCELLED,
               or_(FollowUp.done_at.is_(None), FollowUp.done_at >= end))
    )
    open_at_end = and_(InspectionCase.opened_at < end,
                       or_(InspectionCase.resolved_at.is_(None), InspectionCase.resolved_at >= end))
    past_sla = session.scalar(
        select(func.count()).where(_in_province(province_code), open_at_end,
                                   InspectionCase.opened_at < end - timedelta(days=rules.case_sla_days))
    )
    escalations = session.scalar(
        select(func.count()).select_from(CaseAudit).join(InspectionCase, InspectionCase.case_id == CaseAudit.case_id)
        .where(_in_province(province_code), CaseAudit.action == "stage", CaseAudit.at >= start, CaseAudit.at < end,
               CaseAudit.to_state.in_((ESKALASI_PROVINSI, ESKALASI_NASIONAL)))
    )
    return {
        "new_cases": sum(new_cases.values()),
        "new_cases_by_priority": new_cases,
        "overdue_followups": overdue,
        "cases_past_sla": past_sla,
        "escalations": escalations,
    }


def _compliance(session: Session, province_code: str, fiscal_year: int, at: datetime) -> dict[str, tuple[int, int]]:
    """regency code -> (cooperatives that reported fiscal_year before `at`, cooperatives that must)."""
    liable = and_(Cooperative.province_code == province_code, Cooperative.status != DIBUBARKAN)
    totals = session.execute(
        select(Cooperative.regency_code, func.count()).where(liable).group_by(Cooperative.regency_code)
    ).tuples().all()
    reported = dict(session.execute(
        select(Cooperative.regency_code, func.count(func.distinct(Cooperative.nik)))
        .join(RatFiling, and_(RatFiling.nik == Cooperative.nik, RatFiling.fiscal_year == fiscal_year))
        .where(liable, RatFiling.submitted_at < at)
        .group_by(Cooperative.regency_code)
    ).tuples().all())
    return {code: (reported.get(code, 0), total) for code, total in totals}


def _rate(filed: int, total: int) -> float | None:
    return round(100 * filed / total, 2) if total else None


def weekly_digest(session: Session, province_code: str, week: str, rules: RuleSettings) -> dict[str, Any]:
    province = provinces().get(province_code)
    if province is None:
        raise ValueError(f"unknown province code '{province_code}'")
    monday = week_start(week)
    start = datetime.combine(monday, time(0), tzinfo=province.timezone)
    end, previous_start = start + timedelta(days=7), start - timedelta(days=7)
    fiscal_year = latest_overdue_fiscal_year(monday + timedelta(days=7), "12-31", "primer", rules)
    this_week = _compliance(session, province_code, fiscal_year, end)
    last_week = _compliance(session, province_code, fiscal_year, start)
    rows = []
    for code, regency in sorted(regencies().items()):
        if regency.province.code != province_code:
            continue
        filed, total = this_week.get(code, (0, 0))
        rate, previous = _rate(filed, total), _rate(*last_week.get(code, (0, 0)))
        rows.append({
            "regency_code": code, "name": regency.name, "cooperatives": total, "reported": filed,
            "compliance_rate": rate, "previous_rate": previous,
            "change": round(rate - previous, 2) if rate is not None and previous is not None else None,
        })
    ranked = sorted((r for r in rows if r["compliance_rate"] is not None), key=lambda r: -r["compliance_rate"])
    for rank, row in enumerate(ranked, start=1):
        row["rank"] = rank
    filed_all = sum(f for f, _ in this_week.values())
    total_all = sum(t for _, t in this_week.values())
    return {
        "province_code": province_code,
        "province_name": province.name,
        "timezone": province.zone_name,
        "week": week,
        "week_start": monday.isoformat(),
        "fiscal_year": fiscal_year,
        **_headline(session, province_code, start, end, rules),
        "previous_week": _headline(session, province_code, previous_start, start, rules),
        "compliance_rate": _rate(filed_all, total_all),
        "previous_compliance_rate": _rate(sum(f for f, _ in last_week.values()), total_all),
        "regencies": ranked + [r for r in rows if r["compliance_rate"] is None],
    }


def store_digest(session: Session, digest: dict[str, Any]) -> None:
    """Kept once per province and week, whoever computes it first."""
    session.execute(
        insert_ignoring_duplicates(session.bind.dialect.name, WeeklyDigest.__table__),
        [{"province_code": digest["province_code"], "week": digest["week"], "data": digest, "created_at": utcnow()}],
    )
