"""Who sees which regions, the case list's cursors, and how the pages write dates, amounts and charts."""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from models.rules.jurisdiction import Jurisdiction, team_jurisdiction
from services.case_list import BadCursor, decode_cursor, encode_cursor
from services.documents import safe_display_name
from web.charts import compliance_bars, trend_line
from web.labels import persen, rupiah, tanggal, waktu


def test_a_regency_team_reaches_only_its_regency():
    kendari = Jurisdiction("kabupaten", "7471")
    assert kendari.regency_codes() == ("7471",) and kendari.province_codes() == ("74",)
    assert kendari.covers("7471") and not kendari.covers("7401") and not kendari.covers(None)


def test_a_province_team_reaches_its_regencies_and_the_national_team_all():
    sultra, national = Jurisdiction("provinsi", "74"), Jurisdiction("nasional", "ID")
    assert len(sultra.regency_codes()) == 17 and all(code.startswith("74") for code in sultra.regency_codes())
    assert sultra.covers("7401") and not sultra.covers("7371")
    assert len(national.regency_codes()) == 514 and len(national.province_codes()) == 38
    assert national.covers("9471") and national.is_national


def test_a_team_level_that_does_not_exist_reaches_nothing():
    assert team_jurisdiction("kecamatan", "747101") is None


def test_a_cursor_round_trips_and_a_forged_one_is_refused():
    opened = datetime(2025, 8, 1, 0, 5, tzinfo=timezone.utc)
    assert decode_cursor(encode_cursor(opened, "RAT-2024-7471010000000123")) == (opened, "RAT-2024-7471010000000123")
    for forged in ("", "abc", "W10", "WyIyMDI1LTA4LTAxIiwgMV0", "!!!!"):
        with pytest.raises(BadCursor):
            decode_cursor(forged)


@pytest.mark.parametrize("value, text", [
    (Decimal("1250000"), "Rp 1.250.000"), ("1250000.50", "Rp 1.250.000,50"), ("-85000000.00", "-Rp 85.000.000"),
    (0, "Rp 0"), (None, "-"),
])
def test_rupiah_is_written_with_dots_for_thousands(value, text):
    assert rupiah(value) == text


def test_dates_and_times_are_written_in_indonesian_in_the_provinces_zone():
    assert tanggal(date(2025, 6, 30)) == "30 Juni 2025" and tanggal("2025-12-01") == "1 Desember 2025"
    assert waktu("2025-08-01T00:05:00+00:00", "7471") == "1 Agustus 2025 08.05 WITA"
    assert waktu(datetime(2025, 8, 1, 3, 0, tzinfo=timezone.utc), "9471") == "1 Agustus 2025 12.00 WIT"
    assert persen(54.35) == "54,4%" and persen(None) == "-"


def test_an_uploaded_file_name_keeps_no_folders():
    assert safe_display_name("C:\\Users\\pengurus\\notulen RAT.pdf") == "notulen RAT.pdf"
    assert safe_display_name("../../etc/passwd") == "passwd" and safe_display_name("") == "dokumen.pdf"


def test_the_compliance_chart_has_one_bar_per_ranked_regency_scaled_to_100_percent():
    rows = [{"name": "Kota Kendari", "rank": 1, "compliance_rate": 100.0},
            {"name": "Kolaka", "rank": 2, "compliance_rate": 50.0},
            {"name": "Wakatobi", "rank": None, "compliance_rate": None}]
    chart = compliance_bars(rows)
    assert [bar.label for bar in chart.bars] == ["1. Kota Kendari", "2. Kolaka"]
    assert chart.bars[0].width == chart.bar_space and chart.bars[1].width == chart.bar_space / 2


def test_the_trend_line_needs_at_least_one_week_with_a_rate():
    assert trend_line([{"week": "2025-W32", "compliance_rate": None}]) is None
    line = trend_line([{"week": "2025-W31", "compliance_rate": 0.0}, {"week": "2025-W32", "compliance_rate": 100.0}])
    assert line.points == "40.0,160.0 680.0,40.0"


def test_five_wrong_passwords_make_a_login_wait_and_a_right_one_clears_the_count():
    from web.throttle import WINDOW_SECONDS, LoginThrottle

    now = [1000.0]
    throttle = LoginThrottle(clock=lambda: now[0])
    for _ in range(4):
        throttle.failed("rina")
    assert throttle.seconds_to_wait("rina") == 0
    throttle.failed("rina")
    assert 0 < throttle.seconds_to_wait("rina") <= WINDOW_SECONDS + 1
    assert throttle.seconds_to_wait("budi") == 0
    now[0] += WINDOW_SECONDS
    assert throttle.seconds_to_wait("rina") == 0
    throttle.failed("budi")
    throttle.succeeded("budi")
    assert throttle._failures.get("budi") is None


def test_the_dashboard_shows_the_latest_fiscal_year_whose_report_deadline_has_passed():
    from config.settings import RuleSettings
    from services.compliance import default_fiscal_year

    assert default_fiscal_year(date(2025, 7, 31), RuleSettings()) == 2023
    assert default_fiscal_year(date(2025, 8, 1), RuleSettings()) == 2024
