"""Stores RAT filings and runs the case rules on them: late RAT, filed after all, anomalies."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import and_, exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from models.cases import FILED, FILED_LATE, OPEN, InspectionCase, anomaly_case_id, rat_case_id
from models.filings import RatFiling
from models.regions import timezone_of_regency
from models.registry import DIBUBARKAN, Cooperative
from models.rules.anomalies import find_anomalies
from models.rules.cases import RAT_LATE, anomaly_case, filing_timeliness, late_rat_case
from services.bulk import insert_new_rows
from services.bulk_reads import among, covering_nik_year_pairs
from services.casework import CaseBatch, load_case_states
from services.missed_rat import MISSED_RULES
from services.registry import load_cooperatives
from streams.records import RatFilingEvent

async def record_filings(session: AsyncSession, events: Sequence[RatFilingEvent], now: datetime) -> None:
    """Store each filing once (by filing_id), whether or not its cooperative is known yet."""
    rows = {
        event.filing_id: {
            "filing_id": event.filing_id,
            "nik": event.nik,
            "fiscal_year": event.fiscal_year,
            "rat_date": event.rat_day,
            "submitted_at": event.submitted,
            "members": event.members,
            **{name: event.amount(name) for name in ("assets", "liabilities", "equity", "business_volume", "shu")},
            "received_at": now,
        }
        for event in events
    }
    if rows:
        await session.execute(*insert_new_rows(session.bind.dialect.name, RatFiling.__table__, list(rows.values())))


async def _previous_year_members(session: AsyncSession, filings: Sequence[RatFiling]) -> dict[tuple[str, int], int]:
    pairs = {(filing.nik, filing.fiscal_year - 1) for filing in filings}
    members: dict[tuple[str, int], int] = {}
    statement = select(RatFiling.nik, RatFiling.fiscal_year, RatFiling.members).where(
        covering_nik_year_pairs(RatFiling.nik, RatFiling.fiscal_year, pairs)
    )
    for nik, year, count in await session.execute(statement.order_by(RatFiling.submitted_at)):
        if (nik, year) in pairs:
            members[(nik, year)] = count
    return members


async def waiting_filings(session: AsyncSession, niks: Sequence[str] | None = None, limit: int = 5000) -> list[RatFiling]:
    """Filings not yet evaluated whose cooperative is now known (all NIKs when `niks` is None)."""
    statement = (
        select(RatFiling)
        .where(RatFiling.evaluated_at.is_(None), exists().where(Cooperative.nik == RatFiling.nik))
        .order_by(RatFiling.submitted_at)
    )
    if niks is None:
        return list(await session.scalars(statement.limit(limit)))
    return list(await session.scalars(statement.where(among(RatFiling.nik, set(niks)))))


async def evaluate_filings(session: AsyncSession, filings: Sequence[RatFiling], batch: CaseBatch) -> None:
    """Apply the case rules to filings whose cooperative is known, and mark them evaluated."""
    if not filings:
        return
    cooperatives = await load_cooperatives(session, [filing.nik for filing in filings])
    batch.states.update(
        await load_case_states(
            session,
            [rat_case_id(f.nik, f.fiscal_year - back) for f in filings for back in (0, 1)]
            + [anomaly_case_id(f.filing_id) for f in filings],
        )
    )
    previous_members = await _previous_year_members(session, filings)
    late_ids, on_time_ids = [], []
    for filing in filings:
        cooperative = cooperatives[filing.nik]
        zone = timezone_of_regency(cooperative.regency_code)
        timeliness = filing_timeliness(
            filing.rat_date,
            filing.submitted_at.astimezone(zone).date(),
            filing.fiscal_year,
            cooperative.fiscal_year_end,
            cooperative.level,
            batch.rules,
        )
        (late_ids if timeliness.late else on_time_ids).append(filing.filing_id)
        opened_on = filing.submitted_at.astimezone(zone).date()
        case_id = rat_case_id(filing.nik, filing.fiscal_year)
        current = batch.states.get(case_id)
        if current is not None and current.status == OPEN and current.rule in MISSED_RULES:
            batch.resolve_case(
                case_id, FILED_LATE if timeliness.late else FILED, reason=f"RAT report {filing.filing_id} received"
            )
        elif current is None and timeliness.late and cooperative.status != DIBUBARKAN:
            previous = batch.states.get(rat_case_id(filing.nik, filing.fiscal_year - 1))
            previous_late = previous is not None and (previous.rule == RAT_LATE or previous.resolution == FILED_LATE)
            batch.open_case(
                case_id,
                cooperative,
                filing.fiscal_year,
                late_rat_case(previous_late, cooperative.kind),
                opened_at=filing.submitted_at,
                opened_on=opened_on,
                filing_id=filing.filing_id,
                details={"rat_held_late": timeliness.rat_held_late, "reported_late": timeliness.reported_late},
                reason=f"RAT held {filing.rat_date.isoformat()}, reported {opened_on.isoformat()}: past the deadline",
            )
        anomalies = find_anomalies(
            filing.members,
            Decimal(filing.assets),
            Decimal(filing.liabilities),
            Decimal(filing.equity),
            previous_members.get((filing.nik, filing.fiscal_year - 1)),
            batch.rules,
        )
        if anomalies:
            batch.open_case(
                anomaly_case_id(filing.filing_id),
                cooperative,
                filing.fiscal_year,
                anomaly_case(cooperative.kind),
                opened_at=filing.submitted_at,
                opened_on=opened_on,
                filing_id=filing.filing_id,
                details={"anomalies": anomalies},
                reason=f"RAT report {filing.filing_id}: {', '.join(anomalies)}",
            )
    for late, ids in ((True, late_ids), (False, on_time_ids)):
        if ids:
            await session.execute(
                update(RatFiling)
                .where(among(RatFiling.filing_id, ids), RatFiling.evaluated_at.is_(None))
                .values(evaluated_at=batch.now, late=late)
            )


async def missed_cases_with_filings(session: AsyncSession, limit: int = 5000) -> list[RatFiling]:
    """Filings whose year still has an open missed-RAT case (two agents raced on one cooperative)."""
    statement = (
        select(RatFiling)
        .join(
            InspectionCase,
            and_(RatFiling.nik == InspectionCase.nik, RatFiling.fiscal_year == InspectionCase.fiscal_year),
        )
        .where(InspectionCase.status == OPEN, InspectionCase.rule.in_(MISSED_RULES))
        .limit(limit)
    )
    return list(await session.scalars(statement))
