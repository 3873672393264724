"""Batched statements on SQLite and PostgreSQL: inserts keep every column type, fill in defaults and
skip rows already there; lookups by thousands of keys take one JSON parameter, past SQLite's limit."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest
from sqlalchemy import select, text

from models.cases import FollowUp, InspectionCase
from models.messaging import OutboxMessage
from services.bulk import insert_new_rows
from services.bulk_reads import among

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


def test_a_lookup_by_more_keys_than_sqlite_takes_parameters_finds_exactly_the_rows_named(sync_sessions):
    with sync_sessions.begin() as session:
        insert(session, OutboxMessage.__table__, [
            {"message_id": f"among:{i}", "topic": "case-events", "key": None, "value": b"", "headers": {},
             "created_at": OPENED} for i in range(10)
        ])
    with sync_sessions() as session:
        ids = dict(session.execute(select(OutboxMessage.message_id, OutboxMessage.id)
                                   .where(OutboxMessage.message_id.like("among:%"))).all())
        wanted = [f"among:{i}" for i in (1, 3, 5)] + [f"absent:{i}" for i in range(40_000)] + ["it's \"quoted\""]
        by_key = set(session.scalars(select(OutboxMessage.message_id).where(among(OutboxMessage.message_id, wanted))))
        by_id = set(session.scalars(select(OutboxMessage.message_id)
                                    .where(among(OutboxMessage.id, [ids["among:2"], ids["among:4"], -1]))))
        nothing = session.scalars(select(OutboxMessage.id).where(among(OutboxMessage.id, []))).all()
    assert by_key == {"among:1", "among:3", "among:5"}
    assert by_id == {"among:2", "among:4"}
    assert nothing == []


def test_a_lookup_is_answered_from_the_key_index_not_a_scan(sync_sessions):
    statement = select(InspectionCase.case_id).where(among(InspectionCase.case_id, ["RAT-2024-1"]))
    with sync_sessions() as session:
        sql = statement.compile(session.bind, compile_kwargs={"literal_binds": True})
        if session.bind.dialect.name == "sqlite":
            steps = " / ".join(row[3] for row in session.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
            assert "SEARCH cases USING COVERING INDEX sqlite_autoindex_cases_1" in steps, steps
        else:
            session.execute(text("SET LOCAL enable_seqscan = off"))  # an empty table: can an index answer?
            steps = " / ".join(session.scalars(text(f"EXPLAIN {sql}")))
            assert "Index" in steps and "Seq Scan on cases" not in steps, steps
