"""The five public topics. Values are the raw JSON bytes: decoding happens where a refusal can be explained."""
from __future__ import annotations

from streams.app import app, settings


def _raw_topic(name: str):
    return app.topic(
        settings.kafka.topic(name),
        key_type=bytes,
        value_type=bytes,
        key_serializer="raw",
        value_serializer="raw",
        partitions=settings.kafka.partitions,
    )


cooperatives = _raw_topic("cooperatives")
rat_filings = _raw_topic("rat-filings")
rat_missed = _raw_topic("rat-missed")
case_events = _raw_topic("case-events")
dead_letter = _raw_topic("dead-letter")
