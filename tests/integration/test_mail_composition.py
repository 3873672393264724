"""Which emails the duties write: follow-up notices per team, cooperatives' reminders and receipts."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select, update

from models.mail import OutgoingEmail
from models.registry import Team
from models.rules.workdays import national_holidays
from notifications.compose import queue_cooperative_reminders, queue_followup_notices, queue_receipts
from notifications.delivery import recover_interrupted
from notifications.mailer import Mailer
from services.followups import Transitions, mark_due_and_overdue, remind_followups
from tests.factories import cooperative, filing, missed

NOW = datetime(2025, 8, 7, 0, 5, tzinfo=timezone.utc)


def emails(sync_sessions, prefix: str) -> list[OutgoingEmail]:
    with sync_sessions() as session:
        return session.scalars(select(OutgoingEmail).where(OutgoingEmail.message_key.startswith(prefix))
                               .order_by(OutgoingEmail.id)).all()


async def test_reminders_and_overdue_notices_go_to_the_team_once_per_run(pipeline, sync_sessions, settings):
    with sync_sessions.begin() as session:
        session.query(Team).filter(Team.level == "kabupaten", Team.region_code == "7403").delete()
        session.add(Team(team_id="satgas-7403-mail", name="Satgas Muna", level="kabupaten", region_code="7403",
                         supervisor_emails=["lead@muna.go.id"]))
    coops = [cooperative(nik=f"7403{i:012d}") for i in range(3)]
    await pipeline.cooperatives(*coops)
    await pipeline.missed(*(missed(c["nik"]) for c in coops))

    def run_day(day: date):
        with sync_sessions.begin() as session:
            changes = Transitions(NOW, "system:scheduler")
            remind_followups(session, ["74"], day, changes, national_holidays())
            mark_due_and_overdue(session, ["74"], day, changes)
            changes.write(session)
            with Mailer(session, settings, NOW) as mailer:
                for kind, notices in changes.notices.items():
                    mine = [n for n in notices if n[1].nik in {c["nik"] for c in coops}]
                    queue_followup_notices(mailer, kind, mine, day)

    run_day(date(2025, 8, 7))  # teguran_1 due Friday 8 August: reminded Thursday
    run_day(date(2025, 8, 7))
    run_day(date(2025, 8, 11))  # Monday: teguran_1 is now overdue
    [reminder] = emails(sync_sessions, "followup-reminders:satgas-7403-mail")
    [overdue] = emails(sync_sessions, "followup-overdue:satgas-7403-mail")
    assert reminder.subject == "Pengingat: 3 tindak lanjut jatuh tempo 2025-08-08"
    assert overdue.subject == "Terlambat: 3 tindak lanjut melewati jatuh tempo"
    assert reminder.recipient == overdue.recipient == "lead@muna.go.id"


async def test_a_cooperative_is_reminded_30_and_7_days_before_its_deadline_once_each(pipeline, sync_sessions,
                                                                                     settings):
    coop = cooperative(nik="1971555500000001", email="pengurus@kopbabel.id")  # Bangka Belitung, FY2024 due 31 July
    reported = cooperative(nik="1971555500000002", email="lain@kopbabel.id")
    await pipeline.cooperatives(coop, reported)
    await pipeline.filings(filing(reported["nik"], 2024))

    def run_day(day: date):
        with sync_sessions.begin() as session:
            with Mailer(session, settings, NOW) as mailer:
                queue_cooperative_reminders(mailer, ["19"], day)

    for day in (date(2025, 6, 30), date(2025, 7, 1), date(2025, 7, 2), date(2025, 7, 24), date(2025, 7, 25)):
        run_day(day)
    sent = emails(sync_sessions, "coop-reminder:2024:")
    assert [(e.recipient, e.message_key.split(":")[2]) for e in sent] == [
        ("pengurus@kopbabel.id", "30"), ("pengurus@kopbabel.id", "7")]
    assert sent[0].subject == "Pengingat: laporan RAT tahun buku 2024 jatuh tempo 2025-07-31"


async def test_each_accepted_filing_gets_one_receipt(pipeline, sync_sessions, settings):
    coop = cooperative(email="bendahara@kopmaju.id")
    await pipeline.cooperatives(coop)
    report = filing(coop["nik"], 2024)
    await pipeline.filings(report)
    for _ in range(2):
        with sync_sessions.begin() as session:
            with Mailer(session, settings, NOW) as mailer:
                queue_receipts(mailer)
    [receipt] = emails(sync_sessions, f"receipt:{report['filing_id']}")
    assert (receipt.recipient, receipt.subject) == ("bendahara@kopmaju.id",
                                                    f"Tanda terima laporan RAT {report['filing_id']}")


async def test_an_email_interrupted_while_sending_is_sent_again(sync_sessions, settings):
    with sync_sessions.begin() as session:
        with Mailer(session, settings, NOW) as mailer:
            mailer.queue("cooperative_reminder", "test-interrupted", ["x@kop.id"], "coop_reminder_subject",
                         {"year": 2024, "day": "2025-07-31"}, name="K", nik="1", fiscal_year=2024,
                         deadline=date(2025, 7, 31), days=7)
        session.execute(update(OutgoingEmail).where(OutgoingEmail.message_key.startswith("test-interrupted"))
                        .values(status="sending", next_attempt_at=NOW))
    recover_interrupted(sync_sessions, NOW + timedelta(minutes=5))  # maybe still being sent by another run
    assert emails(sync_sessions, "test-interrupted")[0].status == "sending"
    recover_interrupted(sync_sessions, NOW + timedelta(minutes=11))
    [email] = emails(sync_sessions, "test-interrupted")
    assert (email.status, email.last_error) == ("pending", "interrupted while sending; sent again")


async def test_a_message_another_delivery_run_is_sending_is_not_sent_again(sync_sessions, settings, tmp_path):
    from notifications.delivery import deliver_pending

    local = settings.model_copy(update={"data_dir": tmp_path})
    with sync_sessions.begin() as session:
        with Mailer(session, local, NOW) as mailer:
            mailer.queue("cooperative_reminder", "test-claimed", ["klaim-x@kop.id", "klaim-y@kop.id"], "coop_reminder_subject",
                         {"year": 2024, "day": "2025-07-31"}, name="K", nik="1", fiscal_year=2024,
                         deadline=date(2025, 7, 31), days=7)
        session.execute(update(OutgoingEmail).where(OutgoingEmail.message_key == "test-claimed:klaim-x@kop.id")
                        .values(status="sending", next_attempt_at=NOW))
    deliver_pending(local, sync_sessions, NOW)
    statuses = {e.recipient: e.status for e in emails(sync_sessions, "test-claimed")}
    assert statuses == {"klaim-x@kop.id": "sending", "klaim-y@kop.id": "sent"}
    written = [path.read_bytes() for path in (tmp_path / "outbox").iterdir()]
    assert not any(b"To: klaim-x@kop.id" in message for message in written)
