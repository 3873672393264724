"""Working days: Saturdays, Sundays and Indonesia's national public holidays are not."""
from __future__ import annotations

from collections.abc import Container
from datetime import date, timedelta
from functools import cache

import holidays


@cache
def national_holidays() -> Container[date]:
    """Indonesia's national public holidays (python-holidays), for any year asked."""
    return holidays.country_holidays("ID")


def is_working_day(day: date, holiday_dates: Container[date]) -> bool:
    return day.weekday() < 5 and day not in holiday_dates


def next_working_day(day: date, holiday_dates: Container[date]) -> date:
    """`day` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day, holiday_dates):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date, holiday_dates: Container[date]) -> date:
    """The last working day strictly before `day`."""
    day -= timedelta(days=1)
    while not is_working_day(day, holiday_dates):
        day -= timedelta(days=1)
    return day
