"""`satgas scheduler`, `satgas tick` and `satgas digest`: the time-based duties."""
from __future__ import annotations

from datetime import datetime

import click

from cli.output import print_json
from config import get_settings
from models.database import session_factory
from models.regions import provinces
from scheduler.duties import run_due_duties
from models.base import utcnow
from notifications.compose import queue_weekly_email, write_weekly_preview
from notifications.delivery import deliver_pending
from notifications.mailer import Mailer
from services.digest import UnknownWeek, weekly_digest


@click.command()
def scheduler() -> None:
    """Run the scheduler: daily sweeps and follow-ups, weekly escalation data, in each zone's time."""
    import logging

    from scheduler.runner import run_scheduler

    logging.getLogger("satgas").setLevel(get_settings().log_level.upper())
    raise SystemExit(run_scheduler(get_settings(), announce=lambda line: click.echo(line, err=True)))


@click.command()
@click.option("--as-of", "as_of", required=True, help='The instant, e.g. "2025-08-01T00:10+07:00".')
def tick(as_of: str) -> None:
    """Run once every duty due at that instant, exactly as the scheduler would (idempotent)."""
    try:
        now = datetime.fromisoformat(as_of)
    except ValueError:
        raise click.BadParameter(f"'{as_of}' is not a time like 2025-08-01T00:10+07:00", param_hint="--as-of")
    if now.tzinfo is None:
        raise click.BadParameter("give the UTC offset too, e.g. +07:00 (WIB), +08:00 (WITA), +09:00 (WIT)",
                                 param_hint="--as-of")
    print_json(run_due_duties(get_settings(), session_factory(), now))


@click.command()
@click.option("--week", required=True, help="ISO week, e.g. 2025-W32.")
@click.option("--province", required=True, help="2-digit province code, e.g. 74.")
@click.option("--json", "as_json", is_flag=True, help="Print the data as JSON.")
@click.option("--send", is_flag=True, help="Send the weekly escalation email now, to the province's list.")
@click.option("--dry-run", "dry_run", is_flag=True, help="Write the email to an .eml file instead of sending it.")
def digest(week: str, province: str, as_json: bool, send: bool, dry_run: bool) -> None:
    """The weekly escalation data of a province for a week; --send mails it, --dry-run writes it to a file."""
    if province not in provinces():
        raise click.BadParameter(f"unknown province code '{province}'", param_hint="--province")
    settings = get_settings()
    try:
        with session_factory()() as session:
            data = weekly_digest(session, province, week, settings.rules)
    except UnknownWeek as error:
        raise click.BadParameter(str(error), param_hint="--week") from None
    if dry_run:
        path = write_weekly_preview(settings, data)
        click.echo(f"Written to {path} (open it in a mail program).", err=True)
    elif send:
        now = utcnow()
        with session_factory().begin() as session:
            with Mailer(session, settings, now) as mailer:
                queue_weekly_email(mailer, data)
        report = deliver_pending(settings, session_factory(), now)
        click.echo(f"{mailer.queued} weekly emails queued; sent {report.sent}, failed {report.failed}, "
                   f"waiting {report.deferred}" + (f" (written to {report.outbox_folder})" if report.outbox_folder else ""),
                   err=True)
    if as_json or not (send or dry_run):
        print_json(data)
