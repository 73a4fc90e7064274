"""Provides the monthly cost estimate per blueprint from the dated price table `wizard/data/prices.yaml`.

The estimate is a production range: `low` is the scaled-in floor (minimum replicas, light traffic), `high` is
peak load all month. Each part is a named driver so a consultant can explain the number. Prices are us-east-1
list prices; other regions and other clouds are estimated with them and the notes say so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import Any

from wizard.core import paths
from wizard.core.answers import Answers
from wizard.core.blueprints import Blueprint
from wizard.core.posture import Posture
from wizard.core.sizing import Sizing
from wizard.core.yamlio import load_yaml_file

# Average load as a share of peak, per traffic pattern (drives the low end of logs, WAF and App Runner).
AVERAGE_SHARE = {"steady": 0.6, "spiky": 0.25, "batch": 0.05, "scheduled": 0.05}
LOG_BYTES_PER_REQUEST = 400
SECONDS_PER_MONTH = 730 * 3600
INTERFACE_ENDPOINTS = ("ecr.api", "ecr.dkr", "logs", "secretsmanager", "sts", "kms")
SINGLE_INSTANCE_BUDGET = 60
"""Below this monthly budget Elastic Beanstalk runs one instance without a load balancer (if the data allows)."""


@dataclass(frozen=True)
class CostDriver:
    """One named part of the monthly estimate."""

    name: str
    low: float
    high: float
    detail: str


@dataclass(frozen=True)
class CostEstimate:
    """A monthly low/high estimate in USD with its drivers and caveats."""

    low: int
    high: int
    drivers: tuple[CostDriver, ...]
    notes: tuple[str, ...]

    def to_json(self) -> dict[str, int]:
        """Return the contract's `monthly_cost_usd` object."""
        return {"low": self.low, "high": self.high}


@cache
def price_table() -> dict[str, Any]:
    """Return the bundled price table."""
    table: dict[str, Any] = load_yaml_file(paths.data_file("prices.yaml"))
    return table


LIVE_PRICES: dict[str, float] = {}
"""Regional prices that override the bundled table (set by `wizard.core.live_prices`; empty: bundled only)."""
LIVE_NOTES: list[str] = []
"""Notes that replace the bundled-price notes while LIVE_PRICES is in use (where the prices came from)."""


def _p(name: str) -> float:
    if name in LIVE_PRICES:
        return LIVE_PRICES[name]
    return float(price_table()["prices"][name]["price"])


def _hours() -> float:
    return float(price_table()["hours_per_month"])


def single_instance(answers: Answers, posture: Posture) -> bool:
    """Return whether Elastic Beanstalk should run one instance without a load balancer (tiny budget)."""
    return (
        answers.budget.monthly_usd < SINGLE_INSTANCE_BUDGET
        and not posture.sensitive
        and not answers.workload.gpu
        and answers.workload.traffic_pattern != "spiky"
    )


def pick_instance(vcpu: float, memory_mb: int, gpu: bool) -> str:
    """Return the cheapest listed EC2 type with the vCPU, memory (plus 512 MB for the OS) and GPU needed."""
    types = price_table()["instance_types"]
    fitting = [
        (_p(spec["price"]), name)
        for name, spec in types.items()
        if spec["vcpu"] >= vcpu and spec["memory_mb"] >= memory_mb + 512 and bool(spec.get("gpus")) == gpu
    ]
    if not fitting:
        return "g5.xlarge" if gpu else "t3.2xlarge"
    return str(min(fitting)[1])


def pick_sagemaker_instance(answers: Answers) -> str:
    """Return the SageMaker instance type for the model size and GPU need."""
    types = price_table()["sagemaker_instance_types"]
    needed = answers.workload.model_size_mb * 2 + 1024
    fitting = [
        (spec["price"], name)
        for name, spec in types.items()
        if spec["memory_mb"] >= needed and bool(spec.get("gpus")) == answers.workload.gpu
    ]
    return (
        str(min(fitting)[1]) if fitting else ("ml.g5.12xlarge" if answers.workload.gpu else "ml.m5.4xlarge")
    )


def _month(hourly: float) -> float:
    return hourly * _hours()


class _Builder:
    def __init__(self) -> None:
        self.drivers: list[CostDriver] = []

    def add(self, name: str, low: float, high: float, detail: str) -> None:
        if low or high:
            self.drivers.append(CostDriver(name, round(low, 2), round(high, 2), detail))


def _kubernetes_clusters(answers: Answers) -> tuple[str, ...]:
    cloud = answers.platform.cloud
    return {"gcp": ("gke",), "azure": ("aks",), "multi": ("eks", "gke", "aks")}.get(cloud, ("eks",))


