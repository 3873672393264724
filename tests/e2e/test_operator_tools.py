"""`satgas status` and `satgas dead-letter list|replay` against a real broker and worker."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from models.cases import InspectionCase
from models.messaging import DeadLetter, OutboxMessage
from tests.e2e.conftest import wait_until
from tests.e2e.test_pipeline import write_registry
from tests.factories import cooperative, missed, random_nik


@pytest.fixture(scope="module")
def worker(system):
    return system.start_worker()


def count(system, statement) -> int:
    with system.sessions() as session:
        return session.scalar(statement)


def test_status_shows_the_broker_the_workers_lag_and_the_backlogs(system, worker):
    system.publish("rat-missed", [json.dumps(missed(random_nik())).encode()])
    system.drain("rat-missed")

    def status_once_committed():  # the worker commits its offsets every few seconds
        status = json.loads(system.satgas("status", "--json").stdout)
        lag = {topic["topic"]: topic for topic in status["kafka"]["topics"]}
        return status if lag.get("rat-missed", {}).get("committed") == 5 else None

    status = wait_until(status_once_committed, 60, "the worker to commit its rat-missed offsets")

    kafka = status["kafka"]
    assert (kafka["reachable"], kafka["members"], kafka["errors"]) == (True, 1, [])
    lag = {topic["topic"]: topic for topic in kafka["topics"]}
    assert set(lag) == {"cooperatives", "rat-filings", "rat-missed"}
    # one event and the 4 markers of drain(), one per partition: tansu alone would report 4 fewer
    assert {k: lag["rat-missed"][k] for k in ("partitions", "end_offset", "committed", "lag")} == {
        "partitions": 4, "end_offset": 5, "committed": 5, "lag": 0}
    with system.sessions() as session:
        letters = session.scalar(select(func.count()).select_from(DeadLetter))
        waiting = session.scalar(select(func.count()).where(OutboxMessage.sent_at.is_(None)))
    assert status["dead_letters"]["total"] == letters
    assert status["dead_letters"]["not_replayed_by_topic"]["rat-missed"] >= 5  # the event and 4 drain markers
    assert status["outbox"]["pending"] == waiting
    assert status["emails"] == {"pending": 0, "sending": 0, "failed": 0, "sent": 0}
    assert status["scheduler"] == {"next_runs": None, "running": False}

    screen = system.satgas("status").stdout
    assert "reachable" in screen and "rat-missed" in screen and "Scheduler     not running" in screen


def test_status_says_kafka_is_unreachable_and_exits_with_1(system):
    unreachable = subprocess.run(
        [sys.executable, "-m", "cli.main", "status", "--json"], cwd=system.workdir, capture_output=True, text=True,
        env={**system.env, "SATGAS_KAFKA_BOOTSTRAP": "127.0.0.1:1"}, timeout=60,
    )
    assert unreachable.returncode == 1
    assert json.loads(unreachable.stdout)["kafka"]["errors"] == ["cannot reach Kafka at 127.0.0.1:1"]


def test_a_dead_letter_is_replayed_after_the_fix_and_a_second_replay_sends_nothing(system, worker):
    coop = cooperative()
    system.publish("rat-missed", [json.dumps(missed(coop["nik"], 2024)).encode()], key=coop["nik"])
    system.drain("rat-missed")
    listed = json.loads(system.satgas("dead-letter", "list", "--status", "pending", "--json", "--limit", "0").stdout)
    [letter] = [d for d in listed if d["key"] == coop["nik"]]
    assert letter["reason"] == f"no cooperative with NIK {coop['nik']} in the registry"
    assert json.loads(letter["original"])["nik"] == coop["nik"]

    system.satgas("import-cooperatives", str(write_registry(system.workdir / "fix.csv", [coop])))
    wait_until(lambda: count(system, select(func.count()).where(InspectionCase.nik == coop["nik"])) == 0 and
               count(system, select(func.count()).where(OutboxMessage.topic == "cooperatives",
                                                        OutboxMessage.key == coop["nik"],
                                                        OutboxMessage.applied_at.is_not(None))) == 1,
               60, "the cooperative to be applied")
    replayed = json.loads(system.satgas("dead-letter", "replay", str(letter["id"]), "--json").stdout)
    assert (replayed["replayed"], replayed["already_replayed"]) == ([letter["id"]], [])
    # published by the command or, if it was quicker, by the worker's outbox relay
    wait_until(lambda: count(system, select(func.count()).where(InspectionCase.nik == coop["nik"])) == 1, 60,
               "the replayed event to open its case")

    again = json.loads(system.satgas("dead-letter", "replay", str(letter["id"]), "--json").stdout)
    everything = json.loads(system.satgas("dead-letter", "replay", "--all", "--json").stdout)
    assert (again["replayed"], again["already_replayed"]) == ([], [letter["id"]])
    assert letter["id"] not in everything["replayed"]
    system.drain("rat-missed")
    assert count(system, select(func.count()).where(InspectionCase.nik == coop["nik"])) == 1
    assert count(system, select(func.count()).where(OutboxMessage.message_id.like("replay:dead-letter:%"),
                                                    OutboxMessage.key == coop["nik"])) == 1
    assert count(system, select(func.count()).where(OutboxMessage.topic == "case-events",
                                                    OutboxMessage.key == coop["nik"])) == 1


def test_replaying_nothing_is_a_usage_error_and_an_unknown_id_exits_with_1(system):
    assert system.satgas("dead-letter", "replay", check=False).returncode == 2
    unknown = system.satgas("dead-letter", "replay", "999999999", check=False)
    assert unknown.returncode == 1 and "No dead letter with id 999999999" in unknown.stderr
