"""The writer behind every agent: order, batching while busy, and acknowledgement only after commit."""
from __future__ import annotations

import asyncio

import pytest

from streams.in_order import InOrderWriter


class Event:
    """A faust event as the writer sees it: `ack()` releases the consumer's extra reference."""

    def __init__(self, number: int):
        self.number, self.message, self.acked = number, f"message {number}", False

    def ack(self) -> bool:
        self.acked = True
        return True


class Database:
    """Commits what it is given when the test lets it, and records each transaction."""

    def __init__(self):
        self.transactions: list[list[int]] = []
        self.gate = asyncio.Event()
        self.gate.set()
        self.failing = False

    async def apply(self, events) -> None:
        await self.gate.wait()
        if self.failing:
            raise RuntimeError("disk full")
        self.transactions.append([event.number for event in events])


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


async def test_events_are_applied_in_order_and_what_waits_goes_in_one_transaction():
    database, acknowledged = Database(), []
    writer = InOrderWriter(database.apply, most=100, acknowledged=acknowledged.append)
    database.gate.clear()  # the database is busy
    await writer.put([Event(0)])
    await settle()
    events = [Event(n) for n in range(1, 6)]
    for event in events:
        await writer.put([event])
    await settle()
    assert not any(event.acked for event in events)
    database.gate.set()
    await settle()
    await writer.stop()
    assert database.transactions == [[0], [1, 2, 3, 4, 5]]
    assert acknowledged == [f"message {n}" for n in range(6)]


async def test_nothing_is_acknowledged_before_its_transaction_commits():
    database = Database()
    writer = InOrderWriter(database.apply, most=100)
    database.gate.clear()
    event = Event(1)
    await writer.put([event])
    await settle()
    assert not event.acked and database.transactions == []
    database.gate.set()
    await settle()
    assert event.acked and database.transactions == [[1]]
    await writer.stop()


async def test_a_transaction_never_exceeds_the_bound_and_the_consumer_waits_for_room():
    database = Database()
    writer = InOrderWriter(database.apply, most=3)
    database.gate.clear()
    await writer.put([Event(0)])
    await settle()
    await writer.put([Event(n) for n in range(1, 4)])  # a full transaction's worth waits
    fourth = asyncio.create_task(writer.put([Event(4)]))
    await settle()
    assert not fourth.done()  # the consumer stops taking more
    database.gate.set()
    await fourth
    await settle()
    await writer.stop()
    assert database.transactions == [[0], [1, 2, 3], [4]]


async def test_a_failing_writer_stops_the_consumer_with_its_error_and_acknowledges_nothing():
    database = Database()
    database.failing = True
    writer = InOrderWriter(database.apply, most=10)
    event = Event(1)
    await writer.put([event])
    await settle()
    with pytest.raises(RuntimeError, match="disk full"):
        await writer.put([Event(2)])
    assert not event.acked
    with pytest.raises(RuntimeError, match="disk full"):
        await writer.stop()


async def test_stopping_lets_the_transaction_under_way_commit_and_leaves_the_rest_unacknowledged():
    database = Database()
    writer = InOrderWriter(database.apply, most=1)
    database.gate.clear()
    under_way, waiting = Event(1), Event(2)
    await writer.put([under_way])
    await settle()
    await writer.put([waiting])
    stopping = asyncio.create_task(writer.stop())
    await settle()
    database.gate.set()
    await stopping
    assert database.transactions == [[1]]
    assert under_way.acked and not waiting.acked


async def test_a_writer_is_in_a_burst_only_while_busy_with_large_transactions():
    database = Database()
    writer = InOrderWriter(database.apply, most=8)
    database.gate.clear()
    await writer.put([Event(0)])
    await settle()
    assert not writer.in_burst  # one event at a time: the outbox relay need not give way
    await writer.put([Event(n) for n in range(1, 4)])
    database.gate.set()
    await settle()
    database.gate.clear()
    await writer.put([Event(n) for n in range(4, 8)])
    await settle()
    assert writer.in_burst  # applying four events, a quarter or more of the most
    database.gate.set()
    await settle()
    assert not writer.in_burst  # idle again
    await writer.stop()
    assert database.transactions == [[0], [1, 2, 3], [4, 5, 6, 7]]
