"""Accepts user input (registry imports, RAT filings) into the outbox: stored first, relayed to Kafka after."""
from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.messaging import OutboxMessage
from models.registry import Cooperative
from services import outbox
from services.bulk_reads import among
from streams.records import CooperativeEvent, RatFilingEvent


@dataclass
class Acceptance:
    new: int = 0
    #: Already held exactly as given: nothing to send.
    unchanged: int = 0
    #: key -> why it was refused (e.g. a filing id already used for other figures).
    refused: dict[str, str] = field(default_factory=dict)


def _insert(session: Session, messages: list[dict]) -> None:
    if messages:
        session.execute(*outbox.insert_messages(session.bind.dialect.name, messages))


def _same_as_registry(row: Cooperative, event: CooperativeEvent) -> bool:
    return all(getattr(row, name) == getattr(event, name) for name in CooperativeEvent._options.fields)


def accept_cooperatives(session: Session, events: Sequence[CooperativeEvent], now: datetime) -> Acceptance:
    """A row the registry already holds as given is left out; any other is sent, even one that
    returns to an earlier version (A, then B, then A again)."""
    registry = {
        row.nik: row
        for row in session.scalars(select(Cooperative).where(Cooperative.nik.in_([e.nik for e in events])))
    }
    result, messages = Acceptance(), []
    for event in events:
        if event.nik in registry and _same_as_registry(registry[event.nik], event):
            result.unchanged += 1
            continue
        message_id = f"cooperatives:{event.nik}:{uuid.uuid4().hex}"
        messages.append(outbox.message(message_id, "cooperatives", event.nik, event.dumps(), now))
    _insert(session, messages)
    result.new = len(messages)
    return result


def filing_message_id(filing_id: str) -> str:
    return f"rat-filings:{filing_id}"


def accept_filings(session: Session, events: Sequence[RatFilingEvent], now: datetime) -> Acceptance:
    """A filing is received once per filing_id; the same id with other figures is refused."""
    ids = among(OutboxMessage.message_id, [filing_message_id(e.filing_id) for e in events])
    earlier = dict(session.execute(select(OutboxMessage.message_id, OutboxMessage.value).where(ids)).tuples().all())
    result, messages = Acceptance(), []
    for event in events:
        message_id, value = filing_message_id(event.filing_id), event.dumps()
        if message_id not in earlier:
            messages.append(outbox.message(message_id, "rat-filings", event.nik, value, now))
        elif earlier[message_id] == value:
            result.unchanged += 1
        else:
            result.refused[event.filing_id] = (
                f"filing {event.filing_id} was already received with other figures; "
                "send a correction under a new filing_id"
            )
    _insert(session, messages)
    result.new = len(messages)
    return result
