"""How the pages say things: Indonesian names for codes, dates like `30 Juni 2025`, amounts like `Rp 1.250.000`."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from models.regions import timezone_of_regency

RULES = {
    "rat_missed": "RAT tidak dilaksanakan",
    "rat_missed_repeat": "RAT tidak dilaksanakan 2 tahun berturut-turut",
    "rat_late": "RAT terlambat",
    "filing_anomaly": "Kejanggalan laporan RAT",
}
CASE_STATUSES = {"open": "Terbuka", "resolved": "Selesai"}
PRIORITIES = {"low": "Rendah", "normal": "Sedang", "high": "Tinggi", "critical": "Kritis"}
RESOLUTIONS = {
    "filed": "Laporan RAT masuk tepat waktu",
    "filed_late": "Laporan RAT masuk terlambat",
    "closed_by_supervisor": "Ditutup oleh pengawas",
}
STAGES = {
    "dibuka": "Dibuka",
    "teguran_1": "Teguran tertulis I",
    "teguran_2": "Teguran tertulis II",
    "teguran_3": "Teguran tertulis III",
    "eskalasi_provinsi": "Eskalasi ke provinsi",
    "eskalasi_nasional": "Eskalasi ke nasional",
}
FOLLOWUP_KINDS = {
    "teguran_1": "Teguran tertulis I",
    "kunjungan_lapangan": "Kunjungan lapangan",
    "teguran_2": "Teguran tertulis II",
    "teguran_3": "Teguran tertulis III",
    "surat_rencana_pembubaran": "Surat rencana pembubaran",
}
FOLLOWUP_STATUSES = {
    "planned": "Direncanakan", "due": "Jatuh tempo", "overdue": "Lewat tenggat", "done": "Selesai",
    "cancelled": "Dibatalkan",
}
TIMELINESS = {"diproses": "Sedang diproses", "tepat_waktu": "Tepat waktu", "terlambat": "Terlambat"}
KINDS = {"KSP": "Koperasi Simpan Pinjam (KSP)", "KSPPS": "Koperasi Simpan Pinjam dan Pembiayaan Syariah (KSPPS)",
         "produsen": "Koperasi produsen", "konsumen": "Koperasi konsumen", "pemasaran": "Koperasi pemasaran",
         "jasa": "Koperasi jasa"}
COOPERATIVE_STATUSES = {"aktif": "Aktif", "tidak_aktif": "Tidak aktif", "dibubarkan": "Dibubarkan"}
AUDIT_ACTIONS = {
    "opened": "Kasus dibuka", "resolved": "Kasus diselesaikan", "reassigned": "Dialihkan ke tim lain",
    "reminded": "Pengingat dikirim", "due": "Jatuh tempo", "overdue": "Lewat tenggat", "done": "Dicatat selesai",
    "rescheduled": "Dijadwalkan ulang", "stage": "Naik tahap",
}
#: Anything an audit entry names as "from" or "to": rules, states, stages, resolutions.
STATE_NAMES = {**RULES, **CASE_STATUSES, **FOLLOWUP_STATUSES, **STAGES, **RESOLUTIONS}
MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
ZONE_NAMES = {7: "WIB", 8: "WITA", 9: "WIT"}


def label(mapping: dict[str, str], code: str | None) -> str:
    if code is None:
        return "-"
    return mapping.get(code, code)


def tanggal(value: date | str | None) -> str:
    """30 Juni 2025."""
    if not value:
        return "-"
    if isinstance(value, str):
        value = datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def waktu(value: datetime | str | None, regency_code: str | None = None) -> str:
    """1 Agustus 2025 08.00 WITA: in the province's zone when a regency is given, else as offset."""
    if not value:
        return "-"
    instant = datetime.fromisoformat(value) if isinstance(value, str) else value
    if regency_code:
        instant = instant.astimezone(timezone_of_regency(regency_code))
    hours = int(instant.utcoffset().total_seconds() // 3600) if instant.utcoffset() is not None else 0
    return f"{tanggal(instant)} {instant:%H.%M} {ZONE_NAMES.get(hours, f'UTC{hours:+d}')}"


def rupiah(value: Decimal | str | int | None) -> str:
    """Rp 1.250.000 (sen shown only when there are any: Rp 1.250.000,50)."""
    if value is None or value == "":
        return "-"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    sign = "-" if amount < 0 else ""
    whole, sen = divmod(abs(amount).quantize(Decimal("0.01")), 1)
    text = f"{int(whole):,}".replace(",", ".")
    if sen:
        text += "," + f"{sen:.2f}"[2:]
    return f"{sign}Rp {text}"


def persen(value: float | None) -> str:
    """54,3%."""
    return "-" if value is None else f"{value:.1f}%".replace(".", ",")


def angka(value: int | None) -> str:
    """1.250 (dot thousands separator)."""
    return "-" if value is None else f"{value:,}".replace(",", ".")
