"""One handler per input topic: decode a batch, then apply it in one transaction (idempotent)."""
from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from config import Settings
from models.regions import regencies
from models.rules.workdays import national_holidays
from services import outbox
from services.casework import CaseBatch, load_team_index
from services.dead_letters import Incoming, Rejection, record_dead_letters
from services.filings import evaluate_filings, missed_cases_with_filings, record_filings, waiting_filings
from services.missed_rat import open_missed_rat_cases
from services.registry import apply_cooperative_events
from streams.validation import InvalidEvent, decode_json, validate_cooperative, validate_filing, validate_missed

Record = TypeVar("Record")


def warm_up(today: date) -> None:
    """Load at start what the first batch would otherwise load while a burst waits (0.5 s): the holiday
    calendar of the years deadlines fall in, and the regions. Then set the garbage collector for
    batches: one allocates hundreds of thousands of short-lived objects, so the young generation is
    collected less often, and what start-up loaded (regions, holidays, the app), which lives as long
    as the process, is never rescanned."""
    holidays = national_holidays()
    for year in range(today.year - 2, today.year + 3):
        _ = date(year, 1, 1) in holidays  # python-holidays fills in a year when first asked about it
    regencies()
    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def decode_batch(
    messages: Sequence[Incoming], validate: Callable[[dict[str, Any]], Record]
) -> tuple[list[tuple[Incoming, Record]], list[Rejection]]:
    accepted, rejected = [], []
    for incoming in messages:
        try:
            accepted.append((incoming, validate(decode_json(incoming.value))))
        except InvalidEvent as error:
            rejected.append(Rejection(incoming, str(error)))
    return accepted, rejected


async def new_case_batch(session: AsyncSession, settings: Settings, now: datetime) -> CaseBatch:
    return CaseBatch(settings.rules, national_holidays(), await load_team_index(session), now)


async def _store_then_evaluate_filings(
    sessions: async_sessionmaker,
    messages: Sequence[Incoming],
    validate: Callable[[dict[str, Any]], Any],
    store: Callable,
    settings: Settings,
    now: datetime,
) -> list[Rejection]:
    """Store the batch's events, then evaluate every filing of those cooperatives still waiting."""
    accepted, rejected = decode_batch(messages, validate)
    events = [event for _, event in accepted]
    async with sessions() as session, session.begin():
        await record_dead_letters(session, rejected, now)
        await store(session, events, now)
        batch = await new_case_batch(session, settings, now)
        await evaluate_filings(session, await waiting_filings(session, [e.nik for e in events]), batch)
        await batch.write(session)
        await outbox.mark_applied(session, outbox.outbox_ids([m.headers for m in messages]), now)
    return rejected


async def handle_cooperatives(
    sessions: async_sessionmaker, messages: Sequence[Incoming], settings: Settings, now: datetime
) -> list[Rejection]:
    """Registry events; a filing that arrived before its cooperative is evaluated now. Returns the refused ones."""
    return await _store_then_evaluate_filings(
        sessions, messages, validate_cooperative, apply_cooperative_events, settings, now
    )


async def handle_filings(
    sessions: async_sessionmaker, messages: Sequence[Incoming], settings: Settings, now: datetime
) -> list[Rejection]:
    """RAT filings: stored once by filing_id, evaluated when their cooperative is known. Returns the refused ones."""
    return await _store_then_evaluate_filings(sessions, messages, validate_filing, record_filings, settings, now)


async def handle_missed(
    sessions: async_sessionmaker, messages: Sequence[Incoming], settings: Settings, now: datetime
) -> list[Rejection]:
    """Missed-RAT events from the sweep; returns the refused ones (malformed, unknown NIK)."""
    accepted, rejected = decode_batch(messages, validate_missed)
    async with sessions() as session, session.begin():
        batch = await new_case_batch(session, settings, now)
        refused = await open_missed_rat_cases(session, [event for _, event in accepted], batch)
        rejected += [
            Rejection(incoming, refused[(event.nik, event.fiscal_year)])
            for incoming, event in accepted
            if (event.nik, event.fiscal_year) in refused
        ]
        await record_dead_letters(session, rejected, now)
        await batch.write(session)
    return rejected


async def reconcile(sessions: async_sessionmaker, settings: Settings, now: datetime) -> int:
    """Catch what two agents racing on one cooperative may leave behind; returns the filings evaluated."""
    async with sessions() as session, session.begin():
        filings = await waiting_filings(session) + await missed_cases_with_filings(session)
        if not filings:
            return 0
        batch = await new_case_batch(session, settings, now)
        await evaluate_filings(session, filings, batch)
        await batch.write(session)
        return len(filings)
