"""Applying a stream's events in the order they arrived, as many per transaction as are waiting."""
from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from typing import Any


class InOrderWriter:
    """Applies the events it is given in the order given, as many per transaction as are waiting.

    Events are faust events the consumer holds with one more reference (`message.incref()`); each is
    acknowledged (`event.ack()`) once the transaction that applied it has committed, never before."""

    #: How long stopping waits for the transaction under way (a database outage retries it forever).
    STOP_WAIT_SECONDS = 10.0

    def __init__(
        self,
        apply: Callable[[list], Awaitable[None]],
        most: int,
        acknowledged: Callable[[Any], object] = lambda message: None,
    ):
        """`apply` commits the events it is given (or dead-letters them) in one transaction; `most`
        bounds a transaction; `acknowledged` hears of each message whose last reference is released."""
        self.apply, self.most, self.acknowledged = apply, most, acknowledged
        self.waiting: list = []
        self.arrived = asyncio.Event()
        #: Cleared while a full transaction's worth waits: the consumer stops taking more.
        self.room = asyncio.Event()
        self.room.set()
        self.stopping = False
        #: Events in the transaction taken last, and whether it is being applied.
        self.last_taken, self.applying = 0, False
        self.task = asyncio.create_task(self.run())

    @property
    def in_burst(self) -> bool:
        """Whether it is busy with large transactions (a quarter of the most or more): events arrive
        faster than it could apply them one by one."""
        return self.last_taken * 4 >= self.most and (self.applying or bool(self.waiting))

    async def put(self, events: Sequence) -> None:
        await self.room.wait()
        if self.task.done():  # the writer failed: its error stops the agent, nothing is acknowledged
            self.task.result()
            raise RuntimeError("the writer has stopped")
        self.waiting.extend(events)
        self.arrived.set()
        if len(self.waiting) >= self.most:
            self.room.clear()

    async def run(self) -> None:
        try:
            while True:
                await self.arrived.wait()
                if self.stopping:
                    return
                events, self.waiting = self.waiting[: self.most], self.waiting[self.most :]
                self.last_taken = len(events)
                if not self.waiting:
                    self.arrived.clear()
                if len(self.waiting) < self.most:
                    self.room.set()
                self.applying = True
                try:
                    await self.apply(events)
                finally:
                    self.applying = False
                for event in events:
                    if event.ack():  # the last reference: its offset may be committed
                        self.acknowledged(event.message)
        finally:
            self.room.set()  # a consumer waiting for room hears that the writer has stopped

    async def stop(self) -> None:
        """Let the transaction under way commit (for a while); what still waits is not acknowledged
        and is delivered again to whoever consumes its partition next."""
        self.stopping = True
        self.arrived.set()
        if not self.task.done():
            await asyncio.wait({self.task}, timeout=self.STOP_WAIT_SECONDS)
            self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task
        # A writer that failed raises its error here as well.
