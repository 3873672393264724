"""Warning signs in a RAT report's figures."""
from decimal import Decimal

from config.settings import RuleSettings
from models.rules.anomalies import (
    LIABILITIES_EXCEED_ASSETS,
    MEMBERS_DROPPED,
    NEGATIVE_EQUITY,
    ZERO_MEMBERS,
    find_anomalies,
)

DEFAULTS = RuleSettings()


def anomalies(members=100, assets="500000000.00", liabilities="200000000.00", equity="300000000.00",
              previous_year_members=100, rules=DEFAULTS):
    return find_anomalies(members, Decimal(assets), Decimal(liabilities), Decimal(equity), previous_year_members, rules)


def test_a_healthy_report_has_no_anomalies():
    assert anomalies() == []


def test_negative_equity_is_an_anomaly():
    assert anomalies(equity="-0.01") == [NEGATIVE_EQUITY]


def test_zero_equity_is_not_an_anomaly():
    assert anomalies(equity="0.00") == []


def test_liabilities_above_assets_are_an_anomaly():
    assert anomalies(assets="100.00", liabilities="100.01") == [LIABILITIES_EXCEED_ASSETS]


def test_liabilities_equal_to_assets_are_not_an_anomaly():
    assert anomalies(assets="100.00", liabilities="100.00") == []


def test_a_cooperative_without_members_is_an_anomaly():
    assert anomalies(members=0, previous_year_members=None) == [ZERO_MEMBERS]


def test_falling_to_zero_members_is_reported_as_zero_members_only():
    assert anomalies(members=0, previous_year_members=100) == [ZERO_MEMBERS]


def test_losing_more_than_half_of_last_years_members_is_an_anomaly():
    assert anomalies(members=49, previous_year_members=100) == [MEMBERS_DROPPED]


def test_losing_exactly_half_of_last_years_members_is_not_an_anomaly():
    assert anomalies(members=50, previous_year_members=100) == []


def test_a_first_report_without_a_previous_year_cannot_show_a_member_drop():
    assert anomalies(members=1, previous_year_members=None) == []


def test_a_previous_year_with_zero_members_cannot_show_a_member_drop():
    assert anomalies(members=1, previous_year_members=0) == []


def test_a_stricter_member_drop_ratio_flags_a_smaller_drop():
    assert anomalies(members=79, previous_year_members=100, rules=RuleSettings(member_drop_ratio=0.8)) == [MEMBERS_DROPPED]


def test_every_anomaly_of_a_report_is_listed_together():
    found = anomalies(members=10, assets="100.00", liabilities="150.00", equity="-50.00", previous_year_members=100)
    assert found == [NEGATIVE_EQUITY, LIABILITIES_EXCEED_ASSETS, MEMBERS_DROPPED]


def test_negative_equity_and_no_members_are_listed_together():
    assert anomalies(members=0, equity="-1.00") == [NEGATIVE_EQUITY, ZERO_MEMBERS]
