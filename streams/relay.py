"""Relays the outbox to Kafka from inside the worker (the leader only), at least once."""
from __future__ import annotations

import asyncio
import logging

from config.logs import log_fields
from models.base import utcnow
from models.database import async_session_factory
from services import outbox
from streams.app import app, settings

log = logging.getLogger("satgas.relay")


def kafka_headers(row) -> list[tuple[str, bytes]]:
    headers = {**(row.headers or {}), outbox.OUTBOX_ID_HEADER: str(row.id)}
    return [(name, str(value).encode()) for name, value in headers.items()]


async def relay_once(limit: int) -> int:
    """Publish up to `limit` pending messages; returns how many went out."""
    sessions = async_session_factory()
    async with sessions() as session, session.begin():
        rows = await outbox.pending(session, limit)
    if not rows:
        return 0
    producer = app.producer
    futures = [
        await producer.send(
            topic=settings.kafka.topic(row.topic),
            key=row.key.encode() if row.key else None,
            value=row.value,
            partition=None,
            timestamp=None,
            headers=kafka_headers(row),
        )
        for row in rows
    ]
    await asyncio.gather(*futures)
    async with sessions() as session, session.begin():
        await outbox.mark_sent(session, [row.id for row in rows], utcnow())
    return len(rows)


@app.timer(interval=settings.worker.relay_interval_seconds, on_leader=True)
async def relay_outbox() -> None:
    try:
        while (sent := await relay_once(settings.worker.relay_batch_size)) == settings.worker.relay_batch_size:
            log_fields(log, logging.INFO, "outbox relayed", messages=sent)
        if sent:
            log_fields(log, logging.INFO, "outbox relayed", messages=sent)
    except Exception as error:
        log_fields(log, logging.WARNING, "outbox relay failed", error=str(error),
                   retry_in_s=settings.worker.relay_interval_seconds)
