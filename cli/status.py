"""`satgas status`: the running system on one screen (Kafka, the workers' lag, backlogs, failures, next runs)."""
from __future__ import annotations

from typing import Any

import click

from cli.output import print_json, print_table
from config import get_settings
from models.base import utcnow
from models.database import session_factory
from scheduler.lock import SchedulerLock, held_by_another_process
from services.health import database_health
from streams.lag import read_group_report


def gather_status() -> dict[str, Any]:
    settings = get_settings()
    kafka = read_group_report(settings)
    with session_factory()() as session:
        health = database_health(session)
    health["scheduler"]["running"] = held_by_another_process(SchedulerLock(settings.sqlalchemy_url))
    return {"checked_at": utcnow().isoformat(timespec="seconds"), "kafka": kafka.as_dict(), **health}


def healthy(status: dict[str, Any]) -> bool:
    """Kafka answers and, when the group could be read, at least one worker is in it."""
    kafka = status["kafka"]
    return kafka["reachable"] and kafka["members"] != 0


def _per_topic(counts: dict[str, int]) -> str:
    return ", ".join(f"{topic} {n}" for topic, n in sorted(counts.items()))


def print_status(status: dict[str, Any]) -> None:
    kafka, letters, outbox, emails, scheduler = (
        status[key] for key in ("kafka", "dead_letters", "outbox", "emails", "scheduler"))
    click.echo(f"Kafka         {kafka['bootstrap']}: {'reachable' if kafka['reachable'] else 'NOT reachable'}")
    if kafka["members"] is not None:
        click.echo(f"Workers       group {kafka['group']}: {kafka['members']} in the group ({kafka['state']})")
    if kafka["topics"]:
        click.echo("Consumer lag  (events on the topic that the workers have not handled yet)")
        print_table([(f"  {t['topic']}", t["partitions"], t["end_offset"], t["committed"], t["lag"])
                     for t in kafka["topics"]],
                    ["  TOPIC", "PARTITIONS", "END OFFSET", "HANDLED", "LAG"])
    for error in kafka["errors"]:
        click.echo(f"              {error}")
    pending = f" ({_per_topic(letters['not_replayed_by_topic'])})" if letters["not_replayed"] else ""
    click.echo(f"Dead letters  {letters['not_replayed']} not replayed{pending}, {letters['total']} in all"
               + ("  -> satgas dead-letter list" if letters["not_replayed"] else ""))
    oldest = f", oldest from {outbox['oldest_pending_at'][:19]} UTC" if outbox["oldest_pending_at"] else ""
    click.echo(f"Outbox        {outbox['pending']} messages waiting for Kafka{oldest}")
    click.echo(f"Emails        {emails['pending']} waiting, {emails['failed']} failed, {emails['sent']} sent"
               + ("  -> satgas mail list --status failed" if emails["failed"] else ""))
    runs = scheduler["next_runs"]
    click.echo(f"Scheduler     {'running' if scheduler['running'] else 'not running'}"
               + ("" if runs else "; no jobs stored yet (it has never started on this database)"))
    if runs:
        print_table([(f"  {run['job']}", (run["next_run_at"] or "paused")[:19]) for run in runs],
                    ["  JOB", "NEXT RUN (UTC)"])


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the status as JSON.")
def status(as_json: bool) -> None:
    """Health of the running system. Exits with 1 when Kafka is unreachable or no worker is in the group."""
    current = gather_status()
    if as_json:
        print_json(current)
    else:
        print_status(current)
    if not healthy(current):
        raise SystemExit(1)
