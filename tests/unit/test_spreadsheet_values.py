"""Cell values as a Dinas types them: Indonesian dates, Excel day numbers, NIKs in groups, synonyms."""
import pytest

from cli.spreadsheet_values import month_and_day, nik_without_separators, readable_row
from cli.spreadsheets import read_rows
from streams.validation import InvalidEvent, validate_cooperative


@pytest.mark.parametrize(("typed", "month_day"), [
    ("31/12/2024", "12-31"),
    ("31-12-2024", "12-31"),
    ("31.12.2024", "12-31"),
    ("30/6", "06-30"),
    ("31 Desember 2024", "12-31"),
    ("31 Des 2024", "12-31"),
    ("30 juni", "06-30"),
    ("29 Pebruari", "02-29"),
    ("45657", "12-31"),  # Excel's day number for 31 December 2024
    ("45657.0", "12-31"),
])
def test_a_day_typed_the_indonesian_way_or_as_an_excel_day_number_gives_its_month_and_day(typed, month_day):
    assert month_and_day(typed) == month_day


@pytest.mark.parametrize("typed", ["32/12/2024", "31/13", "1231", "akhir tahun", "31 Decembre", ""])
def test_what_is_not_a_day_is_left_for_the_validation_to_refuse(typed):
    assert month_and_day(typed) is None


def test_a_fiscal_year_end_already_in_the_contracts_form_is_kept():
    assert readable_row({"fiscal_year_end": "12-31"})["fiscal_year_end"] == "12-31"
    assert readable_row({"fiscal_year_end": "2024-06-30"})["fiscal_year_end"] == "2024-06-30"
    assert readable_row({"fiscal_year_end": "31-12"})["fiscal_year_end"] == "12-31"


@pytest.mark.parametrize(("typed", "nik"), [
    ("7471 0100 0000 0123", "7471010000000123"),
    ("7471.0100.0000.0123", "7471010000000123"),
    ("7471-01-0000000123", "7471010000000123"),
    ("7471 0100 0000 012", "7471 0100 0000 012"),
    ("NIK 7471010000000123", "NIK 7471010000000123"),
])
def test_a_nik_typed_in_groups_loses_its_separators_and_nothing_else_is_guessed(typed, nik):
    assert nik_without_separators(typed) == nik


@pytest.mark.parametrize(("field", "typed", "value"), [
    ("status", "Non Aktif", "tidak_aktif"),
    ("status", "NONAKTIF", "tidak_aktif"),
    ("membership_area", "Kabupaten/Kota", "kabupaten"),
    ("membership_area", "Lintas Provinsi", "nasional"),
    ("kind", "Simpan Pinjam", "KSP"),
    ("kind", "Simpan Pinjam dan Pembiayaan Syariah", "KSPPS"),
    ("level", "Kab/Kota", "kabupaten"),
    ("kind", "Koperasi Serba Usaha", "Koperasi Serba Usaha"),
])
def test_the_usual_synonyms_become_the_contracts_values(field, typed, value):
    assert readable_row({field: typed})[field] == value


def test_a_nik_shortened_by_excel_is_refused_with_what_to_do():
    row = {"nik": "7.47101E+15", "name": "KSP Maju", "kind": "KSP", "level": "primer",
           "membership_area": "kabupaten", "regency_code": "7471"}
    with pytest.raises(InvalidEvent, match="shortened by Excel: format the NIK column as Text"):
        validate_cooperative(row)


def test_title_lines_above_the_table_are_skipped(tmp_path):
    path = tmp_path / "koperasi.csv"
    path.write_text("DATA KOPERASI AKTIF KABUPATEN KOLAKA;;\nPer 31 Desember 2024;;\n;;\n"
                    "No;NIK;Nama Koperasi\n1;7401010000000001;KSP Maju\n", encoding="utf-8")
    assert list(read_rows(path)) == [(5, {"no": "1", "nik": "7401010000000001", "name": "KSP Maju"})]


def test_runs_of_spaces_inside_a_value_become_one(tmp_path):
    path = tmp_path / "koperasi.csv"
    path.write_text("NIK;Nama Koperasi\n7401010000000001;  KSP   Maju \u00a0Jaya \n", encoding="utf-8")
    assert list(read_rows(path)) == [(2, {"nik": "7401010000000001", "name": "KSP Maju Jaya"})]
