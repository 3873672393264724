"""The sanction ladder a case climbs while it stays open: warnings I -> II -> III -> province -> national."""
from __future__ import annotations

from collections.abc import Container, Mapping
from datetime import date, timedelta

from config.settings import RuleSettings
from models.rules.followups import KUNJUNGAN_LAPANGAN, TEGURAN_1, TEGURAN_2, TEGURAN_3
from models.rules.workdays import next_working_day, previous_working_day

DIBUKA = "dibuka"  #: opened, no warning due yet
ESKALASI_PROVINSI = "eskalasi_provinsi"
ESKALASI_NASIONAL = "eskalasi_nasional"
STAGES = (DIBUKA, TEGURAN_1, TEGURAN_2, TEGURAN_3, ESKALASI_PROVINSI, ESKALASI_NASIONAL)
#: The escalation a stage implies for the case (who gets the file).
ESCALATION_OF_STAGE = {ESKALASI_PROVINSI: "provinsi", ESKALASI_NASIONAL: "nasional"}


class NoticeTooShort(ValueError):
    """A field visit needs written notice some days ahead."""


def escalation_days(warning_3_due: date, rules: RuleSettings, holiday_dates: Container[date]) -> tuple[date, date]:
    """The working days on which an open case escalates to the province and then to the national level."""
    province = next_working_day(warning_3_due + timedelta(days=rules.escalation_to_province_days), holiday_dates)
    national = next_working_day(province + timedelta(days=rules.escalation_to_national_days), holiday_dates)
    return province, national


def ladder_stage(
    warning_due_dates: Mapping[str, date], today: date, rules: RuleSettings, holiday_dates: Container[date]
) -> str:
    """The stage an open case has reached on `today`, from its warnings' due dates."""
    stage = DIBUKA
    for kind in (TEGURAN_1, TEGURAN_2, TEGURAN_3):
        if kind in warning_due_dates and today >= warning_due_dates[kind]:
            stage = kind
    if TEGURAN_3 in warning_due_dates:
        province, national = escalation_days(warning_due_dates[TEGURAN_3], rules, holiday_dates)
        if today >= province:
            stage = ESKALASI_PROVINSI
        if today >= national:
            stage = ESKALASI_NASIONAL
    return stage


def stage_rank(stage: str) -> int:
    return STAGES.index(stage) if stage in STAGES else 0


def reminder_day(due_date: date, holiday_dates: Container[date]) -> date:
    """The assigned team is reminded on the working day before a follow-up is due."""
    return previous_working_day(due_date, holiday_dates)


def check_visit_notice(kind: str, visit_day: date, today: date, rules: RuleSettings) -> None:
    """A field visit cannot be scheduled with less than the minimum written notice (3 days)."""
    if kind != KUNJUNGAN_LAPANGAN:
        return
    earliest = today + timedelta(days=rules.field_visit_min_notice_days)
    if visit_day < earliest:
        raise NoticeTooShort(
            f"a field visit needs {rules.field_visit_min_notice_days} days' written notice: "
            f"the earliest date is {earliest.isoformat()}, not {visit_day.isoformat()}"
        )
