"""The RAT report form's checks and the rupiah amounts people type."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from web.forms.rat_report import check_rat_report
from web.forms.rupiah import NotAnAmount, parse_rupiah

NIK = "7471010000000123"
TODAY = date(2025, 8, 20)


def typed(**changes) -> dict[str, str]:
    return {"fiscal_year": "2024", "rat_date": "2025-03-15", "members_men": "70", "members_women": "50",
            "assets": "500.000.000", "liabilities": "200.000.000", "equity": "300.000.000",
            "business_volume": "900.000.000", "shu": "-1.500.000", **changes}


@pytest.mark.parametrize("text, amount", [
    ("1.250.000", "1250000.00"), ("Rp 1.250.000", "1250000.00"), ("Rp1.250.000,50", "1250000.50"),
    ("1250000", "1250000.00"), ("1250000.5", "1250000.50"), ("1,250,000.75", "1250000.75"),
    ("1.250", "1250.00"), ("12,5", "12.50"), ("-Rp 2.000", "-2000.00"), ("0", "0.00"), (" 7 500 ", "7500.00"),
])
def test_rupiah_is_read_as_indonesians_write_it(text, amount):
    assert parse_rupiah(text) == Decimal(amount)


@pytest.mark.parametrize("text", ["", "abc", "1.2.3", "1,2,3", "1.250,555", "--5", "1e5", "NaN", "Infinity",
                                  "1" * 19, "١٢٣"])
def test_what_is_not_a_rupiah_amount_is_refused_with_a_hint(text):
    with pytest.raises(NotAnAmount):
        parse_rupiah(text)


def test_a_correct_report_gives_members_as_the_sum_of_men_and_women():
    report, errors = check_rat_report(typed(), NIK, TODAY)
    assert errors == {}
    assert (report.members, report.shu, report.rat_date) == (120, Decimal("-1500000.00"), date(2025, 3, 15))


def test_every_wrong_field_gets_its_own_message():
    report, errors = check_rat_report(
        typed(fiscal_year="dua ribu", rat_date="31-02-2025", members_men="-3", members_women="",
              assets="-1", liabilities="x", equity="", shu="1,2,3"), NIK, TODAY)
    assert report is None
    assert set(errors) == {"fiscal_year", "rat_date", "members_men", "members_women", "assets", "liabilities",
                           "equity", "shu"}
    assert errors["members_women"].startswith("Jumlah anggota perempuan wajib diisi")
    assert errors["assets"] == "Aset tidak boleh negatif."


@pytest.mark.parametrize("changes, field, message", [
    ({"fiscal_year": "2025"}, "fiscal_year", "Tahun buku 2025 belum berakhir."),
    ({"fiscal_year": "1989"}, "fiscal_year", "Tahun buku paling awal 1990."),
    ({"rat_date": "2025-08-21"}, "rat_date", "Tanggal RAT tidak boleh melewati hari ini."),
    ({"rat_date": "2024-12-31"}, "rat_date", "RAT tahun buku 2024 diadakan setelah tahun buku berakhir "
                                             "(31 Desember 2024). Periksa tahun buku atau tanggal RAT."),
])
def test_dates_must_fit_the_fiscal_year_and_today(changes, field, message):
    assert check_rat_report(typed(**changes), NIK, TODAY)[1] == {field: message}


def test_a_day_first_date_and_a_fiscal_year_ending_in_june_are_understood():
    report, errors = check_rat_report(typed(rat_date="15-07-2025", fiscal_year="2025"), NIK, TODAY, "06-30")
    assert errors == {} and report.rat_date == date(2025, 7, 15)
