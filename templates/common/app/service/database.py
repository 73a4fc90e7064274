"""Provides the PostgreSQL connection and its credentials, from one of three sources.

- AWS Secrets Manager (`DB_SECRET_ARN`, AWS deployments): the secret RDS manages for the
  master user (JSON with `username` and `password`).
- A password file (`DB_USER` and `DB_PASSWORD_FILE`, Kubernetes on GKE and AKS): a
  Kubernetes Secret mounted into the pod; the kubelet updates the file when the Secret
  changes.
- `DB_USER` and `DB_PASSWORD` (local development).

The secret or the file is read when the first connection opens and again after a failed
connection, so a rotated password is picked up without a restart. The password is never
logged. TLS is always on (`DB_SSLMODE` require, verify-ca or verify-full).
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from service.settings import SERVICE_NAME, DatabaseSettings

log = logging.getLogger(__name__)

# An online API should not wait on slow queries; use another connection for long reports.
STATEMENT_TIMEOUT_MS = 5000


class DatabaseError(RuntimeError):
    """The database credentials could not be read or the database could not be reached."""


def connect(**params: Any) -> Any:
    """Open a psycopg connection (a seam: tests replace this function)."""
    # Imported here so the module loads without the driver (the tests need no PostgreSQL).
    import psycopg

    return psycopg.connect(**params)


class Database:
    """One lazily opened connection, shared by the worker's threads under a lock.

    For heavy database work, replace it with a `psycopg_pool.ConnectionPool` built from
    `connect_params()`.
    """

    def __init__(
        self,
        settings: DatabaseSettings,
        secrets_client: Any | None = None,
        region: str = "",
    ) -> None:
        self._settings = settings
        self._secrets_client = secrets_client
        self._region = region
        self._credentials: tuple[str, str] | None = None
        self._connection: Any | None = None
        self._lock = threading.Lock()

    def _fetch_credentials(self) -> tuple[str, str]:
        s = self._settings
        if s.secret_arn:
            return self._from_secrets_manager()
        if s.password_file:
            return s.user, self._from_file(s.password_file)
        return s.user, s.password

    @staticmethod
    def _from_file(path: str) -> str:
        try:
            # A file written with a final newline (echo, an editor) still works: trailing line
            # breaks are not part of the password.
            password = Path(path).read_text(encoding="utf-8").rstrip("\r\n")
        except (OSError, UnicodeDecodeError) as exc:
            raise DatabaseError(
                f"could not read the database password file: {exc.__class__.__name__}"
            ) from exc
        if not password:
            raise DatabaseError(f"the database password file {path} is empty")
        return password

    def _from_secrets_manager(self) -> tuple[str, str]:
        client = self._secrets_client
        if client is None:
            import boto3

            client = self._secrets_client = boto3.client(
                "secretsmanager", region_name=self._region or None
            )
        try:
            secret = json.loads(
                client.get_secret_value(SecretId=self._settings.secret_arn)["SecretString"]
            )
            return str(secret["username"]), str(secret["password"])
        except Exception as exc:  # boto, JSON and key errors alike mean "no usable credentials"
            # The exception text never contains the secret value, only the error.
            raise DatabaseError(
                f"could not read the database secret: {exc.__class__.__name__}"
            ) from exc

    def connect_params(self) -> dict[str, Any]:
        """Return the psycopg connection parameters, credentials included (never log them)."""
        if self._credentials is None:
            self._credentials = self._fetch_credentials()
        user, password = self._credentials
        s = self._settings
        params: dict[str, Any] = {
            "host": s.host,
            "port": s.port,
            "dbname": s.name,
            "user": user,
            "password": password,
            "sslmode": s.sslmode,
            "connect_timeout": s.connect_timeout,
            "application_name": SERVICE_NAME,
            "options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS}",
            "autocommit": True,
        }
        if s.sslrootcert:
            params["sslrootcert"] = s.sslrootcert
        return params

    def _reset(self) -> None:
        if self._connection is not None:
            # The connection is being discarded: a failure to close it changes nothing.
            with suppress(Exception):
                self._connection.close()
        self._connection = None
        # The password may have been rotated: read the secret (or the file) again next time.
        self._credentials = None

    @contextmanager
    def connection(self) -> Iterator[Any]:
        """Yield the shared connection, opening it first if needed; a failure discards it."""
        with self._lock:
            try:
                if self._connection is None or getattr(self._connection, "closed", False):
                    self._connection = connect(**self.connect_params())
                yield self._connection
            except DatabaseError:
                self._reset()
                raise
            except Exception as exc:
                self._reset()
                raise DatabaseError(f"database error: {exc.__class__.__name__}") from exc

    def ping(self) -> bool:
        """Return whether the database answers `SELECT 1` (within the connect timeout)."""
        try:
            with self.connection() as conn:
                conn.execute("SELECT 1")
        except DatabaseError as exc:
            log.warning("database not reachable", extra={"error": str(exc)})
            return False
        return True

    def close(self) -> None:
        """Close the connection (at shutdown)."""
        with self._lock:
            self._reset()
