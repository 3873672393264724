"""Writes of a whole batch at once, on SQLite and PostgreSQL alike: inserts that skip or update rows
already there. Lookups by thousands of keys are in services/bulk_reads.py."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timezone
from decimal import Decimal
from functools import cache, partial
from typing import Any

import orjson
from sqlalchemy import JSON, Executable, LargeBinary, Table, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

_DIALECTS = {"postgresql": postgresql, "sqlite": sqlite}
#: For a bulk UPDATE whose rows the session holds no objects of: by default the ORM fetches the
#: updated keys back (RETURNING) to refresh objects it may hold, which a batch never needs.
NO_SESSION_SYNC = {"synchronize_session": False}


def insert_ignoring_duplicates(dialect: str, table: Table):
    """INSERT ... ON CONFLICT DO NOTHING: writing the same row twice is a no-op."""
    return _DIALECTS[dialect].insert(table).on_conflict_do_nothing()


def insert_new_rows(
    dialect: str,
    table: Table,
    rows: Sequence[dict[str, Any]] | Sequence[Sequence[Any]],
    columns: Sequence[str] | None = None,
    returning: str | None = None,
) -> tuple[Executable, Any]:
    """(statement, parameters) that insert `rows`, skipping those already there; with `returning`, the
    statement returns that column of the rows it did insert. Rows are dicts with the same keys, or
    (where a batch builds thousands of them) sequences of the values of `columns`, in that order.

    One statement whose one parameter is the batch as a JSON array of arrays, serialised by orjson
    and unpacked by the database (`jsonb_array_elements` on PostgreSQL, `json_each` on SQLite): one
    parse and one plan per batch. An executemany runs the INSERT once per row, costs SQLAlchemy a
    parameter set per row, and on SQLite hands the interpreter lock back and forth with the event loop
    once per row."""
    return _insert(dialect, table, rows, columns, skip_existing=True, returning=returning)


def insert_rows(
    dialect: str,
    table: Table,
    rows: Sequence[dict[str, Any]] | Sequence[Sequence[Any]],
    columns: Sequence[str] | None = None,
) -> tuple[Executable, Any]:
    """Like `insert_new_rows`, for rows that cannot be there yet because what they belong to was created
    in the same transaction (a new case's follow-ups, its audit entry and its case event). Without the
    conflict check PostgreSQL inserts such a row in two thirds of the time; a row that is there after
    all fails the transaction instead of being skipped."""
    return _insert(dialect, table, rows, columns, skip_existing=False, returning=None)


async def insert_missing(
    session: AsyncSession, table: Table, rows: Sequence[Sequence[Any]], columns: Sequence[str], key: str
) -> list[Any]:
    """Insert rows this transaction found missing (by their `key` column) and return the keys of those
    it inserted. On PostgreSQL another transaction may have inserted some since: they are skipped and
    left out. SQLite has one writer at a time, so what the transaction found missing still is: a plain
    insert, without the RETURNING whose rows would each wait for the interpreter lock (`json_rows`)."""
    dialect = session.bind.dialect.name
    if dialect == "postgresql":
        inserted = await session.execute(*insert_new_rows(dialect, table, rows, columns, returning=key))
        return list(inserted.scalars())
    await session.execute(*insert_rows(dialect, table, rows, columns))
    position = list(columns).index(key)
    return [row[position] for row in rows]


def _insert(
    dialect: str,
    table: Table,
    rows: Sequence[dict[str, Any]] | Sequence[Sequence[Any]],
    columns: Sequence[str] | None,
    skip_existing: bool,
    returning: str | None,
) -> tuple[Executable, Any]:
    if columns is None:
        columns = tuple(rows[0])
        rows = [[row[name] for name in columns] for row in rows]
    defaults = _python_defaults(table, columns)
    if defaults:
        columns, rows = (*columns, *defaults), [[*row, *defaults.values()] for row in rows]
    binary = [i for i, name in enumerate(columns) if isinstance(table.columns[name].type, LargeBinary)]
    if dialect == "sqlite" and binary:
        # SQLite before 3.41 has no unhex(): bytes that are UTF-8 text travel as text, other bytes
        # (a dead letter's original message may be anything) as an executemany.
        try:
            rows = [_with_text(row, binary) for row in rows]
        except UnicodeDecodeError:
            statement = insert_ignoring_duplicates(dialect, table) if skip_existing else _DIALECTS[dialect].insert(table)
            statement = statement.returning(table.columns[returning]) if returning else statement
            return statement, [dict(zip(columns, row)) for row in rows]
    statement = _json_insert(dialect, table, tuple(columns), skip_existing, returning)
    try:
        encoded = orjson.dumps(rows, default=_json_encoder(dialect), option=orjson.OPT_PASSTHROUGH_DATETIME)
    except orjson.JSONEncodeError as error:  # orjson's own words hide ours ("naive datetime ...")
        raise (error.__cause__ or error) from None
    return statement, {"rows": encoded.decode()}


def _with_text(row: Sequence[Any], binary: Sequence[int]) -> list[Any]:
    row = list(row)
    for i in binary:
        if row[i] is not None:
            row[i] = row[i].decode()
    return row


def _json_encoder(dialect: str):
    """orjson's fallback for the values JSON has no type for, remembering each day and time it has
    converted: the rows of a batch share a handful of them (its own instant, the plan's due dates)."""
    convert = _JSON_VALUES[dialect]
    converted: dict[date, str] = {}

    def encode(value: Any) -> str:
        if isinstance(value, date):  # datetimes too
            text = converted.get(value)
            if text is None:
                text = converted[value] = convert(value)
            return text
        return convert(value)

    return encode


def _json_value(value: Any, *, utc_format: str | None) -> str:
    """How the database reads a value JSON has no type for: times as PostgreSQL parses them,
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
def _json_insert(
    dialect: str, table: Table, names: tuple[str, ...], skip_existing: bool, returning: str | None
) -> Executable:
    sql_dialect = _DIALECTS[dialect].dialect()
    quote = sql_dialect.identifier_preparer.quote
    columns = ", ".join(quote(name) for name in names)
    fields = ", ".join(
        _json_field(dialect, table.columns[name], position, sql_dialect) for position, name in enumerate(names)
    )
    if dialect == "postgresql":  # jsonb: parsed once, then each field is found by position
        source = f"{fields} FROM jsonb_array_elements(CAST(:rows AS jsonb))"
    else:  # `WHERE true` tells SQLite's parser that ON CONFLICT is not a join's ON
        source = f"{fields} FROM json_each(:rows) WHERE true"
    sql = f"INSERT INTO {quote(table.name)} ({columns}) SELECT {source}"
    if skip_existing:
        sql += " ON CONFLICT DO NOTHING"
    if returning:
        return text(sql + f" RETURNING {quote(returning)}").columns(table.columns[returning])
    return text(sql)


def _json_field(dialect: str, column, position: int, sql_dialect) -> str:
    """Field `position` of a row as the column's value: JSON columns keep their JSON (`->`), others take
    the text (`->>`), cast to the column's type on PostgreSQL; binary ones on SQLite their text's bytes."""
    if dialect == "postgresql":
        kind = sql_dialect.type_compiler_instance.process(column.type)
        return f"CAST(value {'->' if isinstance(column.type, JSON) else '->>'} {position} AS {kind})"
    if isinstance(column.type, JSON):
        return f"value -> {position}"
    if isinstance(column.type, LargeBinary):
        return f"CAST(value ->> {position} AS BLOB)"
    return f"value ->> {position}"


def upsert(dialect: str, table: Table, key: Sequence[str], columns: Iterable[str]):
    """INSERT ... ON CONFLICT (key) DO UPDATE SET columns = the new values."""
    statement = _DIALECTS[dialect].insert(table)
    return statement.on_conflict_do_update(
        index_elements=list(key), set_={column: statement.excluded[column] for column in columns}
    )


def chunks(rows: Sequence[Any], size: int = 5000) -> Iterable[Sequence[Any]]:
    """Splits a long list of rows into statements of a bounded size."""
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
