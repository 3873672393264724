"""The demo province: the reported figures of Sulawesi Tenggara, clearly fake, the same for the same seed."""
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from config.settings import RuleSettings
from demo.province import COOPERATIVES, LATE, REPORTED, build_demo_province
from models.rules.anomalies import find_anomalies
from models.rules.deadlines import rat_deadline, report_deadline
from services.teams import validate_team
from streams.validation import validate_cooperative, validate_filing

DAY = date(2025, 8, 15)


@pytest.fixture(scope="module")
def province():
    return build_demo_province(74, DAY, RuleSettings())


def test_the_same_seed_makes_the_same_province_and_another_seed_another(province):
    assert build_demo_province(74, DAY, RuleSettings()) == province
    other = build_demo_province(75, DAY, RuleSettings())
    assert {c["nik"] for c in other.cooperatives} != {c["nik"] for c in province.cooperatives}


def test_2300_active_cooperatives_in_the_17_regencies_of_which_420_reported(province):
    assert len(province.cooperatives) == len({c["nik"] for c in province.cooperatives}) == COOPERATIVES == 2300
    assert {c["status"] for c in province.cooperatives} == {"aktif"}
    assert len({c["regency_code"] for c in province.cooperatives}) == 17
    assert len(province.filings) == len({f["nik"] for f in province.filings}) == REPORTED == 420
    assert {f["fiscal_year"] for f in province.filings} == {2024}  # the last fiscal year overdue on 15 August 2025


def test_every_kind_appears_mostly_primary_cooperatives_of_one_regency(province):
    kinds = Counter(c["kind"] for c in province.cooperatives)
    areas = Counter(c["membership_area"] for c in province.cooperatives)
    assert set(kinds) == {"KSP", "KSPPS", "produsen", "konsumen", "pemasaran", "jasa"}
    assert areas["kabupaten"] > 0.9 * COOPERATIVES and 0 < areas["provinsi"] < 0.1 * COOPERATIVES
    assert Counter(c["level"] for c in province.cooperatives)["primer"] > 0.9 * COOPERATIVES


def test_a_few_filings_are_late_and_a_few_show_anomalies(province):
    rules = RuleSettings()
    late = [f for f in province.filings
            if date.fromisoformat(f["rat_date"]) > rat_deadline(2024, "12-31", "primer", rules)]
    on_time_reports = all(f["submitted_at"][:10] <= report_deadline(2024, "12-31", "primer", rules).isoformat()
                          for f in province.filings)
    anomalous = [f for f in province.filings if find_anomalies(
        f["members"], Decimal(f["assets"]), Decimal(f["liabilities"]), Decimal(f["equity"]), None, rules)]
    assert len(late) == LATE and on_time_reports
    assert 5 <= len(anomalous) <= 12


def test_names_niks_and_emails_are_clearly_made_up(province):
    assert all(c["nik"][4:8] == "9999" and c["name"].endswith("(Contoh)") for c in province.cooperatives)
    emails = [c["email"] for c in province.cooperatives if c["email"]]
    emails += [e for t in province.teams for e in t["supervisor_emails"].split("; ")]
    assert all(e.endswith(".example") for e in emails)


def test_everything_passes_the_validation_the_importers_use(province):
    for row in province.cooperatives:
        validate_cooperative(row)
    for row in province.filings:
        validate_filing(row)
    teams = [validate_team(row) for row in province.teams]
    assert Counter(t["level"] for t in teams) == {"kabupaten": 17, "provinsi": 1, "nasional": 1}
