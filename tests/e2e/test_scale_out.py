"""Two workers in one consumer group share a burst; one is killed with SIGKILL, the other finishes it, exactly once."""
from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import func, select

from models.cases import FollowUp, InspectionCase
from models.messaging import DeadLetter, OutboxMessage
from models.regions import regencies
from models.registry import Cooperative
from tests.e2e.conftest import PARTITIONS, wait_until
from tests.e2e.test_pipeline import write_registry
from tests.factories import cooperative

#: Several writers at once is a PostgreSQL setup: SQLite takes one writer at a time.
pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True, scope="module")

BURST = 6000
#: Small transactions, so that the burst lasts long enough to kill a worker in the middle of it.
SMALL_BATCHES = {"SATGAS_WORKER__BATCH_SIZE": "50"}
SULTRA = sorted(code for code in regencies() if code.startswith("74"))
ALL_PARTITIONS = set(range(PARTITIONS))


def count(system, statement) -> int:
    with system.sessions() as session:
        return session.scalar(statement)


def committed_niks(system) -> set[str]:
    with system.sessions() as session:
        return set(session.scalars(select(InspectionCase.nik)))


def is_leader(system, worker) -> bool:
    """faust's leader owns its app's `__assignor-__leader` topic (the app id is the consumer group);
    it alone runs the outbox relay."""
    return bool(system.assignment(worker, "worker-__assignor-__leader"))


def share_rat_missed(system, workers) -> bool:
    owned = [system.assignment(worker, "rat-missed") for worker in workers]
    return all(owned) and set().union(*owned) == ALL_PARTITIONS and sum(map(len, owned)) == PARTITIONS


@pytest.fixture(scope="module")
def overdue_registry(system):
    coops = [cooperative(nik=f"{SULTRA[i % len(SULTRA)]}{i:012d}") for i in range(BURST)]
    return write_registry(system.workdir / "burst.csv", coops)


def test_two_workers_share_a_burst_and_the_survivor_of_a_kill_finishes_it_exactly_once(system, overdue_registry):
    workers = [system.start_worker(**SMALL_BATCHES) for _ in range(2)]
    wait_until(lambda: share_rat_missed(system, workers), 120, "both workers to own rat-missed partitions")
    # The leader dies: its partitions and the outbox relay both have to move to the survivor.
    [victim] = [worker for worker in workers if is_leader(system, worker)]
    [survivor] = [worker for worker in workers if worker is not victim]
    victims_partitions = system.assignment(victim, "rat-missed")

    system.satgas("import-cooperatives", str(overdue_registry))
    wait_until(lambda: count(system, select(func.count()).select_from(Cooperative)) == BURST, 120, "the registry")

    cases = select(func.count()).select_from(InspectionCase)
    sweep = system.satgas_in_background("sweep", "--as-of", "2025-08-01", "--json")
    started = time.monotonic()
    wait_until(lambda: count(system, cases) >= BURST // 10, 120, "a tenth of the burst", interval=0.01)
    assert system.assignment(victim, "rat-missed") == victims_partitions, "the group rebalanced during the burst"
    system.kill_worker(victim)
    killed = time.monotonic()
    done_at_kill = committed_niks(system)
    assert sweep.wait(120) == 0 and json.loads(sweep.stdout.read())["published"] == BURST

    wait_until(lambda: system.assignment(survivor, "rat-missed") == ALL_PARTITIONS, 120,
               "the survivor to take over the killed worker's partitions")
    took_over = time.monotonic()
    wait_until(lambda: count(system, cases) == BURST, 300, f"{BURST} cases after the kill")
    finished = time.monotonic()
    system.drain("rat-missed")

    victims_niks = {
        record.key.decode() for record in system.read_topic("rat-missed")
        if record.key and record.partition in victims_partitions  # the drain's markers have no key
    }
    left_to_take_over = victims_niks - done_at_kill
    print(f"\ntwo workers, {BURST} events: killed the leader {killed - started:.1f}s after the sweep started, at "
          f"{len(done_at_kill)}/{BURST} cases ({len(done_at_kill & victims_niks)} of them its own); "
          f"survivor owned all {PARTITIONS} partitions {took_over - killed:.1f}s after the kill "
          f"and finished the {len(left_to_take_over)} cases left on them {finished - killed:.1f}s after it")
    assert len(done_at_kill) < BURST // 2, "the kill came too late to be in the middle of the burst"
    assert done_at_kill & victims_niks, "the killed worker had not committed anything: no proof the two shared"
    assert left_to_take_over, "the killed worker had finished its partitions: nothing was taken over"

    assert count(system, cases) == BURST
    assert count(system, select(func.count(func.distinct(InspectionCase.nik)))) == BURST
    assert count(system, select(func.count()).select_from(FollowUp)) == BURST * 4
    assert count(system, select(func.count()).where(OutboxMessage.topic == "case-events")) == BURST
    with system.sessions() as session:
        dead_letters = session.scalars(select(DeadLetter.original)).all()
    assert len(dead_letters) == PARTITIONS and all(b'"marker"' in original for original in dead_letters)
    unsent = select(func.count()).where(OutboxMessage.sent_at.is_(None))
    wait_until(lambda: count(system, unsent) == 0, 60, "the survivor, now the leader, to relay the outbox")
