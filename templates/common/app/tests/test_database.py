"""Tests the PostgreSQL readiness check and the three sources of credentials, with a fake driver.

AWS: the secret RDS manages, in a fake Secrets Manager (moto). Kubernetes on GKE and AKS: the
role from `DB_USER` and its password from a file (the mounted Kubernetes Secret). Local: `DB_USER`
and `DB_PASSWORD`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import boto3
import pytest
from fastapi.testclient import TestClient

from service.database import Database, DatabaseError
from service.main import create_app
from service.settings import Settings, SettingsError

K8S_USER = "api"
# Test fixtures, not credentials.
K8S_PASSWORD = "from-the-kubernetes-secret"  # pragma: allowlist secret
SECRET_ARN = "arn:aws:secretsmanager:us-east-1:000000000000:secret:db"  # pragma: allowlist secret


@pytest.fixture
def password_file(tmp_path: Path) -> Path:
    """Return the file a mounted Kubernetes Secret gives the pod (here with a final newline)."""
    path = tmp_path / "secrets" / "password"
    path.parent.mkdir()
    path.write_text(K8S_PASSWORD + "\n", encoding="utf-8")
    return path


@pytest.fixture
def k8s_env(env: dict[str, str], password_file: Path) -> dict[str, str]:
    """Return the environment the GKE and AKS manifests give the pods: a role, a password file."""
    without_aws = {k: v for k, v in env.items() if k != "DB_SECRET_ARN"}
    return {**without_aws, "DB_USER": K8S_USER, "DB_PASSWORD_FILE": str(password_file)}


@pytest.fixture
def no_secrets_manager(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if anything asks Secrets Manager: GKE and AKS have no AWS credentials."""
    real_client = boto3.client

    def client(service: str, *args: Any, **kwargs: Any) -> Any:
        assert service != "secretsmanager", "the Kubernetes Secret path must not call AWS"
        return real_client(service, *args, **kwargs)

    monkeypatch.setattr(boto3, "client", client)


@pytest.fixture
def k8s_client(
    k8s_env: dict[str, str], fake_postgres: Any, no_secrets_manager: None
) -> Iterator[TestClient]:
    """Return a test client of the app started with the Kubernetes environment."""
    with TestClient(create_app(Settings.from_env(k8s_env))) as test_client:
        yield test_client


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


# --- Kubernetes on GKE and AKS: DB_USER and a password file from a mounted Secret -----------------


def test_credentials_come_from_the_mounted_secret(
    k8s_client: TestClient, fake_postgres: Any
) -> None:
    response = k8s_client.get("/ready")
    assert response.status_code == 200
    assert response.json()["checks"] == {"model": True, "database": True}
    params = fake_postgres.connects[0]
    # The trailing newline of the file is not part of the password.
    assert (params["user"], params["password"]) == (K8S_USER, K8S_PASSWORD)
    assert (params["host"], params["port"], params["dbname"]) == ("db.internal", 5432, "app")
    assert params["sslmode"] == "require"
    assert "sslrootcert" not in params


def test_a_rotated_secret_is_reread_without_a_restart(
    k8s_client: TestClient, fake_postgres: Any, password_file: Path
) -> None:
    assert k8s_client.get("/ready").status_code == 200
    # The kubelet rewrites the mounted file when the Secret changes; the old password stops working.
    password_file.write_text("rotated-in-the-secret", encoding="utf-8")
    fake_postgres.fail = True
    assert k8s_client.get("/ready").status_code == 503
    fake_postgres.fail = False
    assert k8s_client.get("/ready").status_code == 200
    rotated = fake_postgres.connects[-1]["password"]
    assert rotated == "rotated-in-the-secret"  # pragma: allowlist secret


def test_an_empty_or_vanished_password_file_means_not_ready(
    k8s_env: dict[str, str], password_file: Path, fake_postgres: Any
) -> None:
    database = Database(Settings.from_env(k8s_env).database)
    password_file.write_text("\n", encoding="utf-8")
    assert database.ping() is False
    password_file.unlink()
    assert database.ping() is False
    assert fake_postgres.connects == []


def test_plain_environment_variables_work_for_local_development(
    k8s_env: dict[str, str], fake_postgres: Any, no_secrets_manager: None
) -> None:
    env = {k: v for k, v in k8s_env.items() if k != "DB_PASSWORD_FILE"}
    settings = Settings.from_env({**env, "DB_PASSWORD": "local-password"})
    assert Database(settings.database).ping() is True
    assert fake_postgres.connects[0]["password"] == "local-password"  # pragma: allowlist secret
    assert "local-password" not in repr(settings), "the password must not reach logs through repr"


def test_the_password_file_must_exist(k8s_env: dict[str, str], tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="DB_PASSWORD_FILE"):
        Settings.from_env({**k8s_env, "DB_PASSWORD_FILE": str(tmp_path / "missing")})


@pytest.mark.parametrize(
    ("remove", "add", "message"),
    [
        ("DB_USER", {}, "DB_USER must be set"),
        ("DB_PASSWORD_FILE", {}, r"DB_PASSWORD_FILE \(or DB_PASSWORD\) must be set"),
        ("", {"DB_PASSWORD": K8S_PASSWORD}, "DB_PASSWORD and DB_PASSWORD_FILE are both set"),
        ("", {"DB_SECRET_ARN": SECRET_ARN}, "DB_SECRET_ARN and DB_USER, DB_PASSWORD_FILE"),
    ],
)
def test_exactly_one_source_of_credentials(
    k8s_env: dict[str, str], remove: str, add: dict[str, str], message: str
) -> None:
    env = {k: v for k, v in k8s_env.items() if k != remove}
    with pytest.raises(SettingsError, match=message):
        Settings.from_env({**env, **add})


@pytest.mark.parametrize("sslmode", ["disable", "allow", "prefer", "nonsense"])
def test_tls_to_the_database_is_required(k8s_env: dict[str, str], sslmode: str) -> None:
    with pytest.raises(SettingsError, match="DB_SSLMODE"):
        Settings.from_env({**k8s_env, "DB_SSLMODE": sslmode})


def test_verifying_the_server_needs_its_ca(
    k8s_env: dict[str, str], tmp_path: Path, fake_postgres: Any
) -> None:
    with pytest.raises(SettingsError, match="DB_SSLROOTCERT"):
        Settings.from_env({**k8s_env, "DB_SSLMODE": "verify-full"})
    with pytest.raises(SettingsError, match="DB_SSLROOTCERT"):
        Settings.from_env(
            {**k8s_env, "DB_SSLMODE": "verify-full", "DB_SSLROOTCERT": str(tmp_path / "none.pem")}
        )
    bundle = tmp_path / "ca-certificates.crt"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    settings = Settings.from_env(
        {**k8s_env, "DB_SSLMODE": "VERIFY-FULL", "DB_SSLROOTCERT": str(bundle)}
    )
    assert Database(settings.database).ping() is True
    params = fake_postgres.connects[0]
    assert (params["sslmode"], params["sslrootcert"]) == ("verify-full", str(bundle))
