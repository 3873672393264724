"""Lookups for a whole batch at once, on SQLite and PostgreSQL alike: thousands of keys in one
parameter, a batch joined against the tables, and results of thousands of rows in one value."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import orjson
from sqlalchemy import Boolean, ColumnElement, String, and_, bindparam, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.visitors import InternalTraversal


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
        self.values = bindparam("among", orjson.dumps(list(values)).decode(), type_=String, unique=True)


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


def covering_nik_year_pairs(nik_column, year_column, pairs: Iterable[tuple[str, int]]) -> ColumnElement:
    """A WHERE clause that selects every given (NIK, fiscal year) pair, and maybe
    other years of those NIKs: callers drop the extra rows. PostgreSQL scans the whole table for a
    row-value IN list of pairs, but answers a NIK list and a year list from the (nik, fiscal_year) index."""
    return and_(among(nik_column, {nik for nik, _ in pairs}), year_column.in_({year for _, year in pairs}))


def rows_as_json(dialect: str, expressions: Sequence[str]) -> str:
    """SQL of an aggregate that turns a query's rows into one JSON array (as text) of arrays of
    `expressions`, for `json_rows`."""
    items = ", ".join(expressions)
    if dialect == "postgresql":
        return f"CAST(json_agg(json_build_array({items})) AS text)"
    return f"json_group_array(json_array({items}))"


async def json_rows(session: AsyncSession, sql: str, params: dict[str, Any] | None = None) -> list[list]:
    """The rows of a query that selects one `rows_as_json(...)`, as lists. A result of thousands of rows
    travels as one value: on SQLite each row fetched on its own hands the interpreter lock between the
    worker's event loop and the database thread, and while the loop is busy consuming every handover
    waits its turn (2,000 rows: 1 s instead of 3 ms)."""
    value = (await session.execute(text(sql), params or {})).scalar()
    return orjson.loads(value) if value else []


def json_table(dialect: str, param: str, columns: Sequence[tuple[str, str]]) -> str:
    """SQL of a FROM item over the JSON array of arrays bound as `:param`, with a column per position
    (name, SQL type) and `position` (0, 1, ...): a batch joined against the tables in one query."""
    if dialect == "postgresql":
        fields = ", ".join(f"CAST(value ->> {i} AS {kind}) AS {name}" for i, (name, kind) in enumerate(columns))
        source = f"jsonb_array_elements(CAST(:{param} AS jsonb)) WITH ORDINALITY AS rows(value, number)"
        return f"(SELECT {fields}, CAST(number - 1 AS integer) AS position FROM {source}) AS {param}"
    fields = ", ".join(f"value ->> {i} AS {name}" for i, (name, _) in enumerate(columns))
    return f"(SELECT {fields}, key AS position FROM json_each(:{param})) AS {param}"
