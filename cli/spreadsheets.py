"""Rows of a CSV or XLSX file as dicts with normalised headers, numbered as the spreadsheet shows them."""
from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook

#: Indonesian headers a Dinas uses, mapped to the contract's field names.
HEADER_ALIASES = {
    "nomor_induk_koperasi": "nik",
    "nama": "name",
    "nama_koperasi": "name",
    "jenis": "kind",
    "jenis_koperasi": "kind",
    "jenjang": "level",
    "jenjang_koperasi": "level",
    "wilayah_keanggotaan": "membership_area",
    "kode_kabupaten": "regency_code",
    "kode_kabupaten_kota": "regency_code",
    "kode_kab_kota": "regency_code",
    "kode_wilayah": "regency_code",
    "surel": "email",
    "e_mail": "email",
    "akhir_tahun_buku": "fiscal_year_end",
    "nama_tim": "name",
    "kode_tim": "team_id",
    "tingkat": "level",
    "email_pengawas": "supervisor_emails",
}


class UnreadableFile(ValueError):
    """The file cannot be read as a table."""


def normalize_header(header: object) -> str:
    key = re.sub(r"[^0-9a-z]+", "_", str(header or "").strip().lower()).strip("_")
    return HEADER_ALIASES.get(key, key)


def cell_text(value: object) -> str:
    """Spreadsheet cells as text: 7471.0 -> "7471", a date -> "2025-06-30", None -> ""."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


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


def read_rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, {field: text}) for every non-empty row below the header."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".txt", ".tsv"):
        raise UnreadableFile(f"{path.name}: expected a .csv or .xlsx file")
    rows = _xlsx_rows(path) if suffix == ".xlsx" else _csv_rows(path)
    header = None
    for number, row in enumerate(rows, start=1):
        cells = [cell_text(value) for value in row]
        if not any(cells):
            continue
        if header is None:
            header = [normalize_header(cell) for cell in cells]
            continue
        yield number, {name: value for name, value in zip(header, cells) if name}
    if header is None:
        raise UnreadableFile(f"{path.name} has no header row")
