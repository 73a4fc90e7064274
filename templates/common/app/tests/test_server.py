"""Tests the entry point: uvicorn gets workers, port and shutdown settings from the env."""

from __future__ import annotations

from typing import Any

import pytest

from service import server


def test_uvicorn_runs_the_app_factory_with_the_settings(
    monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    monkeypatch.setattr(server.uvicorn, "run", lambda *args, **kwargs: calls.append((args, kwargs)))
    for name, value in {**env, "PORT": "9000", "WEB_CONCURRENCY": "3"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("GRACEFUL_TIMEOUT", "15")
    server.main()
    [(args, kwargs)] = calls
    assert args == ("service.main:create_app",)
    assert kwargs["factory"] is True
    assert (kwargs["host"], kwargs["port"], kwargs["workers"]) == ("0.0.0.0", 9000, 3)
    assert kwargs["timeout_graceful_shutdown"] == 15
    assert kwargs["access_log"] is False
    assert kwargs["log_config"]["formatters"]["json"]["()"].endswith("JsonFormatter")
