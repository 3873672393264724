"""Producing and topic administration from synchronous code (the CLI): kafka-python, and aiokafka for bulk."""
from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable, Iterable
from datetime import datetime, timezone

from aiokafka.errors import KafkaError as AIOKafkaError
from kafka import KafkaProducer
from kafka.admin import KafkaAdminClient, NewTopic
from kafka.errors import KafkaError, TopicAlreadyExistsError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from config.settings import TOPICS
from models.messaging import OutboxMessage
from services.bulk import NO_SESSION_SYNC
from services.outbox import OUTBOX_ID_HEADER, mark_sent_statement
from streams.record_batches import batch_producer, publish_batches

log = logging.getLogger("satgas.publisher")


class BrokerUnavailable(RuntimeError):
    """Kafka could not be reached."""


def check_reachable(bootstrap_servers: str, timeout: float = 3.0) -> None:
    """Fail in seconds, not after kafka-python's long bootstrap back-off, when no broker listens."""
    for address in bootstrap_servers.split(","):
        host, _, port = address.strip().rpartition(":")
        try:
            socket.create_connection((host.strip("[]") or "localhost", int(port)), timeout=timeout).close()
            return
        except (OSError, ValueError):
            continue
    raise BrokerUnavailable(f"cannot reach Kafka at {bootstrap_servers}")


def ensure_topics(settings: Settings) -> None:
    """Create the public topics if missing, with the configured partition count."""
    check_reachable(settings.bootstrap_servers)
    try:
        admin = KafkaAdminClient(bootstrap_servers=settings.bootstrap_servers, request_timeout_ms=10000)
    except KafkaError as error:
        raise BrokerUnavailable(f"cannot reach Kafka at {settings.bootstrap_servers}: {error}") from None
    try:
        existing = set(admin.list_topics())
        missing = [
            NewTopic(settings.kafka.topic(name), settings.kafka.partitions, settings.kafka.replication_factor)
            for name in TOPICS
            if settings.kafka.topic(name) not in existing
        ]
        if missing:
            try:
                admin.create_topics(missing)
            except TopicAlreadyExistsError:
                pass
    finally:
        admin.close()


class Publisher:
    """A kafka-python producer for the public topics; keys are NIKs."""

    def __init__(self, settings: Settings):
        self.settings = settings
        check_reachable(settings.bootstrap_servers)
        try:
            self.producer = KafkaProducer(
                bootstrap_servers=settings.bootstrap_servers,
                linger_ms=20,
                batch_size=256 * 1024,
                acks=1,
                max_block_ms=15000,
            )
        except KafkaError as error:
            raise BrokerUnavailable(f"cannot reach Kafka at {settings.bootstrap_servers}: {error}") from None

    def send(self, topic: str, key: str | None, value: bytes, headers: dict[str, str] | None = None):
        return self.producer.send(
            self.settings.kafka.topic(topic),
            key=key.encode() if key else None,
            value=value,
            headers=[(name, str(v).encode()) for name, v in (headers or {}).items()],
        )

    def flush(self, timeout: float = 60.0) -> None:
        self.producer.flush(timeout)

    def close(self) -> None:
        self.producer.close(timeout=10)

    def __enter__(self) -> Publisher:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


async def _publish_keyed(
    settings: Settings, topic: str, messages: Iterable[tuple[str, bytes]], progress: Callable[[int], None] | None
) -> int:
    producer = batch_producer(settings.bootstrap_servers, linger_ms=20, acks=1, request_timeout_ms=30000)
    try:
        await producer.start()
        keyed = ((key.encode(), value, []) for key, value in messages)
        return await publish_batches(producer, settings.kafka.topic(topic), keyed, progress)
    except AIOKafkaError as error:
        raise BrokerUnavailable(f"cannot publish to Kafka at {settings.bootstrap_servers}: {error}") from None
    finally:
        await producer.stop()


def publish_keyed(
    settings: Settings, topic: str, messages: Iterable[tuple[str, bytes]], progress: Callable[[int], None] | None = None
) -> int:
    """Publish many (key, value) messages and wait until Kafka has them all, in record batches
    (streams/record_batches.py): a national sweep publishes over 100,000 events."""
    check_reachable(settings.bootstrap_servers)
    return asyncio.run(_publish_keyed(settings, topic, messages, progress))


def relay_outbox(
    sessions: sessionmaker[Session], publisher: Publisher, batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Publish every pending outbox message and mark it sent; the worker's relay does the same."""
    relayed = 0
    while True:
        with sessions() as session:
            rows = session.scalars(
                select(OutboxMessage).where(OutboxMessage.sent_at.is_(None)).order_by(OutboxMessage.id).limit(batch_size)
            ).all()
        if not rows:
            return relayed
        futures = [
            publisher.send(row.topic, row.key, row.value, {**(row.headers or {}), OUTBOX_ID_HEADER: str(row.id)})
            for row in rows
        ]
        publisher.flush()
        for future in futures:
            future.get(timeout=30)
        with sessions.begin() as session:
            session.execute(mark_sent_statement([row.id for row in rows], datetime.now(timezone.utc)),
                            execution_options=NO_SESSION_SYNC)
        relayed += len(rows)
        if progress:
            progress(len(rows))
