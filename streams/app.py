"""The faust application: one consumer group, the cluster from settings, no local state stores."""
from __future__ import annotations

from typing import Any

import faust

from config import Settings, get_settings
from streams.transport import Transport

settings = get_settings()


def app_options(settings: Settings) -> dict[str, Any]:
    """How every faust app of the product talks to Kafka (the benchmark's bare agent uses the same)."""
    return dict(
        broker=f"kafka://{settings.bootstrap_servers}",
        store="memory://",
        web_enabled=False,
        autodiscover=False,
        topic_partitions=settings.kafka.partitions,
        topic_replication_factor=settings.kafka.replication_factor,
        consumer_auto_offset_reset="earliest",
        broker_session_timeout=settings.kafka.session_timeout_seconds,
        broker_heartbeat_interval=settings.kafka.heartbeat_interval_seconds,
        datadir=str(settings.data_dir / "faust"),
    )


def create_app(app_id: str, settings: Settings) -> faust.App:
    app = faust.App(app_id, **app_options(settings))
    app.transport = Transport(app.conf.broker_consumer, app)
    return app


app = create_app(settings.kafka.consumer_group, settings)
