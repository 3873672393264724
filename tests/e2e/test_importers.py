"""Importing what a Dinas actually has: messy CSV and XLSX files, checked with --dry-run, then imported."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from models.database import build_engine
from models.messaging import OutboxMessage
from models.registry import Team

# A Kolaka export: a title above the table, Indonesian headers with stray spaces, a row number column,
# dates the Indonesian way and as an Excel day number, empty rows, a repeated NIK, NIKs typed in groups
# or shortened by Excel, synonyms for the choices.
MESSY_REGISTRY_CSV = """\ufeffDATA KOPERASI AKTIF KABUPATEN KOLAKA;;;;;;;;;
Keadaan 31 Desember 2024;;;;;;;;;
;;;;;;;;;
No; Nomor Induk Koperasi ;Nama Koperasi;Jenis Koperasi;Bentuk Koperasi;Wilayah Keanggotaan;Kode Kab/Kota;Alamat Email;Status Koperasi;Akhir Tahun Buku
1;7401010000000001;  KSP   Maju Bersama ;Simpan Pinjam;Primer;Kabupaten/Kota;74.01; pengurus@ksp-maju.example ;Aktif;31/12/2024
2;7401 0100 0000 0002;Koperasi Produsen Tani Makmur;Produsen;primer;Kabupaten/Kota;7401;;Non Aktif;45657
;;;;;;;;;
3;7401010000000001;KSP Maju Bersama (ganda);KSP;Primer;Kabupaten;7401;;Aktif;31 Desember
4;7.40101E+15;Koperasi Konsumen Pegawai;Konsumen;Primer;Kabupaten;7401;;Aktif;31/12/2024
5;7401010000000005;KSPPS Amanah;Simpan Pinjam dan Pembiayaan Syariah;Sekunder;Provinsi;7401;;Aktif;30 Juni 2024
6;7401010000000006;Koperasi Jasa Angkutan;Jasa;Primer;Kabupaten;7499;;Aktif;31/12/2024

