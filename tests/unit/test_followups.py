"""Working days (weekends and Indonesia's real national holidays) and the follow-up plan of a new case."""
from datetime import date, timedelta

import pytest

from config.settings import RuleSettings
from models.rules.cases import RAT_LATE, RAT_MISSED, RAT_MISSED_REPEAT
from models.rules.followups import (
    KUNJUNGAN_LAPANGAN,
    SURAT_RENCANA_PEMBUBARAN,
    TEGURAN_1,
    TEGURAN_2,
    TEGURAN_3,
    plan_followups,
)
from models.rules.workdays import is_working_day, national_holidays, next_working_day

HOLIDAYS = national_holidays()
DEFAULTS = RuleSettings()
MONDAY = date(2025, 1, 6)


def due_dates(plan):
    return {step.kind: step.due_date for step in plan}


def test_independence_day_2025_is_a_national_holiday():
    assert date(2025, 8, 17) in HOLIDAYS


def test_christmas_2025_is_a_national_holiday_on_a_thursday():
    assert date(2025, 12, 25) in HOLIDAYS and date(2025, 12, 25).weekday() == 3


def test_an_ordinary_wednesday_is_a_working_day():
    assert is_working_day(date(2025, 1, 8), HOLIDAYS)


@pytest.mark.parametrize("day", [date(2025, 1, 11), date(2025, 1, 12)])
def test_saturdays_and_sundays_are_not_working_days(day):
    assert not is_working_day(day, HOLIDAYS)


def test_a_holiday_on_a_weekday_is_not_a_working_day():
    assert not is_working_day(date(2025, 12, 25), HOLIDAYS)


def test_a_working_day_is_its_own_next_working_day():
    assert next_working_day(date(2025, 1, 8), HOLIDAYS) == date(2025, 1, 8)


def test_a_sunday_moves_to_the_monday():
    assert next_working_day(date(2025, 1, 12), HOLIDAYS) == date(2025, 1, 13)


def test_christmas_on_a_thursday_moves_to_the_friday():
    assert next_working_day(date(2025, 12, 25), HOLIDAYS) == date(2025, 12, 26)


def test_a_weekend_before_independence_day_on_a_monday_moves_to_the_tuesday():
    assert next_working_day(date(2026, 8, 15), HOLIDAYS) == date(2026, 8, 18)


def test_a_weekend_followed_by_the_two_days_of_eid_al_fitr_moves_to_the_wednesday():
    assert next_working_day(date(2025, 3, 29), HOLIDAYS) == date(2025, 4, 2)


def test_without_holidays_only_the_weekend_is_skipped():
    assert next_working_day(date(2025, 12, 25), frozenset()) == date(2025, 12, 25)


def test_a_missed_rat_gets_four_follow_ups_in_order():
    plan = plan_followups(RAT_MISSED, MONDAY, DEFAULTS, HOLIDAYS)
    assert [(step.sequence, step.kind) for step in plan] == [
        (1, TEGURAN_1), (2, KUNJUNGAN_LAPANGAN), (3, TEGURAN_2), (4, TEGURAN_3)
    ]


def test_a_late_rat_gets_the_same_four_follow_ups():
    assert [step.kind for step in plan_followups(RAT_LATE, MONDAY, DEFAULTS, HOLIDAYS)] == [
        TEGURAN_1, KUNJUNGAN_LAPANGAN, TEGURAN_2, TEGURAN_3
    ]


def test_a_repeated_missed_rat_ends_with_the_notice_of_planned_dissolution():
    plan = plan_followups(RAT_MISSED_REPEAT, MONDAY, DEFAULTS, HOLIDAYS)
    assert [(step.sequence, step.kind) for step in plan] == [
        (1, TEGURAN_1), (2, KUNJUNGAN_LAPANGAN), (3, TEGURAN_2), (4, TEGURAN_3), (5, SURAT_RENCANA_PEMBUBARAN)
    ]


