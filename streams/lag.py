"""How far the workers' consumer group is behind on each input topic, read from Kafka (for `satgas status`).

aiokafka's admin client reads the committed offsets. With the embedded broker (tansu) the partitions must be
named: asking for "all of the group's offsets" gets an answer aiokafka cannot decode. kafka-python 3.0.12
reads offsets too (`list_group_offsets`) but cannot decode tansu's answer to DescribeGroups, which says how
many workers are in the group.

tansu also answers "the latest offset" with the first offset of the partition's last record batch, not the
offset after its last record, so the lag would look smaller than it is (by up to a batch). The end offset is
therefore read forward from what the broker reports; against Kafka there is nothing to read there.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import asdict, dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient

from config import Settings
from streams.publisher import BrokerUnavailable, check_reachable

#: The topics the worker consumes.
INPUT_TOPICS = ("cooperatives", "rat-filings", "rat-missed")


@dataclass(frozen=True)
class TopicLag:
    topic: str  #: without the prefix
    partitions: int
    end_offset: int  #: summed over partitions
    committed: int  #: summed; a partition the group never committed counts from its first offset
    lag: int  #: events not yet handled by the group


@dataclass
class GroupReport:
    bootstrap: str
    group: str
    reachable: bool = False
    #: Stable, Empty (no worker), PreparingRebalance, ...; None when it could not be read.
    state: str | None = None
    members: int | None = None
    topics: list[TopicLag] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _group_state(described: Any, group: str) -> tuple[str | None, int | None]:
    for response in described if isinstance(described, list) else [described]:
        for entry in getattr(response, "groups", []):
            error_code, group_id, state, _protocol_type, _protocol, members = entry[:6]
            if group_id == group and not error_code:
                return state, len(members)
    return None, None


async def _true_end_offsets(consumer: AIOKafkaConsumer, partitions: list[TopicPartition]) -> dict[TopicPartition, int]:
    """The offset after each partition's last record, reading on from the end offset the broker reports."""
    end = dict(await consumer.end_offsets(partitions))
    consumer.assign(partitions)
    for tp in partitions:
        consumer.seek(tp, end[tp])
    for _ in range(10):
        fetched = await consumer.getmany(timeout_ms=300)
        if not any(fetched.values()):
            break
        for tp, records in fetched.items():
            end[tp] = max(end[tp], records[-1].offset + 1)
    return end


async def _read(settings: Settings, report: GroupReport) -> None:
    admin = AIOKafkaAdminClient(bootstrap_servers=report.bootstrap, request_timeout_ms=8000)
    consumer = AIOKafkaConsumer(bootstrap_servers=report.bootstrap, enable_auto_commit=False,
                                request_timeout_ms=8000, fetch_max_wait_ms=100)
    await admin.start()
    try:
        await consumer.start()
        try:
            known = await consumer.topics()
            partitions = {
                name: [TopicPartition(settings.kafka.topic(name), p)
                       for p in sorted(consumer.partitions_for_topic(settings.kafka.topic(name)) or [])]
                for name in INPUT_TOPICS if settings.kafka.topic(name) in known
            }
            every = [tp for tps in partitions.values() for tp in tps]
            if not every:
                report.errors.append("the topics do not exist yet (no worker or import has run)")
                return
            first = await consumer.beginning_offsets(every)
            end = await _true_end_offsets(consumer, every)
            committed = await admin.list_consumer_group_offsets(report.group, partitions=every)
        finally:
            await consumer.stop()
        for name, tps in partitions.items():
            done = {tp: committed[tp].offset if tp in committed and committed[tp].offset >= 0 else first[tp]
                    for tp in tps}
            report.topics.append(TopicLag(name, len(tps), sum(end[tp] for tp in tps), sum(done.values()),
                                          sum(max(end[tp] - done[tp], 0) for tp in tps)))
        try:
            report.state, report.members = _group_state(await admin.describe_consumer_groups([report.group]),
                                                        report.group)
        except Exception as error:  # the lag is still worth showing
            report.errors.append(f"cannot read the group's members: {error}")
    finally:
        await admin.close()


def read_group_report(settings: Settings, timeout: float = 20.0) -> GroupReport:
    report = GroupReport(settings.bootstrap_servers, settings.kafka.consumer_group)
    try:
        check_reachable(report.bootstrap)
    except BrokerUnavailable as error:
        report.errors.append(str(error))
        return report
    report.reachable = True
    logging.getLogger("aiokafka").setLevel(logging.CRITICAL)  # its reconnect noise; failures are reported
    try:
        asyncio.run(asyncio.wait_for(_read(settings, report), timeout))
    except Exception as error:
        report.errors.append(f"cannot read the consumer lag: {type(error).__name__}: {error}")
    return report
