"""`satgas dead-letter list|replay`: the events the worker refused, and sending them again after a fix."""
from __future__ import annotations

import click

from cli.intake import relay_stored
from cli.output import print_json, print_table
from config.settings import TOPICS
from models.base import utcnow
from models.database import session_factory
from services.dead_letter_replay import PENDING, REPLAYED, dead_letter_as_dict, find_dead_letters, replay

INPUT_TOPICS = tuple(topic for topic in TOPICS if topic not in ("case-events", "dead-letter"))


@click.group("dead-letter")
def dead_letter() -> None:
    """Events the worker refused (bad JSON, missing fields, unknown NIK), kept with the reason."""


@dead_letter.command("list")
@click.option("--topic", type=click.Choice(INPUT_TOPICS), help="Only the dead letters of this topic.")
@click.option("--status", type=click.Choice([PENDING, REPLAYED]), help="pending: never replayed.")
@click.option("--limit", type=int, default=50, show_default=True, help="At most this many, newest first (0: all).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON, with the original message as text.")
def list_command(topic: str | None, status: str | None, limit: int, as_json: bool) -> None:
    """List dead letters, newest first."""
    with session_factory()() as session:
        letters = [dead_letter_as_dict(letter)
                   for letter in find_dead_letters(session, topic=topic, status=status, limit=limit or None)]
    if as_json:
        print_json(letters)
        return
    if not letters:
        click.echo("No dead letters.")
        return
    print_table([(d["id"], d["topic"], d["key"], d["received_at"][:19], (d["replayed_at"] or "")[:19] or None,
                  d["reason"][:90]) for d in letters], ["ID", "TOPIC", "KEY", "RECEIVED (UTC)", "REPLAYED", "REASON"])


@dead_letter.command("replay")
@click.argument("ids", nargs=-1, type=int)
@click.option("--topic", type=click.Choice(INPUT_TOPICS), help="Every pending dead letter of this topic.")
@click.option("--all", "every", is_flag=True, help="Every pending dead letter.")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def replay_command(ids: tuple[int, ...], topic: str | None, every: bool, as_json: bool) -> None:
    """Send dead letters to their topic again, once each, after the cause was fixed (e.g. the cooperative
    was imported). One that is refused again becomes a new dead letter."""
    if not (ids or topic or every):
        raise click.UsageError("name the dead letters to replay (their ids), or give --topic or --all")
    with session_factory().begin() as session:
        letters = find_dead_letters(session, ids=ids, topic=topic, status=None if ids else PENDING)
        result = replay(session, letters, utcnow(), asked_for=ids)
    published = relay_stored(len(result.replayed), "replayed events") if result.replayed else 0
    if as_json:
        print_json({"replayed": result.replayed, "already_replayed": result.already_replayed,
                    "unknown": result.unknown, "published": published})
    else:
        click.echo(f"{len(result.replayed)} dead letters replayed; {published} outbox messages published.")
        if result.already_replayed:
            click.echo(f"Already replayed, not sent again: {', '.join(map(str, result.already_replayed))}.", err=True)
    if result.unknown:
        click.echo(f"No dead letter with id {', '.join(map(str, result.unknown))}.", err=True)
        raise SystemExit(1)
