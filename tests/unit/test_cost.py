"""Cost estimates checked against hand calculations from wizard/data/prices.yaml (us-east-1, 730 h)."""

from __future__ import annotations

from typing import Any

import pytest

from wizard.core.answers import Answers, parse_answers
from wizard.core.blueprints import load_blueprints
from wizard.core.cost import CostEstimate, estimate, pick_instance, price_table
from wizard.core.posture import derive_posture
from wizard.core.sizing import size_workload


def answers(**sections: Any) -> Answers:
    data: dict[str, Any] = {"project": {"name": "demo"}}
    data.update(sections)
    return parse_answers(data)


def cost_of(a: Answers, blueprint: str) -> CostEstimate:
    return estimate(a, load_blueprints()[blueprint], size_workload(a), derive_posture(a))


def driver(cost: CostEstimate, prefix: str) -> tuple[float, float]:
    [d] = [d for d in cost.drivers if d.name.startswith(prefix)]
    return d.low, d.high


def test_price_table_is_dated_and_sourced() -> None:
    table = price_table()
    assert table["region"] == "us-east-1" and table["hours_per_month"] == 730
    for name, price in table["prices"].items():
        assert price["source"].startswith("https://"), name
        assert price["checked"], name
        assert price.get("ref") or price.get("verify"), f"{name}: cite the reference or mark it verify"


def test_default_sizing_by_hand() -> None:
    # 100 MB model: 5 + 0.2*100 = 25 ms per prediction -> 40 rps per worker; 20 rps / (40*0.7) -> 1 worker.
    s = size_workload(answers())
    assert (s.vcpu, s.memory_mb, s.workers, s.min_replicas, s.peak_replicas) == (0.5, 1024, 1, 2, 2)
    assert s.max_replicas == 3


def test_fargate_default_profile_by_hand() -> None:
    c = cost_of(answers(), "ecs_fargate")
    # 2 tasks x (0.5 vCPU x 0.04048 + 1 GB x 0.004445) x 730 = 36.04
    assert driver(c, "compute") == pytest.approx((36.04, 36.04), abs=0.01)
    # ALB 0.0225 + 1 LCU 0.008 per hour, plus 2 public IPv4 at 0.005 per hour: (0.0305 + 0.01) x 730 = 29.565
    assert driver(c, "load balancer") == pytest.approx((29.57, 29.57), abs=0.01)
    # 2 NAT gateways x 0.045 x 730 = 65.70, plus 10 / 100 GB x 0.045
    assert driver(c, "NAT") == pytest.approx((66.15, 70.20), abs=0.01)
    # logs: 12 rps average x 2,628,000 s x 400 B = 12.61 GB x $0.50 + $1 floor = 7.31
    assert driver(c, "logs") == pytest.approx((7.31, 7.31), abs=0.01)
    assert driver(c, "KMS") == (3.0, 3.0)
    assert (c.low, c.high) == (142, 147)


def test_regulated_data_uses_vpc_endpoints_instead_of_nat() -> None:
    a = answers(data={"sensitivity": "regulated", "compliance": ["hipaa"]})
    c = cost_of(a, "ecs_fargate")
    # 6 interface endpoints x 2 zones x $0.01 x 730 = 87.60
    assert driver(c, "VPC interface endpoints") == pytest.approx((87.6, 87.6))
    assert not [d for d in c.drivers if d.name.startswith("NAT")]
    # WAF: $5 web ACL + 4 rules x $1, plus requests (12 rps average x 2.628 M s = 31.5 M x $0.60)
    assert driver(c, "AWS WAF")[0] == pytest.approx(9 + 12 * 2.628 * 0.6, abs=0.01)


def test_postgres_by_hand() -> None:
    c = cost_of(answers(components={"database": "postgres"}), "ecs_fargate")
    # low: db.t4g.micro 0.016 x 730 = 11.68 + 20 GB x 0.115 = 2.30 -> 13.98, single-AZ
    # high: db.t4g.small 0.032 x 730 = 23.36 + 2.30 -> 25.66, Multi-AZ x 2 = 51.32
    assert driver(c, "PostgreSQL") == pytest.approx((13.98, 51.32), abs=0.01)
    assert driver(c, "Secrets Manager") == (0.4, 0.4)


def test_app_runner_existing_customer_by_hand() -> None:
    a = answers(platform={"existing_app_runner": True})
    c = cost_of(a, "app_runner")
    # 2 instances of 0.5 vCPU / 1 GB: memory 1 x 0.007, vCPU 0.5 x 0.064 = 0.032 active.
    # low: steady traffic is active 60 % of the time: (0.007 + 0.032 x 0.6) x 730 x 2 = 38.25
    # high: fully active: (0.007 + 0.032) x 730 x 2 = 56.94
    assert driver(c, "compute") == pytest.approx((38.25, 56.94), abs=0.01)
    assert not [d for d in c.drivers if d.name.startswith(("load balancer", "NAT"))]


def test_beanstalk_single_instance_for_a_tiny_budget() -> None:
    a = answers(budget={"monthly_usd": 40}, data={"sensitivity": "public"})
    c = cost_of(a, "elastic_beanstalk")
    # t3.small (2 GB >= 1024 + 512): 0.0208 x 730 = 15.18 + 8 GB gp3 x 0.08 = 0.64 -> 15.82 for one instance
    assert pick_instance(0.5, 1024, gpu=False) == "t3.small"
    assert driver(c, "compute")[0] == pytest.approx(15.82, abs=0.01)
    assert driver(c, "public IPv4") == pytest.approx((3.65, 3.65))
    assert not [d for d in c.drivers if d.name.startswith(("load balancer", "NAT"))]
    assert any("single-instance" in n for n in c.notes)


def test_eks_gpu_by_hand() -> None:
    a = answers(workload={"gpu": True, "peak_rps": 50})
    s = size_workload(a)
    c = cost_of(a, "kubernetes")
    assert driver(c, "EKS control plane") == pytest.approx((73.0, 73.0))
    # one g5.xlarge per replica: 1.006 x 730 = 734.38 each
    gpu_low, gpu_high = driver(c, "GPU nodes")
    assert gpu_low == pytest.approx(734.38 * s.min_replicas, abs=0.01)
    assert gpu_high == pytest.approx(734.38 * s.peak_replicas, abs=0.01)


def test_gke_first_cluster_is_covered_by_the_free_credit() -> None:
    c = cost_of(answers(platform={"cloud": "gcp"}), "kubernetes")
    assert not [d for d in c.drivers if d.name.startswith("GKE cluster fee")]  # 73.00 - 74.40 < 0
    assert any("AWS equivalents" in n for n in c.notes)


def test_multi_cloud_prices_three_clusters() -> None:
    single = cost_of(answers(), "kubernetes")
    multi = cost_of(answers(platform={"cloud": "multi"}), "kubernetes")
    assert driver(multi, "worker nodes")[0] == pytest.approx(3 * driver(single, "worker nodes")[0], abs=0.02)


def test_other_region_says_prices_are_us_east_1() -> None:
    c = cost_of(answers(platform={"region": "eu-west-1"}), "ecs_fargate")
    assert any("eu-west-1" in n and "us-east-1" in n for n in c.notes)


def test_low_never_exceeds_high() -> None:
    for extra in (
        {},
        {"workload": {"peak_rps": 2000, "traffic_pattern": "spiky"}},
        {"workload": {"peak_rps": 0, "traffic_pattern": "batch"}},
    ):
        a = answers(**extra)
        for bp in load_blueprints():
            c = cost_of(a, bp)
            assert 0 < c.low <= c.high
