"""Cell values as a Dinas types them, made readable by the validation: Indonesian dates, Excel day numbers,
NIKs typed in groups, and the usual synonyms ("Non Aktif", "Kabupaten/Kota", "Simpan Pinjam")."""
from __future__ import annotations

import re
from datetime import date, timedelta

#: Excel counts days from 30 December 1899 (day 1 is 1 January 1900, with its 1900 leap-year bug).
EXCEL_EPOCH = date(1899, 12, 30)
INDONESIAN_MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "pebruari": 2, "maret": 3, "mar": 3, "april": 4, "apr": 4,
    "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8, "agu": 8, "agt": 8, "ags": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12,
}
#: field -> {folded spelling: the contract's value}; folded = lower case, runs of other characters as "_".
VALUE_ALIASES = {
    "status": {"non_aktif": "tidak_aktif", "nonaktif": "tidak_aktif", "tidak_aktif": "tidak_aktif",
               "bubar": "dibubarkan", "dibubarkan": "dibubarkan", "aktif": "aktif"},
    "membership_area": {"kabupaten_kota": "kabupaten", "kab_kota": "kabupaten", "kota": "kabupaten",
                        "kab": "kabupaten", "prov": "provinsi", "propinsi": "provinsi", "nasional": "nasional",
                        "lintas_provinsi": "nasional", "lintas_kabupaten_kota": "provinsi",
                        "lintas_kabupaten": "provinsi"},
    "kind": {"simpan_pinjam": "KSP", "koperasi_simpan_pinjam": "KSP", "usp": "KSP",
             "simpan_pinjam_dan_pembiayaan_syariah": "KSPPS", "ksp_syariah": "KSPPS", "kspps": "KSPPS",
             "koperasi_produsen": "produsen", "koperasi_konsumen": "konsumen",
             "koperasi_pemasaran": "pemasaran", "koperasi_jasa": "jasa"},
    "level": {"kabupaten_kota": "kabupaten", "kab_kota": "kabupaten", "kota": "kabupaten",
              "propinsi": "provinsi", "pusat": "nasional"},
}
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?$")
_DAY_MONTH_NAME = re.compile(r"^(\d{1,2})[\s-]+([a-z]+)\.?(?:[\s-]+(\d{4}))?$")
#: Five digits: the days of 1927 to 2173 (a four-digit number is more likely a mistyped "1231").
_EXCEL_DAY = re.compile(r"^\d{5}(\.0+)?$")
_CONTRACT_DATE = re.compile(r"^(?:\d{4}-)?(\d{2})-(\d{2})$")
_NIK_IN_GROUPS = re.compile(r"^\d[\d .-]*\d$")


def fold(value: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", value.strip().lower()).strip("_")


def _real_day(month: int, day: int) -> bool:
    try:
        date(2024, month, day)  # a leap year, so 29 February passes
        return True
    except ValueError:
        return False


def month_and_day(text: str) -> str | None:
    """"31/12/2024", "31-12", "31 Desember 2024", "31 Des" or Excel's day 45657 as MM-DD; None if not a date."""
    text = text.strip().lower()
    if _EXCEL_DAY.match(text):
        day = EXCEL_EPOCH + timedelta(days=int(float(text)))
        return f"{day.month:02d}-{day.day:02d}"
    match = _DAY_MONTH_YEAR.match(text)
    if match:
        day, month = int(match.group(1)), int(match.group(2))
    elif (match := _DAY_MONTH_NAME.match(text)) and match.group(2) in INDONESIAN_MONTHS:
        day, month = int(match.group(1)), INDONESIAN_MONTHS[match.group(2)]
    else:
        return None
    return f"{month:02d}-{day:02d}" if _real_day(month, day) else None


def nik_without_separators(text: str) -> str:
    """"7471 0100 0000 0123" and "7471.0100.0000.0123" are the NIK typed in groups."""
    if _NIK_IN_GROUPS.match(text):
        digits = re.sub(r"[ .-]", "", text)
        if len(digits) == 16:
            return digits
    return text


def readable_row(row: dict[str, str]) -> dict[str, str]:
    """The row with its values in the spellings the validation reads; anything unknown is left for it to refuse."""
    readable = dict(row)
    for field, aliases in VALUE_ALIASES.items():
        if readable.get(field):
            readable[field] = aliases.get(fold(readable[field]), readable[field])
    given = readable.get("fiscal_year_end")
    contract_form = _CONTRACT_DATE.match(given or "")
    if given and not (contract_form and _real_day(int(contract_form.group(1)), int(contract_form.group(2)))):
        readable["fiscal_year_end"] = month_and_day(given) or given
    if readable.get("nik"):
        readable["nik"] = nik_without_separators(readable["nik"])
    return readable
