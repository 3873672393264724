"""Batched inserts: every column type survives the trip, defaults are filled in, and a row already
there is skipped, on SQLite and PostgreSQL (where a batch is one statement over column arrays)."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select

from models.cases import FollowUp, InspectionCase
from models.messaging import OutboxMessage
from services.bulk import insert_new_rows

OPENED = datetime(2025, 8, 1, 0, 5, tzinfo=timezone.utc)


def case_row(case_id: str, **fields) -> dict:
    return {
        "case_id": case_id, "nik": "7471010000000001", "fiscal_year": 2024, "rule": "rat_missed",
        "priority": "tinggi", "regency_code": "7471", "assigned_team": None, "escalation": None,
        "opened_at": OPENED, "details": {"deadline": "2025-07-31", "catatan": "tanpa \"RAT\""}, **fields,
    }


def insert(session, table, rows) -> None:
    session.execute(*insert_new_rows(session.bind.dialect.name, table, rows))


def test_a_batch_keeps_every_value_and_fills_in_the_column_defaults(sync_sessions):
    with sync_sessions.begin() as session:
        insert(session, InspectionCase.__table__, [case_row("BULK-1"), case_row("BULK-2", escalation="nasional")])
        insert(session, FollowUp.__table__, [
            {"followup_id": "BULK-1/teguran_1", "case_id": "BULK-1", "kind": "teguran_1", "sequence": 1,
             "due_date": date(2025, 8, 15)},
        ])
        insert(session, OutboxMessage.__table__, [
            {"message_id": "bulk:1", "topic": "case-events", "key": None, "value": b"\x00{}\xff", "headers": {},
             "created_at": OPENED},
        ])
    with sync_sessions() as session:
        cases = {case.case_id: case for case in session.scalars(
            select(InspectionCase).where(InspectionCase.case_id.like("BULK-%")))}
        followup = session.get(FollowUp, "BULK-1/teguran_1")
        message = session.scalars(select(OutboxMessage).where(OutboxMessage.message_id == "bulk:1")).one()
    assert cases["BULK-1"].details == {"deadline": "2025-07-31", "catatan": "tanpa \"RAT\""}
    assert cases["BULK-1"].opened_at == OPENED and cases["BULK-1"].escalation is None
    assert cases["BULK-2"].escalation == "nasional"
    assert (cases["BULK-1"].status, cases["BULK-1"].stage) == ("open", "dibuka")  # column defaults
    assert (followup.due_date, followup.status) == (date(2025, 8, 15), "planned")
    assert (message.key, message.value, message.headers) == (None, b"\x00{}\xff", {})


def test_rows_already_there_are_skipped_and_the_rest_inserted(sync_sessions):
    with sync_sessions.begin() as session:
        insert(session, InspectionCase.__table__, [case_row("SKIP-1", priority="sedang")])
    with sync_sessions.begin() as session:
        insert(session, InspectionCase.__table__, [case_row("SKIP-1", priority="kritis"), case_row("SKIP-2")])
    with sync_sessions() as session:
        priorities = dict(session.execute(
            select(InspectionCase.case_id, InspectionCase.priority).where(InspectionCase.case_id.like("SKIP-%"))
        ).all())
    assert priorities == {"SKIP-1": "sedang", "SKIP-2": "tinggi"}


def test_a_time_without_a_zone_is_refused(sync_sessions):
    with pytest.raises(Exception, match="naive datetime"), sync_sessions.begin() as session:
        insert(session, InspectionCase.__table__, [case_row("NAIVE-1", opened_at=datetime(2025, 8, 1))])
