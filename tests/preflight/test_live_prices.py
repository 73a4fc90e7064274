"""`--live-prices`: the Pricing API (which moto lacks) through botocore's Stubber with recorded answer shapes;
the cache, its age, and the fall-backs without credentials or network."""

from __future__ import annotations

import json
import stat
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from botocore.stub import Stubber

from tests.preflight import pricelist
from tests.preflight.conftest import answers
from wizard.cli import main
from wizard.core import cost, live_prices
from wizard.core.blueprints import load_blueprints
from wizard.core.posture import derive_posture
from wizard.core.sizing import size_workload

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


class PricingStub:
    """The `on_client` hook: stubs the pricing client with the recorded answers, in the order of a refresh."""

    def __init__(
        self, region: str = pricelist.REGION, pages: dict[str, list[list[str]]] | None = None
    ) -> None:
        self.region = region
        self.pages = pages or {}
        self.clients: list[tuple[str, str]] = []
        self.stubber: Stubber | None = None

    def __call__(self, service: str, region: str, client: Any) -> None:
        self.clients.append((service, region))
        assert service == "pricing"
        self.stubber = Stubber(client)
        for request, answer in pricelist.expected_requests(self.region):
            pages = self.pages.get(request["ServiceCode"], [answer])
            for i, page in enumerate(pages):
                response: dict[str, Any] = {"FormatVersion": "aws_v1", "PriceList": page}
                params = dict(request)
                if i:
                    params["NextToken"] = f"token-{i}"
                if i + 1 < len(pages):
                    response["NextToken"] = f"token-{i + 1}"
                self.stubber.add_response("get_products", response, params)
        self.stubber.activate()


def fargate_compute(region: str) -> float:
    a = answers(platform={"region": region})
    est = cost.estimate(a, load_blueprints()["ecs_fargate"], size_workload(a), derive_posture(a))
    [driver] = [d for d in est.drivers if d.name.startswith("compute")]
    return driver.high


def test_parses_the_recorded_price_list() -> None:
    found: dict[str, float] = {}
    for query in live_prices._queries():
        for request, answer in pricelist.expected_requests():
            if request["ServiceCode"] == query.service_code and (
                request["Filters"][1:] == [{"Type": t, "Field": f, "Value": v} for t, f, v in query.filters]
            ):
                found.update(live_prices.parse_price_list(query, answer))
    assert found == pytest.approx(pricelist.EXPECTED)
    # Not taken for the x86 prices: ARM and ephemeral storage (Fargate), traffic shaping (ALB), idle IPv4.


def test_on_demand_price_ignores_reserved_terms_and_free_tiers() -> None:
    item = json.loads(pricelist.T3_MICRO)
    assert live_prices.on_demand_usd(item) == pytest.approx(0.0114)
    tiered = json.loads(pricelist.NAT[0])
    [term] = tiered["terms"]["OnDemand"].values()
    [dim] = term["priceDimensions"].values()
    term["priceDimensions"] = {
        "free": {**dim, "beginRange": "0", "endRange": "100", "pricePerUnit": {"USD": "0.0000000000"}},
        "paid": {**dim, "beginRange": "100", "pricePerUnit": {"USD": "0.0450000000"}},
    }
    assert live_prices.on_demand_usd(tiered) == pytest.approx(0.045)
    assert live_prices.on_demand_usd({"terms": {}}) is None


