"""Reading real CSV and XLSX files the way a Dinas exports them."""
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from cli.spreadsheets import UnreadableFile, cell_text, count_data_rows, normalize_header, read_rows

NIK_1 = "7471010000000001"
NIK_2 = "7471010000000002"


def csv_file(tmp_path, text, name="koperasi.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def xlsx_file(tmp_path, rows, name="koperasi.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


# headers and cells

@pytest.mark.parametrize(("header", "field"), [
    ("Nama Koperasi", "name"),
    ("  NAMA KOPERASI  ", "name"),
    ("Nomor Induk Koperasi", "nik"),
    ("NIK", "nik"),
    ("Kode Kabupaten", "regency_code"),
    ("Kode Kabupaten/Kota", "regency_code"),
    ("Kode Kab/Kota", "regency_code"),
    ("Jenis Koperasi", "kind"),
    ("Jenjang", "level"),
    ("Wilayah Keanggotaan", "membership_area"),
    ("E-mail", "email"),
    ("Akhir Tahun Buku", "fiscal_year_end"),
    ("Alamat Kantor", "alamat_kantor"),
])
def test_headers_are_normalised_to_contract_field_names(header, field):
    assert normalize_header(header) == field


@pytest.mark.parametrize(("value", "text"), [
    (None, ""),
    (7471.0, "7471"),
    (7471, "7471"),
    (1250000.5, "1250000.5"),
    (date(2025, 6, 30), "2025-06-30"),
    (datetime(2025, 6, 30, 14, 45), "2025-06-30"),
    ("  Koperasi Maju  ", "Koperasi Maju"),
])
def test_cells_become_text(value, text):
    assert cell_text(value) == text


# CSV

def test_a_comma_separated_file_with_indonesian_headers_is_read(tmp_path):
    path = csv_file(tmp_path, f"NIK,Nama Koperasi,Kode Kabupaten\n{NIK_1},Koperasi Maju,7471\n{NIK_2},KSP Jaya,7472\n")
    assert list(read_rows(path)) == [
        (2, {"nik": NIK_1, "name": "Koperasi Maju", "regency_code": "7471"}),
        (3, {"nik": NIK_2, "name": "KSP Jaya", "regency_code": "7472"}),
    ]


def test_a_semicolon_separated_file_is_read(tmp_path):
    path = csv_file(tmp_path, f"NIK;Nama Koperasi;Kode Kabupaten\n{NIK_1};Koperasi Maju, Kendari;7471\n")
    assert list(read_rows(path)) == [(2, {"nik": NIK_1, "name": "Koperasi Maju, Kendari", "regency_code": "7471"})]


def test_a_quoted_value_may_contain_the_delimiter(tmp_path):
    path = csv_file(tmp_path, f'NIK,Nama Koperasi\n{NIK_1},"Koperasi Maju, Kendari"\n')
    assert list(read_rows(path)) == [(2, {"nik": NIK_1, "name": "Koperasi Maju, Kendari"})]


def test_a_byte_order_mark_does_not_stick_to_the_first_header(tmp_path):
    path = csv_file(tmp_path, f"NIK;Nama Koperasi\n{NIK_1};Koperasi Maju\n", encoding="utf-8-sig")
    assert list(read_rows(path)) == [(2, {"nik": NIK_1, "name": "Koperasi Maju"})]


def test_a_windows_1252_file_is_read(tmp_path):
    path = csv_file(tmp_path, f"NIK;Nama Koperasi\n{NIK_1};Koperasi Karya \u2013 Café\n", encoding="cp1252")
    assert list(read_rows(path)) == [(2, {"nik": NIK_1, "name": "Koperasi Karya \u2013 Café"})]


def test_extra_spaces_around_headers_and_values_are_dropped(tmp_path):
    path = csv_file(tmp_path, f" NIK ; Nama Koperasi ;Kode Kabupaten \n {NIK_1} ;  Koperasi Maju ; 7471 \n")
    assert list(read_rows(path)) == [(2, {"nik": NIK_1, "name": "Koperasi Maju", "regency_code": "7471"})]


def test_empty_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers(tmp_path):
    path = csv_file(tmp_path, f"NIK;Nama Koperasi;Kode Kabupaten\n{NIK_1};Koperasi Maju;7471\n\n;;\n{NIK_2};KSP Jaya;7472\n")
    assert [number for number, _ in read_rows(path)] == [2, 5]


def test_empty_rows_above_the_header_are_skipped(tmp_path):
    path = csv_file(tmp_path, f"\n;;\nNIK;Nama Koperasi;Kode Kabupaten\n{NIK_1};Koperasi Maju;7471\n")
    assert list(read_rows(path)) == [(4, {"nik": NIK_1, "name": "Koperasi Maju", "regency_code": "7471"})]


def test_windows_line_endings_are_read(tmp_path):
    path = csv_file(tmp_path, f"NIK;Nama Koperasi\r\n{NIK_1};Koperasi Maju\r\n{NIK_2};KSP Jaya\r\n")
    assert list(read_rows(path)) == [(2, {"nik": NIK_1, "name": "Koperasi Maju"}), (3, {"nik": NIK_2, "name": "KSP Jaya"})]


def test_a_small_semicolon_file_with_windows_line_endings_and_an_empty_row_is_read(tmp_path):
    path = csv_file(tmp_path, f"NIK;Nama Koperasi;Kode Kabupaten\r\n{NIK_1};Koperasi Maju;7471\r\n\r\n")
    assert list(read_rows(path)) == [(2, {"nik": NIK_1, "name": "Koperasi Maju", "regency_code": "7471"})]


def test_a_column_without_a_header_is_dropped(tmp_path):
    path = csv_file(tmp_path, f"NIK,,Nama Koperasi\n{NIK_1},catatan,Koperasi Maju\n")
    assert list(read_rows(path)) == [(2, {"nik": NIK_1, "name": "Koperasi Maju"})]


def test_a_short_row_leaves_its_missing_fields_out(tmp_path):
    path = csv_file(tmp_path, f"NIK,Nama Koperasi,Kode Kabupaten\n{NIK_1},Koperasi Maju,7471\n{NIK_2},KSP Jaya\n")
    assert list(read_rows(path))[1] == (3, {"nik": NIK_2, "name": "KSP Jaya"})


def test_a_header_without_data_rows_yields_nothing(tmp_path):
    assert list(read_rows(csv_file(tmp_path, "NIK,Nama Koperasi\n"))) == []


def test_an_empty_file_is_refused_for_lack_of_a_header(tmp_path):
    with pytest.raises(UnreadableFile, match="koperasi.csv has no header row"):
        list(read_rows(csv_file(tmp_path, "\n\n")))


def test_a_file_that_is_not_csv_or_xlsx_is_refused(tmp_path):
    with pytest.raises(UnreadableFile, match="expected a .csv or .xlsx file"):
        list(read_rows(csv_file(tmp_path, "%PDF-1.7", name="koperasi.pdf")))


def test_a_tab_separated_file_is_read(tmp_path):
    path = csv_file(tmp_path, f"NIK\tNama Koperasi\n{NIK_1}\tKoperasi Maju\n", name="koperasi.tsv")
    assert list(read_rows(path)) == [(2, {"nik": NIK_1, "name": "Koperasi Maju"})]


def test_the_csv_row_count_is_the_rows_below_the_header_empty_ones_included(tmp_path):
    path = csv_file(tmp_path, f"NIK;Nama Koperasi\n{NIK_1};Koperasi Maju\n\n{NIK_2};KSP Jaya\n")
    assert count_data_rows(path) == 3


def test_a_csv_with_only_a_header_counts_no_rows(tmp_path):
    assert count_data_rows(csv_file(tmp_path, "NIK;Nama Koperasi\n")) == 0


def test_an_empty_csv_counts_no_rows(tmp_path):
    assert count_data_rows(csv_file(tmp_path, "")) == 0


# XLSX

def test_numbers_in_a_workbook_are_read_as_codes_without_decimals(tmp_path):
    path = xlsx_file(tmp_path, [["NIK", "Nama Koperasi", "Kode Kabupaten"], [7471010000000001, "Koperasi Maju", 7471]])
    assert list(read_rows(path)) == [(2, {"nik": NIK_1, "name": "Koperasi Maju", "regency_code": "7471"})]


def test_a_regency_code_stored_as_a_float_loses_its_decimal_point(tmp_path):
    path = xlsx_file(tmp_path, [["Kode Kabupaten"], [7471.0]])
    assert list(read_rows(path)) == [(2, {"regency_code": "7471"})]


def test_date_cells_in_a_workbook_are_read_as_iso_dates(tmp_path):
    path = xlsx_file(tmp_path, [["NIK", "Tanggal RAT", "Diperbarui"], [NIK_1, date(2025, 3, 15), datetime(2025, 3, 20, 9, 30)]])
    assert list(read_rows(path)) == [(2, {"nik": NIK_1, "tanggal_rat": "2025-03-15", "diperbarui": "2025-03-20"})]


def test_an_empty_cell_in_a_workbook_is_read_as_empty_text(tmp_path):
    path = xlsx_file(tmp_path, [["NIK", "Surel", "Nama Koperasi"], [NIK_1, None, "Koperasi Maju"]])
    assert list(read_rows(path)) == [(2, {"nik": NIK_1, "email": "", "name": "Koperasi Maju"})]


def test_empty_workbook_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers(tmp_path):
    path = xlsx_file(tmp_path, [["NIK", "Nama Koperasi"], [NIK_1, "Koperasi Maju"], [], [None, None], [NIK_2, "KSP Jaya"]])
    assert list(read_rows(path)) == [(2, {"nik": NIK_1, "name": "Koperasi Maju"}), (5, {"nik": NIK_2, "name": "KSP Jaya"})]


def test_a_workbook_header_below_a_blank_first_row_is_found(tmp_path):
    path = xlsx_file(tmp_path, [[], ["NIK", "Nama Koperasi"], [NIK_1, "Koperasi Maju"]])
    assert list(read_rows(path)) == [(3, {"nik": NIK_1, "name": "Koperasi Maju"})]


def test_only_the_first_worksheet_is_read(tmp_path):
    workbook = Workbook()
    workbook.active.append(["NIK"])
    workbook.active.append([NIK_1])
    other = workbook.create_sheet("Petunjuk")
    other.append(["NIK"])
    other.append([NIK_2])
    path = tmp_path / "dua-lembar.xlsx"
    workbook.save(path)
    assert list(read_rows(path)) == [(2, {"nik": NIK_1})]


def test_the_workbook_row_count_is_the_rows_below_the_header(tmp_path):
    path = xlsx_file(tmp_path, [["NIK"], [NIK_1], [NIK_2], [7471010000000003]])
    assert count_data_rows(path) == 3


def test_a_file_named_xlsx_that_is_not_a_workbook_is_refused(tmp_path):
    path = csv_file(tmp_path, "NIK,Nama Koperasi\n", name="koperasi.xlsx")
    with pytest.raises(UnreadableFile, match="koperasi.xlsx is not a readable XLSX workbook"):
        list(read_rows(path))


def test_counting_the_rows_of_a_file_named_xlsx_that_is_not_a_workbook_is_refused(tmp_path):
    path = csv_file(tmp_path, "NIK,Nama Koperasi\n", name="koperasi.xlsx")
    with pytest.raises(UnreadableFile):
        count_data_rows(path)
