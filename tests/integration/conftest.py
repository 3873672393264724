"""Service-level fixtures: the handlers run against a real database, without a broker."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy.orm import sessionmaker

from config import Settings
from models.database import build_async_engine, build_engine
from services.handlers import handle_cooperatives, handle_filings, handle_missed
from tests.factories import incoming

NOW = datetime(2025, 8, 1, 1, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
async def sessions(database_url):
    from sqlalchemy.ext.asyncio import async_sessionmaker

    engine = build_async_engine(database_url)
    yield async_sessionmaker(engine, expire_on_commit=False)
    await engine.dispose()


@pytest.fixture(scope="module")
def sync_sessions(database_url):
    engine = build_engine(database_url)
    yield sessionmaker(engine, expire_on_commit=False)
    engine.dispose()


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def pipeline(sessions, settings):
    """Feeds events to the handlers the way the agents do, one batch per call."""

    class Pipeline:
        async def cooperatives(self, *rows, now=NOW):
            await handle_cooperatives(sessions, [incoming("cooperatives", r) for r in rows], settings, now)

        async def filings(self, *rows, now=NOW):
            await handle_filings(sessions, [incoming("rat-filings", r) for r in rows], settings, now)

        async def missed(self, *rows, now=NOW):
            await handle_missed(sessions, [incoming("rat-missed", r) for r in rows], settings, now)

    return Pipeline()
