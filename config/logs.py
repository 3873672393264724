"""Structured log lines, the same in every process: `key=value` pairs (logfmt) or JSON lines.

Call sites add fields with `log_fields(logger, level, message, topic=..., events=...)`. A traceback, when
there is one, stays on the line as the `traceback` field, so one event is always one line.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import traceback
from datetime import datetime, timezone
from typing import Any

FORMATS = ("logfmt", "json")
#: logfmt values that need no quotes.
_BARE = re.compile(r"^[^\s=\"\\]+$")


def log_fields(logger: logging.Logger, level: int, message: str, **fields: Any) -> None:
    if logger.isEnabledFor(level):
        logger.log(level, message, extra={"fields": fields})


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    line: dict[str, Any] = {
        "ts": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
        "level": record.levelname.lower(),
        "logger": record.name,
        "msg": record.getMessage(),
    }
    line.update(getattr(record, "fields", None) or {})
    if record.exc_info and record.exc_info[0] is not None:
        error = record.exc_info[1]
        line["error"] = f"{type(error).__name__}: {error}"
        line["traceback"] = "".join(traceback.format_exception(*record.exc_info)).rstrip()
    return line


def _logfmt_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = value if isinstance(value, str) else str(value)
    if text and _BARE.match(text):
        return text
    return json.dumps(text, ensure_ascii=False)


class LogfmtFormatter(logging.Formatter):
    """ts=2026-11-22T00:10:02.153+00:00 level=info logger=satgas.worker msg="batch handled" topic=rat-filings"""

    def format(self, record: logging.LogRecord) -> str:
        return " ".join(f"{key}={_logfmt_value(value)}" for key, value in _fields(record).items())


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return json.dumps(_fields(record), ensure_ascii=False, default=str)


def formatter_class(log_format: str) -> type[logging.Formatter]:
    return JsonLinesFormatter if log_format == "json" else LogfmtFormatter


def configure_logging(log_format: str, level: int | str = logging.WARNING, stream=None) -> None:
    """The root logger of a CLI process writes structured lines to stderr."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter_class(log_format)())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)


def process_logging_config(log_format: str, level: str) -> dict[str, Any]:
    """For faust's Worker(logging_config=...) and uvicorn's log_config: their lines and ours, structured, on stdout."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"structured": {"()": formatter_class(log_format)}},
        "handlers": {"default": {"class": "logging.StreamHandler", "formatter": "structured",
                                 "stream": "ext://sys.stdout"}},
        "root": {"handlers": ["default"], "level": level.upper()},
    }
