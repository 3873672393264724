"""`satgas scheduler` as a process: jobs kept in the database across a kill, one scheduler at a time."""
from __future__ import annotations

import pickle
import signal
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from tests.e2e.conftest import wait_until

JOB_IDS = {f"{duty}-{zone}" for duty in ("daily", "weekly") for zone in ("WIB", "WITA", "WIT")} | {
    "compose-emails", "deliver-emails"}


@pytest.fixture(scope="module")
def start_scheduler(system):
    started: list[tuple[subprocess.Popen, object]] = []

    def start(name: str):
        log = system.workdir / f"scheduler-{name}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "scheduler"], cwd=system.workdir,
            env={**system.env, "SATGAS_SCHEDULER__LOCK_RETRY_SECONDS": "0.5", "SATGAS_LOG_LEVEL": "info"},
            stdout=open(log, "wb"), stderr=subprocess.STDOUT,
        )
        started.append(process)
        return process, log

    yield start
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()


def stored_jobs(system) -> dict[str, datetime]:
    with system.engine.connect() as connection:
        rows = connection.execute(text("SELECT id, job_state FROM scheduler_jobs")).all()
    return {job_id: pickle.loads(state)["next_run_time"] for job_id, state in rows}


def says(log, words: str, timeout: float = 60):
    wait_until(lambda: words in log.read_text(errors="replace"), timeout, f"'{words}' in {log.name}")


def test_a_scheduler_killed_and_started_again_keeps_every_job_once(system, start_scheduler):
    first, log = start_scheduler("first")
    says(log, "Scheduler holds the lock")
    before = stored_jobs(system)
    assert set(before) == JOB_IDS
    first.send_signal(signal.SIGKILL)
    first.wait()

    second, log = start_scheduler("second")
    says(log, "Scheduler holds the lock")
    assert stored_jobs(system) == before
    second.send_signal(signal.SIGTERM)
    assert second.wait(30) == 0
    assert "Scheduler stopped." in log.read_text()


def test_a_daily_run_missed_for_three_days_runs_once_when_the_scheduler_starts(system, start_scheduler):
    three_days_ago = datetime.now(timezone.utc) - timedelta(days=3)
    with system.engine.begin() as connection:
        state = pickle.loads(connection.execute(
            text("SELECT job_state FROM scheduler_jobs WHERE id = 'daily-WIT'")).scalar_one())
        state["next_run_time"] = three_days_ago
        connection.execute(
            text("UPDATE scheduler_jobs SET job_state = :state, next_run_time = :at WHERE id = 'daily-WIT'"),
            {"state": pickle.dumps(state), "at": three_days_ago.timestamp()},
        )

    process, log = start_scheduler("catch-up")
    says(log, "daily duties {'zone': 'WIT'")
    wait_until(lambda: stored_jobs(system)["daily-WIT"] > datetime.now(timezone.utc), 30, "the next run in the future")
    process.send_signal(signal.SIGTERM)
    process.wait(30)
    assert log.read_text().count("daily duties {'zone': 'WIT'") == 1
    assert "daily duties {'zone': 'WIB'" not in log.read_text()


def test_a_second_scheduler_waits_and_takes_over_when_the_first_dies(system, start_scheduler):
    first, first_log = start_scheduler("one")
    says(first_log, "Scheduler holds the lock")
    second, second_log = start_scheduler("two")
    says(second_log, "Another scheduler holds the lock; waiting to take over.")
    assert "Scheduler holds the lock" not in second_log.read_text()

    first.send_signal(signal.SIGKILL)
    first.wait()
    says(second_log, "Scheduler holds the lock", timeout=30)
    second.send_signal(signal.SIGTERM)
    assert second.wait(30) == 0
