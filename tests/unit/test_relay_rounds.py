"""When the outbox relay sends: everything at once when the agents keep up, one round per interval in
a burst (so the writers keep the CPU and the database), and all that waits once the burst is over."""
from __future__ import annotations

import time

from streams.relay import OutboxRelay


class CountingRelay(OutboxRelay):
    """The relay's timing with an outbox of `pending` messages in place of the database and Kafka."""

    def __init__(self, pending: int):
        super().__init__()
        self.pending, self.rounds = pending, []

    async def relay_once(self, limit: int) -> int:
        self.last_round = time.monotonic()
        sent = min(limit, self.pending)
        self.pending -= sent
        self.rounds.append(sent)
        return sent


async def test_when_the_agents_keep_up_everything_pending_goes_out_in_rounds_of_the_limit():
    relay = CountingRelay(pending=12)
    await relay.relay_due(5, busy=False, busy_interval=10.0)
    assert relay.rounds == [5, 5, 2]


async def test_in_a_burst_one_round_goes_out_per_interval_and_the_rest_once_the_burst_is_over():
    relay = CountingRelay(pending=12)
    await relay.relay_due(5, busy=True, busy_interval=10.0)  # the first round of a burst: none before it
    await relay.relay_due(5, busy=True, busy_interval=10.0)  # a tick later: the interval has not passed
    assert relay.rounds == [5]
    relay.last_round -= 10.0
    await relay.relay_due(5, busy=True, busy_interval=10.0)
    assert relay.rounds == [5, 5]
    await relay.relay_due(5, busy=False, busy_interval=10.0)
    assert relay.rounds == [5, 5, 2] and relay.pending == 0
