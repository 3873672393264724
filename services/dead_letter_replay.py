"""Replaying dead letters after a fix: each one goes back to its topic once, through the outbox.

The outbox message id is derived from the dead letter's id, and the dead letter is marked replayed in the
same transaction, so replaying twice (or two operators at once) sends nothing twice. A replayed event that
is refused again becomes a new dead letter (it has a new offset), which can be replayed in its turn.
"""
from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models.messaging import DeadLetter
from services import outbox
from services.bulk import chunks
from services.dead_letters import REPLAY_OF_HEADER
PENDING = "pending"
REPLAYED = "replayed"


def replay_message_id(dead_letter_id: int) -> str:
    return f"replay:dead-letter:{dead_letter_id}"


@dataclass
class ReplayResult:
    replayed: list[int] = field(default_factory=list)
    already_replayed: list[int] = field(default_factory=list)
    unknown: list[int] = field(default_factory=list)


def find_dead_letters(
    session: Session, ids: Collection[int] = (), topic: str | None = None, status: str | None = None,
    limit: int | None = None,
) -> list[DeadLetter]:
    """Newest first; `status` is "pending" (never replayed) or "replayed"."""
    statement = select(DeadLetter).order_by(DeadLetter.id.desc())
    if ids:
        statement = statement.where(DeadLetter.id.in_(sorted(ids)))
    if topic:
        statement = statement.where(DeadLetter.topic == topic)
    if status == PENDING:
        statement = statement.where(DeadLetter.replayed_at.is_(None))
    elif status == REPLAYED:
        statement = statement.where(DeadLetter.replayed_at.is_not(None))
    if limit:
        statement = statement.limit(limit)
    return list(session.scalars(statement))


def replay(session: Session, letters: Sequence[DeadLetter], now: datetime, asked_for: Collection[int] = ()
           ) -> ReplayResult:
    """Queue each pending letter's original key and bytes for its topic; the caller relays the outbox."""
    result = ReplayResult(unknown=sorted(set(asked_for) - {letter.id for letter in letters}))
    pending = [letter for letter in letters if letter.replayed_at is None]
    result.already_replayed = sorted(letter.id for letter in letters if letter.replayed_at is not None)
    for chunk in chunks(sorted(pending, key=lambda letter: letter.id), 1000):
        messages = [
            outbox.message(replay_message_id(letter.id), letter.topic, letter.key, letter.original, now,
                           headers={REPLAY_OF_HEADER: str(letter.id)})
            for letter in chunk
        ]
        session.execute(*outbox.insert_messages(session.bind.dialect.name, messages))
        marked = session.execute(
            update(DeadLetter).where(DeadLetter.id.in_([letter.id for letter in chunk]),
                                     DeadLetter.replayed_at.is_(None))
            .values(replayed_at=now).returning(DeadLetter.id)
        ).scalars().all()
        result.replayed += sorted(marked)
        result.already_replayed += sorted({letter.id for letter in chunk} - set(marked))
    result.already_replayed.sort()
    return result


def dead_letter_as_dict(letter: DeadLetter) -> dict[str, Any]:
    return {
        "id": letter.id,
        "topic": letter.topic,
        "key": letter.key,
        "reason": letter.reason,
        "source": letter.source,
        "received_at": letter.received_at.isoformat(),
        "replayed_at": letter.replayed_at.isoformat() if letter.replayed_at else None,
        "replay_of": (letter.details or {}).get("replay_of"),
        "original": letter.original.decode("utf-8", errors="replace"),
    }
