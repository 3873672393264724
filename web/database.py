"""One database session per request, from the session factory the app was built with."""
from __future__ import annotations

from collections.abc import Iterator

from fastapi import Request
from sqlalchemy.orm import Session


def db(request: Request) -> Iterator[Session]:
    """Requests that change something commit themselves; anything left open is rolled back."""
    with request.app.state.sessions() as session:
        yield session
