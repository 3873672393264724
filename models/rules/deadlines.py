"""RAT and report deadlines for a fiscal year (Permenkop 19/2015; DOMAIN.md)."""
from __future__ import annotations

import calendar
from datetime import date

from config.settings import RuleSettings


def add_months(day: date, months: int) -> date:
    """Calendar month arithmetic; a month's last day stays the last day (31 Dec + 6 months = 30 Jun)."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    is_month_end = day.day == calendar.monthrange(day.year, day.month)[1]
    return date(year, month + 1, last if is_month_end else min(day.day, last))


def fiscal_year_end(fiscal_year: int, fiscal_year_end_mmdd: str = "12-31") -> date:
    """The last day of fiscal year Y: the fiscal year that ends in calendar year Y."""
    month, day = (int(part) for part in fiscal_year_end_mmdd.split("-"))
    if (month, day) == (2, 29) and not calendar.isleap(fiscal_year):
        day = 28
    return date(fiscal_year, month, day)


def rat_months_for(level: str, rules: RuleSettings) -> int:
    return rules.rat_months_by_level.get(level, rules.rat_months)


def rat_deadline(fiscal_year: int, fiscal_year_end_mmdd: str, level: str, rules: RuleSettings) -> date:
    """Last day on which the RAT for fiscal year Y may be held."""
    return add_months(fiscal_year_end(fiscal_year, fiscal_year_end_mmdd), rat_months_for(level, rules))


def report_deadline(fiscal_year: int, fiscal_year_end_mmdd: str, level: str, rules: RuleSettings) -> date:
    """Last day on which the RAT of fiscal year Y may be reported to the government."""
    return add_months(rat_deadline(fiscal_year, fiscal_year_end_mmdd, level, rules), rules.report_months)


def latest_overdue_fiscal_year(
    as_of: date, fiscal_year_end_mmdd: str, level: str, rules: RuleSettings
) -> int | None:
    """The most recent fiscal year whose report deadline has fully passed on `as_of`, if any."""
    for fiscal_year in range(as_of.year, as_of.year - 3, -1):
        if report_deadline(fiscal_year, fiscal_year_end_mmdd, level, rules) < as_of:
            return fiscal_year
    return None
