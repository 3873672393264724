"""Locks across processes of one database: a PostgreSQL advisory lock, or a file lock beside a SQLite database.

The scheduler lock makes exactly one scheduler act at a time. The mail lock lets `satgas demo` compose a
team's alerts in one message while a scheduler runs: the scheduler's mail jobs skip a run while it is held.
"""
from __future__ import annotations

import fcntl
import logging
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from models.database import build_engine

log = logging.getLogger("satgas.scheduler")
#: Arbitrary keys of the advisory locks; the same in every process of one database.
SCHEDULER_LOCK = 7_404_0001
MAIL_LOCK = 7_404_0002


class DatabaseLock:
    """Held until released or until its process ends, however it ends."""

    def __init__(self, database_url: str, key: int, name: str):
        self.url = database_url
        self.key = key
        self.name = name
        self._engine = None
        self._connection = None
        self._file = None

    def try_acquire(self) -> bool:
        if make_url(self.url).get_backend_name() == "postgresql":
            if self._connection is None:
                self._engine = build_engine(self.url)
                self._connection = self._engine.connect()
            held = self._connection.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key}).scalar()
            self._connection.commit()
            return bool(held)
        path = Path(f"{make_url(self.url).database}.{self.name}.lock")
        path.parent.mkdir(parents=True, exist_ok=True)
        self._file = self._file or open(path, "w")
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def acquire(self, retry_seconds: float, on_wait: Callable[[], None] | None = None,
                should_stop: Callable[[], bool] = lambda: False) -> bool:
        """Wait until this process holds the lock (False if told to stop first)."""
        waited = False
        while not self.try_acquire():
            if not waited and on_wait:
                on_wait()
            waited = True
            if should_stop():
                return False
            time.sleep(retry_seconds)
        return True

    def still_held(self) -> bool:
        """An advisory lock lives as long as its connection: check that the connection does."""
        if self._connection is None:
            return self._file is not None
        try:
            self._connection.execute(text("SELECT 1")).scalar()
            self._connection.commit()
            return True
        except Exception:
            return False

    def release(self) -> None:
        if self._connection is not None:
            # Unlock before closing: a closed connection's server process ends, and frees the lock, a moment
            # later, so another process asking at once could still find it held. All of them: this connection
            # holds only this key, but as many times as it was taken.
            try:
                self._connection.execute(text("SELECT pg_advisory_unlock_all()"))
                self._connection.commit()
            except Exception:  # the connection is gone already, and the lock with it
                pass
            self._connection.close()
            self._engine.dispose()
            self._connection = self._engine = None
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


class SchedulerLock(DatabaseLock):
    """Held for the scheduler's whole life."""

    def __init__(self, database_url: str):
        super().__init__(database_url, SCHEDULER_LOCK, "scheduler")


def mail_lock(database_url: str) -> DatabaseLock:
    return DatabaseLock(database_url, MAIL_LOCK, "mail")


def held_by_another_process(lock: DatabaseLock) -> bool:
    """True when someone else holds the lock (e.g. a scheduler is running); takes it for an instant otherwise."""
    try:
        return not lock.try_acquire()
    finally:
        lock.release()
