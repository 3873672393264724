"""ISO weeks of the weekly escalation digest: "2025-W32" and its Monday."""
from datetime import date, timedelta

import pytest

from services.digest import UnknownWeek, iso_week, week_start


def test_week_32_of_2025_starts_on_monday_4_august():
    assert week_start("2025-W32") == date(2025, 8, 4)


def test_a_week_always_starts_on_a_monday():
    assert all(week_start(f"2025-W{number:02d}").weekday() == 0 for number in range(1, 53))


def test_week_1_of_2025_starts_in_december_2024():
    assert week_start("2025-W01") == date(2024, 12, 30)


def test_a_year_with_53_weeks_has_a_week_53():
    assert week_start("2020-W53") == date(2020, 12, 28)


def test_2026_has_a_week_53():
    assert week_start("2026-W53") == date(2026, 12, 28)


@pytest.mark.parametrize("week", ["2025-32", "2025-W60", "2025-W53", "2025-W00", "2025W32", "2025-w32", "W32",
                                  "", "2025-W", "-W32", "2025-W32-W1", "2025-W32-1", "tahun-Wxx"])
def test_a_week_not_written_as_an_iso_week_is_unknown(week):
    with pytest.raises(UnknownWeek):
        week_start(week)


def test_an_unknown_week_says_how_a_week_is_written():
    with pytest.raises(UnknownWeek, match=r"a week is written like 2025-W32, not '2025-32'"):
        week_start("2025-32")


def test_an_out_of_range_week_number_names_the_week_given():
    with pytest.raises(UnknownWeek, match="not '2025-W60'"):
        week_start("2025-W60")


def test_an_unknown_week_is_a_value_error():
    assert issubclass(UnknownWeek, ValueError)


def test_a_week_number_without_its_leading_zero_is_unknown():
    with pytest.raises(UnknownWeek):
        week_start("2025-W3")


def test_a_week_number_with_an_underscore_is_unknown():
    with pytest.raises(UnknownWeek):
        week_start("2025-W3_2")


def test_the_iso_week_of_a_monday_in_august_2025_is_w32():
    assert iso_week(date(2025, 8, 4)) == "2025-W32"


def test_the_sunday_ending_a_week_belongs_to_that_week():
    assert iso_week(date(2025, 8, 10)) == "2025-W32"


def test_the_monday_after_starts_the_next_week():
    assert iso_week(date(2025, 8, 11)) == "2025-W33"


def test_monday_30_december_2024_is_in_week_1_of_2025():
    assert iso_week(date(2024, 12, 30)) == "2025-W01"


def test_sunday_29_december_2024_is_in_the_last_week_of_2024():
    assert iso_week(date(2024, 12, 29)) == "2024-W52"


def test_3_january_2021_is_in_week_53_of_2020():
    assert iso_week(date(2021, 1, 3)) == "2020-W53"


def test_week_numbers_below_ten_are_written_with_two_digits():
    assert iso_week(date(2025, 1, 8)) == "2025-W02"


def test_every_day_of_2024_to_2026_lies_in_the_week_that_starts_on_its_week_start():
    day = date(2024, 1, 1)
    while day <= date(2026, 12, 31):
        monday = week_start(iso_week(day))
        assert monday <= day < monday + timedelta(days=7), day
        day += timedelta(days=1)
