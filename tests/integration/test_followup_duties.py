"""Follow-ups over time on real databases: reminders, due, overdue, the ladder, recorded outcomes."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from models.audit import CaseAudit
from models.cases import FollowUp, InspectionCase
from models.messaging import OutboxMessage
from models.rules.ladder import NoticeTooShort
from models.rules.workdays import national_holidays
from scheduler.lock import SchedulerLock
from services.followups import (
    FollowUpError, Transitions, climb_ladder, mark_due_and_overdue, record_followup_done, remind_followups,
    reschedule_followup,
)
from tests.factories import cooperative, filing, missed

NOW = datetime(2025, 8, 1, 1, 0, tzinfo=timezone.utc)
SULTRA = ["74"]  # every case here opens in Kota Kendari (WITA)


@pytest.fixture
async def case_id(pipeline):
    """A missed-RAT case opened on Friday 1 August 2025: teguran_1 due Friday 8 August."""
    coop = cooperative()
    await pipeline.cooperatives(coop)
    await pipeline.missed(missed(coop["nik"], 2024))
    return f"RAT-2024-{coop['nik']}"


def run(sync_sessions, duty, today, *args):
    with sync_sessions.begin() as session:
        changes = Transitions(NOW, "system:scheduler")
        result = duty(session, SULTRA, today, changes, *args)
        changes.write(session)
    return result


def followup(sync_sessions, followup_id) -> FollowUp:
    with sync_sessions() as session:
        return session.get(FollowUp, followup_id)


def events(sync_sessions, case_id, event_type) -> list[str]:
    with sync_sessions() as session:
        return list(session.scalars(select(OutboxMessage.message_id).where(
            OutboxMessage.topic == "case-events", OutboxMessage.message_id.like(f"{case_id}%:{event_type}"))))


def test_a_follow_up_is_reminded_on_the_working_day_before_it_is_due_and_only_once(sync_sessions, case_id):
    holidays = national_holidays()
    run(sync_sessions, remind_followups, date(2025, 8, 6), holidays)
    assert followup(sync_sessions, f"{case_id}/teguran_1").reminded_at is None
    run(sync_sessions, remind_followups, date(2025, 8, 7), holidays)
    run(sync_sessions, remind_followups, date(2025, 8, 7), holidays)
    assert followup(sync_sessions, f"{case_id}/teguran_1").reminded_at is not None
    assert events(sync_sessions, case_id, "followup_reminder") == [f"{case_id}/teguran_1@2025-08-08:followup_reminder"]


def test_a_follow_up_becomes_due_on_its_day_and_overdue_the_day_after(sync_sessions, case_id):
    run(sync_sessions, mark_due_and_overdue, date(2025, 8, 7))
    assert followup(sync_sessions, f"{case_id}/teguran_1").status == "planned"
    run(sync_sessions, mark_due_and_overdue, date(2025, 8, 8))
    assert followup(sync_sessions, f"{case_id}/teguran_1").status == "due"
    run(sync_sessions, mark_due_and_overdue, date(2025, 8, 11))
    run(sync_sessions, mark_due_and_overdue, date(2025, 8, 11))
    assert followup(sync_sessions, f"{case_id}/teguran_1").status == "overdue"
    assert len(events(sync_sessions, case_id, "followup_overdue")) == 1
    with sync_sessions() as session:
        trail = session.scalars(select(CaseAudit.action).where(CaseAudit.followup_id == f"{case_id}/teguran_1")
                                .order_by(CaseAudit.id)).all()
    assert trail == ["due", "overdue"]


@pytest.mark.parametrize(
    ("today", "stage", "escalation"),
    [
        (date(2025, 8, 7), "dibuka", None),
        (date(2025, 8, 8), "teguran_1", None),
        (date(2025, 9, 8), "teguran_2", None),
        (date(2025, 10, 8), "teguran_3", None),
        (date(2025, 11, 7), "eskalasi_provinsi", "provinsi"),
        (date(2025, 12, 8), "eskalasi_nasional", "nasional"),
    ],
)
def test_an_open_case_climbs_the_ladder_on_its_dates(sync_sessions, case_id, settings, today, stage, escalation):
    run(sync_sessions, climb_ladder, today, settings.rules, national_holidays())
    run(sync_sessions, climb_ladder, today, settings.rules, national_holidays())
    with sync_sessions() as session:
        case = session.get(InspectionCase, case_id)
    assert (case.stage, case.escalation) == (stage, escalation)
    climbed = [] if stage == "dibuka" else [f"{case_id}/stage/{stage}:case_stage_changed"]
    assert events(sync_sessions, case_id, "case_stage_changed") == climbed


async def test_a_case_resolved_by_its_filing_climbs_no_further(sync_sessions, pipeline, case_id, settings):
    nik = case_id.split("-")[2]
    await pipeline.filings(filing(nik, 2024, rat_date="2025-08-20", submitted_at="2025-08-25T09:00:00+08:00"))
    run(sync_sessions, climb_ladder, date(2025, 12, 8), settings.rules, national_holidays())
    run(sync_sessions, mark_due_and_overdue, date(2025, 12, 8))
    with sync_sessions() as session:
        case = session.get(InspectionCase, case_id)
        statuses = set(session.scalars(select(FollowUp.status).where(FollowUp.case_id == case_id)))
    assert (case.status, case.stage, statuses) == ("resolved", "dibuka", {"cancelled"})


def test_recording_a_warning_sent_keeps_who_when_and_why(sync_sessions, case_id):
    with sync_sessions.begin() as session:
        record_followup_done(session, f"{case_id}/teguran_1", "Surat 800/123/2025", "siti@kendarikota.go.id", NOW)
    done = followup(sync_sessions, f"{case_id}/teguran_1")
    assert (done.status, done.done_by, done.note) == ("done", "siti@kendarikota.go.id", "Surat 800/123/2025")
    with sync_sessions() as session:
        [entry] = session.scalars(select(CaseAudit).where(CaseAudit.action == "done", CaseAudit.case_id == case_id))
    assert (entry.actor, entry.reason, entry.to_state) == ("siti@kendarikota.go.id", "Surat 800/123/2025", "done")

    with pytest.raises(FollowUpError, match="already recorded as done on 2025-08-01 by siti@kendarikota.go.id"):
        with sync_sessions.begin() as session:
            record_followup_done(session, f"{case_id}/teguran_1", "again", "budi", NOW)
    with pytest.raises(FollowUpError, match="no follow-up NOPE"):
        with sync_sessions.begin() as session:
            record_followup_done(session, "NOPE", "x", "budi", NOW)


def test_a_field_visit_cannot_be_moved_to_less_than_three_days_notice(sync_sessions, case_id, settings):
    visit = f"{case_id}/kunjungan_lapangan"
    with pytest.raises(NoticeTooShort, match="earliest date is 2025-08-04"):
        with sync_sessions.begin() as session:
            reschedule_followup(session, visit, date(2025, 8, 2), "budi", NOW, settings.rules, national_holidays())
    run(sync_sessions, mark_due_and_overdue, date(2025, 8, 15))  # the visit's planned day came
    with sync_sessions.begin() as session:
        reschedule_followup(session, visit, date(2025, 8, 4), "budi", NOW, settings.rules, national_holidays())
    assert (followup(sync_sessions, visit).due_date, followup(sync_sessions, visit).status) == (
        date(2025, 8, 4), "planned")
    run(sync_sessions, mark_due_and_overdue, date(2025, 8, 4))  # due again on its new day, with its own event
    assert sorted(events(sync_sessions, case_id, "followup_due")) == [
        f"{visit}@2025-08-04:followup_due", f"{visit}@2025-08-15:followup_due"]
    with pytest.raises(FollowUpError, match="not a working day; the next one is 2025-08-11"):
        with sync_sessions.begin() as session:
            reschedule_followup(session, visit, date(2025, 8, 9), "budi", NOW, settings.rules, national_holidays())


def test_only_one_scheduler_holds_the_lock(database_url):
    first, second = SchedulerLock(database_url), SchedulerLock(database_url)
    try:
        assert first.try_acquire() is True
        assert second.try_acquire() is False
        assert first.still_held()
        first.release()
        assert second.try_acquire() is True
    finally:
        first.release()
        second.release()
