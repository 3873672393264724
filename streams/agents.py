"""Thin agents: each takes a batch from its topic and hands it to the service layer's handler."""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import async_sessionmaker

from config.logs import log_fields
from models.base import utcnow
from models.database import async_session_factory
from services.dead_letters import Incoming, Rejection, record_dead_letters
from services.handlers import handle_cooperatives, handle_filings, handle_missed, reconcile
from streams import topics
from streams.app import app, settings
from streams.in_order import InOrderWriter

log = logging.getLogger("satgas.worker")

Handler = Callable[..., Awaitable[None]]
#: Errors that mean "the database is not reachable right now": wait and try the same batch again.
TRANSIENT_ERRORS = (OperationalError, ConnectionError, TimeoutError)


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


async def _until_database_answers(action: Callable[[], Awaitable[Any]], what: str) -> Any:
    delay = 0.5
    while True:
        try:
            return await action()
        except TRANSIENT_ERRORS as error:
            log_fields(log, logging.WARNING, "database unavailable; retrying", what=what, error=str(error),
                       retry_in_s=delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)


def _log_outcomes(topic: str, messages: Sequence[Incoming], rejections: Sequence[Rejection]) -> None:
    """One debug line per event: applied, or dead-lettered with the reason."""
    if not log.isEnabledFor(logging.DEBUG):
        return
    reasons = {rejection.message.source: rejection.reason for rejection in rejections}
    for message in messages:
        reason = reasons.get(message.source)
        log_fields(log, logging.DEBUG, "event handled", topic=topic, source=message.source, key=message.key,
                   outcome="dead_letter" if reason else "applied", reason=reason)


async def handle_batch(handler: Handler, topic: str, events: Sequence, sessions: async_sessionmaker) -> None:
    """Apply a batch; if it fails for a reason other than an outage, apply its messages one by one
    and send the one that still fails to the dead-letter topic, so one bad record never stalls a partition.

    Bad input the handler refuses (not JSON, a missing field) is expected: it is dead-lettered and logged
    without a traceback. Only a handler that breaks logs one."""
    messages = to_incoming(topic, events)
    started = time.monotonic()
    try:
        rejections = await _until_database_answers(
            lambda: handler(sessions, messages, settings, utcnow()), f"{len(messages)} {topic} events"
        ) or []
    except Exception as error:
        log_fields(log, logging.WARNING, "batch failed; retrying its events one by one", topic=topic,
                   events=len(messages), error=f"{type(error).__name__}: {error}")
    else:
        _log_outcomes(topic, messages, rejections)
        log_fields(log, logging.INFO, "batch handled", topic=topic, events=len(messages),
                   applied=len(messages) - len(rejections), dead_lettered=len(rejections),
                   ms=round((time.monotonic() - started) * 1000))
        return
    dead_lettered = 0
    for message in messages:
        try:
            refused = await _until_database_answers(
                lambda: handler(sessions, [message], settings, utcnow()), message.source) or []
            _log_outcomes(topic, [message], refused)
            dead_lettered += len(refused)
        except Exception as error:
            log.error("event dead-lettered: its handler failed", exc_info=True,
                      extra={"fields": {"topic": topic, "source": message.source, "key": message.key}})
            rejection = Rejection(message, f"internal error while handling it: {error}")

            async def dead_letter(rejection: Rejection = rejection) -> None:
                async with sessions() as session, session.begin():
                    await record_dead_letters(session, [rejection], utcnow())

            await _until_database_answers(dead_letter, message.source)
            dead_lettered += 1
    log_fields(log, logging.INFO, "batch handled one by one", topic=topic, events=len(messages),
               applied=len(messages) - dead_lettered, dead_lettered=dead_lettered,
               ms=round((time.monotonic() - started) * 1000))


#: The writers of this worker's agents (the outbox relay gives way to them in a burst, streams/relay.py).
WRITERS: set[InOrderWriter] = set()


def in_burst() -> bool:
    """Whether a writer is applying large transactions: events arrive faster than it applies them one by one."""
    return any(writer.in_burst for writer in WRITERS)


def _batches(stream):
    return stream.take_events(settings.worker.batch_size, within=settings.worker.batch_within_seconds)


async def apply_in_order(stream, handler: Handler, topic: str) -> None:
    """Consumes the stream while a writer applies what has arrived, in order, one transaction at a time.

    The writer takes everything that arrived while it was busy (up to `batch_size` events): one event
    at a time when traffic is light, full transactions in a burst, and the worker never waits for a
    batch to fill while the database works, nor the database for the worker.

    `take_events` acknowledges a batch as soon as the agent asks for the next one, so each event is
    held (one more reference) until the transaction that applied it has committed: a worker killed
    mid-batch leaves it unacknowledged, and it is delivered again."""
    writer = InOrderWriter(
        lambda events: handle_batch(handler, topic, events, async_session_factory()),
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


@app.agent(topics.cooperatives, name="registry")
async def registry_agent(stream):
    await apply_in_order(stream, handle_cooperatives, "cooperatives")


@app.agent(topics.rat_filings, name="filings")
async def filings_agent(stream):
    await apply_in_order(stream, handle_filings, "rat-filings")


@app.agent(topics.rat_missed, name="missed-rat")
async def missed_rat_agent(stream):
    await apply_in_order(stream, handle_missed, "rat-missed")


@app.timer(interval=5.0, on_leader=True)
async def reconcile_races() -> None:
    try:
        evaluated = await reconcile(async_session_factory(), settings, utcnow())
        if evaluated:
            log_fields(log, logging.INFO, "reconciled filings", filings=evaluated)
    except Exception:
        log.exception("reconciliation failed; next try in 5 s")
