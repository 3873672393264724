"""Thin agents: each takes a batch from its topic and hands it to the service layer's handler."""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence

from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import async_sessionmaker

from models.base import utcnow
from models.database import async_session_factory
from services.dead_letters import Incoming, Rejection, record_dead_letters
from services.handlers import handle_cooperatives, handle_filings, handle_missed, reconcile
from streams import topics
from streams.app import app, settings

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


async def _until_database_answers(action: Callable[[], Awaitable[None]], what: str) -> None:
    delay = 0.5
    while True:
        try:
            return await action()
        except TRANSIENT_ERRORS as error:
            log.warning("database unavailable while handling %s (%s); retrying in %.1fs", what, error, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 30.0)


async def handle_batch(handler: Handler, topic: str, events: Sequence, sessions: async_sessionmaker) -> None:
    """Apply a batch; if it fails for a reason other than an outage, apply its messages one by one
    and send the one that still fails to the dead-letter topic, so one bad record never stalls a partition."""
    messages = to_incoming(topic, events)
    started = time.monotonic()
    try:
        await _until_database_answers(
            lambda: handler(sessions, messages, settings, utcnow()), f"{len(messages)} {topic} events"
        )
        log.info("handled %d %s events in %.2f s", len(messages), topic, time.monotonic() - started)
        return
    except Exception:
        log.exception("a batch of %d %s events failed; retrying them one by one", len(messages), topic)
    for message in messages:
        try:
            await _until_database_answers(lambda: handler(sessions, [message], settings, utcnow()), message.source)
        except Exception as error:
            log.exception("event %s failed; sent to dead-letter", message.source)
            rejection = Rejection(message, f"internal error while handling it: {error}")

            async def dead_letter(rejection: Rejection = rejection) -> None:
                async with sessions() as session, session.begin():
                    await record_dead_letters(session, [rejection], utcnow())

            await _until_database_answers(dead_letter, message.source)


def _batches(stream):
    return stream.take_events(settings.worker.batch_size, within=settings.worker.batch_within_seconds)


@app.agent(topics.cooperatives, name="registry")
async def registry_agent(stream):
    async for events in _batches(stream):
        await handle_batch(handle_cooperatives, "cooperatives", events, async_session_factory())


@app.agent(topics.rat_filings, name="filings")
async def filings_agent(stream):
    async for events in _batches(stream):
        await handle_batch(handle_filings, "rat-filings", events, async_session_factory())


@app.agent(topics.rat_missed, name="missed-rat")
async def missed_rat_agent(stream):
    async for events in _batches(stream):
        await handle_batch(handle_missed, "rat-missed", events, async_session_factory())


@app.timer(interval=5.0, on_leader=True)
async def reconcile_races() -> None:
    try:
        evaluated = await reconcile(async_session_factory(), settings, utcnow())
        if evaluated:
            log.info("reconciled %d filings", evaluated)
    except Exception:
        log.exception("reconciliation failed; next try in 5 s")
