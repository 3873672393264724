"""End-to-end fixtures: a real broker, a real worker process, the real CLI, a real database."""
from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from config import Settings
from models.database import build_engine
from models.messaging import DeadLetter
from streams.embedded_broker import free_port, start_broker, stop_broker
from streams.publisher import Publisher

ROOT = Path(__file__).resolve().parents[2]
PARTITIONS = 4
#: tansu answers a consumer group's first JoinGroup after about 30 s.
WORKER_READY_TIMEOUT = 150


def wait_until(predicate: Callable[[], object], timeout: float, what: str, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


@pytest.fixture(scope="session")
def broker(tmp_path_factory) -> str:
    port = free_port()
    process = start_broker(port, log_file=tmp_path_factory.mktemp("broker") / "broker.log")
    yield f"127.0.0.1:{port}"
    stop_broker(process)


class System:
    """The product as an operator runs it: worker processes and `satgas` commands, one database."""

    def __init__(self, database_url: str, bootstrap: str, workdir: Path, **extra_env: str):
        self.workdir = workdir
        prefix = f"t{uuid.uuid4().hex[:8]}."
        self.env = {
            **os.environ,
            "SATGAS_DATABASE_URL": database_url,
            "SATGAS_KAFKA_BOOTSTRAP": bootstrap,
            "SATGAS_KAFKA__TOPIC_PREFIX": prefix,
            "SATGAS_KAFKA__CONSUMER_GROUP": f"{prefix}worker",
            "SATGAS_KAFKA__PARTITIONS": str(PARTITIONS),
            "SATGAS_KAFKA__SESSION_TIMEOUT_SECONDS": "10",
            "SATGAS_KAFKA__HEARTBEAT_INTERVAL_SECONDS": "1",
            "SATGAS_DATA_DIR": str(workdir / "var"),
            **extra_env,
        }
        self.settings = Settings(
            database_url=database_url, kafka_bootstrap=bootstrap, data_dir=workdir / "var",
            kafka={"topic_prefix": prefix, "partitions": PARTITIONS},
        )
        self.engine = build_engine(database_url)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.workers: list[subprocess.Popen] = []

    def satgas(self, *args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [sys.executable, "-m", "cli.main", *args], cwd=self.workdir, env=self.env,
            capture_output=True, text=True, timeout=timeout,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"satgas {' '.join(args)} exited {result.returncode}:\n{result.stdout}\n{result.stderr}")
        return result

    def satgas_in_background(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "cli.main", *args], cwd=self.workdir, env=self.env,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
        )

    def worker_log(self, process: subprocess.Popen) -> Path:
        return self.workdir / f"worker-{self.workers.index(process)}.log"

    def start_worker(self, **extra_env: str) -> subprocess.Popen:
        log = self.workdir / f"worker-{len(self.workers)}.log"
        process = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "worker"], cwd=self.workdir, env={**self.env, **extra_env},
            stdout=open(log, "wb"), stderr=subprocess.STDOUT,
        )
        self.workers.append(process)

        def ready() -> bool:
            if process.poll() is not None:
                raise AssertionError(f"worker exited with {process.returncode}:\n{log.read_text()[-3000:]}")
            return "[^Worker]: Ready" in log.read_text(errors="replace")

        wait_until(ready, WORKER_READY_TIMEOUT, "the worker to join its consumer group")
        return process

    def assignment(self, process: subprocess.Popen, topic: str) -> set[int]:
        """The partitions of `topic` the worker owns now, as its consumer logged them; none while it rebalances."""
        for line in reversed(self.worker_log(process).read_text(errors="replace").splitlines()):
            if "Revoking previously assigned partitions" in line:
                return set()
            if "Setting newly assigned partitions" in line:
                owned = re.findall(r"TopicPartition\(topic='([^']+)', partition=(\d+)\)", line)
                return {int(partition) for name, partition in owned if name == self.settings.kafka.topic(topic)}
        return set()

    def kill_worker(self, process: subprocess.Popen, sig: int = signal.SIGKILL) -> None:
        process.send_signal(sig)
        process.wait(60)

    def stop(self) -> None:
        for process in self.workers:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()
        self.engine.dispose()

    def publish(self, topic: str, values: list[bytes], key: str | None = None, partition: int | None = None) -> None:
        with Publisher(self.settings) as publisher:
            for value in values:
                if partition is None:
                    publisher.send(topic, key, value)
                else:
                    publisher.producer.send(self.settings.kafka.topic(topic), value=value, partition=partition)
            publisher.flush()

    def drain(self, topic: str, timeout: float = 120) -> None:
        """Wait until the worker has handled everything published to `topic` so far: a marker that
        can only be refused goes to every partition, and each partition is handled in order."""
        marker = uuid.uuid4().hex
        for partition in range(PARTITIONS):
            self.publish(topic, [json.dumps({"marker": marker}).encode()], partition=partition)

        def markers_refused() -> bool:
            with self.sessions() as session:
                letters = session.scalars(select(DeadLetter.original).where(DeadLetter.topic == topic)).all()
            return sum(marker.encode() in original for original in letters) == PARTITIONS

        wait_until(markers_refused, timeout, f"the worker to drain {topic}")

    def read_topic(self, topic: str) -> list:
        """Every record on the topic, read without a consumer group."""
        return asyncio.run(_read_all(self.settings.bootstrap_servers, self.settings.kafka.topic(topic)))


async def _read_all(bootstrap: str, topic: str) -> list:
    consumer = AIOKafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest")
    await consumer.start()
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
        if not partitions:
            return []
        consumer.assign(partitions)
        await consumer.seek_to_beginning(*partitions)
        records, idle = [], 0
        while idle < 3:
            batch = await consumer.getmany(timeout_ms=500)
            idle = 0 if batch else idle + 1
            for messages in batch.values():
                records.extend(messages)
        return records
    finally:
        await consumer.stop()


@pytest.fixture(scope="module")
def system(database_url, broker, tmp_path_factory):
    running = System(database_url, broker, tmp_path_factory.mktemp("system"))
    yield running
    running.stop()
