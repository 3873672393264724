"""The supervisors' case list stays fast at 100,000 cases, on any page and with any filter (keyset paging)."""
from __future__ import annotations

import random
import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import insert, select, text
from sqlalchemy.orm import sessionmaker

from models.cases import FollowUp, InspectionCase
from models.database import build_engine
from models.regions import regencies
from models.rules.jurisdiction import Jurisdiction
from services.bulk import chunks
from services.case_list import CaseFilters, encode_cursor, list_cases_page

CASES = 100_000
#: Per page, counting the total too; generous for a shared 2-core machine (typical: 5-50 ms).
BUDGET_SECONDS = 1.0
START = datetime(2024, 8, 1, tzinfo=timezone.utc)


def _case(number: int, codes: list[str]) -> dict:
    regency = codes[number % len(codes)]
    return {
        "case_id": f"RAT-{2023 + number % 2}-{regency}{number:012d}", "nik": f"{regency}{number:012d}",
        "fiscal_year": 2023 + number % 2, "rule": random.choice(["rat_missed", "rat_late", "filing_anomaly"]),
        "status": "open" if number % 3 else "resolved",
        "priority": random.choice(["low", "normal", "high", "critical"]),
        "regency_code": regency, "assigned_team": f"satgas-{regency}", "details": {}, "stage": "dibuka",
        "opened_at": START + timedelta(minutes=7 * number),
    }


@pytest.fixture(scope="module")
def sessions(database_url):
    random.seed(5)
    engine = build_engine(database_url)
    codes = sorted(regencies())
    cases = [_case(number, codes) for number in range(CASES)]
    overdue = [{"followup_id": f"{c['case_id']}/teguran_1", "case_id": c["case_id"], "kind": "teguran_1",
                "sequence": 1, "due_date": c["opened_at"].date(), "status": "overdue"} for c in cases[::10]]
    with engine.begin() as connection:
        for chunk in chunks(cases, 10_000):
            connection.execute(insert(InspectionCase), chunk)
        for chunk in chunks(overdue, 10_000):
            connection.execute(insert(FollowUp), chunk)
        connection.execute(text("ANALYZE"))
    yield sessionmaker(engine)
    engine.dispose()


def timed_page(sessions, scope, filters, cursor=None):
    with sessions() as session:
        started = time.perf_counter()
        page = list_cases_page(session, scope, filters, cursor, 50)
        return page, time.perf_counter() - started


def deep_cursor(sessions, offset: int) -> str:
    with sessions() as session:
        row = session.execute(select(InspectionCase.opened_at, InspectionCase.case_id)
                              .order_by(InspectionCase.opened_at.desc(), InspectionCase.case_id.desc())
                              .offset(offset).limit(1)).one()
    return encode_cursor(row.opened_at, row.case_id)


NATIONAL, SULTRA = Jurisdiction("nasional", "ID"), Jurisdiction("provinsi", "74")
KENDARI = Jurisdiction("kabupaten", "7471")


@pytest.mark.parametrize("scope, filters", [
    (NATIONAL, CaseFilters()),
    (NATIONAL, CaseFilters(status="open", overdue=True)),
    (NATIONAL, CaseFilters(rule="filing_anomaly", priority="critical")),
    (SULTRA, CaseFilters(status="open")),
    (SULTRA, CaseFilters(regency="7401", overdue=True)),
    (KENDARI, CaseFilters(status="resolved", priority="high")),
], ids=["national", "national-overdue", "national-rule-priority", "province-open", "province-regency-overdue",
        "regency-resolved-high"])
def test_a_first_page_of_100000_cases_comes_within_budget(sessions, scope, filters):
    page, seconds = timed_page(sessions, scope, filters)
    assert page.items and seconds < BUDGET_SECONDS, f"{seconds:.3f}s"
    assert all(scope.covers(item["regency_code"]) for item in page.items)


def test_a_page_deep_in_the_list_costs_what_the_first_does(sessions):
    page, seconds = timed_page(sessions, NATIONAL, CaseFilters(), deep_cursor(sessions, 90_000))
    assert len(page.items) == 50 and page.total == CASES and seconds < BUDGET_SECONDS, f"{seconds:.3f}s"


def test_paging_walks_every_case_of_a_filter_once(sessions):
    seen, cursor = [], None
    while True:
        page, _ = timed_page(sessions, KENDARI, CaseFilters(status="open"), cursor)
        seen += [item["case_id"] for item in page.items]
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert len(seen) == len(set(seen)) == page.total
    opened = [item["opened_at"] for item in page.items]
    assert opened == sorted(opened, reverse=True)
