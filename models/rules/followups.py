"""The follow-up plan a new case gets: warnings I-III, a field visit, and for repeat misses the dissolution notice."""
from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from datetime import date, timedelta

from config.settings import RuleSettings
from models.rules.cases import RAT_MISSED_REPEAT
from models.rules.workdays import next_working_day

TEGURAN_1 = "teguran_1"  #: written warning I
KUNJUNGAN_LAPANGAN = "kunjungan_lapangan"  #: field visit, announced in writing beforehand
TEGURAN_2 = "teguran_2"  #: written warning II
TEGURAN_3 = "teguran_3"  #: written warning III
SURAT_RENCANA_PEMBUBARAN = "surat_rencana_pembubaran"  #: notice of planned dissolution
FOLLOWUP_KINDS = (TEGURAN_1, KUNJUNGAN_LAPANGAN, TEGURAN_2, TEGURAN_3, SURAT_RENCANA_PEMBUBARAN)


@dataclass(frozen=True)
class PlannedFollowUp:
    kind: str
    due_date: date
    sequence: int


def plan_followups(
    rule: str, opened_on: date, rules: RuleSettings, holiday_dates: Container[date]
) -> list[PlannedFollowUp]:
    """Due dates fall on working days; the visit keeps at least the minimum written notice."""
    teguran_1 = next_working_day(opened_on + timedelta(days=rules.warning_1_days), holiday_dates)
    visit_days = max(rules.field_visit_days, rules.field_visit_min_notice_days)
    visit = next_working_day(opened_on + timedelta(days=visit_days), holiday_dates)
    interval = timedelta(days=rules.warning_interval_days)
    teguran_2 = next_working_day(teguran_1 + interval, holiday_dates)
    teguran_3 = next_working_day(teguran_2 + interval, holiday_dates)
    plan = [(TEGURAN_1, teguran_1), (KUNJUNGAN_LAPANGAN, visit), (TEGURAN_2, teguran_2), (TEGURAN_3, teguran_3)]
    if rule == RAT_MISSED_REPEAT:
        plan.append((SURAT_RENCANA_PEMBUBARAN, next_working_day(teguran_3 + interval, holiday_dates)))
    return [PlannedFollowUp(kind, due, sequence) for sequence, (kind, due) in enumerate(plan, start=1)]
