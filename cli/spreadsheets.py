"""Rows of a CSV or XLSX file as dicts with normalised headers, numbered as the spreadsheet shows them."""
from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from itertools import chain, islice
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook

from cli.spreadsheet_values import readable_row

#: Indonesian headers a Dinas uses (as `normalize_header` folds them), mapped to the contract's field names.
HEADER_ALIASES = {
    # cooperatives
    "nomor_induk_koperasi": "nik", "no_induk_koperasi": "nik", "nik_koperasi": "nik", "no_nik": "nik",
    "nomor_nik": "nik",
    "nama": "name", "nama_koperasi": "name", "nama_lembaga": "name", "nama_kop": "name",
    "jenis": "kind", "jenis_koperasi": "kind", "jenis_kop": "kind",
    "jenjang": "level", "jenjang_koperasi": "level", "bentuk": "level", "bentuk_koperasi": "level",
    "wilayah_keanggotaan": "membership_area", "wilayah_anggota": "membership_area",
    "lingkup_keanggotaan": "membership_area", "cakupan_wilayah": "membership_area",
    "kode_kabupaten": "regency_code", "kode_kabupaten_kota": "regency_code", "kode_kab_kota": "regency_code",
    "kode_kab": "regency_code", "kode_kota": "regency_code", "kode_wilayah": "regency_code",
    "kode_daerah": "regency_code", "kode_kemendagri": "regency_code",
    "surel": "email", "e_mail": "email", "alamat_email": "email", "alamat_surel": "email",
    "email_koperasi": "email",
    "status_koperasi": "status", "keaktifan": "status", "status_keaktifan": "status",
    "akhir_tahun_buku": "fiscal_year_end", "tutup_buku": "fiscal_year_end",
    "tanggal_tutup_buku": "fiscal_year_end", "tahun_buku_berakhir": "fiscal_year_end",
    # teams
    "kode_tim": "team_id", "id_tim": "team_id", "nama_tim": "name", "tingkat": "level", "tingkat_tim": "level",
    "kode_provinsi": "province_code", "kode_prov": "province_code",
    "email_pengawas": "supervisor_emails", "surel_pengawas": "supervisor_emails", "email_anggota": "supervisor_emails",
    "email_anggota_tim": "supervisor_emails", "daftar_email": "supervisor_emails",
}


#: Every field name a cooperative or team file may have; HEADER_SEARCH_ROWS rows are searched for them.
KNOWN_FIELDS = frozenset(HEADER_ALIASES.values()) | {"nik", "name", "kind", "level", "region_code", "email", "status"}
HEADER_SEARCH_ROWS = 10


class UnreadableFile(ValueError):
    """The file cannot be read as a table."""


def normalize_header(header: object) -> str:
    key = re.sub(r"[^0-9a-z]+", "_", str(header or "").strip().lower()).strip("_")
    return HEADER_ALIASES.get(key, key)


def cell_text(value: object) -> str:
    """Spreadsheet cells as text: 7471.0 -> "7471", a date -> "2025-06-30", None -> "", runs of spaces as one."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())


def _decode(raw: bytes, name: str) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(f"{name} is neither UTF-8 nor Windows-1252 text; save it as CSV UTF-8")


def _delimiter(lines: list[str]) -> str:
    """The separator the header line uses most: Indonesian Excel writes ';', others ','."""
    header = next((line for line in lines if line.strip()), "")
    return max(",;\t", key=header.count)


def _csv_rows(path: Path) -> Iterator[list[str]]:
    lines = _decode(path.read_bytes(), path.name).splitlines()
    yield from csv.reader(lines, delimiter=_delimiter(lines))


def _xlsx_rows(path: Path) -> Iterator[list[object]]:
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:
        raise UnreadableFile(f"{path.name} is not a readable XLSX workbook: {error}") from None
    try:
        yield from workbook.worksheets[0].iter_rows(values_only=True)
    finally:
        workbook.close()


def count_data_rows(path: Path) -> int:
    """For the progress bar: the rows below the header (empty ones included)."""
    if path.suffix.lower() == ".xlsx":
        try:
            workbook = load_workbook(path, read_only=True)
        except Exception as error:
            raise UnreadableFile(f"{path.name} is not a readable XLSX workbook: {error}") from None
        try:
            return max((workbook.worksheets[0].max_row or 1) - 1, 0)
        finally:
            workbook.close()
    return max(sum(1 for _ in _csv_rows(path)) - 1, 0)


def looks_like_a_header(cells: list[str]) -> bool:
    """At least two cells name fields the importers know (a title line above the table names none)."""
    return sum(normalize_header(cell) in KNOWN_FIELDS for cell in cells) >= 2


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, {field: text}) for every non-empty row below the header.

    The header is the first of the first few non-empty rows that names known fields, so title lines
    above the table ("DATA KOPERASI AKTIF KABUPATEN KOLAKA 2024") are skipped; failing that, the first one."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".txt", ".tsv"):
        raise UnreadableFile(f"{path.name}: expected a .csv or .xlsx file")
    numbered = ((number, [cell_text(value) for value in row])
                for number, row in enumerate(_xlsx_rows(path) if suffix == ".xlsx" else _csv_rows(path), start=1))
    first_rows = list(islice(((number, cells) for number, cells in numbered if any(cells)), HEADER_SEARCH_ROWS))
    if not first_rows:
        raise UnreadableFile(f"{path.name} has no header row")
    header_at = next((i for i, (_, cells) in enumerate(first_rows) if looks_like_a_header(cells)), 0)
    header = [normalize_header(cell) for cell in first_rows[header_at][1]]
    for number, cells in chain(first_rows[header_at + 1:], numbered):
        if any(cells):
            yield number, readable_row({name: value for name, value in zip(header, cells) if name})
