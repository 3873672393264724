"""Relays the outbox to Kafka from inside the worker (the leader only), at least once."""
from __future__ import annotations

import logging
import time

from aiokafka import AIOKafkaProducer

from config.logs import log_fields
from models.base import utcnow
from models.database import async_session_factory
from services import outbox
from streams.agents import in_burst
from streams.app import app, settings
from streams.record_batches import Message, batch_producer, publish_batches

log = logging.getLogger("satgas.relay")


def kafka_headers(row) -> list[tuple[str, bytes]]:
    """The message's own headers (most have none) and its outbox id."""
    own = [(name, str(value).encode()) for name, value in row.headers.items() if name != outbox.OUTBOX_ID_HEADER] \
        if row.headers else []
    return [*own, (outbox.OUTBOX_ID_HEADER, str(row.id).encode())]


class OutboxRelay:
    """Publishes pending outbox messages in record batches with a producer of its own, then marks them sent."""

    def __init__(self) -> None:
        self._producer: AIOKafkaProducer | None = None
        self.last_round = 0.0

    async def producer(self) -> AIOKafkaProducer:
        if self._producer is None:
            producer = batch_producer(settings.bootstrap_servers, acks="all", linger_ms=5)
            await producer.start()
            self._producer = producer
        return self._producer

    async def relay_once(self, limit: int) -> int:
        """Publish up to `limit` pending messages; returns how many went out."""
        self.last_round = time.monotonic()
        sessions = async_session_factory()
        async with sessions() as session, session.begin():
            rows = await outbox.pending(session, limit)
        if not rows:
            return 0
        by_topic: dict[str, list[Message]] = {}
        for row in rows:
            by_topic.setdefault(row.topic, []).append(
                (row.key.encode() if row.key else None, row.value, kafka_headers(row))
            )
        producer = await self.producer()
        for topic, messages in by_topic.items():
            await publish_batches(producer, settings.kafka.topic(topic), messages)
        async with sessions() as session, session.begin():
            await outbox.mark_sent(session, [row.id for row in rows], utcnow())
        return len(rows)

    async def relay_due(self, limit: int, busy: bool, busy_interval: float) -> None:
        """One tick of the relay: everything pending, in rounds of `limit`; while the agents are `busy`
        (a burst), one round once `busy_interval` seconds have passed since the last, and nothing else:
        the agents come first, and each round carries more messages for the same fixed cost."""
        if busy:
            if time.monotonic() - self.last_round >= busy_interval:
                if sent := await self.relay_once(limit):
                    log_fields(log, logging.INFO, "outbox relayed", messages=sent, burst=True)
            return
        while (sent := await self.relay_once(limit)) == limit:
            log_fields(log, logging.INFO, "outbox relayed", messages=sent)
        if sent:
            log_fields(log, logging.INFO, "outbox relayed", messages=sent)

    async def close(self) -> None:
        if self._producer is not None:
            producer, self._producer = self._producer, None
            await producer.stop()


relay = OutboxRelay()


@app.timer(interval=settings.worker.relay_interval_seconds, on_leader=True)
async def relay_outbox() -> None:
    """Relay everything pending; in a burst, one batch every `relay_busy_interval_seconds`."""
    try:
        await relay.relay_due(settings.worker.relay_batch_size, busy=in_burst(),
                              busy_interval=settings.worker.relay_busy_interval_seconds)
    except Exception as error:
        log_fields(log, logging.WARNING, "outbox relay failed", error=str(error),
                   retry_in_s=settings.worker.relay_interval_seconds)


@app.on_before_shutdown.connect
async def close_relay(app, **kwargs) -> None:
    await relay.close()
