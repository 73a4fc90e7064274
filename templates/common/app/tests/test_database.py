"""Tests the PostgreSQL readiness check with a fake Secrets Manager (moto) and a fake driver."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient

from service.database import Database, DatabaseError
from service.settings import Settings, SettingsError


def test_ready_when_the_database_answers(client: TestClient, fake_postgres: Any) -> None:
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.json()["checks"] == {"model": True, "database": True}
    assert fake_postgres.queries[-1] == "SELECT 1"


def test_credentials_come_from_secrets_manager(
    client: TestClient, fake_postgres: Any, db_credentials: tuple[str, str]
) -> None:
    client.get("/ready")
    params = fake_postgres.connects[0]
    assert (params["user"], params["password"]) == db_credentials
    assert (params["host"], params["port"], params["dbname"]) == (
        "db.internal",
        5432,
        "app",
    )
    assert params["sslmode"] == "require"
    assert params["connect_timeout"] > 0


def test_not_ready_when_the_database_is_down(client: TestClient, fake_postgres: Any) -> None:
    fake_postgres.fail = True
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.json() == {
        "status": "not ready",
        "checks": {"model": True, "database": False},
    }
    # Liveness does not depend on the database: the orchestrator must not restart a healthy process.
    assert client.get("/health").status_code == 200


def test_recovers_and_rereads_a_rotated_password(
    client: TestClient,
    fake_postgres: Any,
    settings: Settings,
    db_credentials: tuple[str, str],
) -> None:
    assert client.get("/ready").status_code == 200
    boto3.client("secretsmanager", region_name=settings.aws_region).put_secret_value(
        SecretId=settings.database.secret_arn,
        SecretString=json.dumps({"username": db_credentials[0], "password": "rotated"}),
    )
    fake_postgres.fail = True
    assert client.get("/ready").status_code == 503
    fake_postgres.fail = False
    assert client.get("/ready").status_code == 200
    assert fake_postgres.connects[-1]["password"] == "rotated"  # pragma: allowlist secret


def test_an_unreadable_secret_means_not_ready(settings: Settings, fake_postgres: Any) -> None:
    missing = Database(replace(settings.database, secret_arn="missing"))
    assert missing.ping() is False
    assert fake_postgres.connects == []


def test_the_password_is_not_in_errors(
    settings: Settings, fake_postgres: Any, db_credentials: tuple[str, str]
) -> None:
    fake_postgres.fail = True
    with (
        pytest.raises(DatabaseError) as caught,
        Database(settings.database).connection(),
    ):
        pass
    password = db_credentials[1]
    assert password not in str(caught.value)
    assert password not in repr(caught.value.__cause__)


@pytest.mark.parametrize("name", ["DB_SECRET_ARN", "DB_HOST", "DB_NAME"])
def test_database_settings_are_required(env: dict[str, str], name: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({k: v for k, v in env.items() if k != name})