def test_refresh_uses_the_api_caches_with_the_date_and_feeds_the_estimate(fake_credentials: None) -> None:
    bundled = fargate_compute("eu-west-1")
    stub = PricingStub(pages={"AmazonVPC": [pricelist.VPC[:1], pricelist.VPC[1:]]})  # two pages
    note = live_prices.use_live_prices("eu-west-1", now=NOW, on_client=stub)
    assert stub.stubber is not None
    stub.stubber.assert_no_pending_responses()
    assert stub.clients == [("pricing", "eu-central-1")]  # the nearest Pricing API endpoint
    assert note.startswith("live prices: 15 eu-west-1 prices from the AWS Pricing API, fetched 2026-11-25")
    path = live_prices.cache_path("eu-west-1")
    assert path is not None and note.endswith(f", cached in {path}")
    data = json.loads(path.read_text())
    assert data["fetched"] == "2026-11-25T09:30:00+00:00"
    assert data["region"] == "eu-west-1" and data["schema"] == 1
    assert data["prices"] == pytest.approx(pricelist.EXPECTED)
    live = dict(cost.LIVE_PRICES)
    assert live == pytest.approx(pricelist.EXPECTED)
    assert fargate_compute("eu-west-1") == pytest.approx(bundled)  # same Fargate list price in eu-west-1
    a = answers(platform={"region": "eu-west-1"}, blueprint="kubernetes")
    est = cost.estimate(a, load_blueprints()["kubernetes"], size_workload(a), derive_posture(a))
    assert any("eu-west-1 on-demand prices" in n and "2026-11-25" in n for n in est.notes)
    assert not any("priced with us-east-1" in n for n in est.notes)


def test_cache_younger_than_a_week_is_reused_without_calling_aws(fake_credentials: None) -> None:
    live_prices.use_live_prices("eu-west-1", now=NOW, on_client=PricingStub())
    live_prices.reset()

    def no_client(service: str, region: str, client: Any) -> None:
        raise AssertionError("the cache is fresh; AWS must not be asked")

    note = live_prices.use_live_prices("eu-west-1", now=NOW + timedelta(days=6), on_client=no_client)
    assert "from the cache" in note and "6 days old" in note
    assert cost.LIVE_PRICES["alb_hour"] == pytest.approx(0.0252)


def test_stale_cache_is_refreshed(fake_credentials: None) -> None:
    live_prices.use_live_prices("eu-west-1", now=NOW, on_client=PricingStub())
    stub = PricingStub()
    note = live_prices.use_live_prices("eu-west-1", now=NOW + timedelta(days=8), on_client=stub)
    assert stub.clients == [("pricing", "eu-central-1")]
    assert "from the AWS Pricing API, fetched 2026-12-03" in note


def test_no_credentials_falls_back_to_the_bundled_table() -> None:
    note = live_prices.use_live_prices("eu-west-1", now=NOW)
    assert note.startswith("live prices: no AWS credentials were found")
    assert "falling back to the bundled us-east-1 price table (checked " in note
    assert cost.LIVE_PRICES == {}


