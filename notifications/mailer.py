"""Queues emails in the caller's transaction: rendered once, one row per recipient, each key written once."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from config import Settings
from models.mail import PENDING, MailPreference, OutgoingEmail
from models.registry import Team
from notifications.rendering import Rendered, mime_message, render
from services.bulk import chunks, insert_new_rows
from services.bulk_reads import among


@dataclass
class Mailer:
    """Use as `with Mailer(session, settings, now) as mailer:`; the messages are written on leaving."""

    session: Session
    settings: Settings
    now: datetime
    #: How many new messages were written.
    queued: int = 0
    _languages: dict[str, str] | None = field(default=None, repr=False)
    _rows: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)

    def __enter__(self) -> Mailer:
        return self

    def __exit__(self, exc_type, *_) -> None:
        if exc_type is None:
            self.flush()

    def language_of(self, email: str) -> str:
        if self._languages is None:
            rows = self.session.execute(select(MailPreference.email, MailPreference.language)).tuples().all()
            self._languages = dict(rows)
        return self._languages.get(email.lower(), self.settings.notifications.default_language)

    def link(self, case_id: str) -> str | None:
        base = self.settings.notifications.base_url.rstrip("/")
        return f"{base}/cases/{case_id}" if base else None

    def queue(self, kind: str, key: str, recipients: Iterable[str], subject_key: str,
              subject_values: dict[str, Any], **context: Any) -> None:
        """Render templates/{kind} for each recipient in their language."""
        self.queue_rendered(
            kind, key, recipients, lambda language: render(kind, language, subject_key, subject_values, **context)
        )

    def queue_rendered(self, kind: str, key: str, recipients: Iterable[str],
                       render_in: Callable[[str], Rendered]) -> None:
        """One message per recipient (key "{key}:{recipient}"), rendered once per language."""
        by_language: dict[str, Rendered] = {}
        for recipient in dict.fromkeys(r.strip() for r in recipients if r and r.strip()):
            message_key = f"{key}:{recipient}"
            if message_key in self._rows:
                continue
            language = self.language_of(recipient)
            if language not in by_language:
                by_language[language] = render_in(language)
            rendered = by_language[language]
            self._rows[message_key] = {
                "message_key": message_key, "kind": kind, "recipient": recipient, "language": language,
                "subject": rendered.subject[:300],
                "message": mime_message(rendered, self.settings.smtp.sender, recipient, message_key),
                "status": PENDING, "attempts": 0, "next_attempt_at": self.now, "created_at": self.now,
            }

    def flush(self) -> int:
        """Write the messages whose key was never written before, in batches; returns how many."""
        written = set(self.session.scalars(select(OutgoingEmail.message_key)
                                           .where(among(OutgoingEmail.message_key, self._rows))))
        fresh = [row for key, row in self._rows.items() if key not in written]
        for chunk in chunks(fresh, 1000):
            self.session.execute(*insert_new_rows(self.session.bind.dialect.name, OutgoingEmail.__table__, chunk))
        self._rows.clear()
        self.queued += len(fresh)
        return len(fresh)


def team_emails(session: Session) -> dict[str, tuple[str, list[str]]]:
    """team id -> (team name, its supervisors' emails)."""
    return {team.team_id: (team.name, list(team.supervisor_emails or [])) for team in session.scalars(select(Team))}
