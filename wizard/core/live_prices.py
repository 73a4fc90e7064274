"""Provides `--live-prices`: the region's on-demand prices from the AWS Pricing API, cached for a week.

`use_live_prices(region)` refreshes the prices the estimate depends on most (Fargate, the EC2 types the
estimator picks, ALB, NAT gateway, public IPv4, interface endpoints) with `pricing:GetProducts` for the region,
caches them with their date in `$XDG_CACHE_HOME/deploy-wizard/live-prices/REGION.json` (`~/.cache/...` without
XDG; a private folder, 0700, and file, 0600, as `wizard.core.paths.private_cache_folder` makes them; nothing is
cached with DEPLOY_WIZARD_NO_CACHE=1), and lets `wizard.core.cost` use them in place of the bundled us-east-1
table. A cache younger than seven days is reused without asking AWS. When the API cannot be used (no
credentials, no network, no prices), it falls back to an older cache or to the bundled table and says so, with
the date of the prices used, in the note it returns; it never raises.

boto3 is imported only inside the functions that call AWS: the core must stay fast to import.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from wizard.core import cost
from wizard.core.paths import cache_dir, private_cache_folder

CACHE_SCHEMA = 1
CACHE_MAX_AGE = timedelta(days=7)
CACHE_FOLDER = "live-prices"
PRICING_ENDPOINT_REGIONS = ("us-east-1", "eu-central-1", "ap-south-1")
"""The regions that serve the Pricing API (any of them answers for every region)."""
MAX_PAGES = 10
SANITY_FACTOR = 5.0
"""A live price more than five times above or below the bundled one is taken for a parsing error and dropped."""

_PREFIX = r"^(?:[A-Z]{2,4}\d-|EU-)?"
"""The region prefix of a usage type (`EUW2-`, `USE1-`, the old `EU-`); us-east-1 often has none. Requiring the
digit keeps look-alikes such as `TS-LoadBalancerUsage` (traffic shaping) out."""


@dataclass(frozen=True)
class _Query:
    service_code: str
    filters: tuple[tuple[str, str, str], ...]
    """(type, field, value) besides the region filter."""
    rules: tuple[tuple[str, re.Pattern[str]], ...]
    """(price key, usagetype pattern); EC2 instance keys come from the bundled instance table instead."""


def _instance_keys() -> dict[str, str]:
    """Return the price key of every EC2 type the estimator can pick (`t3.micro` -> `ec2_t3_micro_hour`)."""
    return {name: str(spec["price"]) for name, spec in cost.price_table()["instance_types"].items()}


def _queries() -> tuple[_Query, ...]:
    instance_types = ",".join(sorted(_instance_keys()))
    return (
        _Query(
            "AmazonECS",
            (("TERM_MATCH", "productFamily", "Compute"),),
            (
                ("fargate_vcpu_hour", re.compile(_PREFIX + r"Fargate-vCPU-Hours:perCPU$")),
                ("fargate_gb_hour", re.compile(_PREFIX + r"Fargate-GB-Hours$")),
            ),
        ),
        _Query(
            "AmazonEC2",
            (
                ("TERM_MATCH", "productFamily", "Compute Instance"),
                ("TERM_MATCH", "operatingSystem", "Linux"),
                ("TERM_MATCH", "tenancy", "Shared"),
                ("TERM_MATCH", "preInstalledSw", "NA"),
                ("TERM_MATCH", "capacitystatus", "Used"),
                ("TERM_MATCH", "licenseModel", "No License required"),
                ("ANY_OF", "instanceType", instance_types),
            ),
            (),
        ),
        _Query(
            "AmazonEC2",
            (("TERM_MATCH", "productFamily", "NAT Gateway"),),
            (
                ("nat_gateway_hour", re.compile(_PREFIX + r"NatGateway-Hours$")),
                ("nat_gateway_gb", re.compile(_PREFIX + r"NatGateway-Bytes$")),
            ),
        ),
        _Query(
            "AWSELB",
            (("TERM_MATCH", "productFamily", "Load Balancer-Application"),),
            (
                ("alb_hour", re.compile(_PREFIX + r"LoadBalancerUsage$")),
                ("alb_lcu_hour", re.compile(_PREFIX + r"LCUUsage$")),
            ),
        ),
        _Query(
            "AmazonVPC",
            (),
            (
                ("public_ipv4_hour", re.compile(_PREFIX + r"PublicIPv4:InUseAddress$")),
                ("vpc_interface_endpoint_hour", re.compile(_PREFIX + r"VpcEndpoint-Hours$")),
            ),
        ),
    )


@dataclass(frozen=True)
class LivePrices:
    """Prices of one region with the time they were fetched from the Pricing API."""

    region: str
    fetched: datetime
    prices: dict[str, float]
    gaps: tuple[str, ...] = ()
    """What the refresh could not use (refused queries, implausible values); those prices stay bundled."""

    def age(self, now: datetime) -> timedelta:
        """Return how old the prices are at `now`."""
        return now - self.fetched

    def fresh(self, now: datetime) -> bool:
        """Return whether the prices are younger than seven days (and not from the future)."""
        return timedelta(0) <= self.age(now) < CACHE_MAX_AGE


# --- parsing --------------------------------------------------------------------------------------------


def on_demand_usd(item: dict[str, Any]) -> float | None:
    """Return the on-demand USD price per unit of one PriceList product (its first paid tier), or None."""
    tiers: list[tuple[float, float]] = []
    for term in item.get("terms", {}).get("OnDemand", {}).values():
        for dim in term.get("priceDimensions", {}).values():
            usd = dim.get("pricePerUnit", {}).get("USD")
            if usd is None:
                continue
            try:
                tiers.append((float(dim.get("beginRange", "0")), float(usd)))
            except ValueError:
                continue
    paid = [price for _, price in sorted(tiers) if price > 0]
    return paid[0] if paid else None


def classify(query: _Query, attributes: dict[str, Any]) -> str | None:
    """Return the price key a product stands for, or None when the estimate does not use it."""
    usagetype = str(attributes.get("usagetype", ""))
    if query.service_code == "AmazonEC2" and not query.rules:
        instance = str(attributes.get("instanceType", ""))
        keys = _instance_keys()
        if (
            instance in keys
            and usagetype.endswith(f"BoxUsage:{instance}")
            and attributes.get("operation", "RunInstances") == "RunInstances"
        ):
            return keys[instance]
        return None
    for key, pattern in query.rules:
        if pattern.match(usagetype):
            return key
    return None


def parse_price_list(query: _Query, price_list: list[str]) -> dict[str, float]:
    """Parse the `PriceList` JSON strings of a GetProducts answer into {price key: USD}; first match wins."""
    found: dict[str, float] = {}
    for raw in price_list:
        try:
            item = json.loads(raw)
        except (TypeError, ValueError):
            continue
        if not isinstance(item, dict):
            continue
        key = classify(query, item.get("product", {}).get("attributes", {}))
        if key is None or key in found:
            continue
        price = on_demand_usd(item)
        if price is not None:
            found[key] = price
    return found


def sane(prices: dict[str, float]) -> tuple[dict[str, float], list[str]]:
    """Drop prices far from the bundled ones (a sign of a misread product); return them and the dropped keys."""
    bundled = cost.price_table()["prices"]
    kept: dict[str, float] = {}
    dropped: list[str] = []
    for key, value in prices.items():
        base = float(bundled[key]["price"])
        if base / SANITY_FACTOR <= value <= base * SANITY_FACTOR:
            kept[key] = value
        else:
            dropped.append(key)
    return kept, dropped


# --- the API --------------------------------------------------------------------------------------------


def pricing_endpoint_region(region: str) -> str:
    """Return the Pricing API region closest to `region` (the API lives in three regions only)."""
    if region.startswith("cn-"):
        return "cn-northwest-1"
    if region.startswith(("eu-", "me-", "af-", "il-")):
        return "eu-central-1"
    if region.startswith("ap-"):
        return "ap-south-1"
    return "us-east-1"


def _pages(client: Any, query: _Query, region: str) -> Iterator[list[str]]:
    filters = [{"Type": "TERM_MATCH", "Field": "regionCode", "Value": region}]
    filters += [{"Type": t, "Field": f, "Value": v} for t, f, v in query.filters]
    params: dict[str, Any] = {
        "ServiceCode": query.service_code,
        "Filters": filters,
        "FormatVersion": "aws_v1",
        "MaxResults": 100,
    }
    for _ in range(MAX_PAGES):
        answer = client.get_products(**params)
        yield list(answer.get("PriceList", []))
        token = answer.get("NextToken")
        if not token:
            return
        params["NextToken"] = token


def fetch_prices(region: str, client: Any) -> tuple[dict[str, float], list[str]]:
    """Query the Pricing API for the region's prices; return them and the queries AWS refused.

    Missing credentials and network failures raise (nothing else would work either); a query that AWS
    refuses (an unknown filter, say) is skipped and named, and the other queries still count.
    """
    from wizard.preflight.aws import explain

    prices: dict[str, float] = {}
    refused: list[str] = []
    for query in _queries():
        wanted = {key for key, _ in query.rules} or set(_instance_keys().values())
        try:
            for page in _pages(client, query, region):
                for key, value in parse_price_list(query, page).items():
                    prices.setdefault(key, value)
                if wanted <= prices.keys():
                    break
        except Exception as exc:
            if explain(exc, "query the AWS Pricing API").kind in ("credentials", "network"):
                raise
            refused.append(query.service_code)
    return prices, refused


# --- cache ----------------------------------------------------------------------------------------------


def cache_path(region: str) -> Path | None:
    """Return the cache file of a region's prices, or None when caching is off or the folder is not private."""
    folder = private_cache_folder(CACHE_FOLDER)
    return None if folder is None else folder / f"{region}.json"


