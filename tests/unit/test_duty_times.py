"""When the scheduler's duties are due, in each of Indonesia's three time zones."""
from datetime import date, datetime, time, timedelta, timezone

import pytest

from config.settings import SchedulerSettings
from models.regions import WIB, WIT, WITA, ZONES, provinces, provinces_in_zone
from scheduler.duties import clock, digest_week, duty_day

DAILY_AT = SchedulerSettings().daily_at
WEEKLY_DAY = SchedulerSettings().weekly_day
WEEKLY_AT = SchedulerSettings().weekly_at


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=timezone.utc)


def weekly(now: datetime, zone: str) -> str:
    return digest_week(now, zone, WEEKLY_DAY, WEEKLY_AT)


# --- clock -------------------------------------------------------------------------------------------------------

def test_a_clock_time_is_read_as_hours_and_minutes():
    assert clock("08:00") == time(8, 0)


def test_five_past_midnight_is_read_as_zero_hours_five_minutes():
    assert clock("00:05") == time(0, 5)


def test_a_single_digit_hour_is_read_too():
    assert clock("8:30") == time(8, 30)


def test_a_clock_time_without_minutes_is_refused():
    with pytest.raises(ValueError):
        clock("08")


# --- duty_day ----------------------------------------------------------------------------------------------------

def test_the_default_daily_duties_run_at_five_past_midnight():
    assert DAILY_AT == "00:05"


def test_at_four_past_midnight_local_the_daily_duties_due_are_yesterdays():
    assert duty_day(datetime(2025, 8, 2, 0, 4, tzinfo=WIB), "WIB", DAILY_AT) == date(2025, 8, 1)


def test_at_five_past_midnight_local_the_daily_duties_due_are_todays():
    assert duty_day(datetime(2025, 8, 2, 0, 5, tzinfo=WIB), "WIB", DAILY_AT) == date(2025, 8, 2)


def test_one_second_before_five_past_midnight_the_daily_duties_due_are_still_yesterdays():
    assert duty_day(datetime(2025, 8, 2, 0, 4, 59, 999999, tzinfo=WIB), "WIB", DAILY_AT) == date(2025, 8, 1)


def test_late_in_the_evening_the_daily_duties_due_are_todays():
    assert duty_day(datetime(2025, 8, 1, 23, 59, tzinfo=WIB), "WIB", DAILY_AT) == date(2025, 8, 1)


def test_the_same_utc_instant_is_still_friday_in_wib_but_saturday_in_wit():
    # 2025-08-01T15:30Z is 22:30 WIB on Friday the 1st and 00:30 WIT on Saturday the 2nd.
    now = utc(2025, 8, 1, 15, 30)
    assert (duty_day(now, "WIB", DAILY_AT), duty_day(now, "WIT", DAILY_AT)) == (date(2025, 8, 1), date(2025, 8, 2))


def test_the_same_utc_instant_is_still_friday_in_wita():
    # 2025-08-01T15:30Z is 23:30 WITA.
    assert duty_day(utc(2025, 8, 1, 15, 30), "WITA", DAILY_AT) == date(2025, 8, 1)


@pytest.mark.parametrize(("zone", "hours"), [("WIB", 7), ("WITA", 8), ("WIT", 9)])
def test_each_zone_starts_its_day_at_five_past_midnight_of_its_own_offset(zone, hours):
    start = utc(2025, 8, 2, 0, 5) - timedelta(hours=hours)
    assert (duty_day(start - timedelta(minutes=1), zone, DAILY_AT), duty_day(start, zone, DAILY_AT)) == (
        date(2025, 8, 1), date(2025, 8, 2)
    )


def test_the_duty_day_does_not_depend_on_the_offset_the_instant_is_written_in():
    in_wib = datetime(2025, 8, 1, 22, 30, tzinfo=WIB)
    in_utc = in_wib.astimezone(timezone.utc)
    assert duty_day(in_wib, "WIT", DAILY_AT) == duty_day(in_utc, "WIT", DAILY_AT) == date(2025, 8, 2)


def test_a_later_configured_daily_time_keeps_yesterday_due_longer():
    assert duty_day(datetime(2025, 8, 2, 5, 59, tzinfo=WITA), "WITA", "06:00") == date(2025, 8, 1)


def test_the_duty_day_rolls_over_into_the_new_year():
    assert (duty_day(datetime(2026, 1, 1, 0, 4, tzinfo=WIT), "WIT", DAILY_AT),
            duty_day(datetime(2026, 1, 1, 0, 5, tzinfo=WIT), "WIT", DAILY_AT)) == (date(2025, 12, 31), date(2026, 1, 1))


def test_an_unknown_zone_name_is_refused():
    with pytest.raises(KeyError):
        duty_day(utc(2025, 8, 1, 12, 0), "UTC", DAILY_AT)


# --- digest_week -------------------------------------------------------------------------------------------------

def test_the_default_weekly_run_is_on_monday_at_eight():
    assert (WEEKLY_DAY, WEEKLY_AT) == ("mon", "08:00")


def test_at_monday_eight_wib_the_digest_due_is_for_the_previous_week():
    # Mon 2025-08-11 is in 2025-W33; the full week before it, 2025-08-04..10, is 2025-W32.
    assert weekly(datetime(2025, 8, 11, 8, 0, tzinfo=WIB), "WIB") == "2025-W32"


