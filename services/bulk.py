"""Batched INSERTs that skip or update rows already there, on SQLite and PostgreSQL alike."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Executable, Table, and_, text
from sqlalchemy.dialects import postgresql, sqlite

_DIALECTS = {"postgresql": postgresql, "sqlite": sqlite}


def insert_ignoring_duplicates(dialect: str, table: Table):
    """INSERT ... ON CONFLICT DO NOTHING: writing the same row twice is a no-op."""
    return _DIALECTS[dialect].insert(table).on_conflict_do_nothing()


def insert_new_rows(dialect: str, table: Table, rows: Sequence[dict[str, Any]]) -> tuple[Executable, Any]:
    """(statement, parameters) that insert `rows` (dicts with the same keys), skipping those already
    there. On PostgreSQL that is one statement whose parameters are column arrays (`unnest`): one
    parse and one plan for a whole batch, where an executemany runs the INSERT once per row and costs
    the worker and the server three to four times as much CPU. Elsewhere it is an executemany."""
    if dialect != "postgresql":
        return insert_ignoring_duplicates(dialect, table), list(rows)
    names = tuple(rows[0])
    defaults = _python_defaults(table, names)
    statement, processors = _unnest_insert(table, names + tuple(defaults))
    columns = [[row[name] for row in rows] for name in names]
    columns += [[value] * len(rows) for value in defaults.values()]
    return statement, {
        f"c{i}": values if processor is None else [processor(value) for value in values]
        for i, (values, processor) in enumerate(zip(columns, processors))
    }


def _python_defaults(table: Table, given: Sequence[str]) -> dict[str, Any]:
    """The values an ORM insert would fill in for the columns a row leaves out."""
    defaults = {}
    for column in table.columns:
        default = column.default
        if column.name in given or default is None:
            continue
        defaults[column.name] = default.arg(None) if default.is_callable else default.arg
    return defaults


@cache
def _unnest_insert(table: Table, names: tuple[str, ...]) -> tuple[Executable, list]:
    dialect = postgresql.psycopg.dialect()
    quote = dialect.identifier_preparer.quote
    types = [table.columns[name].type for name in names]
    arrays = ", ".join(f"CAST(:c{i} AS {kind.compile(dialect=dialect)}[])" for i, kind in enumerate(types))
    statement = text(
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(name) for name in names)}) "
        f"SELECT * FROM unnest({arrays}) ON CONFLICT DO NOTHING"
    )
    return statement, [kind.dialect_impl(dialect).bind_processor(dialect) for kind in types]


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
