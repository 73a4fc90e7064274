"""Tests reading the settings from environment variables."""

from __future__ import annotations

import pytest

from service.settings import Settings, SettingsError


def test_defaults(env: dict[str, str]) -> None:
    settings = Settings.from_env(env)
    assert settings.port == 8080
    assert settings.workers >= 1
    assert settings.graceful_timeout > 0
    assert settings.keepalive_timeout > 60, "must outlive the load balancer's 60 s idle timeout"
    assert settings.enable_docs is False


def test_values_are_read_from_the_environment(env: dict[str, str]) -> None:
    settings = Settings.from_env(
        {**env, "PORT": "9000", "WEB_CONCURRENCY": "3", "LOG_LEVEL": "warning"}
    )
    assert (settings.port, settings.workers, settings.log_level) == (9000, 3, "WARNING")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORT", "eighty"),
        ("PORT", "0"),
        ("WEB_CONCURRENCY", "0"),
        ("LOG_LEVEL", "LOUD"),
        ("ENABLE_DOCS", "maybe"),
    ],
)
def test_invalid_values_name_the_variable(env: dict[str, str], name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({**env, name: value})
