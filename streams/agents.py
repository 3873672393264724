"""Thin agents: each consumes its topic and hands what arrived, in order, to the writer process
(streams/writer_process.py), which applies it with the service layer's handler."""
from __future__ import annotations

import logging
from collections.abc import Sequence

from config.logs import log_fields
from models.base import utcnow
from models.database import async_session_factory
from services.dead_letters import Incoming
from services.handlers import reconcile
from streams import topics
from streams.app import app, settings
from streams.in_order import InOrderWriter
from streams.writer_process import WriterProcess

log = logging.getLogger("satgas.worker")


def to_incoming(topic: str, events: Sequence) -> list[Incoming]:
    messages = []
    for event in events:
        message = event.message
        headers = message.headers or {}
        if not isinstance(headers, dict):
            headers = dict(headers)
        messages.append(
            Incoming(
                topic=topic,
                value=message.value if isinstance(message.value, bytes) else bytes(message.value or b""),
                key=message.key.decode(errors="replace") if message.key else None,
                source=f"{message.topic}/{message.partition}/{message.offset}",
                headers=headers,
            )
        )
    return messages


#: The writers of this worker's agents (the outbox relay gives way to them in a burst, streams/relay.py).
WRITERS: set[InOrderWriter] = set()
#: Where they apply their batches: one process for the three agents, beside this one's event loop.
WRITER_PROCESS = WriterProcess()


def in_burst() -> bool:
    """Whether a writer is applying large transactions: events arrive faster than it applies them one by one."""
    return any(writer.in_burst for writer in WRITERS)


def _batches(stream):
    return stream.take_events(settings.worker.batch_size, within=settings.worker.batch_within_seconds)


async def apply_in_order(stream, topic: str) -> None:
    """Consumes the stream while a writer applies what has arrived, in order, one transaction at a time.

    The writer takes everything that arrived while it was busy (up to `batch_size` events): one event
    at a time when traffic is light, full transactions in a burst, and the worker never waits for a
    batch to fill while the database works, nor the database for the worker. The transaction itself
    runs in the writer process, so consuming and writing use two cores.

    `take_events` acknowledges a batch as soon as the agent asks for the next one, so each event is
    held (one more reference) until the transaction that applied it has committed: a worker killed
    mid-batch leaves it unacknowledged, and it is delivered again."""
    WRITER_PROCESS.start()
    writer = InOrderWriter(
        lambda events: WRITER_PROCESS.apply(topic, to_incoming(topic, events)),
        settings.worker.batch_size,
        acknowledged=lambda message: app.sensors.on_message_out(message.tp, message.offset, message),
    )
    WRITERS.add(writer)
    try:
        async for events in _batches(stream):
            for event in events:
                event.message.incref()
            await writer.put(events)
    finally:
        WRITERS.discard(writer)
        await writer.stop()
        if not WRITERS:
            await WRITER_PROCESS.close()


@app.agent(topics.cooperatives, name="registry")
async def registry_agent(stream):
    await apply_in_order(stream, "cooperatives")


@app.agent(topics.rat_filings, name="filings")
async def filings_agent(stream):
    await apply_in_order(stream, "rat-filings")


@app.agent(topics.rat_missed, name="missed-rat")
async def missed_rat_agent(stream):
    await apply_in_order(stream, "rat-missed")


@app.timer(interval=5.0, on_leader=True)
async def reconcile_races() -> None:
    try:
        evaluated = await reconcile(async_session_factory(), settings, utcnow())
        if evaluated:
            log_fields(log, logging.INFO, "reconciled filings", filings=evaluated)
    except Exception:
        log.exception("reconciliation failed; next try in 5 s")
