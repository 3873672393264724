"""The sanction ladder (warnings I -> II -> III -> province -> national), reminders and field-visit notice."""
from datetime import date

import pytest

from config.settings import RuleSettings
from models.rules.followups import KUNJUNGAN_LAPANGAN, SURAT_RENCANA_PEMBUBARAN, TEGURAN_1, TEGURAN_2, TEGURAN_3
from models.rules.ladder import (
    DIBUKA,
    ESCALATION_OF_STAGE,
    ESKALASI_NASIONAL,
    ESKALASI_PROVINSI,
    STAGES,
    NoticeTooShort,
    check_visit_notice,
    escalation_days,
    ladder_stage,
    reminder_day,
    stage_rank,
)
from models.rules.workdays import national_holidays, previous_working_day

DEFAULTS = RuleSettings()
HOLIDAYS = national_holidays()
NO_HOLIDAYS: frozenset[date] = frozenset()

# A case whose warnings fall on ordinary working days:
# teguran I Fri 2025-08-08, teguran II Mon 2025-09-08, teguran III Wed 2025-10-08.
# Default escalation: III + 30 days = Fri 2025-11-07 (province); + 30 days = Sun 2025-12-07 -> Mon 2025-12-08 (national).
WARNINGS = {TEGURAN_1: date(2025, 8, 8), TEGURAN_2: date(2025, 9, 8), TEGURAN_3: date(2025, 10, 8)}


def stage_on(today, warnings=WARNINGS, rules=DEFAULTS, holiday_dates=HOLIDAYS):
    return ladder_stage(warnings, today, rules, holiday_dates)


# --- ladder_stage --------------------------------------------------------------------------------------------------

def test_a_case_without_any_warning_stays_opened_however_late_it_is():
    assert stage_on(date(2030, 1, 1), warnings={}) == DIBUKA


def test_the_day_before_warning_one_is_due_the_case_is_only_opened():
    assert stage_on(date(2025, 8, 7)) == DIBUKA


def test_on_the_day_warning_one_is_due_the_case_reaches_warning_one():
    assert stage_on(date(2025, 8, 8)) == TEGURAN_1


def test_the_day_before_warning_two_is_due_the_case_is_still_at_warning_one():
    assert stage_on(date(2025, 9, 7)) == TEGURAN_1


def test_on_the_day_warning_two_is_due_the_case_reaches_warning_two():
    assert stage_on(date(2025, 9, 8)) == TEGURAN_2


def test_the_day_before_warning_three_is_due_the_case_is_still_at_warning_two():
    assert stage_on(date(2025, 10, 7)) == TEGURAN_2


def test_on_the_day_warning_three_is_due_the_case_reaches_warning_three():
    assert stage_on(date(2025, 10, 8)) == TEGURAN_3


def test_the_day_before_the_province_escalation_the_case_is_still_at_warning_three():
    assert stage_on(date(2025, 11, 6)) == TEGURAN_3


def test_thirty_days_after_warning_three_the_case_escalates_to_the_province():
    assert stage_on(date(2025, 11, 7)) == ESKALASI_PROVINSI


def test_on_the_sunday_thirty_days_after_the_province_escalation_the_case_is_not_yet_national():
    assert stage_on(date(2025, 12, 7)) == ESKALASI_PROVINSI


def test_the_national_escalation_falling_on_a_sunday_happens_on_the_monday():
    assert stage_on(date(2025, 12, 8)) == ESKALASI_NASIONAL


def test_a_national_escalation_stays_national_long_after():
    assert stage_on(date(2027, 1, 1)) == ESKALASI_NASIONAL


def test_a_case_with_only_warning_one_never_escalates():
    assert stage_on(date(2030, 1, 1), warnings={TEGURAN_1: date(2025, 8, 8)}) == TEGURAN_1


def test_a_case_with_warnings_one_and_two_only_never_escalates():
    warnings = {TEGURAN_1: date(2025, 8, 8), TEGURAN_2: date(2025, 9, 8)}
    assert stage_on(date(2030, 1, 1), warnings=warnings) == TEGURAN_2


def test_other_follow_ups_do_not_move_the_case_on_the_ladder():
    warnings = {KUNJUNGAN_LAPANGAN: date(2025, 8, 1), SURAT_RENCANA_PEMBUBARAN: date(2025, 8, 2)}
    assert stage_on(date(2030, 1, 1), warnings=warnings) == DIBUKA


