"""CSRF protection for every form: a random token kept in the signed session and echoed by each form."""
from __future__ import annotations

import secrets

from fastapi import HTTPException, Request

CSRF_FIELD = "csrf_token"
_SESSION_KEY = "csrf"


def csrf_token(request: Request) -> str:
    """The session's token, made on first use (the login form gets one before anyone logs in)."""
    token = request.session.get(_SESSION_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[_SESSION_KEY] = token
    return token


def renew_csrf_token(request: Request) -> None:
    """A fresh token after login and logout, so a token seen before cannot be used with the new identity."""
    request.session[_SESSION_KEY] = secrets.token_urlsafe(32)


async def verify_csrf(request: Request) -> None:
    """A dependency of every page route that changes something."""
    form = await request.form()
    sent, expected = form.get(CSRF_FIELD), request.session.get(_SESSION_KEY)
    if not isinstance(sent, str) or not isinstance(expected, str) or not secrets.compare_digest(sent, expected):
        raise HTTPException(403, "Formulir kedaluwarsa atau tidak sah. Muat ulang halaman lalu coba lagi.")
