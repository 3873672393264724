"""Statements for a whole batch at once, on SQLite and PostgreSQL alike: inserts that skip or update
rows already there, and lookups by thousands of keys."""
from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime, timezone
from decimal import Decimal
from functools import cache, partial
from typing import Any

from sqlalchemy import JSON, Boolean, ColumnElement, Executable, LargeBinary, String, Table, and_, bindparam, text
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
    there: one statement whose one parameter is the batch as a JSON array, serialised by the C JSON
    encoder and unpacked by the database (`json_populate_recordset` on PostgreSQL, `json_each` on
    SQLite). One parse and one plan per batch: an executemany runs the INSERT once per row, costs
    SQLAlchemy a parameter set per row, and on SQLite hands the interpreter lock back and forth with
    the event loop once per row. SQLite before 3.41 cannot turn JSON text into bytes: a table with
    a binary column gets an executemany there."""
    names = tuple(rows[0])
    if dialect == "sqlite" and any(isinstance(table.columns[name].type, LargeBinary) for name in names):
        return insert_ignoring_duplicates(dialect, table), list(rows)
    defaults = _python_defaults(table, names)
    if defaults:
        rows = [{**defaults, **row} for row in rows]
    statement = _json_insert(dialect, table, (*names, *defaults))
    return statement, {"rows": json.dumps(rows, default=_JSON_VALUES[dialect])}


def _json_value(value: Any, *, utc_format: str | None) -> str:
    """How the database reads a value json.dumps cannot write itself: times as PostgreSQL parses them,
    or in UTC as SQLAlchemy stores them on SQLite (which has no time type)."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError(f"naive datetime {value!r}: every time must carry its zone")
        return value.isoformat() if utc_format is None else value.astimezone(timezone.utc).strftime(utc_format)
    if isinstance(value, (date, Decimal)):
        return str(value)
    if isinstance(value, bytes):
        return "\\x" + value.hex()
    raise TypeError(f"cannot store {type(value).__name__} {value!r} in a batch insert")


_JSON_VALUES = {
    "postgresql": partial(_json_value, utc_format=None),
    "sqlite": partial(_json_value, utc_format="%Y-%m-%d %H:%M:%S.%f"),
}


def _python_defaults(table: Table, given: Iterable[str]) -> dict[str, Any]:
    """The values an ORM insert would fill in for the columns a row leaves out."""
    given = set(given)
    return {
        column.name: column.default.arg(None) if column.default.is_callable else column.default.arg
        for column in table.columns
        if column.default is not None and column.name not in given
    }


@cache
def _json_insert(dialect: str, table: Table, names: tuple[str, ...]) -> Executable:
    quote = _DIALECTS[dialect].dialect().identifier_preparer.quote
    columns = ", ".join(quote(name) for name in names)
    if dialect == "postgresql":
        source = f"{columns} FROM json_populate_recordset(NULL::{quote(table.name)}, CAST(:rows AS json))"
    else:  # JSON columns keep their JSON text (`->`), others take the SQL value (`->>`); `WHERE true`
        # tells SQLite's parser that ON CONFLICT is not a join's ON.
        arrows = ["->" if isinstance(table.columns[name].type, JSON) else "->>" for name in names]
        values = ", ".join(f"value {arrow} '$.\"{name}\"'" for arrow, name in zip(arrows, names))
        source = f"{values} FROM json_each(:rows) WHERE true"
    return text(f"INSERT INTO {quote(table.name)} ({columns}) SELECT {source} ON CONFLICT DO NOTHING")


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
    #: A condition in itself: without this, SQLite gets `... IN (...) = 1`, which no index answers.
    _is_implicitly_boolean = True
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
    row-value IN list of pairs, but answers a NIK list and a year list from the (nik, fiscal_year) index."""
    return and_(among(nik_column, {nik for nik, _ in pairs}), year_column.in_({year for _, year in pairs}))
