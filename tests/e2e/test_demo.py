"""`satgas demo` on a fresh database with a real broker and worker: its summary is what the database holds."""
from __future__ import annotations

import email
import email.policy
import json
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models.cases import InspectionCase
from models.filings import RatFiling
from models.registry import Cooperative, Team
from notifications.compose import weekly_recipients
from tests.e2e.test_pipeline import write_registry
from tests.factories import cooperative

AS_OF = "2025-08-15"


@pytest.fixture(scope="module")
def demo(system):
    system.start_worker()
    result = system.satgas("demo", "--as-of", AS_OF, "--json", timeout=900)
    return json.loads(result.stdout)


def outbox_messages(system, kind: str) -> list[email.message.EmailMessage]:
    folder = Path(system.settings.data_dir) / "outbox"
    return [email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for path in sorted(folder.glob(f"*-{kind}.eml"))]


def test_the_demo_opens_1880_missed_rat_cases_and_its_summary_matches_the_database(system, demo):
    with system.sessions() as session:
        by_rule = session.execute(select(InspectionCase.rule, InspectionCase.priority, func.count())
                                  .group_by(InspectionCase.rule, InspectionCase.priority)).tuples().all()
        cooperatives = session.scalar(select(func.count()).select_from(Cooperative))
        reported = session.scalar(select(func.count(func.distinct(RatFiling.nik))))
    assert demo["cases"]["missed_rat"] == 1880
    assert sum(n for rule, _, n in by_rule if rule in ("rat_missed", "rat_missed_repeat")) == 1880
    assert {(rule, priority): n for rule, priority, n in by_rule} == {
        (rule, priority): n for rule, counts in demo["cases"]["by_rule"].items()
        for priority, n in counts.items() if priority != "total" and n}
    assert {"rat_late", "filing_anomaly"} <= set(demo["cases"]["by_rule"])
    assert (demo["compliance"]["cooperatives"], demo["compliance"]["reported"]) == (cooperatives, reported) == (
        2300, 420)
    assert demo["fiscal_year"] == 2024


def test_compliance_is_ranked_per_regency_as_the_database_counts_it(system, demo):
    with system.sessions() as session:
        totals = dict(session.execute(select(Cooperative.regency_code, func.count())
                                      .group_by(Cooperative.regency_code)).tuples().all())
        filed = dict(session.execute(select(Cooperative.regency_code, func.count())
                                     .join(RatFiling, RatFiling.nik == Cooperative.nik)
                                     .group_by(Cooperative.regency_code)).tuples().all())
    rows = demo["compliance"]["regencies"]
    assert [row["rank"] for row in rows] == list(range(1, 18))
    assert [row["compliance_rate"] for row in rows] == sorted((row["compliance_rate"] for row in rows), reverse=True)
    assert {row["regency_code"]: (row["cooperatives"], row["reported"]) for row in rows} == {
        code: (total, filed.get(code, 0)) for code, total in totals.items()}


def test_each_team_gets_one_grouped_case_alert_in_the_outbox_folder(system, demo):
    with system.sessions() as session:
        teams = {team.team_id: team.supervisor_emails for team in session.scalars(select(Team))}
        alerted = set(session.scalars(select(InspectionCase.assigned_team).where(
            InspectionCase.priority != "critical").distinct()))
    alerts = Counter(message["To"] for message in outbox_messages(system, "case_alert"))
    assert len(teams) == 19 and alerted == set(teams)
    assert alerts == Counter(address for team in alerted for address in teams[team])
    assert set(demo["emails"]["case_alert_runs_per_team"].values()) == {1}
    assert demo["where"]["outbox_folder"].endswith("outbox")


def test_each_recipient_of_province_74_gets_one_weekly_email(system, demo):
    with system.sessions() as session:
        recipients = weekly_recipients(session, "74")
    weekly = Counter(message["To"] for message in outbox_messages(system, "weekly_escalation"))
    assert len(recipients) == 3 + 17  # the province team's list and each regency team's lead
    assert weekly == Counter(recipients)
    assert all(count == 1 for count in weekly.values())


def test_the_demo_issues_web_logins_for_two_supervisors_and_a_cooperative_that_has_not_reported(system, demo):
    logins = {login["login"]: login for login in demo["run"]["logins"]}
    assert set(logins) >= {"demo-sultra", "demo-kendari"} and len(logins) == 3
    assert all(login["password"] for login in logins.values())
    [coop] = [login for login in logins.values() if login["role"] == "koperasi"]
    with system.sessions() as session:
        case = session.get(InspectionCase, f"RAT-2024-{coop['nik']}")
    assert (case.rule, case.status, case.assigned_team) == ("rat_missed", "open", "satgas-7471")


def test_running_the_demo_again_changes_nothing(system, demo):
    again = json.loads(system.satgas("demo", "--as-of", AS_OF, "--json", timeout=300).stdout)
    assert [login["password"] for login in again["run"]["logins"]] == [None, None, None]
    assert (again["run"]["cooperatives_new"], again["run"]["filings_new"], again["run"]["missed_published"]) == (
        0, 0, 0)
    assert again["run"]["emails"]["composed"] == 0
    assert (again["cases"], again["compliance"], again["emails"]) == (demo["cases"], demo["compliance"],
                                                                      demo["emails"])


def test_the_demo_refuses_a_database_holding_other_teams_or_cooperatives(system, demo):
    other_seed = system.satgas("demo", "--as-of", AS_OF, "--seed", "75", check=False, timeout=120)
    assert other_seed.returncode == 1
    assert "already holds 19 Satgas teams that are not this demo's" in other_seed.stderr

    system.satgas("import-cooperatives", str(write_registry(system.workdir / "real.csv", [cooperative()])))
    real_data = system.satgas("demo", "--as-of", AS_OF, check=False, timeout=120)
    assert real_data.returncode == 1
    assert "already holds 1 cooperatives (registered or on their way) that are not this demo's" in real_data.stderr