def test_the_default_plan_from_a_monday_uses_the_configured_day_counts():
    assert due_dates(plan_followups(RAT_MISSED_REPEAT, MONDAY, DEFAULTS, HOLIDAYS)) == {
        TEGURAN_1: date(2025, 1, 13),
        KUNJUNGAN_LAPANGAN: date(2025, 1, 20),
        TEGURAN_2: date(2025, 2, 12),
        TEGURAN_3: date(2025, 3, 14),
        SURAT_RENCANA_PEMBUBARAN: date(2025, 4, 14),  # 13 April 2025 is a Sunday
    }


def test_a_first_warning_due_on_christmas_moves_to_the_next_working_day():
    plan = plan_followups(RAT_MISSED, date(2025, 12, 18), DEFAULTS, HOLIDAYS)
    assert due_dates(plan)[TEGURAN_1] == date(2025, 12, 26)


def test_a_later_warning_counts_its_interval_from_the_moved_earlier_warning():
    plan = plan_followups(RAT_MISSED, date(2025, 12, 18), DEFAULTS, HOLIDAYS)
    assert due_dates(plan)[TEGURAN_2] == date(2025, 12, 26) + timedelta(days=31)  # 25 Jan 2026 is a Sunday


def test_a_field_visit_due_on_independence_day_moves_to_the_next_working_day():
    plan = plan_followups(RAT_MISSED, date(2026, 8, 3), DEFAULTS, HOLIDAYS)
    assert due_dates(plan)[KUNJUNGAN_LAPANGAN] == date(2026, 8, 18)


def test_the_field_visit_keeps_the_minimum_written_notice_when_configured_sooner():
    plan = plan_followups(RAT_MISSED, MONDAY, RuleSettings(field_visit_days=1), HOLIDAYS)
    assert due_dates(plan)[KUNJUNGAN_LAPANGAN] == MONDAY + timedelta(days=3)


def test_a_longer_minimum_notice_pushes_the_field_visit_further():
    rules = RuleSettings(field_visit_days=1, field_visit_min_notice_days=10)
    assert due_dates(plan_followups(RAT_MISSED, MONDAY, rules, HOLIDAYS))[KUNJUNGAN_LAPANGAN] == date(2025, 1, 16)


def test_warnings_follow_the_configured_interval():
    plan = due_dates(plan_followups(RAT_MISSED, MONDAY, RuleSettings(warning_interval_days=21), HOLIDAYS))
    assert (plan[TEGURAN_2] - plan[TEGURAN_1], plan[TEGURAN_3] - plan[TEGURAN_2]) == (
        timedelta(days=21), timedelta(days=21)
    )


@pytest.mark.parametrize("rule", [RAT_MISSED, RAT_MISSED_REPEAT])
def test_every_due_date_of_every_plan_opened_in_2025_is_a_working_day(rule):
    opened_days = [date(2025, 1, 1) + timedelta(days=offset) for offset in range(365)]
    not_working = [
        (opened_on, step.kind, step.due_date)
        for opened_on in opened_days
        for step in plan_followups(rule, opened_on, DEFAULTS, HOLIDAYS)
        if not is_working_day(step.due_date, HOLIDAYS)
    ]
    assert not_working == []


def test_no_follow_up_is_moved_earlier_than_its_configured_day_count():
    for offset in range(365):
        opened_on = date(2025, 1, 1) + timedelta(days=offset)
        plan = due_dates(plan_followups(RAT_MISSED_REPEAT, opened_on, DEFAULTS, HOLIDAYS))
        assert plan[TEGURAN_1] >= opened_on + timedelta(days=DEFAULTS.warning_1_days)
        assert plan[KUNJUNGAN_LAPANGAN] >= opened_on + timedelta(days=DEFAULTS.field_visit_days)
        assert plan[TEGURAN_2] >= plan[TEGURAN_1] + timedelta(days=DEFAULTS.warning_interval_days)
        assert plan[TEGURAN_3] >= plan[TEGURAN_2] + timedelta(days=DEFAULTS.warning_interval_days)
        assert plan[SURAT_RENCANA_PEMBUBARAN] >= plan[TEGURAN_3] + timedelta(days=DEFAULTS.warning_interval_days)
