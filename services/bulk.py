"""Batched INSERTs that skip or update rows already there, on SQLite and PostgreSQL alike."""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from sqlalchemy import Boolean, ColumnElement, Executable, String, Table, and_, bindparam, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.visitors import InternalTraversal
from sqlalchemy.dialects import postgresql, sqlite

_DIALECTS = {"postgresql": postgresql, "sqlite": sqlite}
#: For a bulk UPDATE whose rows the session holds no objects of: by default the ORM fetches the
#: updated keys back (RETURNING) to refresh objects it may hold, which a batch never needs.
NO_SESSION_SYNC = {"synchronize_session": False}


def insert_ignoring_duplicates(dialect: str, table: Table):
    """INSERT ... ON CONFLICT DO NOTHING: writing the same row twice is a no-op."""
    return _DIALECTS[dialect].insert(table).on_conflict_do_nothing()


def insert_new_rows(dialect: str, table: Table, rows: Sequence[dict[str, Any]]) -> tuple[Executable, Any]:
    """(statement, parameters) that insert `rows` (dicts with the same keys), skipping those already
    there. On PostgreSQL that is one statement whose one parameter is the batch as a JSON array
    (`json_populate_recordset`): one parse and one plan per batch, and the rows serialised by the C
    JSON encoder. An executemany runs the INSERT once per row, and psycopg's array parameters are
    built element by element in Python: both cost a 2,000-event batch several times as much CPU.
    Elsewhere it is an executemany (a C loop in SQLite's driver)."""
    if dialect != "postgresql":
        return insert_ignoring_duplicates(dialect, table), list(rows)
    defaults = _python_defaults(table, rows[0].keys())
    if defaults:
        rows = [{**defaults, **row} for row in rows]
    return _json_insert(table, tuple(rows[0])), {"rows": json.dumps(rows, default=_json_value)}


def _json_value(value: Any) -> str:
    """How PostgreSQL reads a value json.dumps cannot write itself."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: every time must carry its zone")
        return value.isoformat()
    if isinstance(value, (date, Decimal)):
        return str(value)
    if isinstance(value, bytes):
        return "\\x" + value.hex()
    raise TypeError(f"cannot store {type(value).__name__} {value!r} in a batch insert")


def _python_defaults(table: Table, given: Iterable[str]) -> dict[str, Any]:
    """The values an ORM insert would fill in for the columns a row leaves out."""
    given = set(given)
    return {
        column.name: column.default.arg(None) if column.default.is_callable else column.default.arg
        for column in table.columns
        if column.default is not None and column.name not in given
    }


@cache
def _json_insert(table: Table, names: tuple[str, ...]) -> Executable:
    quote = postgresql.psycopg.dialect().identifier_preparer.quote
    columns = ", ".join(quote(name) for name in names)
    return text(
        f"INSERT INTO {quote(table.name)} ({columns}) SELECT {columns} "
        f"FROM json_populate_recordset(NULL::{quote(table.name)}, CAST(:rows AS json)) ON CONFLICT DO NOTHING"
    )


def upsert(dialect: str, table: Table, key: Sequence[str], columns: Iterable[str]):
    """INSERT ... ON CONFLICT (key) DO UPDATE SET columns = the new values."""
    statement = _DIALECTS[dialect].insert(table)
    return statement.on_conflict_do_update(
        index_elements=list(key), set_={column: statement.excluded[column] for column in columns}
    )


class among(ColumnElement[bool]):
    """`column IN (values)` with the values as one JSON parameter, unpacked by the database
    (`json_array_elements_text` on PostgreSQL, `json_each` on SQLite). A batch looks up thousands of
    keys at once: an IN list of bound parameters costs SQLAlchemy and the driver a rendered
    placeholder per value, and hits SQLite's parameter limit."""

    type = Boolean()
    inherit_cache = True
    _traverse_internals = [
        ("column", InternalTraversal.dp_clauseelement), ("values", InternalTraversal.dp_clauseelement)
    ]

    def __init__(self, column: ColumnElement, values: Iterable[Any]):
        self.column = column
        self.values = bindparam("among", json.dumps(list(values)), type_=String, unique=True)


@compiles(among, "postgresql")
def _among_on_postgresql(element: among, compiler, **kw) -> str:
    kind = compiler.dialect.type_compiler_instance.process(element.column.type)
    return (
        f"{compiler.process(element.column, **kw)} IN (SELECT CAST(json_array_elements_text("
        f"CAST({compiler.process(element.values, **kw)} AS json)) AS {kind}))"
    )


@compiles(among, "sqlite")
def _among_on_sqlite(element: among, compiler, **kw) -> str:
    return f"{compiler.process(element.column, **kw)} IN (SELECT value FROM json_each({compiler.process(element.values, **kw)}))"


def chunks(rows: Sequence[Any], size: int = 5000) -> Iterable[Sequence[Any]]:
    """Splits a long list of rows into statements of a bounded size."""
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def covering_nik_year_pairs(nik_column, year_column, pairs: Iterable[tuple[str, int]]) -> ColumnElement:
    """A WHERE clause that selects every given (NIK, fiscal year) pair, and maybe
    other years of those NIKs: callers drop the extra rows. PostgreSQL scans the whole table for a
    row-value IN list of pairs, but answers two plain IN lists from the (nik, fiscal_year) index."""
    return and_(among(nik_column, {nik for nik, _ in pairs}), year_column.in_({year for _, year in pairs}))
