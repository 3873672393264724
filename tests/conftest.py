"""Shared fixtures: a fresh database per test module on SQLite and on PostgreSQL, migrated with Alembic."""
from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from models.migrate import upgrade

POSTGRES_SERVER = os.environ.get("SATGAS_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
DATABASES = ["sqlite", "postgresql"]


def _create_postgres_database() -> tuple[str, callable]:
    name = f"satgas_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_SERVER, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:
        pytest.fail(f"PostgreSQL is needed for these tests and is not reachable at {POSTGRES_SERVER}: {error}")
    url = POSTGRES_SERVER.rsplit("/", 1)[0] + f"/{name}"

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.replace("postgresql+psycopg://", "postgresql://"), drop


@pytest.fixture(scope="module", params=DATABASES)
def database_url(request, tmp_path_factory) -> str:
    """A migrated, empty database of each kind; every test module gets its own."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'satgas.db'}"
        drop = None
    else:
        url, drop = _create_postgres_database()
    upgrade(url)
    yield url
    if drop:
        drop()
