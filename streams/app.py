"""The faust application: one consumer group, the cluster from settings, no local state stores."""
from __future__ import annotations

import faust

from config import get_settings

settings = get_settings()

app = faust.App(
    settings.kafka.consumer_group,
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
