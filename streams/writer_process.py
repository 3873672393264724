"""The writer process: the worker's agents consume on their event loop while a process of the
worker's own decodes their batches and writes them to the database.

Both halves are Python. In one process they take turns on one interpreter lock, and a national
burst is then applied at about half the speed a bare agent reads it (README, "What the benchmark
measured"). In two processes they run on two cores.

A batch goes over a pipe and comes back as "committed" (its bad records dead-lettered) or as the
error that stopped it. The worker acknowledges a batch's events only after that answer, so nothing is
lost when either process dies:
- the writer process dies: the worker starts another and sends the batch again (the handlers are
  idempotent, so a batch committed just before is not applied twice);
- the worker dies: the writer process reads the end of its pipe and stops; the events it had not
  acknowledged go to whoever consumes their partitions next."""
from __future__ import annotations

import asyncio
import itertools
import logging
import logging.config
import multiprocessing
import signal
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from config import get_settings
from config.logs import log_fields, process_logging_config
from services.dead_letters import Incoming

log = logging.getLogger("satgas.worker")

#: A new interpreter, not a fork: a fork would copy the worker's threads, event loop and Kafka sockets.
START_METHOD = "spawn"


class WriterProcessLost(Exception):
    """The writer process ended before it answered."""


@dataclass
class _Child:
    process: Any  #: multiprocessing.Process
    connection: Connection
    #: Futures of the batches sent and not answered yet, by number.
    pending: dict[int, asyncio.Future] = field(default_factory=dict)
    lost: bool = False


class WriterProcess:
    """Applies batches in a process of its own, several at a time as the agents send them; starts
    that process when first needed, and again whenever it has died."""

    #: How long closing waits for the process to finish what it was sent.
    CLOSE_WAIT_SECONDS = 10.0

    def __init__(self) -> None:
        self._child: _Child | None = None
        self._numbers = itertools.count()
        self._sending = threading.Lock()

    @property
    def pid(self) -> int | None:
        return self._child.process.pid if self._child else None

    def start(self) -> None:
        """Start the process now (it takes a second or two to import), unless it runs already."""
        if self._child is not None and not self._child.lost:
            return
        context = multiprocessing.get_context(START_METHOD)
        ours, theirs = context.Pipe()
        process = context.Process(target=serve, args=(theirs,), name="satgas-writer", daemon=True)
        process.start()
        theirs.close()  # the process holds its end: when it dies, ours reads the end of the pipe
        child = self._child = _Child(process, ours)
        threading.Thread(target=self._read_answers, args=(child, asyncio.get_running_loop()),
                         name="satgas-writer-answers", daemon=True).start()
        log_fields(log, logging.INFO, "writer process started", pid=process.pid)

    async def apply(self, topic: str, messages: Sequence[Incoming]) -> None:
        """Return once the writer process has committed the batch; raise what stopped it otherwise."""
        while True:
            self.start()
            child = self._child
            number = next(self._numbers)
            answer = child.pending[number] = asyncio.get_running_loop().create_future()
            try:
                await asyncio.to_thread(self._send, child.connection, (number, topic, list(messages)))
            except OSError:
                pass  # the process is gone: the thread reading its answers says so
            if child.lost and not answer.done():
                answer.set_exception(WriterProcessLost())
            try:
                failure = await answer
            except WriterProcessLost:
                log_fields(log, logging.WARNING, "writer process stopped; starting another to apply the batch",
                           pid=child.process.pid, exit_code=child.process.exitcode, topic=topic,
                           events=len(messages))
                continue
            if failure is not None:
                raise RuntimeError(f"the writer process could not apply {len(messages)} {topic} events: {failure}")
            return

    def _send(self, connection: Connection, request: tuple) -> None:
        with self._sending:
            connection.send(request)

    def _read_answers(self, child: _Child, loop: asyncio.AbstractEventLoop) -> None:
        """Runs in a thread: hands each answer to the event loop, and the end of the pipe as `_lost`."""
        while True:
            try:
                number, failure = child.connection.recv()
            except (EOFError, OSError):
                child.process.join(5)
                loop.call_soon_threadsafe(self._lost, child)
                return
            loop.call_soon_threadsafe(self._answered, child, number, failure)

    @staticmethod
    def _answered(child: _Child, number: int, failure: str | None) -> None:
        answer = child.pending.pop(number, None)
        if answer is not None and not answer.done():
            answer.set_result(failure)

    def _lost(self, child: _Child) -> None:
        child.lost = True
        for answer in child.pending.values():
            if not answer.done():
                answer.set_exception(WriterProcessLost())
        child.pending.clear()

    async def close(self) -> None:
        """Ask the process to finish what it was sent and stop; end it if it does not within a while."""
        child, self._child = self._child, None
        if child is None:
            return
        if not child.lost:
            try:
                await asyncio.to_thread(self._send, child.connection, None)
            except OSError:
                pass
        await asyncio.to_thread(child.process.join, self.CLOSE_WAIT_SECONDS)
        if child.process.is_alive():
            child.process.kill()
            await asyncio.to_thread(child.process.join)
        child.connection.close()


def serve(connection: Connection) -> None:
    """The writer process: apply what arrives on `connection` until it is told to stop or the pipe ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the worker too, which closes this process
    from models.base import utcnow
    from services.handlers import warm_up

    settings = get_settings()
    logging.config.dictConfig(process_logging_config(settings.log_format, settings.log_level))
    warm_up(utcnow().date())
    asyncio.run(_apply_arriving(connection))


async def _apply_arriving(connection: Connection) -> None:
    from models.database import async_engine, async_session_factory
    from streams.batches import HANDLERS, handle_batch

    sessions = async_session_factory()
    answering = threading.Lock()
    running: set[asyncio.Task] = set()

    def answer(number: int, failure: str | None) -> None:
        with answering:
            connection.send((number, failure))

    async def apply(number: int, topic: str, messages: list[Incoming]) -> None:
        try:
            await handle_batch(HANDLERS[topic], topic, messages, sessions)
            failure = None
        except Exception as error:  # even dead-lettering failed: the worker's agent stops on it
            log.exception("batch could not be applied", extra={"fields": {"topic": topic, "events": len(messages)}})
            failure = f"{type(error).__name__}: {error}"
        try:
            await asyncio.to_thread(answer, number, failure)
        except OSError:
            pass  # the worker has gone; its successor gets the events again

    while True:
        try:
            request = await asyncio.to_thread(connection.recv)
        except (EOFError, OSError):
            return  # the worker has gone: what is under way is rolled back, and delivered again
        if request is None:
            break
        task = asyncio.create_task(apply(*request))
        running.add(task)
        task.add_done_callback(running.discard)
    if running:
        await asyncio.wait(running)
    await async_engine().dispose()
