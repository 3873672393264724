"""The transactional outbox: messages written with their cause, relayed to Kafka afterwards, at least once."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.messaging import OutboxMessage
from services.bulk import NO_SESSION_SYNC, among, insert_new_rows

#: Header the relay adds so the consumer can mark the message applied in its own transaction.
OUTBOX_ID_HEADER = "satgas-outbox-id"
#: Topics whose messages are user input: the embedded broker forgets them on restart, the outbox does not.
USER_INPUT_TOPICS = ("cooperatives", "rat-filings")


def message(
    message_id: str, topic: str, key: str | None, value: bytes, now: datetime, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    return {
        "message_id": message_id,
        "topic": topic,
        "key": key,
        "value": value,
        "headers": headers or {},
        "created_at": now,
    }


def insert_messages(dialect: str, messages: Sequence[dict[str, Any]]):
    """(statement, parameters) that store `messages`, skipping any already stored."""
    return insert_new_rows(dialect, OutboxMessage.__table__, messages)


async def enqueue(session: AsyncSession, messages: Sequence[dict[str, Any]]) -> None:
    if messages:
        await session.execute(*insert_messages(session.bind.dialect.name, messages))


#: What the relay needs of a pending message.
RELAY_COLUMNS = (OutboxMessage.id, OutboxMessage.topic, OutboxMessage.key, OutboxMessage.value, OutboxMessage.headers)


async def pending(session: AsyncSession, limit: int) -> Sequence[Row]:
    """The oldest unsent messages (RELAY_COLUMNS), as rows: the relay takes thousands at a time."""
    statement = select(*RELAY_COLUMNS).where(OutboxMessage.sent_at.is_(None)).order_by(OutboxMessage.id).limit(limit)
    return (await session.execute(statement)).all()


async def mark_sent(session: AsyncSession, ids: Sequence[int], now: datetime) -> None:
    if ids:
        statement = update(OutboxMessage).where(among(OutboxMessage.id, ids)).values(sent_at=now)
        await session.execute(statement, execution_options=NO_SESSION_SYNC)


async def mark_applied(session: AsyncSession, ids: Sequence[int], now: datetime) -> None:
    if ids:
        statement = update(OutboxMessage).where(among(OutboxMessage.id, set(ids)), OutboxMessage.applied_at.is_(None))
        await session.execute(statement.values(applied_at=now), execution_options=NO_SESSION_SYNC)


def requeue_unapplied_statement():
    """After a memory-only broker restarts, user input it held but no worker applied goes out again."""
    return (
        update(OutboxMessage)
        .where(
            OutboxMessage.topic.in_(USER_INPUT_TOPICS),
            OutboxMessage.sent_at.is_not(None),
            OutboxMessage.applied_at.is_(None),
        )
        .values(sent_at=None)
    )


def outbox_ids(headers_list: Sequence[dict[str, Any]]) -> list[int]:
    """The outbox ids named in the headers of a batch of consumed messages."""
    ids = []
    for headers in headers_list:
        value = (headers or {}).get(OUTBOX_ID_HEADER)
        if value is not None:
            try:
                ids.append(int(value.decode() if isinstance(value, bytes) else value))
            except ValueError:
                continue
    return ids
