"""Emails through a real SMTP server (aiosmtpd): once each, refused recipients recorded, outages waited out."""
from __future__ import annotations

import email
import email.policy
from datetime import datetime, timedelta, timezone

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from config import Settings
from models.cases import InspectionCase
from models.mail import OutgoingEmail
from models.registry import Team
from notifications.compose import queue_case_alerts
from notifications.delivery import deliver_pending
from notifications.mailer import Mailer
from streams.embedded_broker import free_port
from tests.factories import cooperative, missed

NOW = datetime(2025, 8, 1, 2, 0, tzinfo=timezone.utc)


class Inbox:
    """Records what arrives; refuses mailboxes starting with 'ditolak'."""

    def __init__(self):
        self.received: list[tuple[list[str], bytes]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("ditolak"):
            return "550 5.1.1 Kotak surat tidak dikenal"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.received.append((list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted"


class SmtpServer:
    def __init__(self):
        self.port, self.inbox, self.controller = free_port(), Inbox(), None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        self.controller.stop()

    def to(self, address: str) -> list[email.message.Message]:
        return [email.message_from_bytes(content, policy=email.policy.default)
                for rcpts, content in self.inbox.received if address in rcpts]


@pytest.fixture
def smtp():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mail_settings(smtp, tmp_path) -> Settings:
    return Settings(data_dir=tmp_path, smtp={"host": "127.0.0.1", "port": smtp.port},
                    notifications={"base_url": "https://satgas.example"})


def queue(sync_sessions, settings, recipients, key):
    with sync_sessions.begin() as session:
        with Mailer(session, settings, NOW) as mailer:
            mailer.queue("cooperative_reminder", key, recipients, "coop_reminder_subject",
                         {"year": 2024, "day": "2025-07-31"}, name="Koperasi <Maju>", nik="7471000000000001",
                         fiscal_year=2024, deadline=datetime(2025, 7, 31).date(), days=7)


def rows(sync_sessions, key) -> dict[str, OutgoingEmail]:
    with sync_sessions() as session:
        found = session.scalars(select(OutgoingEmail).where(OutgoingEmail.message_key.startswith(key))).all()
        return {row.recipient: row for row in found}


def test_queued_emails_arrive_once_and_a_refused_recipient_is_recorded_with_the_servers_reason(
    smtp, mail_settings, sync_sessions
):
    key = f"test-refused-{smtp.port}"
    queue(sync_sessions, mail_settings, ["ketua@kop.id", "ditolak@kop.id", "bendahara@kop.id"], key)
    queue(sync_sessions, mail_settings, ["ketua@kop.id"], key)  # composed twice: still one message
    first = deliver_pending(mail_settings, sync_sessions, NOW)
    again = deliver_pending(mail_settings, sync_sessions, NOW + timedelta(hours=1))

    assert (first.sent, first.failed, again.sent) == (2, 1, 0)
    assert len(smtp.to("ketua@kop.id")) == len(smtp.to("bendahara@kop.id")) == 1
    [message] = smtp.to("ketua@kop.id")
    assert message["Subject"] == "Pengingat: laporan RAT tahun buku 2024 jatuh tempo 2025-07-31"
    assert "Koperasi &lt;Maju&gt;" in message.get_body(("html",)).get_content()
    refused = rows(sync_sessions, key)["ditolak@kop.id"]
    assert (refused.status, refused.last_error) == ("failed", "550 5.1.1 Kotak surat tidak dikenal")


def test_mail_waits_while_the_server_is_down_and_goes_out_once_it_is_back(smtp, mail_settings, sync_sessions):
    key = f"test-outage-{smtp.port}"
    smtp.stop()
    queue(sync_sessions, mail_settings, ["ketua@kop.id", "sekretaris@kop.id"], key)
    down = deliver_pending(mail_settings, sync_sessions, NOW)
    assert (down.sent, down.deferred) == (0, 2)
    waiting = rows(sync_sessions, key)["ketua@kop.id"]
    assert (waiting.status, waiting.attempts) == ("pending", 1)
    assert waiting.last_error.startswith("cannot reach the SMTP server")
    assert waiting.next_attempt_at == NOW + timedelta(seconds=30)
    assert deliver_pending(mail_settings, sync_sessions, NOW + timedelta(seconds=10)).sent == 0  # backing off

    smtp.start()
    back = deliver_pending(mail_settings, sync_sessions, NOW + timedelta(seconds=31))
    assert back.sent == 2
    assert deliver_pending(mail_settings, sync_sessions, NOW + timedelta(hours=2)).sent == 0
    assert len(smtp.to("ketua@kop.id")) == len(smtp.to("sekretaris@kop.id")) == 1
    assert {row.status for row in rows(sync_sessions, key).values()} == {"sent"}


def test_without_an_smtp_server_each_email_is_written_as_an_eml_file(sync_sessions, tmp_path):
    settings = Settings(data_dir=tmp_path)
    key = f"test-eml-{tmp_path.name}"
    queue(sync_sessions, settings, ["ketua@kop.id"], key)
    report = deliver_pending(settings, sync_sessions, NOW)
    [path] = (tmp_path / "outbox").glob("*.eml")
    assert report.outbox_folder == str(tmp_path / "outbox")
    assert email.message_from_bytes(path.read_bytes())["To"] == "ketua@kop.id"


async def test_new_cases_reach_their_team_in_one_message_per_run_and_a_critical_one_alone(
    pipeline, sync_sessions, mail_settings, smtp
):
    team_id = f"satgas-7402-{smtp.port}"
    with sync_sessions.begin() as session:
        session.query(Team).filter(Team.level == "kabupaten", Team.region_code == "7402").delete()
        session.add(Team(team_id=team_id, name="Satgas Konawe", level="kabupaten", region_code="7402",
                         supervisor_emails=["lead@konawe.go.id", "staf@konawe.go.id"]))
    ordinary = [cooperative(nik=f"7402{i:012d}") for i in range(5)]
    ksp = cooperative(nik="7402999999999999", kind="KSP")
    await pipeline.cooperatives(*ordinary, ksp)
    await pipeline.missed(*(missed(c["nik"], 2023) for c in [ksp]))
    await pipeline.missed(*(missed(c["nik"], 2024) for c in ordinary + [ksp]))  # the KSP: a repeat, critical

    for _ in range(2):
        with sync_sessions.begin() as session:
            with Mailer(session, mail_settings, NOW) as mailer:
                queue_case_alerts(mailer)
        deliver_pending(mail_settings, sync_sessions, NOW)

    subjects = sorted(message["Subject"] for message in smtp.to("lead@konawe.go.id"))
    assert subjects == [
        "6 kasus baru untuk Satgas Konawe",  # five FY2024 cases and the KSP's FY2023 one
        "SEGERA: kasus kritis RAT-2024-7402999999999999 (Koperasi Uji 9999)",
    ]
    grouped = next(m for m in smtp.to("staf@konawe.go.id") if m["Subject"].startswith("6 kasus"))
    html = grouped.get_body(("html",)).get_content()
    assert html.count("https://satgas.example/cases/RAT-2024-7402") == 5
    with sync_sessions() as session:
        unalerted = session.scalars(select(InspectionCase.case_id).where(
            InspectionCase.nik.like("7402%"), InspectionCase.alerted_at.is_(None))).all()
    assert unalerted == []
