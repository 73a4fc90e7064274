"""Fixtures for the AWS helpers: a clean AWS environment, no internet, moto, and recorded-shape responders.

Every test here runs with the developer's own AWS configuration hidden (config and credentials files point to
nowhere, instance metadata is off) and with sockets limited to 127.0.0.1, so no test can reach AWS.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber
from botocore.validate import validate_parameters

from wizard.core import cost
from wizard.core.answers import Answers, parse_answers

ACCOUNT = "123456789012"  # moto's default account
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse any connection or DNS lookup that is not loopback: a leak fails the test instead of calling AWS."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def host_of(address: Any) -> str:
        return str(address[0]) if isinstance(address, tuple) else str(address)

    def guard(host: str) -> None:
        if host not in LOOPBACK:
            raise OSError(f"test tried to reach {host}; tests must stay on 127.0.0.1")

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            guard(host_of(address))
        real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            guard(host_of(address))
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None:
            guard(host.decode() if isinstance(host, bytes) else str(host))
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)


@pytest.fixture(autouse=True)
def clean_aws_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Hide every AWS setting of the machine; point the cache at a temporary directory."""
    import os

    for name in list(os.environ):
        if name.startswith("AWS_"):
            monkeypatch.delenv(name, raising=False)
    nowhere = tmp_path_factory.mktemp("aws")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(nowhere / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(nowhere / "credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


@pytest.fixture(autouse=True)
def bundled_prices() -> Iterator[None]:
    """Leave the cost module on the bundled table after each test."""
    yield
    cost.LIVE_PRICES.clear()
    cost.LIVE_NOTES.clear()


@pytest.fixture
def fake_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")


@pytest.fixture
def moto(fake_credentials: None) -> Iterator[None]:
    from moto import mock_aws

    with mock_aws():
        yield


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connections are refused at once)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def answers(**sections: Any) -> Answers:
    data: dict[str, Any] = {"project": {"name": "churn-predictor"}}
    data.update(sections)
    return parse_answers(data)


# --- recorded response shapes ---------------------------------------------------------------------------


USAGE_DIMENSIONS = {
    "L-3032A538": {
        "Class": "Standard/OnDemand",
        "Resource": "vCPU",
        "Service": "Fargate",
        "Type": "Resource",
    },
    "L-1216C47A": {"Class": "Standard/OnDemand", "Resource": "vCPU", "Service": "EC2", "Type": "Resource"},
    "L-DB2E81BA": {"Class": "G/OnDemand", "Resource": "vCPU", "Service": "EC2", "Type": "Resource"},
    "L-417A185B": {"Class": "P/OnDemand", "Resource": "vCPU", "Service": "EC2", "Type": "Resource"},
}
"""The CloudWatch AWS/Usage dimensions Service Quotas names for each compute quota (its UsageMetric)."""


def quota_shape(service_code: str, quota_code: str, name: str, value: float, region: str) -> dict[str, Any]:
    """A GetServiceQuota / GetAWSDefaultServiceQuota answer as AWS returns it."""
    usage: dict[str, Any] = {}
    if quota_code in USAGE_DIMENSIONS:
        usage = {
            "UsageMetric": {
                "MetricNamespace": "AWS/Usage",
                "MetricName": "ResourceCount",
                "MetricDimensions": USAGE_DIMENSIONS[quota_code],
                "MetricStatisticRecommendation": "Maximum",
            }
        }
    return {
        "Quota": {
            "ServiceCode": service_code,
            "ServiceName": {"fargate": "AWS Fargate", "ec2": "Amazon Elastic Compute Cloud (Amazon EC2)"}.get(
                service_code, service_code
            ),
            "QuotaArn": f"arn:aws:servicequotas:{region}:{ACCOUNT}:{service_code}/{quota_code}",
            "QuotaCode": quota_code,
            "QuotaName": name,
            "Value": value,
            "Unit": "None",
            "Adjustable": True,
            "GlobalQuota": False,
            **usage,
            "QuotaAppliedAtLevel": "ACCOUNT",
        }
    }


def record_usage(quota_code: str, vcpu: float, region: str = "us-east-1") -> None:
    """Put a compute quota's current use into (moto's) CloudWatch, where AWS publishes it as AWS/Usage.

    The data point is two minutes old, as AWS publishes usage once a minute, a little late.
    """
    from datetime import UTC, datetime, timedelta

    import boto3

    boto3.client("cloudwatch", region_name=region).put_metric_data(
        Namespace="AWS/Usage",
        MetricData=[
            {
                "MetricName": "ResourceCount",
                "Dimensions": [{"Name": k, "Value": v} for k, v in USAGE_DIMENSIONS[quota_code].items()],
                "Value": vcpu,
                "Timestamp": datetime.now(UTC) - timedelta(minutes=2),
            }
        ],
    )


QUOTA_NAMES = {
    "L-3032A538": "Fargate On-Demand vCPU resource count",
    "L-1216C47A": "Running On-Demand Standard (A, C, D, H, I, M, R, T, Z) instances",
    "L-DB2E81BA": "Running On-Demand G and VT instances",
    "L-417A185B": "Running On-Demand P instances",
    "L-0263D0A3": "EC2-VPC Elastic IPs",
}


class QuotaResponder:
    """Answers Service Quotas calls for the codes moto lacks (Fargate, EC2) and lets moto answer the VPC ones.

    `applied` holds account-level values (GetServiceQuota); `defaults` holds AWS defaults
    (GetAWSDefaultServiceQuota). A code in neither gets NoSuchResourceException, as AWS answers it.
    `denied` makes every call fail with AccessDeniedException.
    """

    def __init__(
        self,
        applied: dict[str, float] | None = None,
        defaults: dict[str, float] | None = None,
        denied: bool = False,
    ) -> None:
        self.applied = applied or {}
        self.defaults = defaults or {}
        self.denied = denied
        self.calls: list[tuple[str, str]] = []

    def attach(self, client: Any, region: str) -> None:
        for operation, table in (
            ("GetServiceQuota", self.applied),
            ("GetAWSDefaultServiceQuota", self.defaults),
        ):
            client.meta.events.register(
                f"before-call.service-quotas.{operation}", self._handler(client, operation, table, region)
            )

    def _handler(
        self, client: Any, operation: str, table: dict[str, float], region: str
    ) -> Callable[..., Any]:
        output_shape = client.meta.service_model.operation_model(operation).output_shape

        def handle(params: dict[str, Any], **_: Any) -> Any:
            body = json.loads(params.get("body") or b"{}")
            code, service = body["QuotaCode"], body["ServiceCode"]
            self.calls.append((operation, code))
            if self.denied:
                return _error(403, "AccessDeniedException", "User is not authorized to perform servicequotas")
            if code in table:
                parsed = quota_shape(service, code, QUOTA_NAMES.get(code, code), table[code], region)
                validate_parameters(parsed, output_shape)
                return AWSResponse(None, 200, {}, None), parsed
            if service == "vpc" and operation == "GetServiceQuota":
                return None  # moto knows the VPC quotas
            return _error(
                400,
                "NoSuchResourceException",
                "The request failed because the specified resource does not exist.",
            )

        return handle


def _error(status: int, code: str, message: str) -> tuple[AWSResponse, dict[str, Any]]:
    return AWSResponse(None, status, {}, None), {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }


def app_runner_services(names: list[str], region: str) -> dict[str, Any]:
    """A ListServices answer as App Runner returns it."""
    from datetime import UTC, datetime

    when = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
    return {
        "ServiceSummaryList": [
            {
                "ServiceName": name,
                "ServiceId": f"{i:032x}",
                "ServiceArn": f"arn:aws:apprunner:{region}:{ACCOUNT}:service/{name}/{i:032x}",
                "ServiceUrl": f"{name}.{region}.awsapprunner.com",
                "CreatedAt": when,
                "UpdatedAt": when,
                "Status": "RUNNING",
            }
            for i, name in enumerate(names, 1)
        ]
    }


class Hooks:
    """The `on_client` hook of the tests: stubs for what moto lacks, attached as each client is made.

    `denied` names (service, OperationName) pairs that fail with AccessDenied, as for a role without that right;
    `unreachable` names services whose endpoint cannot be reached, as for a service that a region lacks (its
    host name does not resolve).
    """

    def __init__(
        self,
        quotas: QuotaResponder | None = None,
        app_runner: list[str] | None = None,
        denied: set[tuple[str, str]] | None = None,
        unreachable: set[str] | None = None,
    ) -> None:
        self.quotas = quotas or QuotaResponder()
        self.app_runner = app_runner if app_runner is not None else []
        self.denied = denied or set()
        self.unreachable = unreachable or set()
        self.stubbers: dict[tuple[str, str], Stubber] = {}
        self.setups: dict[tuple[str, str | None], Callable[[Stubber], None]] = {}
        self.clients: list[tuple[str, str, Any]] = []
        self.calls: list[tuple[str, str]] = []

    def stub(self, service: str, setup: Callable[[Stubber], None], region: str | None = None) -> None:
        """Replace a client (of one region, or of all) with a Stubber prepared by `setup`."""
        self.setups[(service, region)] = setup

    def __call__(self, service: str, region: str, client: Any) -> None:
        self.clients.append((service, region, client))
        client.meta.events.register_first("before-call.*.*", self._before_call(service))
        setup = self.setups.get((service, region)) or self.setups.get((service, None))
        if setup is not None:
            stubber = Stubber(client)
            setup(stubber)
            stubber.activate()
            self.stubbers[(service, region)] = stubber
            return
        if service == "service-quotas":
            self.quotas.attach(client, region)
        elif service == "apprunner":
            stubber = Stubber(client)
            stubber.add_response(
                "list_services", app_runner_services(self.app_runner, region), {"MaxResults": 20}
            )
            stubber.activate()
            self.stubbers[(service, region)] = stubber

    def _before_call(self, service: str) -> Callable[..., Any]:
        def before_call(model: Any, **_: Any) -> Any:
            self.calls.append((service, model.name))
            if service in self.unreachable:
                from botocore.exceptions import EndpointConnectionError

                raise EndpointConnectionError(endpoint_url=f"https://{service}.example.invalid/")
            if (service, model.name) in self.denied:
                code = (
                    "AccessDeniedException" if service in ("service-quotas", "apprunner") else "AccessDenied"
                )
                return _error(403, code, f"User is not authorized to perform: {service}:{model.name}")
            return None

        return before_call
