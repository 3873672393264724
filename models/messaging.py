"""The outbox (what must reach Kafka, written in the same transaction as its cause) and dead letters."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base

#: Integer primary keys that autoincrement on SQLite too.
AutoId = BigInteger().with_variant(Integer, "sqlite")


class OutboxMessage(Base):
    """A message to publish. `message_id` makes writing it twice a no-op."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    #: Topic name without the prefix, e.g. "case-events".
    topic: Mapped[str] = mapped_column(String(64))
    key: Mapped[str | None] = mapped_column(String(64))
    value: Mapped[bytes] = mapped_column(LargeBinary)
    headers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    #: Set by the worker in the transaction that stored the message's effect (user input only).
    applied_at: Mapped[datetime | None]


class DeadLetter(Base):
    """An event the worker could not accept, with the reason and its original bytes."""

    __tablename__ = "dead_letters"

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    #: topic/partition/offset: a replay of the same record is recorded once.
    source: Mapped[str] = mapped_column(String(200), unique=True)
    topic: Mapped[str] = mapped_column(String(64))
    key: Mapped[str | None] = mapped_column(String(64))
    reason: Mapped[str] = mapped_column(Text)
    original: Mapped[bytes] = mapped_column(LargeBinary)
    received_at: Mapped[datetime]
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    #: When `satgas dead-letter replay` sent it to its topic again (NULL: never).
    replayed_at: Mapped[datetime | None]
