"""Sends what was queued, each message once: recorded before it is sent, retried with back-off, never lost.

The one window left: a crash after the server accepted a message and before the database recorded it.
Such a message (left "sending") goes out again with the same Message-ID, so mail clients show it once.
"""
from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from config import Settings
from models.mail import FAILED, PENDING, SENDING, SENT, OutgoingEmail

log = logging.getLogger("satgas.mail")


@dataclass
class DeliveryReport:
    sent: int = 0
    failed: int = 0
    deferred: int = 0
    outbox_folder: str | None = None


def outbox_folder(settings: Settings) -> Path:
    return settings.data_dir / "outbox"


def backoff(settings: Settings, attempts: int) -> timedelta:
    seconds = settings.notifications.retry_first_seconds * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.notifications.retry_max_seconds))


def _connect(settings: Settings) -> smtplib.SMTP:
    smtp = settings.smtp
    if smtp.security == "ssl":
        client = smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout_seconds,
                                  context=ssl.create_default_context())
    else:
        client = smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout_seconds)
        if smtp.security == "starttls":
            client.starttls(context=ssl.create_default_context())
    if smtp.user:
        client.login(smtp.user, smtp.password.get_secret_value())
    return client


def _mark(session: Session, email_id: int, **values) -> None:
    session.execute(update(OutgoingEmail).where(OutgoingEmail.id == email_id).values(**values))


#: A message "sending" for longer than this was interrupted by a crash, not by a slow server.
INTERRUPTED_AFTER = timedelta(minutes=10)


def recover_interrupted(sessions: sessionmaker[Session], now: datetime) -> int:
    """Messages left "sending" by a crash are sent again (same Message-ID)."""
    with sessions.begin() as session:
        result = session.execute(
            update(OutgoingEmail)
            .where(OutgoingEmail.status == SENDING, OutgoingEmail.next_attempt_at < now - INTERRUPTED_AFTER)
            .values(status=PENDING, last_error="interrupted while sending; sent again")
        )
        return result.rowcount or 0


def _claim(sessions: sessionmaker[Session], email: OutgoingEmail, now: datetime) -> bool:
    """Only one delivery run sends a message, even when two run at once."""
    with sessions.begin() as session:
        claimed = session.execute(
            update(OutgoingEmail).where(OutgoingEmail.id == email.id, OutgoingEmail.status == PENDING)
            .values(status=SENDING, attempts=email.attempts + 1, next_attempt_at=now)
        )
        return claimed.rowcount == 1


def deliver_pending(settings: Settings, sessions: sessionmaker[Session], now: datetime, limit: int = 500) -> DeliveryReport:
    report = DeliveryReport()
    with sessions() as session:
        due = session.scalars(
            select(OutgoingEmail).where(OutgoingEmail.status == PENDING, OutgoingEmail.next_attempt_at <= now)
            .order_by(OutgoingEmail.id).limit(limit)
        ).all()
    if not due:
        return report
    if not settings.smtp.host:
        return _write_eml_files(settings, sessions, due, now, report)
    try:
        client = _connect(settings)
    except (OSError, smtplib.SMTPException) as error:
        _defer(settings, sessions, due, now, f"cannot reach the SMTP server: {error}", report)
        return report
    try:
        for index, email in enumerate(due):
            if not _claim(sessions, email, now):
                continue
            try:
                client.sendmail(_envelope_sender(settings), [email.recipient], email.message)
            except smtplib.SMTPRecipientsRefused as error:
                code, reason = error.recipients.get(email.recipient, (0, b"refused"))
                _finish(sessions, email, code, reason, now, settings, report)
            except smtplib.SMTPResponseException as error:
                _finish(sessions, email, error.smtp_code, error.smtp_error, now, settings, report)
                if error.smtp_code == 421:
                    _defer(settings, sessions, due[index + 1:], now, "server closing the connection", report)
                    return report
            except (OSError, smtplib.SMTPException) as error:
                _defer(settings, sessions, due[index:], now, f"connection lost: {error}", report)
                return report
            else:
                with sessions.begin() as session:
                    _mark(session, email.id, status=SENT, sent_at=now, last_error=None)
                report.sent += 1
    finally:
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return report


def _envelope_sender(settings: Settings) -> str:
    from email.utils import parseaddr

    return parseaddr(settings.smtp.sender)[1] or settings.smtp.sender


def _finish(sessions, email: OutgoingEmail, code: int, reason: bytes | str, now: datetime, settings: Settings,
            report: DeliveryReport) -> None:
    """5xx: the server refuses for good; 4xx: try again later."""
    text = reason.decode(errors="replace") if isinstance(reason, bytes) else str(reason)
    error = f"{code} {text}"
    with sessions.begin() as session:
        if 500 <= code < 600:
            _mark(session, email.id, status=FAILED, last_error=error)
            report.failed += 1
            log.warning("email %s to %s refused: %s", email.id, email.recipient, error)
        else:
            _mark(session, email.id, status=PENDING, last_error=error,
                  next_attempt_at=now + backoff(settings, email.attempts + 1))
            report.deferred += 1


def _defer(settings: Settings, sessions, emails, now: datetime, error: str, report: DeliveryReport) -> None:
    with sessions.begin() as session:
        for email in emails:
            attempts = email.attempts + 1
            _mark(session, email.id, status=PENDING, attempts=attempts, last_error=error,
                  next_attempt_at=now + backoff(settings, attempts))
    report.deferred += len(emails)
    log.warning("%d emails wait: %s", len(emails), error)


def _write_eml_files(settings: Settings, sessions, emails, now: datetime, report: DeliveryReport) -> DeliveryReport:
    """The embedded default: each message as an .eml file, to open in any mail program."""
    folder = outbox_folder(settings)
    folder.mkdir(parents=True, exist_ok=True)
    for email in emails:
        if not _claim(sessions, email, now):
            continue
        path = folder / f"{email.id:07d}-{email.kind}.eml"
        path.write_bytes(email.message)
        with sessions.begin() as session:
            _mark(session, email.id, status=SENT, sent_at=now, attempts=email.attempts + 1, last_error=None)
        report.sent += 1
    report.outbox_folder = str(folder)
    return report
