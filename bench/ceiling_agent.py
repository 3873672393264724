"""A bare faust agent that only counts one topic's events: the framework's own ceiling on this machine.

Same app options, batch size and raw serializer as the worker's agents, a consumer group of its own
(named after the result file, so that each run reads the topic from the start); it writes how fast it
counted `expected` events to a JSON file.

    python -m bench.ceiling_agent TOPIC EXPECTED RESULT.json      (SATGAS_* settings as for the worker)
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from faust.worker import Worker

from config import get_settings
from streams.app import create_app

settings = get_settings()
topic_name, expected, result_path = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])

app = create_app(f"{settings.kafka.consumer_group}-{result_path.stem}", settings)
topic = app.topic(topic_name, key_type=bytes, value_type=bytes, key_serializer="raw", value_serializer="raw")


@app.agent(topic, name="count")
async def count(stream):
    counted, first = 0, None
    async for events in stream.take_events(settings.worker.batch_size, within=settings.worker.batch_within_seconds):
        now, cpu = time.monotonic(), time.process_time()
        if first is None:
            first = (now, len(events), cpu)
        counted += len(events)
        if counted >= expected and not result_path.exists():
            seconds = now - first[0]
            rate = (counted - first[1]) / seconds if seconds > 0 else None
            result_path.write_text(json.dumps({
                "counted": counted, "seconds": round(seconds, 2), "events_per_s": round(rate) if rate else None,
                "agent_cpu_seconds": round(cpu - first[2], 1),
            }))


if __name__ == "__main__":
    Worker(app, loglevel="info", quiet=True).execute_from_commandline()
