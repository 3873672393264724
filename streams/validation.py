"""Turn untrusted JSON (from Kafka, a file or a form) into records, or say in plain words what is wrong."""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

import orjson

from models.regions import regency
from models.registry import COOPERATIVE_KINDS, LEVELS, MEMBERSHIP_AREAS, STATUSES
from streams.records import CooperativeEvent, RatFilingEvent, RatMissedEvent

NIK_PATTERN = re.compile(r"^[0-9]{16}$")
#: How Excel writes a long number it keeps as a number: 7.47101E+15 (the last digits are lost).
EXCEL_SHORTENED_NUMBER = re.compile(r"^[0-9](?:[.,][0-9]+)?[eE]\+[0-9]+$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
FISCAL_YEAR_END_PATTERN = re.compile(r"^(?:[0-9]{4}-)?([0-9]{2})-([0-9]{2})$")
#: Rupiah amounts are stored as NUMERIC(20, 2).
MAX_AMOUNT = Decimal(10) ** 18
MONEY_FIELDS = ("assets", "liabilities", "equity", "business_volume", "shu")
#: The longest text each column holds (models.registry.Cooperative).
MAX_NAME = 300
MAX_EMAIL = 320


class InvalidEvent(ValueError):
    """The reason an event or row was refused, in words an operator understands."""


def decode_json(raw: bytes) -> dict[str, Any]:
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise InvalidEvent(f"not valid JSON: {error}") from None
    if not isinstance(data, dict):
        raise InvalidEvent("expected a JSON object")
    return data


def _text(data: dict[str, Any], field: str, *, required: bool = True) -> str | None:
    value = data.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidEvent(f"missing field '{field}'")
        return None
    if not isinstance(value, (str, int)):
        raise InvalidEvent(f"'{field}' must be text")
    return str(value).strip()


def _choice(data: dict[str, Any], field: str, choices: tuple[str, ...], default: str | None = None) -> str:
    value = _text(data, field, required=default is None) or default
    by_folded = {choice.casefold(): choice for choice in choices}
    folded = value.casefold().replace(" ", "_")
    if folded not in by_folded:
        raise InvalidEvent(f"'{field}' must be one of {', '.join(choices)}, not '{value}'")
    return by_folded[folded]


def _nik(data: dict[str, Any]) -> str:
    nik = _text(data, "nik")
    if EXCEL_SHORTENED_NUMBER.match(nik):
        raise InvalidEvent(f"NIK '{nik}' was shortened by Excel: format the NIK column as Text and export again")
    if not NIK_PATTERN.match(nik):
        raise InvalidEvent(f"NIK must be 16 digits, not '{nik}'")
    return nik


def _integer(data: dict[str, Any], field: str, minimum: int = 0) -> int:
    value = data.get(field)
    if value is None or value == "":
        raise InvalidEvent(f"missing field '{field}'")
    try:
        number = int(str(value).strip())
    except ValueError:
        raise InvalidEvent(f"'{field}' must be a whole number, not '{value}'") from None
    if number < minimum:
        raise InvalidEvent(f"'{field}' must be at least {minimum}, not {number}")
    return number


def _money(data: dict[str, Any], field: str) -> str:
    value = data.get(field)
    if value is None or value == "" or isinstance(value, bool):
        raise InvalidEvent(f"missing field '{field}'")
    try:
        amount = Decimal(str(value).strip())
    except InvalidOperation:
        raise InvalidEvent(f"'{field}' must be a rupiah amount like \"1250000.00\", not '{value}'") from None
    if not amount.is_finite() or abs(amount) >= MAX_AMOUNT:
        raise InvalidEvent(f"'{field}' must be an amount below Rp 1.000.000.000.000.000.000, not '{value}'")
    return str(amount.quantize(Decimal("0.01")))


def _date(data: dict[str, Any], field: str) -> str:
    value = _text(data, field)
    try:
        return _iso_date(value)
    except ValueError:
        raise InvalidEvent(f"'{field}' must be a date like 2025-06-30, not '{value}'") from None


def _instant(data: dict[str, Any], field: str) -> str:
    value = _text(data, field)
    try:
        instant = _iso_instant(value)
    except ValueError:
        raise InvalidEvent(f"'{field}' must be an RFC 3339 time like 2025-07-01T09:30:00+08:00") from None
    if instant is None:
        raise InvalidEvent(f"'{field}' must carry a UTC offset, e.g. +07:00")
    return instant


# A sweep stamps its 100,000 events with one deadline and one detection time: each is parsed once.
@lru_cache(maxsize=4096)
def _iso_date(value: str) -> str:
    return date.fromisoformat(value[:10] if "T" in value else value).isoformat()


@lru_cache(maxsize=4096)
def _iso_instant(value: str) -> str | None:
    """The instant in ISO form, or None if it has no UTC offset."""
    instant = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return instant.isoformat() if instant.tzinfo is not None else None


def _fiscal_year(data: dict[str, Any]) -> int:
    year = _integer(data, "fiscal_year")
    if not 1990 <= year <= 2100:
        raise InvalidEvent(f"'fiscal_year' {year} is out of range")
    return year


def _fiscal_year_end(data: dict[str, Any]) -> str:
    """MM-DD; a full date (a spreadsheet's date cell, e.g. 2025-12-31) gives its month and day."""
    value = _text(data, "fiscal_year_end", required=False) or "12-31"
    match = FISCAL_YEAR_END_PATTERN.match(value)
    try:
        date(2024, int(match.group(1)), int(match.group(2)))
    except (AttributeError, ValueError):
        raise InvalidEvent(f"'fiscal_year_end' must be a day as MM-DD, like 12-31, not '{value}'") from None
    return f"{match.group(1)}-{match.group(2)}"


def _regency_code(data: dict[str, Any]) -> str:
    """Four digits; the dotted form Kemendagri publishes ("74.71") is accepted too."""
    given = _text(data, "regency_code")
    code = given.replace(".", "")
    if regency(code) is None:
        raise InvalidEvent(f"unknown regency code '{given}' (expected a 4-digit Kemendagri code like 7471)")
    return code


def _email(data: dict[str, Any]) -> str | None:
    email = _text(data, "email", required=False)
    if email and (len(email) > MAX_EMAIL or not EMAIL_PATTERN.match(email)):
        raise InvalidEvent(f"'email' is not an email address: '{email[:80]}'")
    return email


def _name(data: dict[str, Any]) -> str:
    name = _text(data, "name")
    if len(name) > MAX_NAME:
        raise InvalidEvent(f"'name' is longer than {MAX_NAME} characters")
    return name


def validate_cooperative(data: dict[str, Any]) -> CooperativeEvent:
    return CooperativeEvent(
        nik=_nik(data),
        name=_name(data),
        kind=_choice(data, "kind", COOPERATIVE_KINDS),
        level=_choice(data, "level", LEVELS),
        membership_area=_choice(data, "membership_area", MEMBERSHIP_AREAS),
        regency_code=_regency_code(data),
        email=_email(data),
        status=_choice(data, "status", STATUSES, default="aktif"),
        fiscal_year_end=_fiscal_year_end(data),
    )


def validate_filing(data: dict[str, Any]) -> RatFilingEvent:
    filing_id = _text(data, "filing_id")
    if len(filing_id) > 64:
        raise InvalidEvent("'filing_id' is longer than 64 characters")
    return RatFilingEvent(
        filing_id=filing_id,
        nik=_nik(data),
        fiscal_year=_fiscal_year(data),
        rat_date=_date(data, "rat_date"),
        submitted_at=_instant(data, "submitted_at"),
        members=_integer(data, "members"),
        **{field: _money(data, field) for field in MONEY_FIELDS},
    )


def validate_missed(data: dict[str, Any]) -> RatMissedEvent:
    return RatMissedEvent(
        nik=_nik(data),
        fiscal_year=_fiscal_year(data),
        deadline=_date(data, "deadline"),
        detected_at=_instant(data, "detected_at"),
    )
