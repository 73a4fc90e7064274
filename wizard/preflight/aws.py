"""Provides the AWS plumbing shared by `wizard preflight` and `--live-prices`: sessions, clients, errors.

Every client gets short timeouts and two attempts, so a machine without network fails in seconds, not minutes.
That includes the clients botocore makes itself to resolve credentials (AssumeRole profiles, SSO): the session's
default client config carries the same limits. Once the credentials are rejected, or AWS stopped answering
twice, the remaining calls are not tried, so a broken connection costs one timeout, not one per check.
Every botocore failure is turned into an `AwsError` with a one-line message and a fix, never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

import boto3
import botocore.exceptions as bexc
import botocore.session
from botocore.config import Config

CONNECT_TIMEOUT = 3
READ_TIMEOUT = 5
CLIENT_CONFIG = Config(
    connect_timeout=CONNECT_TIMEOUT,
    read_timeout=READ_TIMEOUT,
    retries={"total_max_attempts": 2, "mode": "standard"},
)

CREDENTIALS_FIX = "run `aws configure` (or `aws sso login`), or pass --profile NAME"

ProblemKind = Literal["credentials", "network", "denied", "not_found", "other"]

_CREDENTIAL_CODES = {
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "ExpiredToken",
    "ExpiredTokenException",
    "UnrecognizedClientException",
    "AuthFailure",
    "InvalidAccessKeyId",
    "RequestExpired",
}
_DENIED_CODES = {
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "AuthorizationError",
    "Forbidden",
    "403",
}
_NOT_FOUND_CODES = {"NoSuchResourceException", "NoSuchBucket", "NotFound", "404", "ResourceNotFoundException"}
_THROTTLING_CODES = {
    "Throttling",
    "ThrottlingException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "SlowDown",
}
NETWORK_FIX = "check the network, proxy (HTTPS_PROXY) and AWS_ENDPOINT_URL settings, then run it again"
MAX_NETWORK_FAILURES = 2
"""After this many calls that AWS did not answer, the remaining calls are not tried."""

ClientHook = Callable[[str, str, Any], None]
"""Called with (service, region, client) after each client is made; tests attach stubs here."""


class AwsError(Exception):
    """A failed AWS call, explained: what kind of failure, one line of detail, and what to do about it."""

    def __init__(self, kind: ProblemKind, message: str, fix: str = "", code: str = "") -> None:
        super().__init__(message)
        self.kind: ProblemKind = kind
        self.message = message
        self.fix = fix
        self.code = code


def error_code(exc: BaseException) -> str:
    """Return the AWS error code of a ClientError (`AccessDenied`, `404`, ...), or ''."""
    if isinstance(exc, bexc.ClientError):
        return str(exc.response.get("Error", {}).get("Code", ""))
    return ""


MAX_MESSAGE = 200
"""AWS error messages longer than this (an HTML page from a proxy, say) are cut to keep the report readable."""


def _one_line(message: str) -> str:
    """Return an AWS error message as one short line: an HTML page becomes its title, whitespace is collapsed."""
    title = re.search(r"<title>(.*?)</title>", message, flags=re.IGNORECASE | re.DOTALL)
    if title:
        message = f"{title.group(1)} (an HTML page, not an AWS answer)"
    text = " ".join(re.sub(r"<[^>]+>", " ", message).split())
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3].rstrip() + "..."


def explain(exc: BaseException, action: str) -> AwsError:
    """Turn a botocore/boto3 exception raised while doing `action` into an `AwsError`."""
    if isinstance(exc, AwsError):
        return exc
    if isinstance(exc, bexc.ProfileNotFound):
        return AwsError(
            "credentials",
            f"the AWS profile {exc.kwargs.get('profile', '')!r} is not configured",
            "check the name with `aws configure list-profiles`, or create it with `aws configure --profile NAME`",
            "ProfileNotFound",
        )
    if isinstance(exc, bexc.ConfigParseError | bexc.InvalidConfigError):
        return AwsError(
            "credentials",
            f"the AWS configuration could not be read: {exc}",
            "fix ~/.aws/config (or the file AWS_CONFIG_FILE names); `aws configure list` shows what is used",
        )
    if isinstance(exc, bexc.NoCredentialsError | bexc.PartialCredentialsError):
        return AwsError("credentials", "no AWS credentials were found", CREDENTIALS_FIX)
    if isinstance(
        exc, bexc.SSOError | bexc.TokenRetrievalError | bexc.CredentialRetrievalError | bexc.SSOTokenLoadError
    ):
        return AwsError(
            "credentials",
            f"the AWS credentials could not be loaded: {exc}",
            "run `aws sso login` (for SSO profiles) or `aws configure`, or pass another --profile",
        )
    if isinstance(exc, bexc.ConnectTimeoutError | bexc.ReadTimeoutError):
        return AwsError(
            "network", f"AWS did not answer in time while trying to {action} ({exc})", NETWORK_FIX
        )
    if isinstance(exc, bexc.ConnectionError | bexc.HTTPClientError):
        return AwsError("network", f"cannot reach AWS to {action} ({exc})", NETWORK_FIX)
    if isinstance(exc, bexc.ClientError):
        code = error_code(exc)
        message = _one_line(str(exc.response.get("Error", {}).get("Message", ""))) or code
        if code in _CREDENTIAL_CODES:
            return AwsError(
                "credentials",
                f"AWS rejected the credentials while trying to {action}: {message}",
                "refresh or replace the credentials: " + CREDENTIALS_FIX,
                code,
            )
        if code in _DENIED_CODES:
            return AwsError(
                "denied",
                f"not allowed to {action}: {message}",
                "run it with a role that has read access (for example the ReadOnlyAccess managed policy)",
                code,
            )
        if code in _NOT_FOUND_CODES:
            return AwsError("not_found", message, "", code)
        if code in _THROTTLING_CODES:
            return AwsError(
                "other",
                f"AWS throttled the requests while trying to {action}: {message}",
                "run it again in a minute",
                code,
            )
        return AwsError("other", f"AWS answered {code} while trying to {action}: {message}", "", code)
    if isinstance(exc, bexc.BotoCoreError):
        return AwsError("other", f"could not {action}: {exc}")
    return AwsError("other", f"could not {action}: {type(exc).__name__}: {exc}")


@dataclass
class Aws:
    """One AWS session and its clients (cached per service and region), all with CLIENT_CONFIG."""

    session: Any
    on_client: ClientHook | None = None

    def __post_init__(self) -> None:
        self._clients: dict[tuple[str, str], Any] = {}
        # Set when every further call would fail the same way (credentials rejected, AWS out of reach).
        self._stopped: AwsError | None = None
        self._unreachable: dict[tuple[str, str], AwsError] = {}
        self._network_failures = 0

    @classmethod
    def connect(cls, profile: str | None = None, on_client: ClientHook | None = None) -> Aws:
        """Open a session for the named profile (or the default chain); raise AwsError when it is missing."""
        try:
            session = boto3.Session(botocore_session=_botocore_session(), profile_name=profile or None)
            # A missing profile (--profile, AWS_PROFILE) fails here, not at the first call.
            session._session.get_scoped_config()
        except bexc.BotoCoreError as exc:
            raise explain(exc, "open the AWS profile") from None
        return cls(session, on_client)

    def client(self, service: str, region: str) -> Any:
        """Return the client of a service in a region."""
        key = (service, region)
        if key not in self._clients:
            try:
                client = self.session.client(service, region_name=region, config=CLIENT_CONFIG)
            except bexc.BotoCoreError as exc:
                raise explain(exc, f"create the {service} client") from None
            if self.on_client is not None:
                self.on_client(service, region, client)
            self._clients[key] = client
        return self._clients[key]

    def call(
        self, service: str, region: str, operation: str, action: str, *, probe: bool = False, **params: Any
    ) -> dict[str, Any]:
        """Call `operation` (snake_case) and return its response, or raise an explained AwsError.

        After the credentials were rejected, or after AWS did not answer MAX_NETWORK_FAILURES times (or once
        at this service's endpoint), the call is not tried: the earlier problem is raised again at once.
        A `probe` asks an endpoint that may not exist: not reaching it does not count as AWS being out of reach.
        """
        earlier = self._stopped or self._unreachable.get((service, region))
        if earlier is not None:
            raise AwsError(
                earlier.kind,
                f"not tried after an earlier failure: {earlier.message}",
                earlier.fix,
                earlier.code,
            )
        client = self.client(service, region)
        try:
            response: dict[str, Any] = getattr(client, operation)(**params)
        except (
            Exception
        ) as exc:  # botocore's own and anything a plugin or proxy library raises: never a traceback
            problem = explain(exc, action)
            if problem.kind == "credentials":
                self._stopped = problem
            elif problem.kind == "network":
                self._unreachable[(service, region)] = problem
                self._network_failures += 0 if probe else 1
                if self._network_failures >= MAX_NETWORK_FAILURES:
                    self._stopped = problem
            raise problem from None
        return response

    def offered_in(self, service: str, region: str) -> bool | None:
        """Return whether botocore's endpoint data lists the service in the region (None: unknown).

        The data ships with botocore and lags behind AWS: False is a reason to probe, not proof.
        """
        try:
            partition = self.session.get_partition_for_region(region)
            return region in self.session.get_available_regions(service, partition_name=partition)
        except Exception:  # the endpoint data is a hint only
            return None


_LOADER: list[Any] = []
"""botocore's model loader, shared by every session of this process (loading the EC2 model takes ~0.3 s)."""


def _botocore_session() -> Any:
    core = botocore.session.get_session()
    # The clients botocore creates to resolve credentials (STS for AssumeRole profiles, SSO) get the same
    # timeouts and retries as ours; their own defaults are 60 s and up to five attempts.
    core.set_default_client_config(CLIENT_CONFIG)
    if _LOADER:
        core.register_component("data_loader", _LOADER[0])
        paths = _LOADER[0].search_paths
        paths[:] = list(dict.fromkeys(paths))  # boto3 appends its data path for every session
    else:
        _LOADER.append(core.get_component("data_loader"))
    return core


def control_region(region: str) -> str:
    """Return the partition's always-enabled region, where identity and region status are asked."""
    if region.startswith("cn-"):
        return "cn-north-1"
    if region.startswith("us-gov-"):
        return "us-gov-west-1"
    return "us-east-1"
