"""The deadline sweep's publishing side: one missed-RAT event per overdue cooperative, straight to Kafka.

Not through the outbox: the sweep is derived from the database and idempotent, so a lost event is
published again by the next sweep.
"""
from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from models.database import reading
from models.regions import WIB
from services.sweep import Overdue, missed_rat_event, overdue_cooperatives
from streams.publisher import ensure_topics, publish_keyed


@dataclass(frozen=True)
class SweepResult:
    as_of: date
    published: int
    fiscal_years: list[int]

    def as_dict(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "published": self.published, "fiscal_years": self.fiscal_years}


def detection_time(as_of: date) -> datetime:
    """When a sweep as of `as_of` detected what it found: the start of that day in WIB, so the same
    calendar day in every zone."""
    return datetime.combine(as_of, time(0), tzinfo=WIB)


def publish_overdue(
    settings: Settings, overdue: Sequence[Overdue], as_of: date, progress: Callable[[int], object] | None = None
) -> SweepResult:
    """Events are stamped with `detection_time(as_of)`."""
    detected_at = detection_time(as_of)
    if overdue:
        ensure_topics(settings)
        events = ((item.nik, missed_rat_event(item, detected_at)) for item in overdue)
        publish_keyed(settings, "rat-missed", events, progress)
    return SweepResult(as_of, len(overdue), sorted({item.fiscal_year for item in overdue}))


def sweep(
    settings: Settings, sessions: sessionmaker[Session], as_of: date, provinces: Collection[str] | None = None
) -> SweepResult:
    with reading(sessions) as session:
        overdue = overdue_cooperatives(session, as_of, settings.rules, provinces)
    return publish_overdue(settings, overdue, as_of)
