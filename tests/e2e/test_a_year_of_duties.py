"""A year of daily ticks over 300 cooperatives in the three time zones, with a real worker and broker:
each case is on the ladder stage its dates call for, and every duty happened once."""
from __future__ import annotations

import email
import email.policy
import json
import re
import time
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from models.base import utcnow
from models.cases import FollowUp, InspectionCase
from models.digests import WeeklyDigest
from models.filings import RatFiling
from models.mail import OutgoingEmail
from models.messaging import OutboxMessage
from scheduler.duties import run_due_duties
from services.followups import record_followup_done
from tests.e2e.test_pipeline import write_registry
from tests.factories import cooperative, filing

REGENCIES = {"WIB": "3201", "WITA": "7471", "WIT": "9171"}  # Kabupaten Bogor, Kota Kendari, Kota Jayapura
#: on_time: reports every year; missed: never reports FY2024; late: reports FY2024 on 15 Sep 2025;
#: repeat: reported neither FY2023 nor FY2024; dissolved: dibubarkan.
GROUPS = {"on_time": 12, "missed": 8, "late": 5, "repeat": 5, "dissolved": 3}
FIRST_TICK, LAST_TICK = date(2025, 7, 31), date(2026, 8, 3)


def coops_of(registry, group, zone=None):
    return [c for c in registry if c["group"] == group and (zone is None or c["zone"] == zone)]


@pytest.fixture(scope="module")
def registry(system):
    system.start_worker()
    coops = []
    for zone, regency in REGENCIES.items():
        number = 0
        for group, count in GROUPS.items():
            for _ in range(count):
                number += 1
                coop = cooperative(nik=f"{regency}{number:012d}", status="dibubarkan" if group == "dissolved" else "aktif")
                coops.append({**coop, "group": group, "zone": zone})
    teams = system.workdir / "year-teams.csv"
    teams.write_text("team_id,name,level,region_code,supervisor_emails\n" + "".join(
        f"satgas-{regency},Satgas {regency},kabupaten,{regency},lead@{regency}.go.id\n" for regency in REGENCIES.values()))
    system.satgas("import-teams", str(teams))
    system.satgas("import-cooperatives", str(write_registry(system.workdir / "year.csv", coops)))
    history = [filing(c["nik"], 2023) for c in coops if c["group"] != "repeat"]
    history += [filing(c["nik"], 2024) for c in coops_of(coops, "on_time")]
    submit(system, history)
    return coops


def submit(system, filings):
    path = system.workdir / f"filings-{time.monotonic_ns()}.jsonl"
    path.write_text("\n".join(json.dumps(f) for f in filings))
    system.satgas("submit-rat", str(path))
    system.drain("rat-filings")


def case_ids_in(message: bytes) -> set[str]:
    body = email.message_from_bytes(message, policy=email.policy.default).get_body(("plain",)).get_content()
    return set(re.findall(r"RAT-\d{4}-\d{16}", body))


def stages(system) -> dict[str, tuple[str, str, str]]:
    with system.sessions() as session:
        rows = session.execute(select(InspectionCase.case_id, InspectionCase.rule, InspectionCase.status,
                                      InspectionCase.stage))
        return {case_id: (rule, status, stage) for case_id, rule, status, stage in rows}


