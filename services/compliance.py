"""The compliance dashboard of a province: RAT compliance per regency (ranked), open and overdue cases, weekly trend."""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from config.settings import RuleSettings

from models.cases import OPEN, OVERDUE, FollowUp, InspectionCase
from models.digests import WeeklyDigest
from models.filings import RatFiling
from models.regions import provinces, regencies
from models.registry import DIBUBARKAN, Cooperative
from models.rules.deadlines import latest_overdue_fiscal_year
from models.rules.jurisdiction import Jurisdiction

TREND_WEEKS = 12


def default_fiscal_year(today: date, rules: RuleSettings) -> int:
    """The latest fiscal year whose report deadline has passed (calendar fiscal years, primary cooperatives)."""
    return latest_overdue_fiscal_year(today, "12-31", "primer", rules) or today.year - 1


def _rate(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 2) if whole else None


def _per_regency(session: Session, statement) -> dict[str, int]:
    return dict(session.execute(statement).tuples().all())


def _cooperative_counts(session: Session, codes: list[str], fiscal_year: int) -> tuple[dict, dict, dict]:
    """Per regency: cooperatives that must hold a RAT, those that reported the year, those on time."""
    liable = and_(Cooperative.regency_code.in_(codes), Cooperative.status != DIBUBARKAN)
    totals = _per_regency(session, select(Cooperative.regency_code, func.count()).where(liable)
                          .group_by(Cooperative.regency_code))

    def reporting(*conditions) -> dict[str, int]:
        niks = select(RatFiling.nik).where(RatFiling.fiscal_year == fiscal_year, *conditions).distinct().subquery()
        return _per_regency(session, select(Cooperative.regency_code, func.count())
                            .join(niks, niks.c.nik == Cooperative.nik).where(liable)
                            .group_by(Cooperative.regency_code))

    return totals, reporting(), reporting(RatFiling.late.is_(False))


def _case_counts(session: Session, codes: list[str]) -> tuple[dict, dict]:
    open_cases = and_(InspectionCase.regency_code.in_(codes), InspectionCase.status == OPEN)
    opened = _per_regency(session, select(InspectionCase.regency_code, func.count()).where(open_cases)
                          .group_by(InspectionCase.regency_code))
    cases_counted = func.count(func.distinct(InspectionCase.case_id))
    overdue = _per_regency(session, select(InspectionCase.regency_code, cases_counted)
                           .join(FollowUp, FollowUp.case_id == InspectionCase.case_id)
                           .where(open_cases, FollowUp.status == OVERDUE).group_by(InspectionCase.regency_code))
    return opened, overdue


def _visible_part(data: dict[str, Any], codes: set[str]) -> dict[str, Any]:
    """A province's weekly figures cut to some of its regencies: only the per-regency compliance survives."""
    rows = [row for row in data.get("regencies", []) if row.get("regency_code") in codes]
    return {"compliance_rate": _rate(sum(r.get("reported") or 0 for r in rows),
                                     sum(r.get("cooperatives") or 0 for r in rows))}


def weekly_trend(session: Session, province_code: str, codes: set[str] | None = None,
                 weeks: int = TREND_WEEKS) -> list[dict[str, Any]]:
    """What the weekly escalation runs stored for the province, oldest first; `codes` limits it to those regencies."""
    digests = session.scalars(select(WeeklyDigest).where(WeeklyDigest.province_code == province_code)
                              .order_by(WeeklyDigest.week.desc()).limit(weeks)).all()
    trend = []
    for digest in reversed(digests):
        data = digest.data if codes is None else _visible_part(digest.data, codes)
        trend.append({"week": digest.week, "compliance_rate": data.get("compliance_rate"),
                      "new_cases": data.get("new_cases"), "overdue_followups": data.get("overdue_followups"),
                      "cases_past_sla": data.get("cases_past_sla")})
    return trend


def province_dashboard(session: Session, scope: Jurisdiction, province_code: str, fiscal_year: int) -> dict[str, Any]:
    """Only the regencies within the user's jurisdiction are counted or shown."""
    codes = [code for code in scope.regency_codes() if code[:2] == province_code]
    whole_province = len(codes) == sum(1 for code in regencies() if code[:2] == province_code)
    totals, reported, on_time = _cooperative_counts(session, codes, fiscal_year)
    opened, overdue = _case_counts(session, codes)
    rows = [
        {
            "regency_code": code, "name": regencies()[code].name, "cooperatives": totals.get(code, 0),
            "reported": reported.get(code, 0), "on_time": on_time.get(code, 0),
            "compliance_rate": _rate(reported.get(code, 0), totals.get(code, 0)),
            "on_time_rate": _rate(on_time.get(code, 0), totals.get(code, 0)),
            "open_cases": opened.get(code, 0), "overdue_cases": overdue.get(code, 0), "rank": None,
        }
        for code in codes
    ]
    ranked = sorted((r for r in rows if r["compliance_rate"] is not None),
                    key=lambda r: (-r["compliance_rate"], r["regency_code"]))
    for rank, row in enumerate(ranked, start=1):
        row["rank"] = rank
    all_total, all_reported = sum(totals.values()), sum(reported.values())
    return {
        "province_code": province_code, "province_name": provinces()[province_code].name,
        "fiscal_year": fiscal_year, "cooperatives": all_total, "reported": all_reported,
        "compliance_rate": _rate(all_reported, all_total),
        "open_cases": sum(opened.values()), "overdue_cases": sum(overdue.values()),
        "regencies": ranked + [r for r in rows if r["compliance_rate"] is None],
        "trend": weekly_trend(session, province_code, None if whole_province else set(codes)),
    }
