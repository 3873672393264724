"""Rupiah, dates and percentages the way Indonesian readers write them (and English readers, per recipient)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

MONTHS = {
    "id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
           "November", "Desember"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}


def rupiah(amount: Decimal | int | str) -> str:
    """Rp 1.250.000 (whole rupiah, dot thousands); negative amounts as -Rp 1.250.000."""
    value = Decimal(str(amount)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    digits = f"{abs(value):,}".replace(",", ".")
    return f"{'-' if value < 0 else ''}Rp {digits}"


def long_date(day: date | datetime | str, language: str = "id") -> str:
    """30 Juni 2025 / 30 June 2025."""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    if isinstance(day, datetime):
        day = day.date()
    return f"{day.day} {MONTHS.get(language, MONTHS['id'])[day.month - 1]} {day.year}"


def percent(value: float | None, language: str = "id") -> str:
    """32,13% in Indonesian, 32.13% in English; an em dash where there is nothing to measure."""
    if value is None:
        return "—"
    text = f"{value:.2f}"
    return (text.replace(".", ",") if language == "id" else text) + "%"


def change(points: float | None, language: str = "id") -> str:
    """+2,50 pp / -1,00 pp: the change of a rate in percentage points."""
    if points is None:
        return "—"
    sign = "+" if points > 0 else ("±" if points == 0 else "-")
    text = f"{abs(points):.2f}"
    return f"{sign}{text.replace('.', ',') if language == 'id' else text} pp"
