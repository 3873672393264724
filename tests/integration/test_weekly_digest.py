"""The weekly escalation data of a seeded province against what was seeded."""
from __future__ import annotations

import pytest

from services.digest import weekly_digest
from tests.factories import cooperative, filing, missed

# Gorontalo (WITA): Kabupaten Gorontalo 7501 and Kabupaten Boalemo 7502; nobody else seeds the province.
KAB_GORONTALO, BOALEMO = "7501", "7502"


@pytest.fixture(scope="module")
async def seeded(sessions, settings_module):
    from services.handlers import handle_cooperatives, handle_filings, handle_missed
    from tests.factories import incoming
    from tests.integration.conftest import NOW

    gorontalo = [cooperative(nik=f"{KAB_GORONTALO}{i:012d}") for i in range(10)]
    boalemo = [cooperative(nik=f"{BOALEMO}{i:012d}") for i in range(6)]
    dissolved = cooperative(nik=f"{BOALEMO}999999999999", status="dibubarkan")
    await handle_cooperatives(sessions, [incoming("cooperatives", c) for c in gorontalo + boalemo + [dissolved]],
                              settings_module, NOW)
    on_time = [filing(c["nik"], 2024) for c in gorontalo[:5] + boalemo[:3]]
    # Reported late, on Wednesday of week 2025-W32.
    late = [filing(gorontalo[5]["nik"], 2024, rat_date="2025-06-28", submitted_at="2025-08-06T10:00:00+08:00")]
    await handle_filings(sessions, [incoming("rat-filings", f) for f in on_time + late], settings_module, NOW)
    not_filed = gorontalo[6:] + boalemo[3:]
    await handle_missed(
        sessions,
        [incoming("rat-missed", missed(c["nik"], 2024, detected_at="2025-08-05T00:05:00+08:00")) for c in not_filed],
        settings_module, NOW,
    )
    return {"not_filed": len(not_filed)}


@pytest.fixture(scope="module")
def settings_module():
    from config import Settings

    return Settings()


def test_the_weekly_digest_counts_what_happened_in_the_province_that_week(sync_sessions, seeded, settings_module):
    with sync_sessions() as session:
        digest = weekly_digest(session, "75", "2025-W32", settings_module.rules)
    assert (digest["province_name"], digest["timezone"], digest["fiscal_year"]) == ("Gorontalo", "WITA", 2024)
    # The missed-RAT cases opened on Tuesday; the late filing opened a rat_late case on Wednesday.
    assert digest["new_cases"] == seeded["not_filed"] + 1
    assert digest["previous_week"]["new_cases"] == 0
    assert (digest["overdue_followups"], digest["cases_past_sla"], digest["escalations"]) == (0, 0, 0)

    by_code = {r["regency_code"]: r for r in digest["regencies"]}
    first = by_code[KAB_GORONTALO]
    assert (first["reported"], first["cooperatives"]) == (6, 10)
    assert (first["compliance_rate"], first["previous_rate"], first["change"]) == (60.0, 50.0, 10.0)
    assert (by_code[BOALEMO]["compliance_rate"], by_code[BOALEMO]["change"]) == (50.0, 0.0)
    assert [r["regency_code"] for r in digest["regencies"][:2]] == [KAB_GORONTALO, BOALEMO]
    assert (first["rank"], by_code[BOALEMO]["rank"]) == (1, 2)
    assert digest["compliance_rate"] == round(100 * 9 / 16, 2)
    assert "rank" not in by_code["7571"]  # Kota Gorontalo has no cooperatives here


def test_a_later_week_counts_overdue_follow_ups_cases_past_sla_and_escalations(sync_sessions, seeded, settings_module):
    from datetime import date, datetime

    from models.regions import WITA
    from models.rules.workdays import national_holidays
    from services.followups import Transitions, climb_ladder

    with sync_sessions.begin() as session:
        changes = Transitions(datetime(2025, 11, 19, 0, 5, tzinfo=WITA), "system:scheduler")
        climb_ladder(session, ["75"], date(2025, 11, 19), changes, settings_module.rules, national_holidays())
        changes.write(session)
        digest = weekly_digest(session, "75", "2025-W47", settings_module.rules)
    open_cases = seeded["not_filed"] + 1  # and the late filer's case
    assert digest["overdue_followups"] == open_cases * 4  # every step of every plan is due before 24 November
    assert digest["cases_past_sla"] == open_cases
    assert digest["escalations"] == open_cases  # the ladder run of 19 November escalated them to the province


def test_the_weekly_email_shows_the_databases_figures_to_the_province_list_and_regency_leads(
    sync_sessions, seeded, settings_module, tmp_path
):
    import email.policy

    from models.registry import Team
    from notifications.compose import queue_weekly_email
    from notifications.delivery import deliver_pending
    from notifications.mailer import Mailer
    from tests.integration.test_mail_delivery import NOW, SmtpServer

    server = SmtpServer()
    server.start()
    try:
        settings = settings_module.model_copy(update={"smtp": settings_module.smtp.model_copy(
            update={"host": "127.0.0.1", "port": server.port})})
        with sync_sessions.begin() as session:
            session.add_all([
                Team(team_id="satgas-75", name="Satgas Gorontalo", level="provinsi", region_code="75",
                     supervisor_emails=["kepala@gorontaloprov.go.id", "sekretariat@gorontaloprov.go.id"]),
                Team(team_id="satgas-7501", name="Satgas Kabupaten Gorontalo", level="kabupaten", region_code="7501",
                     supervisor_emails=["ketua@gorontalokab.go.id", "anggota@gorontalokab.go.id"]),
            ])
            digest = weekly_digest(session, "75", "2025-W32", settings.rules)
            with Mailer(session, settings, NOW) as mailer:
                queue_weekly_email(mailer, digest)
            assert mailer.queued == 3
        assert deliver_pending(settings, sync_sessions, NOW).sent == 3
        assert server.to("anggota@gorontalokab.go.id") == []
        [message] = server.to("ketua@gorontalokab.go.id")
    finally:
        server.stop()

    assert message["Subject"] == "Laporan eskalasi mingguan Gorontalo, minggu 2025-W32"
    text = message.get_body(("plain",)).get_content()
    assert f"Kasus baru: {digest['new_cases']} (minggu lalu: 0)" in text
    assert "Tindak lanjut terlambat: 0 (minggu lalu: 0)" in text
    assert "Kepatuhan RAT: 56,25% (minggu lalu 50,00%)" in text
    assert "1. Kabupaten Gorontalo: 6/10, 60,00% (+10,00 pp)" in text
    assert "2. Kabupaten Boalemo: 3/6, 50,00% (±0,00 pp)" in text
    html = message.get_body(("html",))
    assert 'src="cid:chart"' in html.get_content()
    [chart] = [part for part in message.walk() if part.get_content_type() == "image/png"]
    assert chart["Content-ID"] == "<chart>" and chart.get_payload(decode=True).startswith(b"\x89PNG")
