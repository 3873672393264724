"""Events the worker refuses: kept in the database and forwarded to `dead-letter` with the reason."""
from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from models.messaging import DeadLetter
from services import outbox
from services.bulk import insert_new_rows

REASON_HEADER = "satgas-reason"
SOURCE_HEADER = "satgas-source"
#: Set by `satgas dead-letter replay` (services.dead_letter_replay).
REPLAY_OF_HEADER = "satgas-replay-of"
#: Longest key the outbox and dead_letters tables keep; a longer key (never a NIK) is cut.
MAX_KEY = 64


@dataclass(frozen=True)
class Incoming:
    """One consumed Kafka message, as the service layer sees it."""

    topic: str  #: without prefix
    value: bytes
    key: str | None = None
    #: "topic/partition/offset" of the record; a replay of it carries the same source.
    source: str = ""
    headers: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rejection:
    message: Incoming
    reason: str


def _details(incoming: Incoming) -> dict[str, Any]:
    """A replayed event that is refused again names the dead letter it replays."""
    replay_of = (incoming.headers or {}).get(REPLAY_OF_HEADER)
    if isinstance(replay_of, bytes):
        replay_of = replay_of.decode(errors="replace")
    return {"replay_of": replay_of} if replay_of else {}


async def record_dead_letters(session: AsyncSession, rejections: Sequence[Rejection], now: datetime) -> None:
    """The original bytes go to `dead-letter` unchanged; reason and source travel in headers."""
    if not rejections:
        return
    rows, messages = [], []
    for rejection in rejections:
        incoming = rejection.message
        key = incoming.key[:MAX_KEY] if incoming.key else None
        source = incoming.source or f"{incoming.topic}/unknown/{base64.b16encode(incoming.value[:32]).decode()}"
        rows.append(
            {
                "source": source,
                "topic": incoming.topic,
                "key": key,
                "reason": rejection.reason,
                "original": incoming.value,
                "received_at": now,
                "details": _details(incoming),
            }
        )
        messages.append(
            outbox.message(
                f"dead-letter:{source}",
                "dead-letter",
                key,
                incoming.value,
                now,
                headers={REASON_HEADER: rejection.reason, SOURCE_HEADER: source},
            )
        )
    await session.execute(*insert_new_rows(session.bind.dialect.name, DeadLetter.__table__, rows))
    await outbox.enqueue(session, messages)
