"""What the missed-RAT handler costs per event on its own: no broker, no faust, no worker process.

The national sweep's events, built as `satgas sweep` builds them, go straight to `handle_missed` in
batches of the worker's size. It prints JSON: wall time and this process's CPU per event, and the time
of each kind of statement (from SQLAlchemy's cursor events), so the handler's Python and the database's
share of a burst can be told apart.

    python -m bench.handler_cost [--coops N] [--database sqlite|postgresql]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.ext.asyncio import async_sessionmaker
from sqlalchemy.orm import sessionmaker

from bench.machine import describe_machine, speed_probe
from bench.national_burst import DATABASES, POSTGRES_SERVER, say
from bench.registry import SWEEP_DAY, create_database, write_national_registry
from bench.takeover import exactly_once
from config import get_settings
from models.database import build_async_engine, build_engine, reading, sync_url
from services.dead_letters import Incoming
from services.handlers import handle_missed, warm_up
from services.sweep import missed_rat_event, overdue_cooperatives
from streams.sweep import detection_time


def sweep_messages(url: str) -> list[Incoming]:
    """The missed-RAT events a sweep on the bench's sweep day publishes, as the worker receives them."""
    detected_at = detection_time(SWEEP_DAY)
    engine = build_engine(url)
    try:
        with reading(sessionmaker(engine)) as session:
            overdue = overdue_cooperatives(session, SWEEP_DAY, get_settings().rules)
    finally:
        engine.dispose()
    return [
        Incoming(topic="rat-missed", value=missed_rat_event(one, detected_at), key=one.nik,
                 source=f"rat-missed/0/{offset}", headers={})
        for offset, one in enumerate(overdue)
    ]


def statement_kind(statement: str) -> str:
    """`INSERT INTO followups`, `SELECT ... FROM cooperatives`, `BEGIN IMMEDIATE`: what a statement is."""
    words = statement.split()
    if words and words[0].upper() == "INSERT":
        return " ".join(words[:3])
    tables = re.findall(r"\b(?:FROM|JOIN)\s+([a-z_]+)", statement)
    return f"{words[0].upper()} {', '.join(dict.fromkeys(tables))}".strip() if words else "(empty)"


async def apply_all(url: str, messages: list[Incoming], batch_size: int) -> dict:
    engine = build_async_engine(url)
    seconds, counts = Counter(), Counter()

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def started(connection, cursor, statement, parameters, context, executemany):
        connection.info["statement_started"] = time.perf_counter()

    @event.listens_for(engine.sync_engine, "after_cursor_execute")
    def finished(connection, cursor, statement, parameters, context, executemany):
        kind = statement_kind(statement)
        seconds[kind] += time.perf_counter() - connection.info.pop("statement_started")
        counts[kind] += 1

    settings, now = get_settings(), datetime.now(timezone.utc)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        for start in range(0, len(messages), batch_size):
            await handle_missed(sessions, messages[start : start + batch_size], settings, now)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    finally:
        await engine.dispose()
    per_event = 1e6 / max(len(messages), 1)
    statements = sum(seconds.values())
    return {
        "seconds": round(wall, 2),
        "events_per_s": round(len(messages) / wall) if wall else None,
        "us_per_event": round(wall * per_event),
        "process_cpu_us_per_event": round(cpu * per_event),
        "statements_us_per_event": round(statements * per_event),
        "outside_statements_us_per_event": round((wall - statements) * per_event),
        "statements": {kind: {"count": counts[kind], "seconds": round(spent, 2)}
                       for kind, spent in seconds.most_common()},
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--coops", type=int, default=250_000, help="cooperatives in the registry; half are overdue")
    parser.add_argument("--database", choices=DATABASES, default="sqlite")
    parser.add_argument("--postgres", default=POSTGRES_SERVER, help="server in which to create the database")
    args = parser.parse_args(argv)
    if args.coops < 2:
        parser.error("--coops must be at least 2: half of them are overdue")
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    workdir = Path(tempfile.mkdtemp(prefix="satgas-handler-cost-"))
    url, drop = create_database(args.database, workdir, args.postgres)
    try:
        say(f"{args.database}: writing {args.coops} cooperatives directly (set-up, not measured)")
        registry = write_national_registry(url, args.coops)
        messages = sweep_messages(url)
        warm_up(SWEEP_DAY)
        probe = speed_probe()
        say(f"{args.database}: {len(messages)} missed-RAT events through handle_missed")
        measured = asyncio.run(apply_all(url, messages, get_settings().worker.batch_size))
        engine = create_engine(sync_url(url))
        with engine.connect() as connection:
            held = exactly_once(lambda sql: connection.execute(text(sql)).scalar_one(), registry["overdue"])
        engine.dispose()
    finally:
        drop()
    print(json.dumps({
        "command": " ".join(["python -m bench.handler_cost", *(argv if argv is not None else sys.argv[1:])]),
        "machine": describe_machine(),
        "database": args.database,
        "events": len(messages),
        "batch_size": get_settings().worker.batch_size,
        "speed_probe_s": probe,
        **measured,
        "exactly_once": held,
    }, indent=2))


if __name__ == "__main__":
    main()
