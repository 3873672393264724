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
from services.bulk import insert_ignoring_duplicates


@dataclass
class Mailer:
    session: Session
    settings: Settings
    now: datetime
    queued: int = 0
    _languages: dict[str, str] | None = field(default=None, repr=False)

    def language_of(self, email: str) -> str:
        if self._languages is None:
            self._languages = dict(self.session.execute(select(MailPreference.email, MailPreference.language)).tuples().all())
        return self._languages.get(email.lower(), self.settings.notifications.default_language)

    def link(self, case_id: str) -> str | None:
        base = self.settings.notifications.base_url.rstrip("/")
        return f"{base}/cases/{case_id}" if base else None

    def queue(self, kind: str, key: str, recipients: Iterable[str], subject_key: str,
              subject_values: dict[str, Any], **context: Any) -> int:
        """Render templates/{kind} for each recipient in their language and record it."""
        return self.queue_rendered(
            kind, key, recipients, lambda language: render(kind, language, subject_key, subject_values, **context)
        )

    def queue_rendered(self, kind: str, key: str, recipients: Iterable[str],
                       render_in: Callable[[str], Rendered]) -> int:
        """Record one message per recipient, rendered once per language; a key queued before is left alone."""
        rows, by_language = [], {}
        for recipient in dict.fromkeys(r.strip() for r in recipients if r and r.strip()):
            language = self.language_of(recipient)
            if language not in by_language:
                by_language[language] = render_in(language)
            rendered = by_language[language]
            message_key = f"{key}:{recipient}"
            rows.append({
                "message_key": message_key, "kind": kind, "recipient": recipient, "language": language,
                "subject": rendered.subject[:300],
                "message": mime_message(rendered, self.settings.smtp.sender, recipient, message_key),
                "status": PENDING, "attempts": 0, "next_attempt_at": self.now, "created_at": self.now,
            })
        if rows:
            self.session.execute(insert_ignoring_duplicates(self.session.bind.dialect.name, OutgoingEmail.__table__),
                                 rows)
        self.queued += len(rows)
        return len(rows)


def team_emails(session: Session) -> dict[str, tuple[str, list[str]]]:
    """team id -> (team name, its supervisors' emails)."""
    return {team.team_id: (team.name, list(team.supervisor_emails or [])) for team in session.scalars(select(Team))}
