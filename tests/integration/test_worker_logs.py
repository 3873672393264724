"""What the worker writes to its log: one line per batch (info), one per event (debug), no traceback for bad input."""
from __future__ import annotations

import itertools
import json
import logging
from types import SimpleNamespace

from sqlalchemy import select

from models.messaging import DeadLetter
from services.dead_letters import Incoming
from services.handlers import handle_cooperatives, handle_filings
from streams.agents import to_incoming
from streams.batches import handle_batch
from tests.factories import cooperative, filing

_offsets = itertools.count(50_000 + id(object()) % 10_000)


def consumed(topic: str, data: dict | bytes, key: bytes | None = b"7471000000000001") -> Incoming:
    """A message as the agents hand it over, from a faust event."""
    return to_incoming(topic, [faust_event(topic, data, key)])[0]


def faust_event(topic: str, data: dict | bytes, key: bytes | None):
    value = data if isinstance(data, bytes) else json.dumps(data).encode()
    message = SimpleNamespace(topic=f"satgas.{topic}", partition=0, offset=next(_offsets), key=key, value=value,
                              headers=[])
    return SimpleNamespace(message=message)


def worker_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "satgas.worker"]


async def test_a_batch_logs_one_info_line_and_one_debug_line_per_event(sessions, caplog):
    good, bad = cooperative(), {**cooperative(), "nik": "12345"}
    events = [consumed("cooperatives", good), consumed("cooperatives", bad)]
    with caplog.at_level(logging.DEBUG, logger="satgas.worker"):
        await handle_batch(handle_cooperatives, "cooperatives", events, sessions)

    lines = worker_lines(caplog)
    per_event = [r.fields for r in lines if r.getMessage() == "event handled"]
    assert [(f["outcome"], f["reason"]) for f in per_event] == [
        ("applied", None), ("dead_letter", "NIK must be 16 digits, not '12345'")]
    [batch] = [r for r in lines if r.getMessage() == "batch handled"]
    assert batch.levelno == logging.INFO
    assert {k: batch.fields[k] for k in ("topic", "events", "applied", "dead_lettered")} == {
        "topic": "cooperatives", "events": 2, "applied": 1, "dead_lettered": 1}


async def test_at_info_level_only_the_batch_line_is_written(sessions, caplog):
    with caplog.at_level(logging.INFO, logger="satgas.worker"):
        await handle_batch(handle_cooperatives, "cooperatives", [consumed("cooperatives", cooperative())], sessions)
    assert [r.getMessage() for r in worker_lines(caplog)] == ["batch handled"]


async def test_bad_input_is_dead_lettered_without_a_traceback(sessions, sync_sessions, caplog):
    """Including values that fit no column: a 400-character name, a 100-character key."""
    too_long_name = {**cooperative(), "name": "Koperasi " + "X" * 400}
    events = [
        consumed("rat-filings", b"\xff not json"),
        consumed("rat-filings", {"filing_id": "X-1"}),
        consumed("rat-filings", {**filing("7471000000000001"), "nik": "123"}, key=b"k" * 100),
    ]
    with caplog.at_level(logging.DEBUG, logger="satgas"):
        await handle_batch(handle_filings, "rat-filings", events[:2], sessions)
        await handle_batch(handle_cooperatives, "cooperatives", [consumed("cooperatives", too_long_name)], sessions)
        await handle_batch(handle_filings, "rat-filings", events[2:], sessions)

    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged for expected bad input"
    sources = [e.source for e in events[:2]]
    with sync_sessions() as session:
        reasons = dict(session.execute(select(DeadLetter.source, DeadLetter.reason)
                                       .where(DeadLetter.source.in_(sources))).tuples().all())
        name_letter = session.scalars(select(DeadLetter).where(DeadLetter.original == json.dumps(too_long_name).encode())
                                      ).one()
    assert len(reasons) == 2
    assert name_letter.reason == "'name' is longer than 300 characters"
