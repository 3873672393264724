"""Keeps the cooperative registry in step with the `cooperatives` topic."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Row, select
from sqlalchemy.ext.asyncio import AsyncSession

from models.registry import Cooperative
from services.bulk import upsert
from services.bulk_reads import among
from streams.records import CooperativeEvent

_UPDATED_COLUMNS = (
    "name", "kind", "level", "membership_area", "regency_code", "province_code",
    "email", "status", "fiscal_year_end", "updated_at",
)


async def apply_cooperative_events(session: AsyncSession, events: Sequence[CooperativeEvent], now: datetime) -> None:
    """Insert or update each cooperative; the last event for a NIK in the batch wins."""
    latest = {event.nik: event for event in events}
    rows = [
        {
            "nik": event.nik,
            "name": event.name,
            "kind": event.kind,
            "level": event.level,
            "membership_area": event.membership_area,
            "regency_code": event.regency_code,
            "province_code": event.regency_code[:2],
            "email": event.email,
            "status": event.status,
            "fiscal_year_end": event.fiscal_year_end,
            "updated_at": now,
        }
        for event in latest.values()
    ]
    if rows:
        statement = upsert(session.bind.dialect.name, Cooperative.__table__, ["nik"], _UPDATED_COLUMNS)
        await session.execute(statement, rows)


#: What the case rules read of a cooperative.
RULE_COLUMNS = (
    Cooperative.nik, Cooperative.kind, Cooperative.level, Cooperative.membership_area,
    Cooperative.regency_code, Cooperative.status, Cooperative.fiscal_year_end,
)


async def load_cooperatives(session: AsyncSession, niks: Sequence[str]) -> dict[str, Row]:
    """The RULE_COLUMNS of each known cooperative, as rows: a batch needs thousands, not ORM objects."""
    rows = await session.execute(select(*RULE_COLUMNS).where(among(Cooperative.nik, set(niks))))
    return {cooperative.nik: cooperative for cooperative in rows}
