"""Applying one batch of consumed messages: retried while the database is away, and one bad record
dead-lettered without stalling its partition. Free of faust: it runs in the writer process."""
from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import async_sessionmaker

from config import get_settings
from config.logs import log_fields
from models.base import utcnow
from services.dead_letters import Incoming, Rejection, record_dead_letters
from services.handlers import handle_cooperatives, handle_filings, handle_missed

log = logging.getLogger("satgas.worker")

Handler = Callable[..., Awaitable[None]]
#: The handler of each input topic (without prefix).
HANDLERS: dict[str, Handler] = {
    "cooperatives": handle_cooperatives,
    "rat-filings": handle_filings,
    "rat-missed": handle_missed,
}
#: Errors that mean "the database is not reachable right now": wait and try the same batch again.
TRANSIENT_ERRORS = (OperationalError, ConnectionError, TimeoutError)


async def until_database_answers(action: Callable[[], Awaitable[Any]], what: str) -> Any:
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


async def handle_batch(
    handler: Handler, topic: str, messages: Sequence[Incoming], sessions: async_sessionmaker
) -> None:
    """Apply a batch; if it fails for a reason other than an outage, apply its messages one by one
    and send the one that still fails to the dead-letter topic, so one bad record never stalls a partition.

    Bad input the handler refuses (not JSON, a missing field) is expected: it is dead-lettered and logged
    without a traceback. Only a handler that breaks logs one."""
    settings = get_settings()
    started = time.monotonic()
    try:
        rejections = await until_database_answers(
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
            refused = await until_database_answers(
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

            await until_database_answers(dead_letter, message.source)
            dead_lettered += 1
    log_fields(log, logging.INFO, "batch handled one by one", topic=topic, events=len(messages),
               applied=len(messages) - dead_lettered, dead_lettered=dead_lettered,
               ms=round((time.monotonic() - started) * 1000))
