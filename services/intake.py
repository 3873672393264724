"""Accepts user input (registry imports, RAT filings) into the outbox: stored first, relayed to Kafka after."""
from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.messaging import OutboxMessage
from services import outbox
from services.bulk import chunks
from streams.records import CooperativeEvent, RatFilingEvent


def cooperative_message_id(event: CooperativeEvent, value: bytes) -> str:
    """The same registry row imported twice is one message; a changed row is a new one."""
    return f"cooperatives:{event.nik}:{hashlib.sha256(value).hexdigest()[:20]}"


def filing_message_id(event: RatFilingEvent) -> str:
    return f"rat-filings:{event.filing_id}"


def _already_accepted(session: Session, message_ids: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for chunk in chunks(sorted(set(message_ids))):
        found.update(session.scalars(select(OutboxMessage.message_id).where(OutboxMessage.message_id.in_(chunk))))
    return found


def _accept(session: Session, messages: list[dict]) -> int:
    """Insert the messages not accepted before; returns how many are new."""
    seen = _already_accepted(session, [m["message_id"] for m in messages])
    fresh = list({m["message_id"]: m for m in messages if m["message_id"] not in seen}.values())
    if fresh:
        session.execute(outbox.insert_messages_statement(session.bind.dialect.name), fresh)
    return len(fresh)


def accept_cooperatives(session: Session, events: Sequence[CooperativeEvent], now: datetime) -> int:
    messages = []
    for event in events:
        value = event.dumps()
        messages.append(outbox.message(cooperative_message_id(event, value), "cooperatives", event.nik, value, now))
    return _accept(session, messages)


def accept_filings(session: Session, events: Sequence[RatFilingEvent], now: datetime) -> int:
    messages = [outbox.message(filing_message_id(e), "rat-filings", e.nik, e.dumps(), now) for e in events]
    return _accept(session, messages)