7;7401010000000007;Koperasi Pemasaran Kakao;Pemasaran;Primer;Kecamatan;7401;bukan-email;Aktif;31/13/2024
"""

MESSY_TEAMS_CSV = """Daftar Tim Satgas Pengawas Koperasi,,,,,
,,,,,
Kode Tim ,Nama Tim,Tingkat,Kode Wilayah,Kode Provinsi,Email Pengawas
satgas-7401, Satgas  Kolaka ,Kabupaten/Kota,7401,,"ketua@kolaka.example ;  wakil@kolaka.example"
satgas-74,Satgas Sulawesi Tenggara,Provinsi,,74,kepala@sultra.example
,,,,,
satgas-7401,Satgas Kolaka (lagi),Kabupaten,7401,,lain@kolaka.example
satgas-kolaka-2,Satgas Kolaka Kedua,Kabupaten,7401,,dua@kolaka.example
satgas-7402,Satgas Konawe,Kabupaten,7402,,bukan email
satgas-id,Satgas Nasional,Nasional,,,deputi@kemenkop.example
"""


@pytest.fixture
def run(database_url, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SATGAS_")}
    env.update(SATGAS_DATABASE_URL=database_url, SATGAS_DATA_DIR=str(tmp_path / "var"),
               SATGAS_KAFKA_BOOTSTRAP="127.0.0.1:1")

    def satgas(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=tmp_path, env=env,
                              capture_output=True, text=True, timeout=120)

    return satgas


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def messy_workbook(path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["REKAP KOPERASI KOTA KENDARI"])
    sheet.append([])
    sheet.append(["NIK", " Nama Koperasi ", "Jenis", "Jenjang", "Wilayah Keanggotaan", "Kode Kabupaten", "Surel",
                  "Akhir Tahun Buku"])
    sheet.append([7471010000000001, "KSP Sejahtera  ", "KSP", "Primer", "Kabupaten", 7471, None,
                  datetime(2024, 12, 31)])
    sheet.append([])
    sheet.append([None, None, None, None, None, None, None, None])
    sheet.append([7471010000000002, "Koperasi Konsumen Guru", "konsumen", "primer", "kabupaten", 7471,
                  "guru@kop.example", 45657])
    sheet.append([7471010000000001, "KSP Sejahtera", "KSP", "Primer", "Kabupaten", 7471, None, "31/12/2024"])
    workbook.save(path)
    return path


def problems(result) -> dict[str, str]:
    return {p["where"]: p["reason"] for p in json.loads(result.stdout)["problems"]}


def test_a_dry_run_reports_every_problem_row_of_a_messy_registry_and_imports_nothing(run, tmp_path, database_url):
    result = run("import-cooperatives", str(write(tmp_path, "kolaka.csv", MESSY_REGISTRY_CSV)), "--dry-run", "--json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["accepted"] == 3
    assert problems(result) == {
        "row 8": "duplicate of row 5 (7401010000000001); the first one is kept",
        "row 9": "NIK '7.40101E+15' was shortened by Excel: format the NIK column as Text and export again",
        "row 11": "unknown regency code '7499' (expected a 4-digit Kemendagri code like 7471)",
        "row 13": "'membership_area' must be one of kabupaten, provinsi, nasional, not 'Kecamatan'",
    }
    assert "Dry run" not in result.stdout and "row 13" in result.stderr
    engine = build_engine(database_url)
    with engine.connect() as connection:
        assert not connection.scalar(select(OutboxMessage.id).where(OutboxMessage.key.like("7401%")))
    engine.dispose()


def test_the_good_rows_of_a_messy_registry_are_stored_as_the_contract_shapes_them(run, tmp_path, database_url):
    result = run("import-cooperatives", str(write(tmp_path, "kolaka.csv", MESSY_REGISTRY_CSV)), "--json")
    assert result.returncode == 1 and json.loads(result.stdout)["new"] == 3
    engine = build_engine(database_url)
    with engine.connect() as connection:
        stored = {key: json.loads(value) for key, value in connection.execute(
            select(OutboxMessage.key, OutboxMessage.value).where(OutboxMessage.key.like("7401%")))}
    engine.dispose()
    assert set(stored) == {"7401010000000001", "7401010000000002", "7401010000000005"}
    first, second, third = (stored[f"740101000000000{n}"] for n in (1, 2, 5))
    assert (first["name"], first["kind"], first["membership_area"], first["regency_code"], first["email"],
            first["fiscal_year_end"]) == ("KSP Maju Bersama", "KSP", "kabupaten", "7401",
                                          "pengurus@ksp-maju.example", "12-31")
    assert (second["status"], second["fiscal_year_end"], second["email"]) == ("tidak_aktif", "12-31", None)
    assert (third["kind"], third["level"], third["membership_area"], third["fiscal_year_end"]) == (
        "KSPPS", "sekunder", "provinsi", "06-30")


def test_a_messy_workbook_with_a_title_empty_rows_excel_dates_and_a_repeated_nik(run, tmp_path):
    result = run("import-cooperatives", str(messy_workbook(tmp_path / "kendari.xlsx")), "--dry-run", "--json")
    assert result.returncode == 1
    assert json.loads(result.stdout)["accepted"] == 2
    assert problems(result) == {"row 8": "duplicate of row 4 (7471010000000001); the first one is kept"}


def test_a_dry_run_of_a_messy_teams_file_names_every_problem_row_and_writes_nothing(run, tmp_path, database_url):
    path = write(tmp_path, "tim.csv", MESSY_TEAMS_CSV)
    result = run("import-teams", str(path), "--dry-run", "--json")
    assert result.returncode == 1
    assert problems(result) == {
        "row 7": "duplicate of row 4 (satgas-7401); the first one is kept",
        "row 8": "a second kabupaten team for 7401: row 4 is kept",
        "row 9": "not an email address: bukan, email",
    }
    assert json.loads(result.stdout)["accepted"] == 3
    engine = build_engine(database_url)
    with engine.connect() as connection:
        assert not connection.scalar(select(Team.team_id).where(Team.team_id == "satgas-7401"))

    imported = run("import-teams", str(path), "--json")
    assert imported.returncode == 1 and json.loads(imported.stdout)["new"] == 3
    with engine.connect() as connection:
        teams = {row.team_id: row for row in connection.execute(select(Team))}
    engine.dispose()
    assert (teams["satgas-7401"].name, teams["satgas-7401"].level, teams["satgas-7401"].region_code) == (
        "Satgas Kolaka", "kabupaten", "7401")
    assert teams["satgas-7401"].supervisor_emails == ["ketua@kolaka.example", "wakil@kolaka.example"]
    assert (teams["satgas-74"].level, teams["satgas-74"].region_code) == ("provinsi", "74")
    assert teams["satgas-id"].region_code == "ID"