def test_a_province_escalation_due_on_christmas_thursday_happens_on_the_friday():
    # Warning III on Tue 2025-11-25 + 30 days = Thu 2025-12-25, Christmas.
    warnings = {TEGURAN_3: date(2025, 11, 25)}
    assert (stage_on(date(2025, 12, 25), warnings=warnings), stage_on(date(2025, 12, 26), warnings=warnings)) == (
        TEGURAN_3, ESKALASI_PROVINSI
    )


def test_without_the_holiday_calendar_the_province_escalation_happens_on_christmas():
    warnings = {TEGURAN_3: date(2025, 11, 25)}
    assert stage_on(date(2025, 12, 25), warnings=warnings, holiday_dates=NO_HOLIDAYS) == ESKALASI_PROVINSI


def test_a_shorter_province_escalation_period_escalates_sooner():
    rules = RuleSettings(escalation_to_province_days=10)  # Wed 2025-10-08 + 10 = Sat 2025-10-18 -> Mon 2025-10-20
    assert (stage_on(date(2025, 10, 17), rules=rules), stage_on(date(2025, 10, 20), rules=rules)) == (
        TEGURAN_3, ESKALASI_PROVINSI
    )


def test_a_longer_national_escalation_period_keeps_the_case_at_the_province_longer():
    rules = RuleSettings(escalation_to_national_days=60)  # Fri 2025-11-07 + 60 = Tue 2026-01-06
    assert (stage_on(date(2026, 1, 5), rules=rules), stage_on(date(2026, 1, 6), rules=rules)) == (
        ESKALASI_PROVINSI, ESKALASI_NASIONAL
    )


# --- escalation_days -----------------------------------------------------------------------------------------------

def test_escalation_days_count_thirty_days_then_thirty_more_by_default():
    assert escalation_days(date(2025, 10, 8), DEFAULTS, HOLIDAYS) == (date(2025, 11, 7), date(2025, 12, 8))


def test_the_national_escalation_counts_from_the_moved_province_escalation_day():
    # Province: Thu 2025-12-25 (Christmas) -> Fri 2025-12-26; national: 12-26 + 30 = Sun 2026-01-25 -> Mon 2026-01-26.
    assert escalation_days(date(2025, 11, 25), DEFAULTS, HOLIDAYS) == (date(2025, 12, 26), date(2026, 1, 26))


def test_escalation_days_are_always_working_days_in_2025():
    for offset in range(365):
        due = date.fromordinal(date(2025, 1, 1).toordinal() + offset)
        for day in escalation_days(due, DEFAULTS, HOLIDAYS):
            assert day.weekday() < 5 and day not in HOLIDAYS, (due, day)


# --- stage_rank ----------------------------------------------------------------------------------------------------

def test_stages_rank_in_the_order_of_the_ladder():
    assert [stage_rank(stage) for stage in
            (DIBUKA, TEGURAN_1, TEGURAN_2, TEGURAN_3, ESKALASI_PROVINSI, ESKALASI_NASIONAL)] == [0, 1, 2, 3, 4, 5]


def test_the_national_escalation_outranks_the_province_escalation():
    assert stage_rank(ESKALASI_NASIONAL) > stage_rank(ESKALASI_PROVINSI)


def test_an_unknown_stage_ranks_like_an_opened_case():
    assert stage_rank("bukan_tahap") == stage_rank(DIBUKA) == 0


def test_every_stage_the_ladder_returns_is_a_known_stage():
    days = [date(2025, 8, 1), date(2025, 8, 8), date(2025, 9, 8), date(2025, 10, 8), date(2025, 11, 7), date(2025, 12, 8)]
    assert [stage_on(day) for day in days] == list(STAGES)


def test_only_the_two_escalation_stages_hand_the_file_to_another_level():
    assert ESCALATION_OF_STAGE == {ESKALASI_PROVINSI: "provinsi", ESKALASI_NASIONAL: "nasional"}


# --- reminder_day and previous_working_day -------------------------------------------------------------------------

def test_a_follow_up_due_on_a_wednesday_is_reminded_on_the_tuesday():
    assert reminder_day(date(2025, 8, 13), HOLIDAYS) == date(2025, 8, 12)


def test_a_follow_up_due_on_a_monday_is_reminded_on_the_friday_before():
    assert reminder_day(date(2025, 8, 11), HOLIDAYS) == date(2025, 8, 8)


