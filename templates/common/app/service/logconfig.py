"""Provides JSON logging: one JSON object per line on stdout, with the current request id.

Privacy: log events, never payloads. Request bodies, feature values, query strings, client
addresses and credentials must not be logged (they can hold personal data or secrets); log
sizes, ids and outcomes instead.
"""

from __future__ import annotations

import json
import logging
import logging.config
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

REQUEST_ID: ContextVar[str] = ContextVar("request_id", default="")

# Attributes every LogRecord has; anything else came from `extra=` and goes into the JSON.
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
    "taskName",
    "color_message",  # uvicorn's copy of the message with terminal colour codes
}


class JsonFormatter(logging.Formatter):
    """Formats a record as one JSON object: time, level, logger, message, request id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as a single line of JSON."""
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = REQUEST_ID.get()
        if request_id:
            entry["request_id"] = request_id
        for key, value in record.__dict__.items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


def logging_config(level: str) -> dict[str, Any]:
    """Return a `dictConfig` mapping that sends every logger, uvicorn's included, to JSON."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JsonFormatter"}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            }
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True, "level": level},
            "uvicorn.error": {"handlers": [], "propagate": True, "level": level},
            # The service logs its own access lines (without client addresses or query strings).
            "uvicorn.access": {"handlers": [], "propagate": False, "level": "WARNING"},
            # boto's DEBUG output includes request bodies; keep it quiet even at LOG_LEVEL=DEBUG.
            "botocore": {"level": "WARNING"},
            "boto3": {"level": "WARNING"},
        },
    }


def configure_logging(level: str) -> None:
    """Configure JSON logging for this process."""
    logging.config.dictConfig(logging_config(level))