def test_unreachable_api_falls_back_quickly_to_an_older_cache(
    fake_credentials: None, closed_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    live_prices.use_live_prices("eu-west-1", now=NOW - timedelta(days=30), on_client=PricingStub())
    live_prices.reset()
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{closed_port}")
    start = time.monotonic()
    note = live_prices.use_live_prices("eu-west-1", now=NOW)
    assert time.monotonic() - start < 10
    assert "cannot reach AWS to query the AWS Pricing API" in note
    assert "using the older cached eu-west-1 prices from 2026-10-26 (30 days old" in note
    assert cost.LIVE_PRICES["nat_gateway_hour"] == pytest.approx(0.048)


def test_unreachable_api_without_cache_uses_the_bundled_table(
    fake_credentials: None, closed_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{closed_port}")
    note = live_prices.use_live_prices("us-west-2", now=NOW)
    assert "cannot reach AWS" in note and "falling back to the bundled" in note
    assert cost.LIVE_PRICES == {}


def test_implausible_prices_are_dropped_and_refused_queries_named(fake_credentials: None) -> None:
    class Odd(PricingStub):
        def __call__(self, service: str, region: str, client: Any) -> None:
            self.stubber = Stubber(client)
            requests = pricelist.expected_requests()
            for request, answer in requests[:3]:
                self.stubber.add_response(
                    "get_products", {"FormatVersion": "aws_v1", "PriceList": answer}, request
                )
            self.stubber.add_client_error(
                "get_products",
                "InvalidParameterException",
                "Invalid filter",
                400,
                expected_params=requests[3][0],
            )
            wild = [p.replace('"0.0050000000"', '"5.0000000000"') for p in pricelist.VPC]
            self.stubber.add_response(
                "get_products", {"FormatVersion": "aws_v1", "PriceList": wild}, requests[4][0]
            )
            self.stubber.activate()

    note = live_prices.use_live_prices("eu-west-1", now=NOW, on_client=Odd())
    assert "ignored implausible values for public_ipv4_hour" in note
    assert "AWS refused the AWSELB queries" in note
    assert "public_ipv4_hour" not in cost.LIVE_PRICES and "alb_hour" not in cost.LIVE_PRICES
    assert cost.LIVE_PRICES["vpc_interface_endpoint_hour"] == pytest.approx(0.011)


def test_empty_answer_falls_back(fake_credentials: None) -> None:
    def empty(service: str, region: str, client: Any) -> None:
        stubber = Stubber(client)
        for request, _ in pricelist.expected_requests("us-east-2"):
            stubber.add_response("get_products", {"FormatVersion": "aws_v1", "PriceList": []}, request)
        stubber.activate()

    note = live_prices.use_live_prices("us-east-2", now=NOW, on_client=empty)
    assert "returned no usable prices for us-east-2" in note
    assert cost.LIVE_PRICES == {}


def test_not_an_aws_region() -> None:
    note = live_prices.use_live_prices("europe-west1", now=NOW)
    assert "not an AWS region" in note
    assert cost.LIVE_PRICES == {}


def test_corrupt_or_foreign_cache_is_ignored(tmp_path: Path) -> None:
    path = live_prices.cache_path("eu-west-1")
    assert path is not None
    path.write_text("{not json")
    assert live_prices.load_cache("eu-west-1") is None
    path.write_text(
        json.dumps({"schema": 1, "region": "us-east-1", "fetched": NOW.isoformat(), "prices": {}})
    )
    assert live_prices.load_cache("eu-west-1") is None


def test_cache_directory_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    expected = tmp_path / "xdg" / "deploy-wizard" / "live-prices" / "sa-east-1.json"
    assert live_prices.cache_path("sa-east-1") == expected
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert live_prices.cache_dir() == tmp_path / ".cache" / "deploy-wizard"


@pytest.mark.parametrize(
    ("region", "endpoint"),
    [
        ("us-west-2", "us-east-1"),
        ("sa-east-1", "us-east-1"),
        ("eu-north-1", "eu-central-1"),
        ("me-south-1", "eu-central-1"),
        ("ap-southeast-2", "ap-south-1"),
        ("cn-north-1", "cn-northwest-1"),
    ],
)
def test_pricing_endpoint_region(region: str, endpoint: str) -> None:
    assert live_prices.pricing_endpoint_region(region) == endpoint


def test_cli_recommend_live_prices_without_credentials(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "answers.yaml"
    path.write_text("project: {name: demo}\nplatform: {region: eu-west-1}\n")
    code = main(["recommend", "--answers", str(path), "--format", "json", "--live-prices"])
    out, err = capsys.readouterr()
    assert code == 0
    assert json.loads(out)["recommended"]
    assert "live prices: no AWS credentials were found" in err
    assert "Traceback" not in err


def test_the_cache_is_private_dated_and_keyed_by_region(fake_credentials: None) -> None:
    live_prices.use_live_prices("eu-west-1", now=NOW, on_client=PricingStub())
    path = live_prices.cache_path("eu-west-1")
    assert path is not None and path.name == "eu-west-1.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    data = json.loads(path.read_text())
    assert data["fetched"] == "2026-11-25T09:30:00+00:00"
    assert data["source"] == "AWS Pricing API GetProducts (eu-central-1), on-demand USD"
    assert live_prices.load_cache("eu-west-2") is None  # another region's prices are never taken


def test_caching_off_is_said(fake_credentials: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEPLOY_WIZARD_NO_CACHE", "1")
    note = live_prices.use_live_prices("eu-west-1", now=NOW, on_client=PricingStub())
    assert note.startswith("live prices: 15 eu-west-1 prices from the AWS Pricing API, fetched 2026-11-25")
    assert "(not cached: caching is off (DEPLOY_WIZARD_NO_CACHE)" in note
    assert cost.LIVE_PRICES["alb_hour"] == pytest.approx(0.0252)
    assert live_prices.cache_path("eu-west-1") is None and live_prices.load_cache("eu-west-1") is None


def test_a_cache_folder_others_can_write_is_not_used(fake_credentials: None) -> None:
    folder = live_prices.cache_dir() / live_prices.CACHE_FOLDER
    folder.mkdir(parents=True)
    folder.chmod(0o777)
    planted = {"schema": 1, "region": "eu-west-1", "fetched": NOW.isoformat(), "prices": {"alb_hour": 0.001}}
    (folder / "eu-west-1.json").write_text(json.dumps(planted))
    assert live_prices.load_cache("eu-west-1") is None
    note = live_prices.use_live_prices("eu-west-1", now=NOW, on_client=PricingStub())
    assert "is not a private folder of this user" in note
    assert cost.LIVE_PRICES["alb_hour"] == pytest.approx(0.0252)


def test_what_a_refresh_missed_is_repeated_from_the_cache(fake_credentials: None) -> None:
    class RefusesElb(PricingStub):
        def __call__(self, service: str, region: str, client: Any) -> None:
            self.stubber = Stubber(client)
            for request, answer in pricelist.expected_requests():
                if request["ServiceCode"] == "AWSELB":
                    self.stubber.add_client_error(
                        "get_products",
                        "InvalidParameterException",
                        "Invalid filter",
                        400,
                        expected_params=request,
                    )
                else:
                    response = {"FormatVersion": "aws_v1", "PriceList": answer}
                    self.stubber.add_response("get_products", response, request)
            self.stubber.activate()

    live_prices.use_live_prices("eu-west-1", now=NOW, on_client=RefusesElb())
    live_prices.reset()
    note = live_prices.use_live_prices("eu-west-1", now=NOW + timedelta(days=1), on_client=None)
    assert "from the cache" in note and "1 day old" in note
    assert "(AWS refused the AWSELB queries; those prices are bundled)" in note
    assert "alb_hour" not in cost.LIVE_PRICES


def shape(value: Any) -> Any:
    """The structure of a JSON value: keys of objects, item shapes of lists, types of the rest."""
    if isinstance(value, dict):
        return {k: shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(v) for v in value]
    return (
        "number" if isinstance(value, int | float) and not isinstance(value, bool) else type(value).__name__
    )


@pytest.mark.parametrize("command", ["recommend", "compare"])
def test_json_output_keeps_its_shape_with_live_prices(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A fresh cache stands in for the Pricing API (the CLI reads it before asking AWS).
    fetched = datetime.now(UTC).replace(microsecond=0)
    live_prices.save_cache(live_prices.LivePrices("eu-west-1", fetched, dict(pricelist.EXPECTED)))
    path = tmp_path / "answers.yaml"
    path.write_text("project: {name: demo}\nplatform: {region: eu-west-1}\nworkload: {gpu: true}\n")
    assert main([command, "--answers", str(path), "--format", "json"]) in (0, 1)
    plain, plain_err = capsys.readouterr()
    assert main([command, "--answers", str(path), "--format", "json", "--live-prices"]) in (0, 1)
    live, live_err = capsys.readouterr()
    assert "live prices" not in plain_err
    assert live_err.startswith("live prices: 15 eu-west-1 prices from the cache ")
    assert shape(json.loads(live)) == shape(json.loads(plain))
    assert json.loads(live) != json.loads(plain)  # the prices did change something (GPU nodes cost more)
