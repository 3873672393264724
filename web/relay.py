"""After a submission the web relays the outbox at once; when Kafka is down the worker's relay does it later."""
from __future__ import annotations

import logging
import threading

from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from streams.publisher import BrokerUnavailable, Publisher, ensure_topics, relay_outbox

log = logging.getLogger("satgas.web.relay")


class OutboxRelay:
    """One producer for the web process, made on first use; one relay at a time."""

    def __init__(self, settings: Settings, sessions: sessionmaker[Session]):
        self.settings, self.sessions = settings, sessions
        self._publisher: Publisher | None = None
        self._lock = threading.Lock()

    def relay_soon(self) -> None:
        """Run after the response (a background task): never makes the cooperative wait for Kafka."""
        if not self._lock.acquire(blocking=False):
            return  # a relay is running and publishes what is pending; the worker's relay catches any race
        try:
            if self._publisher is None:
                ensure_topics(self.settings)
                self._publisher = Publisher(self.settings)
            relay_outbox(self.sessions, self._publisher, batch_size=self.settings.worker.relay_batch_size)
        except BrokerUnavailable as error:
            log.warning("Kafka is not reachable (%s); the worker's relay will publish the stored input", error)
        except Exception:
            log.exception("web relay failed; the worker's relay will publish the stored input")
            self.close()
        finally:
            self._lock.release()

    def close(self) -> None:
        if self._publisher is not None:
            try:
                self._publisher.close()
            finally:
                self._publisher = None
