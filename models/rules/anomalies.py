"""Warning signs in a RAT report's figures that deserve an inspection of their own."""
from __future__ import annotations

from decimal import Decimal

from config.settings import RuleSettings

NEGATIVE_EQUITY = "negative_equity"
LIABILITIES_EXCEED_ASSETS = "liabilities_exceed_assets"
MEMBERS_DROPPED = "members_dropped"
ZERO_MEMBERS = "zero_members"


def find_anomalies(
    members: int,
    assets: Decimal,
    liabilities: Decimal,
    equity: Decimal,
    previous_year_members: int | None,
    rules: RuleSettings,
) -> list[str]:
    anomalies = []
    if equity < 0:
        anomalies.append(NEGATIVE_EQUITY)
    if liabilities > assets:
        anomalies.append(LIABILITIES_EXCEED_ASSETS)
    if members == 0:
        anomalies.append(ZERO_MEMBERS)
    elif previous_year_members and members < previous_year_members * rules.member_drop_ratio:
        anomalies.append(MEMBERS_DROPPED)
    return anomalies
