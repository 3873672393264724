"""Opens a case for every cooperative that missed its RAT report (topic `rat-missed`)."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from functools import cache, lru_cache
from typing import NamedTuple

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from models.cases import RAT_HELD, InspectionCase, rat_case_id
from models.filings import RatFiling
from models.regions import province_timezone
from models.registry import DIBUBARKAN, Cooperative
from models.rules.cases import RAT_MISSED, RAT_MISSED_REPEAT, missed_rat_case
from services.bulk_reads import json_rows, json_table, rows_as_json
from services.casework import CaseBatch
from streams.records import RatMissedEvent

MISSED_RULES = (RAT_MISSED, RAT_MISSED_REPEAT)


class Facts(NamedTuple):
    """What the rules need to know of a missed-RAT event: its cooperative, and the RAT cases and filing
    of the year and the year before."""

    nik: str
    kind: str
    membership_area: str
    regency_code: str
    status: str
    has_case: bool  #: a RAT case for the year is open or was
    previous_rule: str | None  #: of the year before's RAT case, if any
    previous_resolution: str | None
    filed: bool  #: a RAT filing for the year is stored

    @property
    def previous_year_missed(self) -> bool:
        return self.previous_rule in MISSED_RULES and self.previous_resolution not in RAT_HELD


@cache
def _facts_query(dialect: str) -> str:
    events = json_table(dialect, "events", [("nik", "text"), ("fiscal_year", "integer"), ("case_id", "text"),
                                            ("previous_case_id", "text")])
    cases, filings = InspectionCase.__tablename__, RatFiling.__tablename__
    found = rows_as_json(dialect, [
        "events.position", "c.kind", "c.membership_area", "c.regency_code", "c.status",
        f"EXISTS (SELECT 1 FROM {cases} WHERE {cases}.case_id = events.case_id)",
        "previous.rule", "previous.resolution",
        f"EXISTS (SELECT 1 FROM {filings} f WHERE f.nik = events.nik AND f.fiscal_year = events.fiscal_year)",
    ])
    return (
        f"SELECT {found} FROM {events} JOIN {Cooperative.__tablename__} c ON c.nik = events.nik "
        f"LEFT JOIN {cases} previous ON previous.case_id = events.previous_case_id"
    )


async def missed_rat_facts(session: AsyncSession, keys: Sequence[tuple[str, int]]) -> dict[int, Facts]:
    """The facts of each (NIK, fiscal year) whose cooperative is known, by its position in `keys`:
    one query and one result value for the whole batch."""
    events = [(nik, year, rat_case_id(nik, year), rat_case_id(nik, year - 1)) for nik, year in keys]
    rows = await json_rows(session, _facts_query(session.bind.dialect.name), {"events": orjson.dumps(events).decode()})
    return {
        position: Facts(keys[position][0], kind, area, regency, status, bool(has_case), rule, resolution, bool(filed))
        for position, kind, area, regency, status, has_case, rule, resolution, filed in rows
    }


async def open_missed_rat_cases(
    session: AsyncSession, events: Sequence[RatMissedEvent], batch: CaseBatch
) -> dict[tuple[str, int], str]:
    """Returns the (NIK, fiscal year) pairs refused, with the reason (an unknown cooperative)."""
    latest = {(event.nik, event.fiscal_year): event for event in events}
    keys = list(latest)
    facts = await missed_rat_facts(session, keys)
    refused: dict[tuple[str, int], str] = {}
    #: A sweep's events share their detection time and deadline: each is worked out once per batch.
    opening_days: dict[tuple[str, str], tuple[datetime, date]] = {}
    for position, (nik, fiscal_year) in enumerate(keys):
        cooperative = facts.get(position)
        if cooperative is None:
            refused[(nik, fiscal_year)] = f"no cooperative with NIK {nik} in the registry"
            continue
        if cooperative.status == DIBUBARKAN or cooperative.filed or cooperative.has_case:
            continue
        event = latest[(nik, fiscal_year)]
        province = cooperative.regency_code[:2]
        opened = opening_days.get((event.detected_at, province))
        if opened is None:
            detected = event.detected
            opened = opening_days[(event.detected_at, province)] = (
                detected, detected.astimezone(province_timezone(province)).date()
            )
        previous_missed = cooperative.previous_year_missed
        batch.open_case(
            rat_case_id(nik, fiscal_year),
            cooperative,
            fiscal_year,
            missed_rat_case(previous_missed, cooperative.kind),
            opened_at=opened[0],
            opened_on=opened[1],
            details={"deadline": event.deadline},
            reason=_reason(fiscal_year, event.deadline, previous_missed),
        )
    return refused


@lru_cache(maxsize=256)
def _reason(fiscal_year: int, deadline: str, previous_missed: bool) -> str:
    reason = f"no RAT report for fiscal year {fiscal_year} by {deadline}"
    return reason + (f", nor for {fiscal_year - 1}" if previous_missed else "")
