"""How an agent copes with a batch that fails: one poison record is dead-lettered, the rest applied."""
from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import select

from models.messaging import DeadLetter
from streams.agents import to_incoming
from streams.batches import handle_batch


def faust_event(offset: int, value: bytes):
    """The shape of a faust Event as the agents read it."""
    message = SimpleNamespace(topic="satgas.rat-filings", partition=0, offset=offset, key=b"7471000000000001",
                              value=value, headers=[("satgas-outbox-id", b"7")])
    return SimpleNamespace(message=message)


def test_a_consumed_record_keeps_its_bytes_source_and_headers():
    [incoming] = to_incoming("rat-filings", [faust_event(41, b"{}")])
    assert (incoming.value, incoming.source, incoming.key) == (b"{}", "satgas.rat-filings/0/41", "7471000000000001")
    assert incoming.headers == {"satgas-outbox-id": b"7"}


async def test_a_record_that_breaks_its_handler_is_dead_lettered_and_the_rest_of_the_batch_is_applied(
    sessions, sync_sessions
):
    applied = []

    async def handler(_sessions, messages, _settings, _now):
        if any(m.value == b"poison" for m in messages):
            raise ValueError("the handler choked")
        applied.extend(m.value for m in messages)

    base = 10_000 + id(applied) % 10_000
    events = [faust_event(base, b"one"), faust_event(base + 1, b"poison"), faust_event(base + 2, b"three")]
    await handle_batch(handler, "rat-filings", to_incoming("rat-filings", events), sessions)

    assert applied == [b"one", b"three"]
    with sync_sessions() as session:
        [letter] = session.scalars(select(DeadLetter).where(DeadLetter.source == f"satgas.rat-filings/0/{base + 1}"))
    assert letter.reason == "internal error while handling it: the handler choked"
    assert letter.original == b"poison"
