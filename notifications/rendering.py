"""Jinja2 renders every email (HTML with autoescaping, and plain text); the result is a MIME message."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from notifications.formatting import change, long_date, percent, rupiah
from notifications.i18n import translator

TEMPLATES = Path(__file__).resolve().parent / "templates"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["rupiah"] = rupiah
    return env


@dataclass
class Rendered:
    subject: str
    text: str
    html: str
    #: content id -> PNG bytes, shown inline by the HTML part.
    images: dict[str, bytes] = field(default_factory=dict)


def render(kind: str, language: str, subject_key: str, subject_values: dict[str, Any], **context: Any) -> Rendered:
    """Render templates/{kind}.html and .txt with the recipient's language and the formatting filters."""
    t = translator(language)
    helpers = {
        "t": t,
        "lang": language,
        "date": lambda day: long_date(day, language),
        "percent": lambda value: percent(value, language),
        "change": lambda points: change(points, language),
    }
    env = environment()
    values = {**helpers, **context}
    return Rendered(
        subject=t(subject_key, **subject_values),
        text=env.get_template(f"{kind}.txt").render(values),
        html=env.get_template(f"{kind}.html").render(values),
        images=context.get("images", {}),
    )


def mime_message(rendered: Rendered, sender: str, recipient: str, message_key: str) -> bytes:
    """The Message-ID comes from the message key: a message sent again is recognisably the same one."""
    message = EmailMessage()
    message["Subject"] = rendered.subject
    message["From"] = sender
    message["To"] = recipient
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = f"<{hashlib.sha256(message_key.encode()).hexdigest()[:32]}@satgas.koperasi>"
    message.set_content(rendered.text)
    message.add_alternative(rendered.html, subtype="html")
    html_part = message.get_payload()[1]
    for cid, png in rendered.images.items():
        html_part.add_related(png, "image", "png", cid=f"<{cid}>", filename=f"{cid}.png")
    return message.as_bytes(policy=SMTP)  # CRLF line ends: smtplib sends bytes as they are
