"""The weekly escalation data of a seeded province against what was seeded."""
from __future__ import annotations

import pytest

from services.digest import weekly_digest
from tests.factories import cooperative, filing, missed

# Gorontalo (WITA): Kabupaten Boalemo 7501 and Kabupaten Gorontalo 7502; nobody else seeds it.
BOALEMO, GORONTALO = "7501", "7502"


@pytest.fixture(scope="module")
async def seeded(sessions, settings_module):
    from services.handlers import handle_cooperatives, handle_filings, handle_missed
    from tests.factories import incoming
    from tests.integration.conftest import NOW

    boalemo = [cooperative(nik=f"{BOALEMO}{i:012d}") for i in range(10)]
    gorontalo = [cooperative(nik=f"{GORONTALO}{i:012d}") for i in range(6)]
    dissolved = cooperative(nik=f"{GORONTALO}999999999999", status="dibubarkan")
    await handle_cooperatives(sessions, [incoming("cooperatives", c) for c in boalemo + gorontalo + [dissolved]],
                              settings_module, NOW)
    on_time = [filing(c["nik"], 2024) for c in boalemo[:5] + gorontalo[:3]]
    # Reported late, on Wednesday of week 2025-W32.
    late = [filing(boalemo[5]["nik"], 2024, rat_date="2025-06-28", submitted_at="2025-08-06T10:00:00+08:00")]
    await handle_filings(sessions, [incoming("rat-filings", f) for f in on_time + late], settings_module, NOW)
    not_filed = boalemo[6:] + gorontalo[3:]
    await handle_missed(
        sessions,
        [incoming("rat-missed", missed(c["nik"], 2024, detected_at="2025-08-05T00:05:00+08:00")) for c in not_filed],
        settings_module, NOW,
    )
    return {"not_filed": len(not_filed)}


@pytest.fixture(scope="module")
def settings_module():
    from config import Settings

    return Settings()


def test_the_weekly_digest_counts_what_happened_in_the_province_that_week(sync_sessions, seeded, settings_module):
    with sync_sessions() as session:
        digest = weekly_digest(session, "75", "2025-W32", settings_module.rules)
    assert (digest["province_name"], digest["timezone"], digest["fiscal_year"]) == ("Gorontalo", "WITA", 2024)
    # The missed-RAT cases opened on Tuesday; the late filing opened a rat_late case on Wednesday.
    assert digest["new_cases"] == seeded["not_filed"] + 1
    assert digest["previous_week"]["new_cases"] == 0
    assert (digest["overdue_followups"], digest["cases_past_sla"], digest["escalations"]) == (0, 0, 0)

    by_code = {r["regency_code"]: r for r in digest["regencies"]}
    assert (by_code[BOALEMO]["reported"], by_code[BOALEMO]["cooperatives"]) == (6, 10)
    assert (by_code[BOALEMO]["compliance_rate"], by_code[BOALEMO]["previous_rate"], by_code[BOALEMO]["change"]) == (
        60.0, 50.0, 10.0)
    assert (by_code[GORONTALO]["compliance_rate"], by_code[GORONTALO]["change"]) == (50.0, 0.0)
    assert [r["regency_code"] for r in digest["regencies"][:2]] == [BOALEMO, GORONTALO]
    assert (by_code[BOALEMO]["rank"], by_code[GORONTALO]["rank"]) == (1, 2)
    assert digest["compliance_rate"] == round(100 * 9 / 16, 2)
    assert "rank" not in by_code["7571"]  # Kota Gorontalo has no cooperatives here


def test_a_later_week_counts_overdue_follow_ups_cases_past_sla_and_escalations(sync_sessions, seeded, settings_module):
    from datetime import date, datetime

    from models.regions import WITA
    from models.rules.workdays import national_holidays
    from services.followups import Transitions, climb_ladder

    with sync_sessions.begin() as session:
        changes = Transitions(datetime(2025, 11, 19, 0, 5, tzinfo=WITA), "system:scheduler")
        climb_ladder(session, ["75"], date(2025, 11, 19), changes, settings_module.rules, national_holidays())
        changes.write(session)
        digest = weekly_digest(session, "75", "2025-W47", settings_module.rules)
    open_cases = seeded["not_filed"] + 1  # and the late filer's case
    assert digest["overdue_followups"] == open_cases * 4  # every step of every plan is due before 24 November
    assert digest["cases_past_sla"] == open_cases
    assert digest["escalations"] == open_cases  # the ladder run of 19 November escalated them to the province
