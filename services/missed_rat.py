"""Opens a case for every cooperative that missed its RAT report (topic `rat-missed`)."""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from models.cases import RAT_HELD, rat_case_id
from models.filings import RatFiling
from models.regions import timezone_of_regency
from models.rules.cases import RAT_MISSED, RAT_MISSED_REPEAT, missed_rat_case
from services.bulk import covering_nik_year_pairs
from services.casework import CaseBatch, load_case_states
from services.registry import load_cooperatives
from streams.records import DIBUBARKAN, RatMissedEvent

MISSED_RULES = (RAT_MISSED, RAT_MISSED_REPEAT)


async def filed_years(session: AsyncSession, pairs: Sequence[tuple[str, int]]) -> set[tuple[str, int]]:
    """The (NIK, fiscal year) pairs among `pairs` that have a RAT filing."""
    wanted = set(pairs)
    where = covering_nik_year_pairs(RatFiling.nik, RatFiling.fiscal_year, wanted)
    rows = await session.execute(select(RatFiling.nik, RatFiling.fiscal_year).where(where))
    return {pair for pair in rows.tuples() if pair in wanted}


async def open_missed_rat_cases(
    session: AsyncSession, events: Sequence[RatMissedEvent], batch: CaseBatch
) -> dict[tuple[str, int], str]:
    """Returns the (NIK, fiscal year) pairs refused, with the reason (an unknown cooperative)."""
    latest = {(event.nik, event.fiscal_year): event for event in events}
    cooperatives = await load_cooperatives(session, [nik for nik, _ in latest])
    batch.states.update(
        await load_case_states(
            session, [rat_case_id(nik, year - back) for nik, year in latest for back in (0, 1)]
        )
    )
    filed = await filed_years(session, list(latest))
    refused: dict[tuple[str, int], str] = {}
    for (nik, fiscal_year), event in latest.items():
        cooperative = cooperatives.get(nik)
        if cooperative is None:
            refused[(nik, fiscal_year)] = f"no cooperative with NIK {nik} in the registry"
            continue
        if cooperative.status == DIBUBARKAN or (nik, fiscal_year) in filed:
            continue
        previous = batch.states.get(rat_case_id(nik, fiscal_year - 1))
        previous_missed = previous is not None and previous.rule in MISSED_RULES and previous.resolution not in RAT_HELD
        detected = event.detected
        reason = f"no RAT report for fiscal year {fiscal_year} by {event.deadline}"
        batch.open_case(
            rat_case_id(nik, fiscal_year),
            cooperative,
            fiscal_year,
            missed_rat_case(previous_missed, cooperative.kind),
            opened_at=detected,
            opened_on=detected.astimezone(timezone_of_regency(cooperative.regency_code)).date(),
            details={"deadline": event.deadline},
            reason=reason + (f", nor for {fiscal_year - 1}" if previous_missed else ""),
        )
    return refused
