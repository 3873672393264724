"""The writer process against real SQLite and PostgreSQL: batches applied there, and nothing lost or
applied twice when it dies mid-batch, or when the worker that started it dies."""
from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text

from models.cases import FollowUp, InspectionCase
from models.database import sync_url
from streams.writer_process import WriterProcess
from tests.factories import cooperative, incoming, missed


@pytest.fixture
def writer(database_url, tmp_path, monkeypatch):
    """A writer process for this test's database: it reads its settings from the environment, as the
    worker's does."""
    monkeypatch.setenv("SATGAS_DATABASE_URL", database_url)
    monkeypatch.setenv("SATGAS_DATA_DIR", str(tmp_path))
    return WriterProcess()


def counts(sync_sessions, nik: str) -> tuple[int, int]:
    with sync_sessions() as session:
        cases = session.scalar(select(func.count()).select_from(InspectionCase).where(InspectionCase.nik == nik))
        followups = session.scalar(
            select(func.count()).select_from(FollowUp).join(InspectionCase, FollowUp.case_id == InspectionCase.case_id)
            .where(InspectionCase.nik == nik)
        )
    return cases, followups


@contextlib.contextmanager
def writes_blocked(database_url: str):
    """Hold a lock that makes any transaction inserting a case wait, until the block ends."""
    engine = create_engine(sync_url(database_url), isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")
            connection.execute(text(f"LOCK TABLE {InspectionCase.__tablename__} IN EXCLUSIVE MODE"))
        try:
            yield
        finally:
            connection.exec_driver_sql("ROLLBACK")
    engine.dispose()


def gone(pid: int) -> bool:
    """Whether the process has ended (a zombie nobody has reaped yet counts as ended)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


async def test_batches_are_applied_in_the_writer_process_and_it_stops_when_closed(writer, sync_sessions):
    coop = cooperative()
    writer.start()
    pid = writer.pid
    await writer.apply("cooperatives", [incoming("cooperatives", coop)])
    await writer.apply("rat-missed", [incoming("rat-missed", missed(coop["nik"], 2024))] * 2)

    assert counts(sync_sessions, coop["nik"]) == (1, 4)
    await writer.close()
    assert gone(pid)


async def test_a_batch_under_way_when_the_writer_process_dies_is_applied_once_by_the_next(
    writer, database_url, sync_sessions
):
    coop = cooperative()
    await writer.apply("cooperatives", [incoming("cooperatives", coop)])
    first = writer.pid
    with writes_blocked(database_url):
        under_way = asyncio.create_task(writer.apply("rat-missed", [incoming("rat-missed", missed(coop["nik"]))]))
        await asyncio.sleep(1.0)  # the batch waits for the lock in the writer process
        assert not under_way.done()
        os.kill(first, signal.SIGKILL)
        await asyncio.sleep(0.5)
    await asyncio.wait_for(under_way, 60)

    assert writer.pid not in (None, first)
    assert counts(sync_sessions, coop["nik"]) == (1, 4)
    await writer.close()


def test_the_writer_process_stops_when_the_worker_that_started_it_is_killed(database_url, tmp_path):
    started_by = subprocess.Popen(
        [sys.executable, "-c", (
            "import asyncio\n"
            "from streams.writer_process import WriterProcess\n"
            "async def main():\n"
            "    writer = WriterProcess()\n"
            "    writer.start()\n"
            "    print(writer.pid, flush=True)\n"
            "    await asyncio.sleep(120)\n"
            "asyncio.run(main())\n"
        )],
        env={**os.environ, "SATGAS_DATABASE_URL": database_url, "SATGAS_DATA_DIR": str(tmp_path)},
        stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2],
    )
    pid = int(started_by.stdout.readline())
    assert not gone(pid)
    started_by.kill()
    started_by.wait(10)
    deadline = time.monotonic() + 20
    while not gone(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert gone(pid), "the writer process outlived the worker that started it"
