"""`satgas mail`: what was sent or waits, sending now, and recipients' languages."""
from __future__ import annotations

import click
from sqlalchemy import select

from cli.output import print_json, print_table
from config import get_settings
from models.base import utcnow
from models.database import session_factory
from models.mail import MailPreference, OutgoingEmail
from notifications.delivery import deliver_pending
from notifications.i18n import LANGUAGES


@click.group()
def mail() -> None:
    """Emails to supervisors and cooperatives."""


@mail.command("list")
@click.option("--status", type=click.Choice(["pending", "sending", "sent", "failed"]))
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def list_command(status: str | None, limit: int, as_json: bool) -> None:
    """The latest emails with their delivery state (attempts, last error)."""
    statement = select(OutgoingEmail).order_by(OutgoingEmail.id.desc()).limit(limit)
    if status:
        statement = statement.where(OutgoingEmail.status == status)
    with session_factory()() as session:
        emails = [
            {"id": e.id, "kind": e.kind, "recipient": e.recipient, "language": e.language, "subject": e.subject,
             "status": e.status, "attempts": e.attempts, "last_error": e.last_error,
             "created_at": e.created_at.isoformat(), "sent_at": e.sent_at.isoformat() if e.sent_at else None}
            for e in session.scalars(statement)
        ]
    if as_json:
        print_json(emails)
    else:
        print_table([(e["id"], e["kind"], e["recipient"], e["status"], e["attempts"], e["last_error"])
                     for e in emails], ["ID", "KIND", "TO", "STATUS", "TRIES", "LAST ERROR"])


@mail.command("send")
def send_command() -> None:
    """Deliver every email that is due now (the scheduler does this every few seconds)."""
    report = deliver_pending(get_settings(), session_factory(), utcnow())
    where = f" (written to {report.outbox_folder})" if report.outbox_folder else ""
    click.echo(f"sent {report.sent}, failed {report.failed}, waiting {report.deferred}{where}")


@mail.command("language")
@click.argument("email")
@click.argument("language", type=click.Choice(LANGUAGES))
def language_command(email: str, language: str) -> None:
    """Set the language a recipient reads (id: Bahasa Indonesia, en: English)."""
    with session_factory().begin() as session:
        session.merge(MailPreference(email=email.strip().lower(), language=language))
    click.echo(f"{email}: {language}")
