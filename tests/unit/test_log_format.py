"""Structured log lines: key=value pairs or JSON, one line per event even with a traceback."""
from __future__ import annotations

import json
import logging
import sys

from config.logs import JsonLinesFormatter, LogfmtFormatter


def log_record(message: str, **fields) -> logging.LogRecord:
    record = logging.LogRecord("satgas.worker", logging.INFO, __file__, 1, message, None, None)
    record.fields = fields
    return record


def test_a_log_line_is_key_value_pairs_with_quotes_only_where_needed():
    line = LogfmtFormatter().format(log_record("batch handled", topic="rat-filings", events=3, reason="bad \"x\"",
                                               key=None))
    assert line.split(" ", 1)[1] == ('level=info logger=satgas.worker msg="batch handled" topic=rat-filings events=3 '
                                     'reason="bad \\"x\\"" key=null')


def test_a_log_line_can_be_a_json_object():
    line = json.loads(JsonLinesFormatter().format(log_record("batch handled", topic="rat-filings", events=3)))
    assert {k: line[k] for k in ("level", "msg", "topic", "events")} == {
        "level": "info", "msg": "batch handled", "topic": "rat-filings", "events": 3}


def test_a_traceback_stays_on_the_line():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("satgas.worker", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    line = LogfmtFormatter().format(record)
    assert "\n" not in line and 'error="ValueError: boom"' in line and "traceback=" in line