def test_a_year_of_ticks_moves_every_case_along_its_ladder(system, registry):
    snapshots, started, day = {}, time.monotonic(), FIRST_TICK
    while day <= LAST_TICK:
        now = datetime.combine(day - timedelta(days=1), datetime.min.time(), timezone.utc) + timedelta(hours=17, minutes=10)
        report = run_due_duties(system.settings, system.sessions, now)  # 00:10 WIB, 01:10 WITA, 02:10 WIT
        if any(zone["daily"]["swept"] for zone in report["zones"].values()):
            system.drain("rat-missed")
        if day == date(2025, 8, 8):
            with system.sessions.begin() as session:
                for coop in coops_of(registry, "missed", "WITA"):
                    record_followup_done(session, f"RAT-2024-{coop['nik']}/teguran_1", "Surat 800/12", "siti", utcnow())
        if day == date(2025, 9, 15):
            submit(system, [filing(c["nik"], 2024, rat_date="2025-09-01", submitted_at="2025-09-15T10:00:00+07:00")
                            for c in coops_of(registry, "late")])
        if day == date(2026, 4, 20):
            submit(system, [filing(c["nik"], 2025) for c in coops_of(registry, "on_time")])
        snapshots[day] = stages(system)
        day += timedelta(days=1)
    print(f"\n{(LAST_TICK - FIRST_TICK).days + 1} daily ticks in {time.monotonic() - started:.0f}s")

    def stage_of(group, fiscal_year, on):
        return {snapshots[on][f"RAT-{fiscal_year}-{c['nik']}"] for c in coops_of(registry, group)}

    # A year's missed RAT, opened 1 August 2025: warnings on 8 Aug, 8 Sep, 8 Oct; province 7 Nov; national 8 Dec.
    for on, stage in [(date(2025, 8, 7), "dibuka"), (date(2025, 8, 8), "teguran_1"), (date(2025, 9, 7), "teguran_1"),
                      (date(2025, 9, 8), "teguran_2"), (date(2025, 10, 8), "teguran_3"),
                      (date(2025, 11, 6), "teguran_3"), (date(2025, 11, 7), "eskalasi_provinsi"),
                      (date(2025, 12, 8), "eskalasi_nasional"), (date(2026, 7, 31), "eskalasi_nasional")]:
        assert stage_of("missed", 2024, on) == {("rat_missed", "open", stage)}, on
        assert stage_of("repeat", 2024, on) == {("rat_missed_repeat", "open", stage)}, on
    # The repeat group's FY2023 case opened a day earlier, on 31 July 2025.
    assert stage_of("repeat", 2023, date(2025, 8, 7)) == {("rat_missed", "open", "teguran_1")}
    # Reporting late on 15 September resolves the case; it climbs no further.
    assert stage_of("late", 2024, date(2025, 9, 14)) == {("rat_missed", "open", "teguran_2")}
    assert stage_of("late", 2024, date(2025, 12, 8)) == {("rat_missed", "resolved", "teguran_2")}
    # A year on: FY2025 missed again is a repeat, unless FY2024 was filed after all.
    assert stage_of("missed", 2025, date(2026, 8, 3)) == {("rat_missed_repeat", "open", "dibuka")}
    assert stage_of("late", 2025, date(2026, 8, 3)) == {("rat_missed", "open", "dibuka")}
    final = snapshots[LAST_TICK]
    assert not [c for c in registry if c["group"] in ("on_time", "dissolved") and any(c["nik"] in k for k in final)]

    with system.sessions() as session:
        statuses = dict(session.execute(
            select(FollowUp.followup_id, FollowUp.status).where(FollowUp.case_id.like("RAT-2024-%"))).tuples().all())
        digests = session.scalars(select(WeeklyDigest.week).where(WeeklyDigest.province_code == "74")).all()
        due_events = session.scalar(select(func.count()).where(OutboxMessage.message_id.like("RAT-2024-%:followup_due")))
        overdue_events = session.scalar(
            select(func.count()).where(OutboxMessage.message_id.like("RAT-2024-%:followup_overdue")))
    for coop in coops_of(registry, "missed"):
        expected = "done" if coop["zone"] == "WITA" else "overdue"
        assert statuses[f"RAT-2024-{coop['nik']}/teguran_1"] == expected
        assert statuses[f"RAT-2024-{coop['nik']}/teguran_3"] == "overdue"
    open_fy2024 = 3 * (GROUPS["missed"] + GROUPS["repeat"])
    planned_steps = open_fy2024 * 4 + 3 * GROUPS["repeat"]  # the repeat cases add the dissolution notice
    # Every step came due once and went overdue the next day, unless it was done (Kendari's warnings I);
    # the late group's first three steps (8 Aug, 15 Aug, 8 Sep) did so before their report came in.
    late_steps = 3 * GROUPS["late"] * 3
    assert due_events == planned_steps + late_steps
    assert overdue_events == planned_steps - GROUPS["missed"] + late_steps
    assert len(digests) == len(set(digests)) == 53

    # Mail: one grouped alert per team and sweep, each critical (repeat) case alone, a receipt per filing.
    with system.sessions() as session:
        kinds = session.execute(select(OutgoingEmail.kind, OutgoingEmail.recipient, func.count())
                                .group_by(OutgoingEmail.kind, OutgoingEmail.recipient)).all()
        alerts = session.scalars(select(OutgoingEmail.message).where(
            OutgoingEmail.kind == "case_alert", OutgoingEmail.recipient == "lead@7471.go.id")).all()
        grouped_cases = set(session.scalars(select(InspectionCase.case_id).where(
            InspectionCase.regency_code == "7471", InspectionCase.priority != "critical")))
    per_team = {(kind, recipient): n for kind, recipient, n in kinds if recipient == "lead@7471.go.id"}
    # How many grouped alerts there are depends on how far the worker got when the mail ran (a sweep's cases may
    # share an alert with the previous sweep's, or be split over two runs); what must hold is that each new case
    # that is not critical reached its team in exactly one alert.
    listed = [case_ids_in(message) for message in alerts]
    assert sorted(c for ids in listed for c in ids) == sorted(grouped_cases)  # each case once, none missing
    assert 2 <= len(alerts) <= 6  # the sweeps of 31 Jul and 1 Aug 2025 (perhaps together), and of 1 Aug 2026
    critical = GROUPS["repeat"] + GROUPS["missed"] + GROUPS["repeat"]  # FY2024 repeats, then FY2025's
    assert per_team[("case_critical", "lead@7471.go.id")] == critical
    receipts = sum(n for kind, _, n in kinds if kind == "filing_receipt")
    with system.sessions() as session:
        assert receipts == session.scalar(select(func.count()).select_from(RatFiling))
    assert len(list((system.workdir / "var" / "outbox").glob("*.eml"))) == sum(n for _, _, n in kinds)
