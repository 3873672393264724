"""The RAT report form: each field checked, a message in Bahasa Indonesia next to each wrong one."""
from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from models.rules.deadlines import fiscal_year_end
from services.submissions import RatReport
from web.forms.rupiah import NotAnAmount, parse_rupiah
from web.labels import tanggal

AMOUNT_FIELDS = {
    "assets": "Aset",
    "liabilities": "Kewajiban (liabilitas)",
    "equity": "Ekuitas (modal sendiri)",
    "business_volume": "Volume usaha",
    "shu": "Sisa Hasil Usaha (SHU)",
}
#: Amounts that can be below zero: a loss, or more debt than assets.
MAY_BE_NEGATIVE = {"equity", "shu"}
MEMBER_FIELDS = {"members_men": "Jumlah anggota laki-laki", "members_women": "Jumlah anggota perempuan"}
FIELDS = ("fiscal_year", "rat_date", *MEMBER_FIELDS, *AMOUNT_FIELDS)
MAX_MEMBERS = 100_000_000
_DAY_FIRST = re.compile(r"^([0-9]{1,2})[-/.]([0-9]{1,2})[-/.]([0-9]{4})$")


def _fiscal_year(text: str, today: date, year_end: str) -> int:
    if not text:
        raise ValueError("Tahun buku wajib diisi.")
    if not re.fullmatch(r"[0-9]{4}", text):
        raise ValueError("Tulis tahun buku sebagai angka tahun, misalnya 2024.")
    year = int(text)
    if year < 1990:
        raise ValueError("Tahun buku paling awal 1990.")
    if fiscal_year_end(min(year, 9998), year_end) >= today:
        raise ValueError(f"Tahun buku {year} belum berakhir.")
    return year


def _date(text: str) -> date:
    """ISO (what a date picker sends) or day first (15-03-2025, 15/03/2025)."""
    if not text:
        raise ValueError("Tanggal RAT wajib diisi.")
    try:
        if match := _DAY_FIRST.match(text):
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError("Tanggal tidak valid; tulis seperti 15-03-2025.") from None


def _members(text: str, label: str) -> int:
    if not text:
        raise ValueError(f"{label} wajib diisi (tulis 0 bila tidak ada).")
    digits = text.replace(".", "")
    if not digits.isdigit() or not digits.isascii():
        raise ValueError(f"{label} harus bilangan bulat 0 atau lebih.")
    if int(digits) > MAX_MEMBERS:
        raise ValueError(f"{label} terlalu besar.")
    return int(digits)


def check_rat_report(typed: Mapping[str, str], nik: str, today: date,
                     year_end: str = "12-31") -> tuple[RatReport | None, dict[str, str]]:
    """(the report, {}) when every field is right, else (None, {field: message}).

    `today` is the date in the cooperative's own zone; `year_end` its fiscal year end (MM-DD)."""
    values = {name: (typed.get(name) or "").strip() for name in FIELDS}
    errors: dict[str, str] = {}
    parsed: dict[str, object] = {}
    checks = [("fiscal_year", lambda v: _fiscal_year(v, today, year_end)), ("rat_date", _date)]
    checks += [(name, lambda v, label=label: _members(v, label)) for name, label in MEMBER_FIELDS.items()]
    for name, check in checks:
        try:
            parsed[name] = check(values[name])
        except ValueError as error:
            errors[name] = str(error)
    for name, label in AMOUNT_FIELDS.items():
        if not values[name]:
            errors[name] = f"{label} wajib diisi (tulis 0 bila tidak ada)."
            continue
        try:
            parsed[name] = parse_rupiah(values[name])
        except NotAnAmount as error:
            errors[name] = str(error)
            continue
        if parsed[name] < 0 and name not in MAY_BE_NEGATIVE:
            errors[name] = f"{label} tidak boleh negatif."
    rat_date = parsed.get("rat_date")
    if isinstance(rat_date, date) and "rat_date" not in errors:
        if rat_date > today:
            errors["rat_date"] = "Tanggal RAT tidak boleh melewati hari ini."
        elif "fiscal_year" in parsed and rat_date <= fiscal_year_end(parsed["fiscal_year"], year_end):
            end = fiscal_year_end(parsed["fiscal_year"], year_end)
            errors["rat_date"] = (f"RAT tahun buku {parsed['fiscal_year']} diadakan setelah tahun buku berakhir "
                                  f"({tanggal(end)}). Periksa tahun buku atau tanggal RAT.")
    if errors:
        return None, errors
    return RatReport(nik=nik, **parsed), {}
