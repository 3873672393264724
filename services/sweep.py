"""The deadline sweep: which cooperatives have not reported their RAT by its deadline."""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, datetime

import orjson
from sqlalchemy import and_, exists, literal_column, select
from sqlalchemy.orm import Session

from config.settings import RuleSettings
from models.cases import InspectionCase
from models.filings import RatFiling
from models.registry import DIBUBARKAN, Cooperative
from models.rules.cases import FILING_ANOMALY
from models.rules.deadlines import latest_overdue_fiscal_year, report_deadline
from services.bulk_reads import rows_as_json


def _overdue_in_group(
    session: Session, fiscal_year_end: str, level: str, fiscal_year: int, provinces: Collection[str] | None
) -> list[str]:
    """NIKs of the group with neither a filing nor a RAT case for the year, in order."""
    filed = exists().where(and_(RatFiling.nik == Cooperative.nik, RatFiling.fiscal_year == fiscal_year))
    has_case = exists().where(
        and_(
            InspectionCase.nik == Cooperative.nik,
            InspectionCase.fiscal_year == fiscal_year,
            InspectionCase.rule != FILING_ANOMALY,
        )
    )
    statement = (
        select(Cooperative.nik)
        .where(
            Cooperative.fiscal_year_end == fiscal_year_end,
            Cooperative.level == level,
            Cooperative.status != DIBUBARKAN,
            ~filed,
            ~has_case,
        )
    )
    if provinces is not None:
        statement = statement.where(Cooperative.province_code.in_(sorted(provinces)))
    # Half the country is one value, not 125,000 rows: fetched row by row they took longer than the query.
    found = select(literal_column(rows_as_json(session.bind.dialect.name, ["nik"]))).select_from(statement.subquery())
    value = session.scalar(found)
    return sorted(nik for nik, in orjson.loads(value)) if value else []


@dataclass(frozen=True)
class Overdue:
    nik: str
    fiscal_year: int
    deadline: date  #: the last day the report was due


def overdue_cooperatives(
    session: Session, as_of: date, rules: RuleSettings, provinces: Collection[str] | None = None
) -> list[Overdue]:
    """Every cooperative whose report deadline passed before `as_of` without a filing.

    Cooperatives that already have a RAT case for that year are left out, so a daily sweep emits only
    what is new; a deadline that passed while the system was down is still caught on the next run.
    """
    groups = session.execute(select(Cooperative.fiscal_year_end, Cooperative.level).distinct()).all()
    found: list[Overdue] = []
    for fiscal_year_end, level in sorted(groups):
        fiscal_year = latest_overdue_fiscal_year(as_of, fiscal_year_end, level, rules)
        if fiscal_year is None:
            continue
        deadline = report_deadline(fiscal_year, fiscal_year_end, level, rules)
        niks = _overdue_in_group(session, fiscal_year_end, level, fiscal_year, provinces)
        found.extend(Overdue(nik, fiscal_year, deadline) for nik in niks)
    return found


def missed_rat_event(overdue: Overdue, detected_at: datetime) -> bytes:
    """The JSON of a `RatMissedEvent` (streams/records.py), written directly: building and serialising
    the faust record costs ten times as much, and a national sweep writes over 100,000 events."""
    return orjson.dumps({
        "nik": overdue.nik,
        "fiscal_year": overdue.fiscal_year,
        "deadline": overdue.deadline,
        "detected_at": detected_at,
    })
