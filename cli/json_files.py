"""RAT filings from a JSON file: one object, an array of objects, or JSON lines, numbered as an editor shows them."""
from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from streams.validation import InvalidEvent, validate_filing


@dataclass(frozen=True)
class Unparseable:
    """A JSON item that could not be read, with the reason (kept apart from any real JSON value)."""

    reason: str


def read_json_items(path: Path) -> Iterator[tuple[str, Any]]:
    """One JSON object, a JSON array of objects, or JSON lines."""
    text = path.read_text(encoding="utf-8-sig")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as whole_file_error:
        lines = [(number, line) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]
        parsed = []
        for number, line in lines:
            try:
                parsed.append((f"line {number}", json.loads(line)))
            except json.JSONDecodeError as error:
                parsed.append((f"line {number}", Unparseable(f"not valid JSON: {error.msg} at column {error.colno}")))
        if lines and all(isinstance(item, Unparseable) for _, item in parsed):
            error = whole_file_error
            yield "the file", Unparseable(f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}")
            return
        yield from parsed
        return
    items = data if isinstance(data, list) else [data]
    for number, item in enumerate(items, start=1):
        yield (f"item {number}" if isinstance(data, list) else "the object"), item


def validate_filing_item(item: Any):
    if isinstance(item, Unparseable):
        raise InvalidEvent(item.reason)
    if not isinstance(item, dict):
        raise InvalidEvent("expected a JSON object")
    return validate_filing(item)
