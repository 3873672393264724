"""Jinja2 templates with autoescaping, and the filters that speak Indonesian (web.labels)."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import jinja2
from fastapi import Request
from fastapi.templating import Jinja2Templates

from web import labels
from web.csrf import CSRF_FIELD, csrf_token

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _context(request: Request) -> dict:
    return {"csrf_field": CSRF_FIELD, "csrf_token": csrf_token(request), "flash": request.session.pop("flash", None)}


def build_templates() -> Jinja2Templates:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    env.filters.update(
        tanggal=labels.tanggal, waktu=labels.waktu, rupiah=labels.rupiah, persen=labels.persen, angka=labels.angka,
        urlpart=lambda value: quote(str(value), safe=""),
    )
    env.globals.update(
        RULES=labels.RULES, CASE_STATUSES=labels.CASE_STATUSES, PRIORITIES=labels.PRIORITIES,
        RESOLUTIONS=labels.RESOLUTIONS, STAGES=labels.STAGES, FOLLOWUP_KINDS=labels.FOLLOWUP_KINDS,
        FOLLOWUP_STATUSES=labels.FOLLOWUP_STATUSES, TIMELINESS=labels.TIMELINESS, KINDS=labels.KINDS,
        COOPERATIVE_STATUSES=labels.COOPERATIVE_STATUSES, AUDIT_ACTIONS=labels.AUDIT_ACTIONS,
        STATE_NAMES=labels.STATE_NAMES, label=labels.label,
    )
    return Jinja2Templates(env=env, context_processors=[_context])


def flash(request: Request, text: str, kind: str = "ok") -> None:
    """A one-line message shown on the next page (after a redirect)."""
    request.session["flash"] = {"kind": kind, "text": text}
