"""Emails rendered in both languages, Indonesian formatting, and hostile names escaped."""
from __future__ import annotations

import email
from datetime import date
from decimal import Decimal

import pytest

from notifications.chart import compliance_chart
from notifications.formatting import change, long_date, percent, rupiah
from notifications.rendering import mime_message, render

HOSTILE = '<script>alert("x")</script> & Co'


def case(**fields):
    return {"case_id": "RAT-2024-7471000000000001", "nik": "7471000000000001", "name": "Koperasi Maju",
            "rule": "rat_missed", "priority": "normal", "fiscal_year": 2024, "regency_name": "Kota Kendari",
            "opened": date(2025, 8, 1), "reason": "2025-07-31", "link": None, **fields}


@pytest.mark.parametrize(("amount", "text"), [
    (1250000, "Rp 1.250.000"), ("1250000.00", "Rp 1.250.000"), (Decimal("-5000000.50"), "-Rp 5.000.001"),
    (0, "Rp 0"), ("999", "Rp 999"),
])
def test_rupiah_is_written_with_dots_between_thousands(amount, text):
    assert rupiah(amount) == text


def test_dates_are_written_the_indonesian_way_or_the_english_one():
    assert long_date(date(2025, 6, 30)) == "30 Juni 2025"
    assert long_date("2025-08-17", "en") == "17 August 2025"


def test_percentages_use_a_decimal_comma_in_indonesian():
    assert (percent(32.13), percent(32.13, "en"), percent(None)) == ("32,13%", "32.13%", "—")
    assert (change(2.5), change(-1.0, "en"), change(0.0)) == ("+2,50 pp", "-1.00 pp", "±0,00 pp")


def test_a_case_alert_is_in_bahasa_indonesia_by_default_and_in_english_on_request():
    indonesian = render("case_alert", "id", "alert_subject", {"n": 1, "team": "Satgas Kendari"},
                        team_name="Satgas Kendari", cases=[case()], total=1, more=0)
    english = render("case_alert", "en", "alert_subject", {"n": 1, "team": "Satgas Kendari"},
                     team_name="Satgas Kendari", cases=[case()], total=1, more=0)
    assert indonesian.subject == "1 kasus baru untuk Satgas Kendari"
    assert "Tidak RAT (2024)" in indonesian.html and "Tidak RAT 2024" in indonesian.text
    assert english.subject == "1 new cases for Satgas Kendari"
    assert "RAT not held (2024)" in english.html and "Dear Satgas supervision team" in english.text


def test_a_hostile_cooperative_name_is_escaped_in_html_and_left_as_text_in_the_plain_part():
    rendered = render("case_critical", "id", "critical_subject",
                      {"case_id": "X", "name": HOSTILE},
                      team_name="Satgas <b>", case=case(name=HOSTILE, priority="critical"))
    assert "<script>" not in rendered.html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co" in rendered.html
    assert "Satgas &lt;b&gt;" in rendered.html
    assert HOSTILE in rendered.text


def test_a_link_to_the_case_appears_when_the_web_address_is_known():
    rendered = render("case_alert", "id", "alert_subject", {"n": 1, "team": "T"}, team_name="T",
                      cases=[case(link="https://satgas.example/cases/RAT-2024-7471000000000001")], total=1, more=0)
    assert 'href="https://satgas.example/cases/RAT-2024-7471000000000001"' in rendered.html


def test_a_receipt_shows_the_filing_in_rupiah():
    filing = {"filing_id": "F-1", "nik": "7471000000000001", "fiscal_year": 2024, "rat_date": date(2025, 3, 15),
              "members": 120, "assets": Decimal("500000000.00"), "liabilities": Decimal("200000000"),
              "equity": Decimal("300000000"), "business_volume": Decimal("900000000"), "shu": Decimal("25000000"),
              "late": True}
    rendered = render("filing_receipt", "id", "receipt_subject", {"filing_id": "F-1"}, name="Koperasi Maju",
                      filing=filing)
    assert "Rp 500.000.000" in rendered.text and "15 Maret 2025" in rendered.text
    assert "melewati batas waktu" in rendered.html


def test_the_weekly_chart_is_a_png_embedded_in_the_html_part():
    png = compliance_chart([("Kota Kendari", 61.5), ("Kabupaten Muna", None)], "RAT 2024")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    from notifications.rendering import Rendered

    message = email.message_from_bytes(mime_message(
        Rendered("Subjek", "teks", '<img src="cid:chart">', {"chart": png}), "satgas@x.id", "a@x.id", "key"))
    parts = {part.get_content_type(): part for part in message.walk()}
    assert set(parts) >= {"text/plain", "text/html", "image/png", "multipart/related"}
    assert parts["image/png"]["Content-ID"] == "<chart>"
    assert parts["image/png"].get_payload(decode=True) == png


def test_the_same_message_key_gives_the_same_message_id():
    from notifications.rendering import Rendered

    rendered = Rendered("s", "t", "<p>h</p>")
    first = email.message_from_bytes(mime_message(rendered, "a@x.id", "b@x.id", "weekly:74:2025-W32:b@x.id"))
    again = email.message_from_bytes(mime_message(rendered, "a@x.id", "b@x.id", "weekly:74:2025-W32:b@x.id"))
    other = email.message_from_bytes(mime_message(rendered, "a@x.id", "b@x.id", "weekly:74:2025-W33:b@x.id"))
    assert first["Message-ID"] == again["Message-ID"] != other["Message-ID"]
