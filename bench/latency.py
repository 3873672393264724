"""Latency: late RAT filings sent to `rat-filings` at a steady rate, each timed until its case event
appears on `case-events` (read with aiokafka, without a consumer group)."""
from __future__ import annotations

import asyncio
import json
import statistics
import time
from datetime import datetime, timezone

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from models.cases import rat_case_id

#: A fiscal year no case of the burst touches: every filing for it opens a new `rat_late` case.
LATE_YEAR = 2023


def late_filing(nik: str, fiscal_year: int, submitted_at: datetime) -> dict:
    """Held in September of the year after: past the 30 June RAT deadline, so the case rules call it late."""
    return {
        "filing_id": f"LAT-{fiscal_year}-{nik}",
        "nik": nik,
        "fiscal_year": fiscal_year,
        "rat_date": f"{fiscal_year + 1}-09-02",
        "submitted_at": submitted_at.isoformat(),
        "members": 80,
        "assets": "250000000.00",
        "liabilities": "100000000.00",
        "equity": "150000000.00",
        "business_volume": "400000000.00",
        "shu": "10000000.00",
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


async def _case_event_reader(bootstrap: str, topic: str) -> AIOKafkaConsumer:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, enable_auto_commit=False, fetch_max_wait_ms=20, auto_offset_reset="latest"
    )
    await consumer.start()
    partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or [])]
    consumer.assign(partitions)
    await consumer.seek_to_end(*partitions)
    for partition in partitions:  # resolve the end offsets now, before the first filing goes out
        await consumer.position(partition)
    return consumer


async def measure_latency(bootstrap: str, prefix: str, niks: list[str], rate: float, seconds: float) -> dict:
    total = int(rate * seconds)
    sent: dict[str, float] = {}
    latencies: list[float] = []
    consumer = await _case_event_reader(bootstrap, f"{prefix}case-events")
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, linger_ms=0, acks=1)
    await producer.start()

    async def submit() -> None:
        start = time.monotonic()
        for i in range(total):
            await asyncio.sleep(max(0.0, start + i / rate - time.monotonic()))
            nik = niks[i % len(niks)]
            fiscal_year = LATE_YEAR - i // len(niks)
            value = json.dumps(late_filing(nik, fiscal_year, datetime.now(timezone.utc))).encode()
            sent[rat_case_id(nik, fiscal_year)] = time.monotonic()
            await producer.send(f"{prefix}rat-filings", value, key=nik.encode())

    async def receive(submitting: asyncio.Task) -> None:
        done_by = None
        while len(latencies) < total:
            batches = await consumer.getmany(timeout_ms=100)
            received = time.monotonic()
            for records in batches.values():
                for record in records:
                    event = json.loads(record.value)
                    if event["type"] == "case_opened" and event["case_id"] in sent:
                        latencies.append(received - sent.pop(event["case_id"]))
            if submitting.done():
                done_by = done_by or received + 30
                if received > done_by:
                    return

    try:
        submitting = asyncio.create_task(submit())
        await asyncio.gather(submitting, receive(submitting))
    finally:
        await producer.stop()
        await consumer.stop()
    return {
        "filings": total,
        "rate_per_s": rate,
        "seconds": seconds,
        "case_events_received": len(latencies),
        "p50_s": round(percentile(latencies, 0.50), 3) if latencies else None,
        "p95_s": round(percentile(latencies, 0.95), 3) if latencies else None,
        "p99_s": round(percentile(latencies, 0.99), 3) if latencies else None,
        "max_s": round(max(latencies), 3) if latencies else None,
        "mean_s": round(statistics.fmean(latencies), 3) if latencies else None,
    }
