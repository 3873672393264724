"""The FastAPI application: pages, the JSON API, sessions, limits and error answers, built from the settings."""
from __future__ import annotations

import logging
from collections.abc import Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.orm import sessionmaker
from starlette.middleware.sessions import SessionMiddleware

from config import Settings, get_settings
from models.database import build_engine
from web.api import router as api_router
from web.errors import install_error_handlers
from web.headers import SecurityHeaders
from web.limits import BodySizeLimit
from web.pages import router as pages_router
from web.relay import OutboxRelay
from web.signing import Signer, secret_key
from web.throttle import LoginThrottle
from web.templating import build_templates

STATIC = Path(__file__).resolve().parent / "static"
#: Room for the form fields around the largest allowed document.
FORM_OVERHEAD_BYTES = 1024 * 1024
DESCRIPTION = """The Satgas case tracker's JSON API: RAT filings of cooperatives, inspection cases and their
follow-ups, and the compliance dashboard. Get a token with `POST /api/token` (logins are issued with
`satgas users add`) and send it as `Authorization: Bearer <token>`. A cooperative sees and files only for its
own NIK; a supervisor sees and changes only the cases of the regions its team supervises."""


def create_app(settings: Settings | None = None, relay: Callable[[], None] | None = None) -> FastAPI:
    """`relay` runs after each accepted submission (default: publish the outbox to Kafka now)."""
    settings = settings or get_settings()
    engine = build_engine(settings.sqlalchemy_url)
    sessions = sessionmaker(engine, expire_on_commit=False)
    outbox_relay = OutboxRelay(settings, sessions)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        yield
        outbox_relay.close()
        engine.dispose()

    app = FastAPI(title="Satgas Pengawas Koperasi", version="1", description=DESCRIPTION, lifespan=lifespan,
                  docs_url="/api/docs", redoc_url=None, openapi_url="/api/openapi.json")
    app.state.settings = settings
    app.state.sessions = sessions
    app.state.templates = build_templates()
    app.state.signer = Signer(secret_key(settings), settings.web.session_hours * 3600)
    app.state.relay = relay or outbox_relay.relay_soon
    app.state.login_throttle = LoginThrottle()
    app.state.max_upload_bytes = settings.web.max_upload_mb * 1024 * 1024

    app.add_middleware(SessionMiddleware, secret_key=secret_key(settings), session_cookie="satgas_sesi",
                       max_age=settings.web.session_hours * 3600, same_site="lax",
                       https_only=settings.web.secure_cookies)
    app.add_middleware(BodySizeLimit, max_bytes=app.state.max_upload_bytes + FORM_OVERHEAD_BYTES)
    app.add_middleware(SecurityHeaders)
    install_error_handlers(app)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api_router)
    app.include_router(pages_router)
    logging.getLogger("satgas.web").setLevel(settings.log_level.upper())
    return app
