"""What the demo left in the database, as its closing summary: cases by rule and priority, compliance per
regency ranked (the weekly escalation figures), and the emails written."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from config.settings import RuleSettings
from models.cases import InspectionCase
from models.mail import OutgoingEmail
from models.rules.cases import PRIORITIES
from services.digest import iso_week, weekly_digest

MISSED_RULES = ("rat_missed", "rat_missed_repeat")


def cases_by_rule_and_priority(session: Session, province_code: str) -> dict[str, dict[str, int]]:
    """{rule: {priority: n, ..., "total": n}} for the province's cases, priorities from low to critical."""
    rows = session.execute(
        select(InspectionCase.rule, InspectionCase.priority, func.count())
        .where(func.substr(InspectionCase.regency_code, 1, 2) == province_code)
        .group_by(InspectionCase.rule, InspectionCase.priority)
    ).tuples().all()
    table: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(PRIORITIES, 0))
    for rule, priority, count in rows:
        table[rule][priority] = count
    return {rule: {**counts, "total": sum(counts.values())} for rule, counts in sorted(table.items())}


def case_alerts_per_team(session: Session) -> dict[str, int]:
    """How many grouped alert runs each team got (keys are "case-alert:{team}:{run}:{recipient}")."""
    keys = session.scalars(select(OutgoingEmail.message_key).where(OutgoingEmail.kind == "case_alert"))
    runs = {tuple(key.split(":", 3)[1:3]) for key in keys if key.count(":") >= 3}
    return dict(sorted(Counter(team for team, _ in runs).items()))


def demo_summary(session: Session, province_code: str, as_of: date, rules: RuleSettings) -> dict[str, Any]:
    digest = weekly_digest(session, province_code, iso_week(as_of), rules)
    cases = cases_by_rule_and_priority(session, province_code)
    emails = dict(session.execute(select(OutgoingEmail.kind, func.count()).group_by(OutgoingEmail.kind))
                  .tuples().all())
    return {
        "province_code": province_code,
        "province_name": digest["province_name"],
        "as_of": as_of.isoformat(),
        "fiscal_year": digest["fiscal_year"],
        "cases": {
            "total": sum(rule["total"] for rule in cases.values()),
            "missed_rat": sum(cases[rule]["total"] for rule in MISSED_RULES if rule in cases),
            "by_rule": cases,
        },
        "compliance": {
            "cooperatives": sum(r["cooperatives"] for r in digest["regencies"]),
            "reported": sum(r["reported"] for r in digest["regencies"]),
            "rate": digest["compliance_rate"],
            "regencies": [
                {key: row.get(key) for key in ("rank", "regency_code", "name", "cooperatives", "reported",
                                               "compliance_rate")}
                for row in digest["regencies"] if row["compliance_rate"] is not None
            ],
        },
        "emails": {"by_kind": dict(sorted(emails.items())), "case_alert_runs_per_team": case_alerts_per_team(session)},
    }
