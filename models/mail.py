"""Emails: each one recorded before it is sent, one row per recipient, and the recipients' languages."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base
from models.messaging import AutoId

PENDING = "pending"
SENDING = "sending"  #: handed to the SMTP server; a crash now leaves it here (see notifications.delivery)
SENT = "sent"
FAILED = "failed"  #: refused for good by the server, with its reason


class OutgoingEmail(Base):
    __tablename__ = "emails"

    id: Mapped[int] = mapped_column(AutoId, primary_key=True, autoincrement=True)
    #: What makes composing the same email twice a no-op, e.g. "weekly:74:2025-W32:kepala@sultra.go.id".
    message_key: Mapped[str] = mapped_column(String(300), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    recipient: Mapped[str] = mapped_column(String(320))
    language: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str] = mapped_column(String(300))
    #: The whole RFC 5322 message, Message-ID included, exactly as it is sent.
    message: Mapped[bytes] = mapped_column(LargeBinary)
    status: Mapped[str] = mapped_column(String(16), default=PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(index=True)
    created_at: Mapped[datetime]
    sent_at: Mapped[datetime | None]


class MailPreference(Base):
    """A recipient who reads English (or any language other than the default)."""

    __tablename__ = "mail_preferences"

    email: Mapped[str] = mapped_column(String(320), primary_key=True)
    language: Mapped[str] = mapped_column(String(2))
