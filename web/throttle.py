"""Repeated wrong passwords for one login are slowed down: after 5 within 15 minutes, that login waits."""
from __future__ import annotations

import threading
import time
from collections import deque

MAX_FAILURES = 5
WINDOW_SECONDS = 15 * 60
#: Logins tracked at most (random names cannot grow memory without bound); the oldest are forgotten first.
MAX_TRACKED = 10_000


class LoginThrottle:
    """Per process: each web process counts on its own (enough to stop a single guesser; a proxy's rate limit
    belongs in front of a public deployment)."""

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, login: str, now: float) -> deque[float]:
        failures = self._failures.get(login, deque())
        while failures and failures[0] <= now - WINDOW_SECONDS:
            failures.popleft()
        return failures

    def seconds_to_wait(self, login: str) -> int:
        """0 when the login may try now."""
        with self._lock:
            now = self._clock()
            failures = self._recent(login, now)
            if len(failures) < MAX_FAILURES:
                return 0
            return int(failures[0] + WINDOW_SECONDS - now) + 1

    def failed(self, login: str) -> None:
        with self._lock:
            now = self._clock()
            failures = self._recent(login, now)
            failures.append(now)
            self._failures.pop(login, None)
            self._failures[login] = failures  # most recent last
            while len(self._failures) > MAX_TRACKED:
                self._failures.pop(next(iter(self._failures)))

    def succeeded(self, login: str) -> None:
        with self._lock:
            self._failures.pop(login, None)
