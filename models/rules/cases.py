"""Which case a missed, late or anomalous RAT opens, and its priority (Permenkop 19/2015 Pasal 20)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from config.settings import RuleSettings
from models.rules.deadlines import rat_deadline, report_deadline

RAT_MISSED = "rat_missed"
RAT_MISSED_REPEAT = "rat_missed_repeat"
RAT_LATE = "rat_late"
FILING_ANOMALY = "filing_anomaly"
RULES = (RAT_MISSED, RAT_MISSED_REPEAT, RAT_LATE, FILING_ANOMALY)

#: Lowest first; sort by PRIORITIES.index(...) descending for "most urgent first".
PRIORITIES = ("low", "normal", "high", "critical")

#: Savings-and-loan cooperatives hold members' money: their cases weigh more.
SAVINGS_AND_LOAN_KINDS = frozenset({"KSP", "KSPPS"})

#: Who gets a copy when a case escalates.
NATIONAL = "nasional"


@dataclass(frozen=True)
class CaseOpening:
    rule: str
    priority: str
    escalation: str | None = None


def _raised(priority: str, kind: str) -> str:
    """One step up for savings-and-loan cooperatives."""
    if kind not in SAVINGS_AND_LOAN_KINDS:
        return priority
    return PRIORITIES[min(PRIORITIES.index(priority) + 1, len(PRIORITIES) - 1)]


def missed_rat_case(previous_year_missed: bool, kind: str) -> CaseOpening:
    """RAT not held: a warning; two years in a row: a warning plus notice of planned dissolution."""
    if previous_year_missed:
        return CaseOpening(RAT_MISSED_REPEAT, "critical")
    return CaseOpening(RAT_MISSED, _raised("normal", kind))


def late_rat_case(previous_year_late: bool, kind: str) -> CaseOpening:
    """RAT late: a warning; late twice in a row: a warning copied to the national Deputy."""
    if previous_year_late:
        return CaseOpening(RAT_LATE, _raised("high", kind), escalation=NATIONAL)
    return CaseOpening(RAT_LATE, _raised("low", kind))


def anomaly_case(kind: str) -> CaseOpening:
    return CaseOpening(FILING_ANOMALY, _raised("high", kind))


@dataclass(frozen=True)
class Timeliness:
    rat_held_late: bool
    reported_late: bool

    @property
    def late(self) -> bool:
        return self.rat_held_late or self.reported_late


def filing_timeliness(
    rat_date: date,
    submitted_on: date,
    fiscal_year: int,
    fiscal_year_end_mmdd: str,
    level: str,
    rules: RuleSettings,
) -> Timeliness:
    """`submitted_on` is the submission's date in the cooperative's own time zone."""
    return Timeliness(
        rat_held_late=rat_date > rat_deadline(fiscal_year, fiscal_year_end_mmdd, level, rules),
        reported_late=submitted_on > report_deadline(fiscal_year, fiscal_year_end_mmdd, level, rules),
    )
