"""Bring a database to the latest schema with Alembic (the migrations folder is the only schema source)."""
from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import text

from models.database import build_engine

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
#: Arbitrary key of the PostgreSQL advisory lock that serialises concurrent upgrades.
_UPGRADE_LOCK = 7_404_2025


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url)
    return config


def upgrade(url: str) -> None:
    """Idempotent; two processes starting at once on PostgreSQL take turns."""
    engine = build_engine(url)
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _UPGRADE_LOCK})
            config = alembic_config(url)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _UPGRADE_LOCK})
            connection.commit()
    finally:
        engine.dispose()