def load_cache(region: str) -> LivePrices | None:
    """Return the cached prices of a region, or None when there are none or the file is unreadable."""
    path = cache_path(region)
    if path is None:
        return None
    try:
        if path.stat().st_uid != os.getuid():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("schema") != CACHE_SCHEMA or data.get("region") != region:
            return None
        fetched = datetime.fromisoformat(str(data["fetched"]))
        if fetched.tzinfo is None:
            fetched = fetched.replace(tzinfo=UTC)
        known = cost.price_table()["prices"]
        prices = {str(k): float(v) for k, v in dict(data["prices"]).items() if k in known}
        gaps = tuple(str(g) for g in data.get("gaps", []))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return LivePrices(region, fetched, prices, gaps) if prices else None


def save_cache(live: LivePrices) -> Path | None:
    """Write the prices atomically to the cache (a 0600 file); return the path, or None when caching is off.

    Raises OSError when the cache folder is not writable.
    """
    path = cache_path(live.region)
    if path is None:
        return None
    data = {
        "schema": CACHE_SCHEMA,
        "region": live.region,
        "fetched": live.fetched.isoformat(timespec="seconds"),
        "source": f"AWS Pricing API GetProducts ({pricing_endpoint_region(live.region)}), on-demand USD",
        "prices": dict(sorted(live.prices.items())),
        "gaps": list(live.gaps),
    }
    fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)  # mkstemp: mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, indent=2)
            handle.write("\n")
        Path(tmp).replace(path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


# --- applying -------------------------------------------------------------------------------------------


def apply(live: LivePrices) -> None:
    """Make the cost estimate use these prices (and say so in its notes)."""
    reset()
    cost.LIVE_PRICES.update(live.prices)
    cost.LIVE_NOTES.append(
        f"{live.region} on-demand prices for {len(live.prices)} items (Fargate, EC2, ALB, NAT gateway, IPv4) "
        f"from the AWS Pricing API, fetched {live.fetched.date().isoformat()}; the rest are us-east-1 list "
        f"prices checked {cost.price_table()['checked']}; data transfer out not included"
    )


def reset() -> None:
    """Return the cost estimate to the bundled table."""
    cost.LIVE_PRICES.clear()
    cost.LIVE_NOTES.clear()


def _bundled_text() -> str:
    return f"the bundled us-east-1 price table (checked {cost.price_table()['checked']})"


def _days(delta: timedelta) -> str:
    days = delta.days
    return "today" if days <= 0 else ("1 day old" if days == 1 else f"{days} days old")


def use_live_prices(
    region: str,
    *,
    now: datetime | None = None,
    on_client: Callable[[str, str, Any], None] | None = None,
) -> str:
    """Use the region's live prices for the estimates; return a one-line note saying where the prices came from.

    Never raises: without credentials or network it falls back (to an older cache, else the bundled table).
    """
    from wizard.core.answers import region_table

    reset()
    now = now or datetime.now(UTC)
    if region not in region_table()["aws"]:
        return (
            f"live prices: {region} is not an AWS region, and the AWS Pricing API knows only AWS regions; "
            f"using {_bundled_text()}"
        )
    cached = load_cache(region)
    if cached is not None and cached.fresh(now):
        apply(cached)
        return (
            f"live prices: {len(cached.prices)} {region} prices from the cache {cache_path(region)} "
            f"(fetched {cached.fetched.date().isoformat()}, {_days(cached.age(now))}; refreshed after "
            f"{CACHE_MAX_AGE.days} days)" + "".join(f" ({gap})" for gap in cached.gaps)
        )
    try:
        found, refused = _fetch(region, on_client)
    except Exception as exc:  # any failure falls back; the note explains it
        return _fallback(region, _why(exc), cached, now)
    prices, dropped = sane(found)
    if not prices:
        return _fallback(region, f"the AWS Pricing API returned no usable prices for {region}", cached, now)
    gaps: list[str] = []
    if dropped:
        gaps.append(f"ignored implausible values for {', '.join(dropped)}")
    if refused:
        gaps.append(f"AWS refused the {', '.join(refused)} queries; those prices are bundled")
    live = LivePrices(region, now.replace(microsecond=0), prices, tuple(gaps))
    apply(live)
    note = f"live prices: {len(prices)} {region} prices from the AWS Pricing API, fetched {now.date().isoformat()}"
    note += "".join(f" ({gap})" for gap in gaps)
    try:
        path = save_cache(live)
    except OSError as exc:
        return note + f" (not cached: {exc.strerror or exc})"
    if path is None:
        return note + (
            f" (not cached: caching is off (DEPLOY_WIZARD_NO_CACHE), or {cache_dir() / CACHE_FOLDER} is not a "
            "private folder of this user)"
        )
    return note + f", cached in {path}"


def _fetch(
    region: str, on_client: Callable[[str, str, Any], None] | None
) -> tuple[dict[str, float], list[str]]:
    from wizard.preflight.aws import Aws

    aws = Aws.connect(on_client=on_client)
    return fetch_prices(region, aws.client("pricing", pricing_endpoint_region(region)))


def _why(exc: Exception) -> str:
    from wizard.preflight.aws import explain

    problem = explain(exc, "query the AWS Pricing API")
    if problem.kind == "credentials":
        return f"{problem.message} (the Pricing API needs AWS credentials: run `aws configure` or set AWS_PROFILE)"
    if problem.kind == "denied":
        return f"{problem.message} (allow pricing:GetProducts)"
    return problem.message


def _fallback(region: str, why: str, cached: LivePrices | None, now: datetime) -> str:
    if cached is not None:
        apply(cached)
        return (
            f"live prices: {why}; using the older cached {region} prices from "
            f"{cached.fetched.date().isoformat()} ({_days(cached.age(now))}, {cache_path(region)})"
        )
    return f"live prices: {why}; falling back to {_bundled_text()}"
