"""Rupiah amounts as people type them: `1.250.000`, `Rp 1.250.000,50`, `1250000` or `1250000.50`."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from streams.validation import MAX_AMOUNT

_THOUSANDS_DOT = re.compile(r"^[0-9]{1,3}(\.[0-9]{3})+$")
_THOUSANDS_COMMA = re.compile(r"^[0-9]{1,3}(,[0-9]{3})+$")
_PLAIN = re.compile(r"^[0-9]+$")


class NotAnAmount(ValueError):
    """The text is not a rupiah amount; the message says how to write one."""


def _number(text: str) -> str:
    """Digits with at most one '.' as decimal point, from Indonesian or English separators."""
    if "," in text and "." in text:
        decimal_mark = "," if text.rfind(",") > text.rfind(".") else "."
        whole, _, fraction = text.rpartition(decimal_mark)
        whole = whole.replace("." if decimal_mark == "," else ",", "")
        return f"{whole}.{fraction}" if _PLAIN.match(whole) and _PLAIN.match(fraction) else ""
    if _THOUSANDS_DOT.match(text):
        return text.replace(".", "")
    if "," in text:
        whole, _, fraction = text.partition(",")
        if len(fraction) <= 2 and _PLAIN.match(whole) and _PLAIN.match(fraction):
            return f"{whole}.{fraction}"
        return text.replace(",", "") if _THOUSANDS_COMMA.match(text) else ""
    if text.count(".") == 1:
        whole, _, fraction = text.partition(".")
        return text if len(fraction) <= 2 and _PLAIN.match(whole) and _PLAIN.match(fraction) else ""
    return text if _PLAIN.match(text) else ""


def parse_rupiah(typed: str) -> Decimal:
    text = re.sub(r"\s|\u00a0", "", typed or "")
    text = re.sub(r"^(-?)rp\.?", r"\1", text, flags=re.IGNORECASE)
    negative = text.startswith("-")
    text = text.removeprefix("-")
    number = _number(text)
    try:
        amount = Decimal(number)
    except InvalidOperation:
        raise NotAnAmount("Tulis jumlah rupiah seperti 1.250.000 atau 1.250.000,50.") from None
    if amount.as_tuple().exponent < -2:
        raise NotAnAmount("Paling banyak 2 angka di belakang koma (sen).")
    if amount >= MAX_AMOUNT:
        raise NotAnAmount("Jumlah terlalu besar.")
    return (-amount if negative else amount).quantize(Decimal("0.01"))
