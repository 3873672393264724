"""RAT and report deadlines: month arithmetic, fiscal year ends, overrides and overdue years."""
from datetime import date

import pytest

from config.settings import RuleSettings
from models.rules.deadlines import (
    add_months,
    fiscal_year_end,
    latest_overdue_fiscal_year,
    rat_deadline,
    report_deadline,
)

DEFAULTS = RuleSettings()
PRIMER_THREE_MONTHS = RuleSettings(rat_months_by_level={"primer": 3})


def test_six_months_after_the_last_of_december_is_the_last_of_june():
    assert add_months(date(2024, 12, 31), 6) == date(2025, 6, 30)


def test_one_month_after_the_last_of_june_is_the_last_of_july_not_the_thirtieth():
    assert add_months(date(2025, 6, 30), 1) == date(2025, 7, 31)


def test_one_month_after_the_last_of_january_is_the_last_of_february_in_a_common_year():
    assert add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)


def test_one_month_after_the_last_of_january_is_the_twenty_ninth_of_february_in_a_leap_year():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)


def test_a_year_after_a_leap_day_is_the_last_of_february():
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


def test_a_year_after_the_last_of_february_before_a_leap_year_is_the_leap_day():
    assert add_months(date(2023, 2, 28), 12) == date(2024, 2, 29)


def test_a_day_in_the_middle_of_a_month_keeps_its_number():
    assert add_months(date(2025, 1, 15), 1) == date(2025, 2, 15)


def test_a_day_that_does_not_exist_in_the_target_month_becomes_that_months_last_day():
    assert add_months(date(2025, 1, 30), 1) == date(2025, 2, 28)


def test_adding_months_crosses_into_the_next_year():
    assert add_months(date(2025, 11, 30), 3) == date(2026, 2, 28)


def test_subtracting_a_month_from_a_month_end_gives_the_previous_month_end():
    assert add_months(date(2025, 3, 31), -1) == date(2025, 2, 28)


def test_adding_zero_months_changes_nothing():
    assert add_months(date(2025, 5, 17), 0) == date(2025, 5, 17)


def test_the_default_fiscal_year_ends_on_the_last_of_december():
    assert fiscal_year_end(2024) == date(2024, 12, 31)


def test_a_june_fiscal_year_end_falls_in_the_fiscal_years_own_calendar_year():
    assert fiscal_year_end(2025, "06-30") == date(2025, 6, 30)


def test_a_leap_day_fiscal_year_end_is_kept_in_a_leap_year():
    assert fiscal_year_end(2024, "02-29") == date(2024, 2, 29)


def test_a_leap_day_fiscal_year_end_becomes_the_twenty_eighth_in_a_common_year():
    assert fiscal_year_end(2023, "02-29") == date(2023, 2, 28)


def test_by_default_the_rat_for_2024_must_be_held_by_the_end_of_june_2025():
    assert rat_deadline(2024, "12-31", "primer", DEFAULTS) == date(2025, 6, 30)


def test_by_default_the_rat_for_2024_must_be_reported_by_the_end_of_july_2025():
    assert report_deadline(2024, "12-31", "primer", DEFAULTS) == date(2025, 7, 31)


def test_a_stricter_practice_for_primary_cooperatives_moves_their_rat_deadline_to_march():
    assert rat_deadline(2024, "12-31", "primer", PRIMER_THREE_MONTHS) == date(2025, 3, 31)


def test_a_stricter_practice_for_primary_cooperatives_moves_their_report_deadline_to_april():
    assert report_deadline(2024, "12-31", "primer", PRIMER_THREE_MONTHS) == date(2025, 4, 30)


def test_a_level_without_an_override_keeps_the_general_rat_deadline():
    assert rat_deadline(2024, "12-31", "sekunder", PRIMER_THREE_MONTHS) == date(2025, 6, 30)


def test_a_longer_report_period_moves_the_report_deadline():
    assert report_deadline(2024, "12-31", "primer", RuleSettings(report_months=2)) == date(2025, 8, 31)


def test_a_june_fiscal_year_must_hold_its_rat_by_the_end_of_december():
    assert rat_deadline(2025, "06-30", "primer", DEFAULTS) == date(2025, 12, 31)


def test_a_leap_day_fiscal_year_end_in_a_common_year_gives_a_month_end_rat_deadline():
    assert rat_deadline(2023, "02-29", "primer", DEFAULTS) == date(2023, 8, 31)


def test_on_the_report_deadline_day_the_fiscal_year_is_not_yet_overdue():
    assert latest_overdue_fiscal_year(date(2025, 7, 31), "12-31", "primer", DEFAULTS) == 2023


def test_the_day_after_the_report_deadline_the_fiscal_year_is_overdue():
    assert latest_overdue_fiscal_year(date(2025, 8, 1), "12-31", "primer", DEFAULTS) == 2024


def test_a_june_fiscal_year_is_not_overdue_on_its_report_deadline():
    assert latest_overdue_fiscal_year(date(2026, 1, 31), "06-30", "primer", DEFAULTS) == 2024


def test_a_june_fiscal_year_is_overdue_the_day_after_its_report_deadline():
    assert latest_overdue_fiscal_year(date(2026, 2, 1), "06-30", "primer", DEFAULTS) == 2025


@pytest.mark.parametrize(("level", "expected"), [("primer", 2024), ("sekunder", 2023)])
def test_the_stricter_primary_practice_makes_a_year_overdue_sooner(level, expected):
    assert latest_overdue_fiscal_year(date(2025, 5, 1), "12-31", level, PRIMER_THREE_MONTHS) == expected
