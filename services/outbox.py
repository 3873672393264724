"""The transactional outbox: messages written with their cause, relayed to Kafka afterwards, at least once."""
from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.messaging import OutboxMessage
from services.bulk import NO_SESSION_SYNC, insert_new_rows
from services.bulk_reads import among, json_rows, rows_as_json

#: Header the relay adds so the consumer can mark the message applied in its own transaction.
OUTBOX_ID_HEADER = "satgas-outbox-id"
#: Topics whose messages are user input: the embedded broker forgets them on restart, the outbox does not.
USER_INPUT_TOPICS = ("cooperatives", "rat-filings")


#: An outbox row as `message_row` builds it.
MESSAGE_COLUMNS = ("message_id", "topic", "key", "value", "headers", "created_at")


def message_row(
    message_id: str, topic: str, key: str | None, value: bytes, now: datetime, headers: dict[str, str] | None = None
) -> tuple:
    return message_id, topic, key, value, headers or {}, now


def message(
    message_id: str, topic: str, key: str | None, value: bytes, now: datetime, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    return dict(zip(MESSAGE_COLUMNS, message_row(message_id, topic, key, value, now, headers)))


def insert_messages(dialect: str, messages: Sequence[dict[str, Any]] | Sequence[tuple], columns=None):
    """(statement, parameters) that store `messages` (dicts, or MESSAGE_COLUMNS rows), skipping any already stored."""
    return insert_new_rows(dialect, OutboxMessage.__table__, messages, columns)


async def enqueue(session: AsyncSession, messages: Sequence[dict[str, Any]]) -> None:
    if messages:
        await session.execute(*insert_messages(session.bind.dialect.name, messages))


class Pending(NamedTuple):
    """What the relay needs of a message not sent yet."""

    id: int
    topic: str
    key: str | None
    value: bytes
    headers: dict[str, str]


async def pending(session: AsyncSession, limit: int) -> list[Pending]:
    """The oldest unsent messages, oldest first: the relay takes thousands at a time, in one result value."""
    rows = await json_rows(session, _pending_query(session.bind.dialect.name), {"limit": limit})
    return sorted(Pending(id, topic, key, bytes.fromhex(value), headers or {}) for id, topic, key, value, headers in rows)


@cache
def _pending_query(dialect: str) -> str:
    postgresql = dialect == "postgresql"
    found = rows_as_json(dialect, [
        "id", "topic", '"key"', "encode(value, 'hex')" if postgresql else "hex(value)",
        "headers" if postgresql else "json(headers)",
    ])
    return (
        f'SELECT {found} FROM (SELECT id, topic, "key", value, headers FROM {OutboxMessage.__tablename__} '
        f"WHERE sent_at IS NULL ORDER BY id LIMIT :limit) AS waiting"
    )


def _update_in_id_order(*conditions):
    """An UPDATE of the outbox rows that match, locking them in id order first. Relays (worker, web, CLI)
    and consumers mark the same rows at the same time; on PostgreSQL each UPDATE would otherwise lock
    rows in the order its plan scans them, and two scanning in different orders deadlock. SQLite locks
    the whole database and renders no FOR UPDATE."""
    rows = select(OutboxMessage.id).where(*conditions).order_by(OutboxMessage.id).with_for_update()
    return update(OutboxMessage).where(OutboxMessage.id.in_(rows.scalar_subquery()))


def mark_sent_statement(ids: Collection[int], now: datetime):
    """Marks sent what no other relay has marked in the meantime (an earlier time stays)."""
    return _update_in_id_order(among(OutboxMessage.id, ids), OutboxMessage.sent_at.is_(None)).values(sent_at=now)


async def mark_sent(session: AsyncSession, ids: Collection[int], now: datetime) -> None:
    if ids:
        await session.execute(mark_sent_statement(ids, now), execution_options=NO_SESSION_SYNC)


def mark_applied_statement(ids: Collection[int], now: datetime):
    return _update_in_id_order(among(OutboxMessage.id, ids), OutboxMessage.applied_at.is_(None)).values(applied_at=now)


async def mark_applied(session: AsyncSession, ids: Collection[int], now: datetime) -> None:
    if ids:
        await session.execute(mark_applied_statement(set(ids), now), execution_options=NO_SESSION_SYNC)


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
