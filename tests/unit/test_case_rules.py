"""Which case a missed, late or anomalous RAT opens, its priority and escalation."""
from datetime import date

import pytest

from config.settings import RuleSettings
from models.rules.cases import (
    FILING_ANOMALY,
    NATIONAL,
    RAT_LATE,
    RAT_MISSED,
    RAT_MISSED_REPEAT,
    CaseOpening,
    anomaly_case,
    filing_timeliness,
    late_rat_case,
    missed_rat_case,
)

DEFAULTS = RuleSettings()
SAVINGS_AND_LOAN = ["KSP", "KSPPS"]
OTHER_KINDS = ["produsen", "konsumen", "pemasaran", "jasa"]


@pytest.mark.parametrize("kind", OTHER_KINDS)
def test_a_first_missed_rat_opens_a_normal_case(kind):
    assert missed_rat_case(previous_year_missed=False, kind=kind) == CaseOpening(RAT_MISSED, "normal")


@pytest.mark.parametrize("kind", SAVINGS_AND_LOAN)
def test_a_first_missed_rat_of_a_savings_and_loan_cooperative_is_high_priority(kind):
    assert missed_rat_case(previous_year_missed=False, kind=kind) == CaseOpening(RAT_MISSED, "high")


@pytest.mark.parametrize("kind", SAVINGS_AND_LOAN + OTHER_KINDS)
def test_a_repeated_missed_rat_is_always_critical(kind):
    assert missed_rat_case(previous_year_missed=True, kind=kind) == CaseOpening(RAT_MISSED_REPEAT, "critical")


def test_a_missed_rat_is_not_escalated_to_the_national_deputy():
    assert missed_rat_case(previous_year_missed=True, kind="KSP").escalation is None


@pytest.mark.parametrize("kind", OTHER_KINDS)
def test_a_first_late_rat_is_low_priority(kind):
    assert late_rat_case(previous_year_late=False, kind=kind) == CaseOpening(RAT_LATE, "low")


@pytest.mark.parametrize("kind", SAVINGS_AND_LOAN)
def test_a_first_late_rat_of_a_savings_and_loan_cooperative_is_normal_priority(kind):
    assert late_rat_case(previous_year_late=False, kind=kind) == CaseOpening(RAT_LATE, "normal")


@pytest.mark.parametrize("kind", OTHER_KINDS)
def test_a_rat_late_twice_in_a_row_is_high_and_copied_to_the_national_deputy(kind):
    assert late_rat_case(previous_year_late=True, kind=kind) == CaseOpening(RAT_LATE, "high", escalation=NATIONAL)


@pytest.mark.parametrize("kind", SAVINGS_AND_LOAN)
def test_a_savings_and_loan_rat_late_twice_in_a_row_is_critical_and_escalated(kind):
    assert late_rat_case(previous_year_late=True, kind=kind) == CaseOpening(RAT_LATE, "critical", escalation="nasional")


@pytest.mark.parametrize("kind", OTHER_KINDS)
def test_an_anomalous_filing_opens_a_high_priority_case(kind):
    assert anomaly_case(kind) == CaseOpening(FILING_ANOMALY, "high")


@pytest.mark.parametrize("kind", SAVINGS_AND_LOAN)
def test_an_anomalous_savings_and_loan_filing_opens_a_critical_case(kind):
    assert anomaly_case(kind) == CaseOpening(FILING_ANOMALY, "critical")


def test_a_rat_held_and_reported_on_the_deadline_days_is_on_time():
    timeliness = filing_timeliness(date(2025, 6, 30), date(2025, 7, 31), 2024, "12-31", "primer", DEFAULTS)
    assert (timeliness.rat_held_late, timeliness.reported_late, timeliness.late) == (False, False, False)


def test_a_rat_held_the_day_after_the_rat_deadline_is_late():
    timeliness = filing_timeliness(date(2025, 7, 1), date(2025, 7, 2), 2024, "12-31", "primer", DEFAULTS)
    assert (timeliness.rat_held_late, timeliness.reported_late, timeliness.late) == (True, False, True)


def test_a_rat_held_in_time_but_reported_after_the_report_deadline_is_late():
    timeliness = filing_timeliness(date(2025, 3, 15), date(2025, 8, 1), 2024, "12-31", "primer", DEFAULTS)
    assert (timeliness.rat_held_late, timeliness.reported_late, timeliness.late) == (False, True, True)


def test_a_rat_held_and_reported_late_is_late_on_both_counts():
    timeliness = filing_timeliness(date(2025, 7, 10), date(2025, 8, 20), 2024, "12-31", "primer", DEFAULTS)
    assert (timeliness.rat_held_late, timeliness.reported_late) == (True, True)


def test_a_rat_in_april_is_late_where_primary_cooperatives_must_meet_by_march():
    rules = RuleSettings(rat_months_by_level={"primer": 3})
    timeliness = filing_timeliness(date(2025, 4, 1), date(2025, 4, 2), 2024, "12-31", "primer", rules)
    assert timeliness.rat_held_late


def test_a_rat_in_april_is_on_time_for_a_secondary_cooperative_under_the_primary_override():
    rules = RuleSettings(rat_months_by_level={"primer": 3})
    timeliness = filing_timeliness(date(2025, 4, 1), date(2025, 4, 2), 2024, "12-31", "sekunder", rules)
    assert not timeliness.late


def test_a_june_fiscal_year_is_judged_against_its_own_deadlines():
    timeliness = filing_timeliness(date(2026, 1, 5), date(2026, 1, 20), 2025, "06-30", "primer", DEFAULTS)
    assert (timeliness.rat_held_late, timeliness.reported_late) == (True, False)
