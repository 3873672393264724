"""`satgas followups`: record what was done, move a visit, list what is pending."""
from __future__ import annotations

import getpass
from datetime import datetime

import click

from cli.output import print_json, print_table
from config import get_settings
from models.base import utcnow
from models.database import session_factory
from models.rules.ladder import NoticeTooShort
from models.rules.workdays import national_holidays
from services.followups import FollowUpError, record_followup_done, reschedule_followup
from services.queries import followup_as_dict, list_followups


@click.group()
def followups() -> None:
    """Follow-ups of inspection cases: warnings, field visits, dissolution notices."""


@followups.command("list")
@click.option("--case", "case_id", help="Only this case's follow-ups.")
@click.option("--status", type=click.Choice(["planned", "due", "overdue", "done", "cancelled"]))
@click.option("--regency", help="4-digit regency code.")
@click.option("--limit", type=int, default=200, show_default=True, help="At most this many (0: all).")
@click.option("--json", "as_json", is_flag=True)
def list_command(case_id, status, regency, limit, as_json) -> None:
    """Follow-ups by due date."""
    with session_factory()() as session:
        found = list_followups(session, case_id=case_id, status=status, regency=regency, limit=limit or None)
    if as_json:
        print_json(found)
    else:
        print_table([(f["followup_id"], f["kind"], f["due_date"], f["status"]) for f in found],
                    ["FOLLOW-UP", "KIND", "DUE", "STATUS"])


def _actor(by: str | None) -> str:
    return by or f"cli:{getpass.getuser()}"


@followups.command("done")
@click.argument("followup_id")
@click.option("--note", required=True, help="What was done: the letter's number, what the visit found.")
@click.option("--by", help="Who did it (default: cli:<login name>).")
@click.option("--json", "as_json", is_flag=True)
def done_command(followup_id: str, note: str, by: str | None, as_json: bool) -> None:
    """Record that a warning was sent or a visit happened."""
    try:
        with session_factory().begin() as session:
            result = followup_as_dict(record_followup_done(session, followup_id, note, _actor(by), utcnow()))
    except FollowUpError as error:
        raise click.ClickException(str(error)) from None
    print_json(result) if as_json else click.echo(f"{followup_id}: done ({note}).")


@followups.command("reschedule")
@click.argument("followup_id")
@click.option("--date", "new_date", required=True, type=click.DateTime(["%Y-%m-%d"]), help="The new due date.")
@click.option("--by", help="Who moves it (default: cli:<login name>).")
@click.option("--json", "as_json", is_flag=True)
def reschedule_command(followup_id: str, new_date: datetime, by: str | None, as_json: bool) -> None:
    """Move a pending follow-up; a field visit needs at least 3 days' notice."""
    try:
        with session_factory().begin() as session:
            result = followup_as_dict(reschedule_followup(
                session, followup_id, new_date.date(), _actor(by), utcnow(), get_settings().rules, national_holidays()
            ))
    except (FollowUpError, NoticeTooShort) as error:
        raise click.ClickException(str(error)) from None
    print_json(result) if as_json else click.echo(f"{followup_id}: now due {new_date.date().isoformat()}.")
