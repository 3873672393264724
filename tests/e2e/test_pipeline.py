"""The whole pipeline through its real entry points: CLI -> outbox -> Kafka -> worker -> database."""
from __future__ import annotations

import csv
import json

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from models.cases import FollowUp, InspectionCase
from models.messaging import DeadLetter, OutboxMessage
from models.registry import Cooperative
from tests.e2e.conftest import wait_until
from tests.factories import cooperative, filing

# Sulawesi Tenggara: Kota Kendari, Kabupaten Kolaka, Kabupaten Konawe.
REGENCIES = ("7471", "7401", "7402")


def write_registry(path, coops, bad_rows=()):
    """A registry file as a Dinas would export it: Indonesian headers, semicolons."""
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["NIK", "Nama Koperasi", "Jenis", "Jenjang", "Wilayah Keanggotaan", "Kode Kabupaten",
                         "Email", "Status"])
        for coop in coops:
            writer.writerow([coop["nik"], coop["name"], coop["kind"], coop["level"], coop["membership_area"],
                             coop["regency_code"], coop["email"], coop["status"].replace("_", " ")])
        writer.writerows(bad_rows)
    return path


def write_registry_xlsx(path, coops):
    """The same registry as Excel saves it: numbers as numbers."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["NIK", "Nama Koperasi", "Jenis", "Jenjang", "Wilayah Keanggotaan", "Kode Kabupaten", "Email"])
    for coop in coops:
        sheet.append([int(coop["nik"]), coop["name"], coop["kind"], coop["level"], coop["membership_area"],
                      int(coop["regency_code"]), coop["email"]])
    workbook.save(path)
    return path


def count(system, statement) -> int:
    with system.sessions() as session:
        return session.scalar(statement)


def registry_niks(coops):
    return [c["nik"] for c in coops]


@pytest.fixture(scope="module")
def worker(system):
    return system.start_worker()


@pytest.fixture(scope="module")
def teams(system):
    path = system.workdir / "teams.csv"
    path.write_text(
        "Kode Tim,Nama Tim,Tingkat,Kode Wilayah,Email Pengawas\n"
        "satgas-7471,Satgas Kota Kendari,kabupaten,7471,lead@kendari.go.id; wakil@kendari.go.id\n"
        "satgas-74,Satgas Sulawesi Tenggara,provinsi,74,kepala@sultraprov.go.id\n"
        "satgas-x,Tim Salah,kecamatan,7471,\n"
    )
    return system.satgas("import-teams", str(path), "--json", check=False)


@pytest.fixture(scope="module")
def registry(system, worker, teams):
    coops = [cooperative(nik=f"{REGENCIES[i % 3]}{i:012d}", kind=("KSP" if i % 5 == 0 else "konsumen"))
             for i in range(30)]
    coops[3]["status"] = "dibubarkan"
    path = write_registry(
        system.workdir / "registry.csv", coops,
        bad_rows=[["12345", "Koperasi Salah", "KSP", "primer", "kabupaten", "7471", "", "aktif"],
                  ["7499000000000001", "Kode Salah", "KSP", "primer", "kabupaten", "7499", "", "aktif"]],
    )
    result = system.satgas("import-cooperatives", str(path), "--json", check=False)
    return coops, result


def test_importing_a_registry_reports_bad_rows_by_number_and_stores_the_good_ones(system, registry):
    coops, result = registry
    assert result.returncode == 1
    summary = json.loads(result.stdout)
    assert (summary["accepted"], summary["rejected"]) == (30, 2)
    assert [p["where"] for p in summary["problems"]] == ["row 32", "row 33"]
    assert "unknown regency code '7499'" in result.stderr
    wait_until(
        lambda: count(system, select(func.count()).select_from(Cooperative)) == 30, 60, "30 cooperatives stored"
    )


def test_teams_are_imported_from_a_file_and_a_bad_row_is_named(teams):
    assert teams.returncode == 1
    assert json.loads(teams.stdout)["accepted"] == 2
    assert "row 4: 'level' must be one of kabupaten, provinsi, nasional, not 'kecamatan'" in teams.stderr


def test_cases_go_to_the_regency_team_or_visibly_to_the_province_team(system, registry):
    system.satgas("sweep", "--as-of", "2025-08-01")
    wait_until(lambda: count(system, select(func.count()).select_from(InspectionCase)) == 29, 60, "29 cases")
    listed = {r: json.loads(system.satgas("cases", "list", "--regency", r, "--json").stdout) for r in ("7471", "7401")}
    assert {(c["assigned_team"], c["assignment_note"]) for c in listed["7471"]} == {("satgas-7471", None)}
    assert {c["assigned_team"] for c in listed["7401"]} == {"satgas-74"}
    assert all("no kabupaten team for 7401" in c["assignment_note"] for c in listed["7401"])


def test_a_sweep_opens_one_case_per_overdue_cooperative(system, registry):
    coops, _ = registry
    summary = json.loads(system.satgas("sweep", "--as-of", "2025-08-01", "--json").stdout)
    assert summary == {"as_of": "2025-08-01", "published": 0, "fiscal_years": []}  # the first sweep took them all
    assert count(system, select(func.count()).select_from(InspectionCase)) == 29

    listed = json.loads(system.satgas("cases", "list", "--regency", "7471", "--json").stdout)
    assert len(listed) == 10 - 1  # one of Kendari's ten is dissolved
    case = listed[0]
    for field in ("case_id", "nik", "fiscal_year", "rule", "status", "priority", "regency_code",
                  "assigned_team", "opened_at", "followups"):
        assert field in case
    assert {f["kind"] for f in case["followups"]} >= {"teguran_1", "kunjungan_lapangan"}
    shown = json.loads(system.satgas("cases", "show", case["case_id"], "--json").stdout)
    assert {k: v for k, v in shown.items() if k != "audit"} == case
    [opened] = shown["audit"]
    assert (opened["action"], opened["actor"], opened["to"]) == ("opened", "system:worker", case["rule"])
    assert opened["reason"].startswith("no RAT report for fiscal year 2024 by 2025-07-31")
    assert "no case NOPE" in system.satgas("cases", "show", "NOPE", check=False).stderr


def test_a_second_sweep_and_a_replay_of_every_event_open_no_second_case(system, registry):
    summary = json.loads(system.satgas("sweep", "--as-of", "2025-08-02", "--json").stdout)
    assert summary["published"] == 0

    with system.sessions() as session:
        ids = session.scalars(select(InspectionCase.case_id)).all()
    replayed = [
        json.dumps({"nik": cid.split("-")[2], "fiscal_year": 2024, "deadline": "2025-07-31",
                    "detected_at": "2025-08-01T00:00:00+07:00"}).encode()
        for cid in ids
    ]
    system.publish("rat-missed", replayed + replayed)
    system.drain("rat-missed")
    assert count(system, select(func.count()).select_from(InspectionCase)) == 29
    assert count(system, select(func.count()).select_from(FollowUp)) == 29 * 4
    opened = select(func.count()).where(OutboxMessage.topic == "case-events")
    assert count(system, opened) == 29


def test_a_filing_submitted_through_the_cli_resolves_its_missed_rat_case(system, registry):
    coops, _ = registry
    nik = coops[1]["nik"]
    path = system.workdir / "filing.json"
    path.write_text(json.dumps(filing(nik, 2024, rat_date="2025-08-10", submitted_at="2025-08-12T09:00:00+08:00")))
    assert json.loads(system.satgas("submit-rat", str(path), "--json").stdout)["new"] == 1

    def resolved():
        with system.sessions() as session:
            return session.get(InspectionCase, f"RAT-2024-{nik}").status == "resolved"

    wait_until(resolved, 60, "the missed-RAT case to be resolved")
    again = json.loads(system.satgas("submit-rat", str(path), "--json").stdout)
    assert (again["new"], again["already_received"]) == (0, 1)


def test_a_filing_that_comes_before_its_cooperative_is_applied_when_the_cooperative_is_imported(system, worker):
    coop = cooperative(nik="7402999900000001")
    path = system.workdir / "early.jsonl"
    path.write_text(json.dumps(filing(coop["nik"], 2024, members=0)) + "\n")
    system.satgas("submit-rat", str(path))
    system.drain("rat-filings")
    assert count(system, select(func.count()).where(InspectionCase.nik == coop["nik"])) == 0

    system.satgas("import-cooperatives", str(write_registry_xlsx(system.workdir / "late.xlsx", [coop])))
    wait_until(
        lambda: count(system, select(func.count()).where(InspectionCase.nik == coop["nik"])) == 1, 60,
        "the waiting filing's anomaly case",
    )


def test_malformed_events_reach_the_dead_letter_topic_with_their_reason_and_the_worker_goes_on(system, worker):
    system.publish("rat-filings", [b"\xff\xfe not json", b'{"filing_id": "X-1"}'], key="7471000000000000")
    system.drain("rat-filings")
    with system.sessions() as session:
        reasons = {
            letter.original: letter.reason
            for letter in session.scalars(select(DeadLetter).where(DeadLetter.topic == "rat-filings"))
        }
    assert reasons[b"\xff\xfe not json"].startswith("not valid JSON")
    assert reasons[b'{"filing_id": "X-1"}'] == "missing field 'nik'"

    def forwarded():
        records = system.read_topic("dead-letter")
        return [r for r in records if r.value == b"\xff\xfe not json"]

    [record] = wait_until(forwarded, 60, "the dead letter on its topic")
    headers = dict(record.headers)
    assert headers["satgas-reason"].decode().startswith("not valid JSON")
    assert headers["satgas-source"].decode().startswith(system.settings.kafka.topic("rat-filings"))


def test_every_case_is_announced_on_case_events(system, registry):
    with system.sessions() as session:
        case_ids = set(session.scalars(select(InspectionCase.case_id)))

    def announced():
        events = [json.loads(r.value) for r in system.read_topic("case-events")]
        opened = {e["case_id"] for e in events if e["type"] == "case_opened"}
        return opened if opened >= case_ids else None

    wait_until(announced, 60, "a case_opened event for every case")