def test_a_follow_up_due_the_day_after_christmas_is_reminded_before_christmas():
    assert reminder_day(date(2025, 12, 26), HOLIDAYS) == date(2025, 12, 24)


def test_a_follow_up_due_the_monday_after_eid_al_adha_on_a_friday_is_reminded_on_the_thursday():
    assert reminder_day(date(2025, 6, 9), HOLIDAYS) == date(2025, 6, 5)


def test_a_follow_up_due_after_the_two_days_of_eid_al_fitr_is_reminded_on_the_friday_before_the_weekend():
    # Sat 2025-03-29 (Nyepi), Sun 03-30, Mon 03-31 and Tue 04-01 (Eid al-Fitr) are all days off.
    assert reminder_day(date(2025, 4, 2), HOLIDAYS) == date(2025, 3, 28)


def test_without_the_holiday_calendar_the_day_after_christmas_is_reminded_on_christmas():
    assert reminder_day(date(2025, 12, 26), NO_HOLIDAYS) == date(2025, 12, 25)


def test_the_previous_working_day_of_a_working_day_is_strictly_before_it():
    assert previous_working_day(date(2025, 8, 12), HOLIDAYS) == date(2025, 8, 11)


@pytest.mark.parametrize("weekend_day", [date(2025, 8, 9), date(2025, 8, 10)])
def test_the_previous_working_day_of_a_weekend_day_is_the_friday(weekend_day):
    assert previous_working_day(weekend_day, HOLIDAYS) == date(2025, 8, 8)


def test_the_previous_working_day_of_a_holiday_is_the_working_day_before_it():
    assert previous_working_day(date(2025, 12, 25), HOLIDAYS) == date(2025, 12, 24)


def test_the_previous_working_day_crosses_the_new_year_holiday_into_the_old_year():
    # Thu 2026-01-01 is New Year's Day, so from Fri 2026-01-02 the previous working day is Wed 2025-12-31.
    assert previous_working_day(date(2026, 1, 2), HOLIDAYS) == date(2025, 12, 31)


def test_every_reminder_in_2025_is_a_working_day_strictly_before_its_due_date():
    for offset in range(365):
        due = date.fromordinal(date(2025, 1, 1).toordinal() + offset)
        reminded = reminder_day(due, HOLIDAYS)
        assert reminded < due and reminded.weekday() < 5 and reminded not in HOLIDAYS, (due, reminded)


# --- check_visit_notice --------------------------------------------------------------------------------------------

TODAY = date(2025, 8, 1)


def test_a_field_visit_three_days_ahead_has_enough_notice():
    assert check_visit_notice(KUNJUNGAN_LAPANGAN, date(2025, 8, 4), TODAY, DEFAULTS) is None


def test_a_field_visit_two_days_ahead_has_too_little_notice():
    with pytest.raises(NoticeTooShort):
        check_visit_notice(KUNJUNGAN_LAPANGAN, date(2025, 8, 3), TODAY, DEFAULTS)


def test_too_little_notice_names_the_earliest_possible_visit_date():
    with pytest.raises(NoticeTooShort, match="the earliest date is 2025-08-04, not 2025-08-03"):
        check_visit_notice(KUNJUNGAN_LAPANGAN, date(2025, 8, 3), TODAY, DEFAULTS)


def test_too_little_notice_says_how_many_days_of_notice_are_needed():
    with pytest.raises(NoticeTooShort, match="3 days' written notice"):
        check_visit_notice(KUNJUNGAN_LAPANGAN, date(2025, 8, 3), TODAY, DEFAULTS)


def test_a_field_visit_today_has_too_little_notice():
    with pytest.raises(NoticeTooShort):
        check_visit_notice(KUNJUNGAN_LAPANGAN, TODAY, TODAY, DEFAULTS)


def test_too_little_notice_is_a_value_error():
    assert issubclass(NoticeTooShort, ValueError)


def test_a_longer_configured_notice_rejects_a_visit_three_days_ahead():
    with pytest.raises(NoticeTooShort, match="the earliest date is 2025-08-06"):
        check_visit_notice(KUNJUNGAN_LAPANGAN, date(2025, 8, 4), TODAY, RuleSettings(field_visit_min_notice_days=5))


@pytest.mark.parametrize("kind", [TEGURAN_1, TEGURAN_2, TEGURAN_3, SURAT_RENCANA_PEMBUBARAN])
def test_other_follow_ups_need_no_notice_even_today(kind):
    assert check_visit_notice(kind, TODAY, TODAY, DEFAULTS) is None
