"""The sweep's and the relay's own partitioner must agree with Kafka's clients, or a cooperative's
events would be split across partitions and lose their order."""
from __future__ import annotations

import json
import random
from datetime import date, datetime

from aiokafka.partitioner import DefaultPartitioner

from models.regions import WIB
from services.sweep import Overdue, missed_rat_event
from streams.record_batches import murmur2, partition_for
from streams.records import RatMissedEvent


def test_keys_land_on_the_partition_kafkas_default_partitioner_picks():
    generator = random.Random(6)
    keys = [b"", b"a", b"7471010000000001"] + [
        bytes(generator.randrange(256) for _ in range(generator.randrange(1, 40))) for _ in range(3000)
    ]
    for partitions in (1, 2, 12, 31):
        everyone = list(range(partitions))
        expected = [DefaultPartitioner()(key, everyone, everyone) for key in keys]
        assert [partition_for(key, partitions) for key in keys] == expected


def test_murmur2_matches_the_reference_values_of_kafkas_java_client():
    # org.apache.kafka.common.utils.UtilsTest#testMurmur2
    assert murmur2(b"21") & 0xFFFFFFFF == -973932308 & 0xFFFFFFFF
    assert murmur2(b"foobar") & 0xFFFFFFFF == -790332482 & 0xFFFFFFFF
    assert murmur2(b"a-little-bit-long-string") & 0xFFFFFFFF == -985981536 & 0xFFFFFFFF
    assert murmur2(b"a-little-bit-longer-string") & 0xFFFFFFFF == -1486304829 & 0xFFFFFFFF
    assert murmur2(b"lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8") & 0xFFFFFFFF == -58897971 & 0xFFFFFFFF
    assert murmur2(b"abc") & 0xFFFFFFFF == 479470107


def test_the_sweeps_event_json_is_the_missed_rat_record():
    overdue = Overdue(nik="7471010000000001", fiscal_year=2025, deadline=date(2026, 6, 30))
    detected = datetime(2026, 7, 1, tzinfo=WIB)
    expected = RatMissedEvent(nik=overdue.nik, fiscal_year=2025, deadline="2026-06-30",
                              detected_at=detected.isoformat())
    assert json.loads(missed_rat_event(overdue, detected)) == json.loads(expected.dumps())
