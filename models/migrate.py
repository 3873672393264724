"""Bring a database to the latest schema with Alembic (the migrations folder is the only schema source)."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from models.database import build_engine

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
#: Arbitrary key of the PostgreSQL advisory lock that serialises concurrent upgrades.
_UPGRADE_LOCK = 7_404_2025


def alembic_config(url: str):
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    return config


def head_revision() -> str:
    """The newest migration: revisions are numbered like their files (`0005_dead_letter_replays.py` is '0005')."""
    return max(path.name.split("_", 1)[0] for path in (MIGRATIONS / "versions").glob("[0-9]*_*.py"))


def upgrade(url: str) -> None:
    """Idempotent; two processes starting at once on PostgreSQL take turns. A database already at the
    newest revision costs one query: every command calls this, and loading Alembic takes longer than
    most commands (a national sweep's start counts in its burst)."""
    engine = build_engine(url)
    try:
        with engine.connect() as connection:
            if _revision(connection) == head_revision():
                return
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _UPGRADE_LOCK})
            from alembic import command

            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _UPGRADE_LOCK})
            connection.commit()
    finally:
        engine.dispose()


def _revision(connection) -> str | None:
    try:
        with connection.begin():
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DBAPIError:  # a new database: no version table yet
        return None
