"""How the CLI talks to people: progress bars on stderr, tables and JSON on stdout."""
from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any

import click


def progress(length: int, label: str):
    """A progress bar on stderr; silent when stderr is not a terminal."""
    return click.progressbar(length=length, label=label, file=sys.stderr, show_pos=True, show_eta=True)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def print_table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> None:
    cells = [[str(value if value is not None else "-") for value in row] for row in rows]
    widths = [max([len(header)] + [len(row[i]) for row in cells]) for i, header in enumerate(headers)]
    click.echo("  ".join(header.ljust(width) for header, width in zip(headers, widths)))
    for row in cells:
        click.echo("  ".join(value.ljust(width) for value, width in zip(row, widths)))


def report_problems(problems: Sequence[tuple[str, str]], limit: int | None = 50) -> None:
    """(where, reason) pairs, e.g. ("row 12", "NIK must be 16 digits, not '123'"); limit None prints them all."""
    for where, reason in problems[:limit]:
        click.echo(f"  {where}: {reason}", err=True)
    if limit is not None and len(problems) > limit:
        click.echo(f"  ... and {len(problems) - limit} more", err=True)
