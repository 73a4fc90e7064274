"""Tests the JSON log format."""

from __future__ import annotations

import json
import logging
import logging.config
import sys

from service.logconfig import REQUEST_ID, JsonFormatter, logging_config


def _record(message: str, **extra: object) -> logging.LogRecord:
    record = logging.LogRecord("service", logging.INFO, __file__, 1, message, None, None)
    record.__dict__.update(extra)
    return record


def test_a_record_is_one_line_of_json() -> None:
    record = _record('multi\nline "quoted"', route="/predict", status=200, color_message="x")
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == 'multi\nline "quoted"'
    assert entry["level"] == "INFO"
    assert entry["route"] == "/predict"
    assert entry["status"] == 200
    assert entry["time"].endswith("+00:00")
    assert "color_message" not in entry


def test_the_request_id_is_included() -> None:
    token = REQUEST_ID.set("req-1")
    try:
        entry = json.loads(JsonFormatter().format(_record("hello")))
    finally:
        REQUEST_ID.reset(token)
    assert entry["request_id"] == "req-1"


def test_exceptions_are_included() -> None:
    try:
        raise ValueError("boom")
    except ValueError:
        record = _record("failed")
        record.exc_info = sys.exc_info()
    entry = json.loads(JsonFormatter().format(record))
    assert "ValueError: boom" in entry["exception"]


def test_the_logging_config_is_valid() -> None:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    try:
        logging.config.dictConfig(logging_config("INFO"))
        assert isinstance(root.handlers[0].formatter, JsonFormatter)
        assert logging.getLogger("botocore").level == logging.WARNING
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)
