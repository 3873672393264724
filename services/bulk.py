"""Batched INSERTs that skip or update rows already there, on SQLite and PostgreSQL alike."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite

_DIALECTS = {"postgresql": postgresql, "sqlite": sqlite}


def insert_ignoring_duplicates(dialect: str, table: Table):
    """INSERT ... ON CONFLICT DO NOTHING: writing the same row twice is a no-op."""
    return _DIALECTS[dialect].insert(table).on_conflict_do_nothing()


def upsert(dialect: str, table: Table, key: Sequence[str], columns: Iterable[str]):
    """INSERT ... ON CONFLICT (key) DO UPDATE SET columns = the new values."""
    statement = _DIALECTS[dialect].insert(table)
    return statement.on_conflict_do_update(
        index_elements=list(key), set_={column: statement.excluded[column] for column in columns}
    )


def chunks(rows: Sequence[Any], size: int = 5000) -> Iterable[Sequence[Any]]:
    """Keeps IN lists and parameter counts inside every database's limits."""
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
