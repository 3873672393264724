"""A worker killed with SIGKILL in the middle of a burst: restarted, it leaves exactly one case per cooperative."""
from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import func, select

from models.cases import FollowUp, InspectionCase
from models.messaging import OutboxMessage
from models.regions import regencies
from models.registry import Cooperative
from tests.e2e.conftest import wait_until
from tests.e2e.test_pipeline import write_registry
from tests.factories import cooperative

BURST = 6000
SULTRA = sorted(code for code in regencies() if code.startswith("74"))


def count(system, statement) -> int:
    with system.sessions() as session:
        return session.scalar(statement)


@pytest.fixture(scope="module")
def overdue_registry(system):
    coops = [cooperative(nik=f"{SULTRA[i % len(SULTRA)]}{i:012d}") for i in range(BURST)]
    return write_registry(system.workdir / "burst.csv", coops)


def test_a_worker_killed_mid_burst_leaves_exactly_one_case_per_overdue_cooperative(system, overdue_registry):
    small_batches = {"SATGAS_WORKER__BATCH_SIZE": "50"}
    first = system.start_worker(**small_batches)
    system.satgas("import-cooperatives", str(overdue_registry))
    cases = select(func.count()).select_from(InspectionCase)
    wait_until(lambda: count(system, select(func.count()).select_from(Cooperative)) == BURST, 120, "the registry")

    sweep = system.satgas_in_background("sweep", "--as-of", "2025-08-01", "--json")
    wait_until(lambda: count(system, cases) >= BURST // 10, 120, "a tenth of the burst", interval=0.01)
    system.kill_worker(first)
    at_kill = count(system, cases)
    assert at_kill < BURST, "the worker finished before it could be killed mid-burst"
    assert sweep.wait(120) == 0 and json.loads(sweep.stdout.read())["published"] == BURST

    started = time.monotonic()
    system.start_worker(**small_batches)
    wait_until(lambda: count(system, cases) == BURST, 300, f"{BURST} cases after the restart")
    system.drain("rat-missed")
    print(f"\nkilled at {at_kill}/{BURST} cases; all {BURST} done {time.monotonic() - started:.1f}s after restart")

    assert count(system, cases) == BURST
    assert count(system, select(func.count(func.distinct(InspectionCase.nik)))) == BURST
    assert count(system, select(func.count()).select_from(FollowUp)) == BURST * 4
    assert count(system, select(func.count()).where(OutboxMessage.topic == "case-events")) == BURST