def estimate(answers: Answers, blueprint: Blueprint, sizing: Sizing, posture: Posture) -> CostEstimate:
    """Return the monthly production cost range of running the answers on a blueprint."""
    b = _Builder()
    w = answers.workload
    model = blueprint.cost.model
    clusters = _kubernetes_clusters(answers) if model == "kubernetes" else ("aws",)
    copies = len(clusters)
    avg_rps = w.peak_rps * AVERAGE_SHARE[w.traffic_pattern]
    lo_n, hi_n = sizing.min_replicas, sizing.peak_replicas
    gb = sizing.memory_gb
    notes: list[str] = []

    if model == "fargate":
        per_hour = sizing.vcpu * _p("fargate_vcpu_hour") + gb * _p("fargate_gb_hour")
        b.add(
            "compute (Fargate tasks)",
            _month(per_hour) * lo_n,
            _month(per_hour) * hi_n,
            f"{lo_n}-{hi_n} tasks of {sizing.vcpu:g} vCPU / {gb:g} GB, 24x7",
        )
    elif model == "app_runner":
        active = {"steady": 0.6, "spiky": 0.25, "batch": 0.05, "scheduled": 0.05}[w.traffic_pattern]
        mem = gb * _p("app_runner_gb_hour")
        cpu = sizing.vcpu * _p("app_runner_active_vcpu_hour")
        b.add(
            "compute (App Runner instances)",
            _month(mem + cpu * active) * lo_n,
            _month(mem + cpu) * hi_n,
            f"{lo_n}-{hi_n} instances of {sizing.vcpu:g} vCPU / {gb:g} GB; memory billed while provisioned, "
            f"vCPU only while active (about {active:.0%} of the time at the low end)",
        )
    elif model == "ec2_asg":
        itype = pick_instance(sizing.vcpu, sizing.memory_mb, sizing.gpu_count > 0)
        spec = price_table()["instance_types"][itype]
        per_hour = _p(spec["price"]) + 8 * _p("ebs_gp3_gb_month") / _hours()
        lo_i = 1 if single_instance(answers, posture) else lo_n
        b.add(
            f"compute (EC2 {itype} instances)",
            _month(per_hour) * lo_i,
            _month(per_hour) * hi_n,
            f"{lo_i}-{hi_n} instances of {itype} with an 8 GB gp3 volume",
        )
    elif model == "kubernetes":
        for cluster in clusters:
            if cluster == "eks":
                fee = _month(_p("eks_cluster_hour"))
                b.add("EKS control plane", fee, fee, "$0.10 per cluster-hour (standard support)")
            elif cluster == "gke":
                fee = max(0.0, _month(_p("gke_cluster_hour")) - _p("gke_free_credit_month"))
                b.add("GKE cluster fee", fee, fee, "$0.10 per cluster-hour, less the $74.40 monthly credit")
            else:
                fee = _month(_p("aks_standard_cluster_hour"))
                b.add("AKS Standard tier", fee, fee, "uptime SLA tier, per cluster-hour")
        node = "t3.xlarge"
        nspec = price_table()["instance_types"][node]
        node_hour = _p(nspec["price"]) + 20 * _p("ebs_gp3_gb_month") / _hours()

        def general_nodes(replicas: int) -> int:
            cpu_nodes = math.ceil(
                replicas * (0 if sizing.gpu_count else sizing.vcpu) / (nspec["vcpu"] * 0.75)
            )
            mem_nodes = math.ceil(
                replicas * (0 if sizing.gpu_count else sizing.memory_mb) / (nspec["memory_mb"] * 0.75)
            )
            return int(max(2, cpu_nodes, mem_nodes))

        lo_nodes, hi_nodes = general_nodes(lo_n), general_nodes(hi_n)
        b.add(
            f"worker nodes ({node})",
            _month(node_hour) * lo_nodes * copies,
            _month(node_hour) * hi_nodes * copies,
            f"{lo_nodes}-{hi_nodes} nodes per cluster (two at least, for zones and system pods)"
            + (f", x{copies} clusters" if copies > 1 else ""),
        )
        if sizing.gpu_count:
            gpu_hour = _p("ec2_g5_xlarge_hour")
            b.add(
                "GPU nodes (g5.xlarge)",
                _month(gpu_hour) * lo_n * copies,
                _month(gpu_hour) * hi_n * copies,
                f"{lo_n}-{hi_n} single-GPU nodes (NVIDIA A10G), one replica each",
            )
        if answers.platform.cloud in ("gcp", "azure", "multi"):
            notes.append(
                "GKE/AKS nodes and networking are estimated with the AWS equivalents (same order of magnitude)"
            )

    if answers.components.model_hosting == "sagemaker":
        itype = pick_sagemaker_instance(answers)
        price = price_table()["sagemaker_instance_types"][itype]["price"]
        b.add(
            f"SageMaker endpoint ({itype})",
            _month(price) * 1,
            _month(price) * max(2, math.ceil(hi_n / 2)),
            "the real-time endpoint that serves the model, scaled by invocations",
        )

    single = model == "ec2_asg" and single_instance(answers, posture)
    if blueprint.cost.load_balancer and not single:
        lcu_hi = max(1.0, w.peak_rps / 25)
        lb_lo = _month(_p("alb_hour") + _p("alb_lcu_hour")) + 2 * _month(_p("public_ipv4_hour"))
        lb_hi = _month(_p("alb_hour") + _p("alb_lcu_hour") * lcu_hi) + 2 * _month(_p("public_ipv4_hour"))
        b.add(
            "load balancer (ALB)",
            lb_lo * copies,
            lb_hi * copies,
            f"1-{lcu_hi:.0f} LCU, two public IPv4 addresses",
        )
    if single:
        ip = _month(_p("public_ipv4_hour"))
        b.add("public IPv4 address", ip, ip, "the single instance's address (no load balancer)")
        notes.append("single-instance Elastic Beanstalk (tiny budget): no load balancer, no redundancy")

    needs_private_egress = blueprint.cost.nat or (
        model == "app_runner" and answers.components.database == "postgres"
    )
    if needs_private_egress and not single:
        if posture.egress == "endpoints":
            hourly = len(INTERFACE_ENDPOINTS) * 2 * _p("vpc_interface_endpoint_hour")
            b.add(
                "VPC interface endpoints",
                _month(hourly) * copies,
                _month(hourly) * copies,
                f"{len(INTERFACE_ENDPOINTS)} endpoints in 2 zones instead of a NAT gateway (no internet egress)",
            )
        else:
            gw = _month(_p("nat_gateway_hour"))
            b.add(
                "NAT gateways",
                2 * gw * copies + 10 * _p("nat_gateway_gb"),
                2 * gw * copies + 100 * _p("nat_gateway_gb"),
                "one per zone (prod), plus 10-100 GB processed",
            )

    if answers.components.database == "postgres":
        storage = 20 * _p("rds_gp3_gb_month")
        lo_class = "rds_t4g_small_hour" if posture.regulated else "rds_t4g_micro_hour"
        lo_az = 2 if posture.regulated else 1
        hi_class = "rds_t4g_medium_hour" if w.peak_rps >= 500 else "rds_t4g_small_hour"
        b.add(
            "PostgreSQL (RDS)",
            (_month(_p(lo_class)) + storage) * lo_az,
            (_month(_p(hi_class)) + storage) * 2,
            "db.t4g instance with 20 GB gp3; Multi-AZ doubles it (always for regulated data and prod)",
        )
        b.add(
            "Secrets Manager",
            _p("secrets_manager_secret_month"),
            _p("secrets_manager_secret_month"),
            "the database master secret managed by RDS",
        )

    if answers.components.frontend:
        b.add(
            "frontend (S3 + CloudFront)",
            1 * _p("s3_gb_month"),
            1 * _p("s3_gb_month") + 100 * _p("cloudfront_gb"),
            "1 GB of static files; traffic within the 1 TB CloudFront free tier at the low end",
        )

    if posture.waf:
        fixed = _p("waf_web_acl_month") + 4 * _p("waf_rule_month")
        requests_lo = avg_rps * SECONDS_PER_MONTH / 1e6 * _p("waf_million_requests")
        requests_hi = w.peak_rps * 0.6 * SECONDS_PER_MONTH / 1e6 * _p("waf_million_requests")
        b.add(
            "AWS WAF", fixed + requests_lo, fixed + requests_hi, "one web ACL with four managed rule groups"
        )

    log_lo = avg_rps * SECONDS_PER_MONTH * LOG_BYTES_PER_REQUEST / 1e9 * _p("cloudwatch_logs_gb")
    log_hi = w.peak_rps * 0.6 * SECONDS_PER_MONTH * LOG_BYTES_PER_REQUEST / 1e9 * _p("cloudwatch_logs_gb")
    b.add(
        "logs (CloudWatch)",
        log_lo + 1,
        log_hi + 1,
        f"about {LOG_BYTES_PER_REQUEST} bytes of JSON log per request",
    )
    keys = 3 + (answers.components.database == "postgres") + answers.components.frontend
    b.add("KMS keys", keys * _p("kms_key_month"), keys * _p("kms_key_month"), f"{keys} customer-managed keys")
    if answers.components.domain:
        b.add("Route 53 hosted zone", _p("route53_zone_month"), _p("route53_zone_month"), "one public zone")

    if LIVE_PRICES:
        notes.extend(LIVE_NOTES)
    elif answers.platform.region != "us-east-1" and answers.platform.cloud in ("aws", "any", "multi"):
        notes.append(
            f"priced with us-east-1 list prices; {answers.platform.region} usually lists 0-30 % higher "
            "(use --live-prices for the region's own prices)"
        )
    if not LIVE_PRICES:
        notes.append(
            f"us-east-1 on-demand list prices checked {price_table()['checked']}; data transfer out not included"
        )
    low = sum(d.low for d in b.drivers)
    high = sum(d.high for d in b.drivers)
    return CostEstimate(
        low=math.floor(low), high=math.ceil(high), drivers=tuple(b.drivers), notes=tuple(notes)
    )