def test_at_monday_seven_fifty_nine_wib_the_digest_due_is_still_the_one_before():
    assert weekly(datetime(2025, 8, 11, 7, 59, tzinfo=WIB), "WIB") == "2025-W31"


def test_on_wednesday_the_digest_due_is_the_one_run_on_monday():
    assert weekly(datetime(2025, 8, 13, 12, 0, tzinfo=WIB), "WIB") == "2025-W32"


def test_on_sunday_evening_the_digest_due_is_still_the_one_run_six_days_before():
    # Sun 2025-08-17 23:59: the latest run was Mon 2025-08-11 08:00, for 2025-W32; the next is on the 18th.
    assert weekly(datetime(2025, 8, 17, 23, 59, tzinfo=WIB), "WIB") == "2025-W32"


def test_in_wit_the_monday_run_starts_an_hour_before_wita_and_two_before_wib():
    # 2025-08-10T23:00Z is Monday 08:00 WIT, 07:00 WITA and 06:00 WIB.
    now = utc(2025, 8, 10, 23, 0)
    assert (weekly(now, "WIT"), weekly(now, "WITA"), weekly(now, "WIB")) == ("2025-W32", "2025-W31", "2025-W31")


def test_in_wit_the_digest_is_not_due_one_minute_before_monday_eight_local():
    assert weekly(utc(2025, 8, 10, 22, 59), "WIT") == "2025-W31"


def test_in_wita_the_monday_run_is_at_midnight_utc():
    # 2025-08-11T00:00Z is Monday 08:00 WITA.
    assert (weekly(utc(2025, 8, 10, 23, 59), "WITA"), weekly(utc(2025, 8, 11, 0, 0), "WITA")) == (
        "2025-W31", "2025-W32"
    )


def test_the_first_digest_of_2025_is_for_the_week_that_starts_on_monday_30_december_2024():
    assert weekly(datetime(2025, 1, 6, 8, 0, tzinfo=WIB), "WIB") == "2025-W01"


def test_the_digest_run_on_monday_30_december_2024_is_for_2024_w52():
    assert weekly(datetime(2024, 12, 30, 8, 0, tzinfo=WIB), "WIB") == "2024-W52"


def test_the_digest_run_in_the_first_days_of_2021_is_for_2020_w53():
    assert weekly(datetime(2021, 1, 4, 8, 0, tzinfo=WIB), "WIB") == "2020-W53"


def test_a_weekly_run_on_another_weekday_gives_the_full_week_before_that_day():
    # Wed 2025-08-13 09:00: the latest Wednesday run is today's, for the full week before, 2025-W32.
    assert digest_week(datetime(2025, 8, 13, 9, 0, tzinfo=WIB), "WIB", "wed", "09:00") == "2025-W32"


def test_a_weekly_run_on_another_weekday_before_its_time_gives_the_week_before_the_last_run():
    assert digest_week(datetime(2025, 8, 13, 8, 59, tzinfo=WIB), "WIB", "wed", "09:00") == "2025-W31"


def test_every_hour_of_two_weeks_gives_the_previous_week_of_the_latest_monday_eight():
    start = datetime(2025, 8, 4, 0, 0, tzinfo=WIT)
    for hour in range(14 * 24):
        now = start + timedelta(hours=hour)
        latest_run = now.date() - timedelta(days=now.weekday())
        if now.hour < 8 and now.weekday() == 0:
            latest_run -= timedelta(days=7)
        year, week, _ = (latest_run - timedelta(days=7)).isocalendar()
        assert weekly(now.astimezone(timezone.utc), "WIT") == f"{year}-W{week:02d}", now


# --- ZONES and provinces_in_zone ---------------------------------------------------------------------------------

def test_the_zones_are_wib_wita_and_wit():
    assert ZONES == {"WIB": WIB, "WITA": WITA, "WIT": WIT}


def test_the_three_zones_together_hold_all_38_provinces():
    assert sorted(provinces_in_zone("WIB") + provinces_in_zone("WITA") + provinces_in_zone("WIT")) == sorted(provinces())


def test_no_province_is_in_two_zones():
    zones = [set(provinces_in_zone(name)) for name in ZONES]
    assert sum(len(z) for z in zones) == len(set().union(*zones)) == 38


@pytest.mark.parametrize(("code", "zone"), [("31", "WIB"), ("74", "WITA"), ("91", "WIT")])
def test_a_province_is_listed_in_its_own_zone(code, zone):
    assert code in provinces_in_zone(zone)


@pytest.mark.parametrize(("code", "zone"), [("31", "WIB"), ("74", "WITA"), ("91", "WIT")])
def test_a_province_is_not_listed_in_the_other_zones(code, zone):
    assert all(code not in provinces_in_zone(other) for other in ZONES if other != zone)


def test_every_province_listed_in_a_zone_uses_that_zones_clock():
    assert all(provinces()[code].timezone == ZONES[name] for name in ZONES for code in provinces_in_zone(name))


def test_the_provinces_of_a_zone_are_listed_in_code_order():
    assert all(provinces_in_zone(name) == sorted(provinces_in_zone(name)) for name in ZONES)


def test_maluku_and_all_six_papua_provinces_are_the_wit_zone():
    assert provinces_in_zone("WIT") == ["81", "82", "91", "92", "93", "94", "95", "96"]


def test_an_unknown_zone_has_no_provinces():
    assert provinces_in_zone("UTC") == []
