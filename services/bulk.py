"""Batched INSERTs that skip or update rows already there, on SQLite and PostgreSQL alike."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Table, and_
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


def covering_nik_year_pairs(nik_column, year_column, pairs: Sequence[tuple[str, int]]) -> Iterable[ColumnElement]:
    """WHERE clauses (one per chunk of NIKs) that select every given (NIK, fiscal year) pair, and maybe
    other years of those NIKs: callers drop the extra rows. PostgreSQL scans the whole table for a
    row-value IN list of pairs, but answers two plain IN lists from the (nik, fiscal_year) index."""
    years = sorted({year for _, year in pairs})
    for chunk in chunks(sorted({nik for nik, _ in pairs})):
        yield and_(nik_column.in_(chunk), year_column.in_(years))
