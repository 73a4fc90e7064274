"""The recommendation engine: one test per blocker rule, named after the fact it encodes, plus ranking rules."""

from __future__ import annotations

from typing import Any

import pytest

from wizard.core.answers import Answers, parse_answers
from wizard.core.blueprints import load_blueprints
from wizard.core.engine import recommend, resolve_blueprint
from wizard.errors import AnswersError


def answers(**sections: Any) -> Answers:
    data: dict[str, Any] = {"project": {"name": "demo"}}
    data.update(sections)
    return parse_answers(data)


def blockers(a: Answers, blueprint: str) -> list[str]:
    return [b.text for b in recommend(a).get(blueprint).blockers]


def blocker_keys(a: Answers, blueprint: str) -> list[str]:
    return [b.key for b in recommend(a).get(blueprint).blockers]


def test_ranking_holds_all_four_eligible_first_best_first() -> None:
    rec = recommend(answers())
    ids = [a.blueprint for a in rec.ranking]
    assert sorted(ids) == ["app_runner", "ecs_fargate", "elastic_beanstalk", "kubernetes"]
    eligible = [a.eligible for a in rec.ranking]
    assert eligible == sorted(eligible, reverse=True)
    scores = [a.score for a in rec.ranking if a.eligible]
    assert scores == sorted(scores, reverse=True)
    assert all(0.0 <= a.score <= 1.0 for a in rec.ranking)


def test_aws_default_guidance_prefers_ecs_over_eks_F43() -> None:
    rec = recommend(answers())
    assert rec.recommended == "ecs_fargate"
    assert rec.get("ecs_fargate").score > rec.get("kubernetes").score


def test_deterministic() -> None:
    a = answers(workload={"peak_rps": 300, "traffic_pattern": "spiky"}, data={"pii": True})
    assert recommend(a).to_json() == recommend(a).to_json()


def test_app_runner_closed_to_new_customers_F1() -> None:
    [text] = blockers(answers(), "app_runner")
    assert "closed to new customers since 2026-04-30" in text and "platform.existing_app_runner" in text
    assert blocker_keys(answers(), "app_runner") == ["platform.existing_app_runner"]


def test_app_runner_eligible_for_existing_customers_F1() -> None:
    rec = recommend(answers(platform={"existing_app_runner": True}))
    assert rec.get("app_runner").eligible


def test_gpu_rules_out_fargate_F12() -> None:
    a = answers(workload={"gpu": True})
    text = " ".join(blockers(a, "ecs_fargate"))
    assert "needs a GPU (workload.gpu: true)" in text and "F12" in text


def test_gpu_rules_out_app_runner_F17() -> None:
    a = answers(workload={"gpu": True}, platform={"existing_app_runner": True})
    assert "workload.gpu" in blocker_keys(a, "app_runner")


def test_gpu_keeps_kubernetes_eligible_F20() -> None:
    rec = recommend(answers(workload={"gpu": True}))
    assert rec.get("kubernetes").eligible
    assert rec.recommended in ("kubernetes", "elastic_beanstalk")


def test_gpu_served_by_sagemaker_needs_no_gpu_in_the_api_tier() -> None:
    rec = recommend(answers(workload={"gpu": True}, components={"model_hosting": "sagemaker"}))
    assert rec.get("ecs_fargate").eligible
    assert rec.recommended == "ecs_fargate"


def test_model_over_120_gb_rules_out_fargate_F10() -> None:
    a = answers(workload={"model_size_mb": 70_000})  # ~137 GB loaded
    assert "workload.model_size_mb" in blocker_keys(a, "ecs_fargate")
    assert "at most 120 GB" in " ".join(blockers(a, "ecs_fargate"))


def test_model_over_12_gb_rules_out_app_runner_F17() -> None:
    a = answers(workload={"model_size_mb": 8_000}, platform={"existing_app_runner": True})  # ~16 GB loaded
    assert "workload.model_size_mb" in blocker_keys(a, "app_runner")
    assert recommend(a).get("ecs_fargate").eligible


def test_small_model_fits_app_runner_F17() -> None:
    a = answers(workload={"model_size_mb": 2_000}, platform={"existing_app_runner": True})
    assert recommend(a).get("app_runner").eligible


def test_websockets_rule_out_app_runner_F22() -> None:
    a = answers(workload={"long_lived_connections": True}, platform={"existing_app_runner": True})
    assert blocker_keys(a, "app_runner") == ["workload.long_lived_connections"]
    assert recommend(a).get("ecs_fargate").eligible


def test_hipaa_rules_out_app_runner_F29() -> None:
    a = answers(data={"compliance": ["hipaa"]}, platform={"existing_app_runner": True})
    assert blocker_keys(a, "app_runner") == ["data.compliance"]
    assert "HIPAA" in blockers(a, "app_runner")[0]


def test_hipaa_keeps_ecs_and_eks_F30() -> None:
    rec = recommend(answers(data={"sensitivity": "regulated", "pii": True, "compliance": ["hipaa"]}))
    assert rec.get("ecs_fargate").eligible and rec.get("kubernetes").eligible
    assert rec.recommended == "ecs_fargate"


def test_fedramp_rules_out_services_missing_from_govcloud_F24() -> None:
    a = answers(
        data={"compliance": ["fedramp"]}, platform={"existing_app_runner": True, "region": "us-gov-west-1"}
    )
    assert "data.compliance" in blocker_keys(a, "app_runner")


def test_govcloud_region_rules_out_app_runner_F24() -> None:
    a = answers(platform={"existing_app_runner": True, "region": "us-gov-east-1"})
    assert "platform.region" in blocker_keys(a, "app_runner")


def test_fedramp_outside_govcloud_warns() -> None:
    rec = recommend(answers(data={"compliance": ["fedramp"]}))
    warnings = " ".join(w for a in rec.ranking for w in a.warnings)
    assert "us-gov-east-1" in warnings


@pytest.mark.parametrize("cloud", ["gcp", "azure", "multi"])
def test_other_clouds_leave_only_kubernetes(cloud: str) -> None:
    rec = recommend(answers(platform={"cloud": cloud}))
    assert rec.recommended == "kubernetes"
    for bp in ("app_runner", "ecs_fargate", "elastic_beanstalk"):
        assert "platform.cloud" in blocker_keys(answers(platform={"cloud": cloud}), bp)


def test_kubernetes_runtime_follows_the_cloud() -> None:
    assert "GKE" in recommend(answers(platform={"cloud": "gcp"})).get("kubernetes").runtime
    assert "AKS" in recommend(answers(platform={"cloud": "azure"})).get("kubernetes").runtime
    assert "EKS" in recommend(answers()).get("kubernetes").runtime


def test_no_ops_experience_weighs_hard_against_kubernetes() -> None:
    some = recommend(answers()).get("kubernetes").score
    none = recommend(answers(platform={"ops_experience": "none"})).get("kubernetes").score
    assert none <= some - 0.2


def test_existing_kubernetes_weighs_for_it() -> None:
    base = recommend(answers()).get("kubernetes").score
    existing = recommend(answers(platform={"existing_kubernetes": True, "ops_experience": "dedicated"}))
    assert existing.get("kubernetes").score >= base + 0.2


def test_budget_below_cheapest_is_a_warning_with_numbers() -> None:
    rec = recommend(answers(budget={"monthly_usd": 5}))
    assert rec.recommended is not None
    [warning] = [w for w in rec.warnings if w.startswith("budget")]
    assert "$5" in warning and "cheapest eligible setup starts at about $" in warning


def test_nothing_eligible_names_what_to_relax() -> None:
    catalogue = load_blueprints()
    subset = {k: catalogue[k] for k in ("app_runner", "ecs_fargate")}
    rec = recommend(answers(workload={"gpu": True}), subset)
    assert rec.recommended is None
    assert rec.relax == ("platform.existing_app_runner", "workload.gpu")
    assert rec.to_json()["recommended"] is None
    assert "relax one of: platform.existing_app_runner, workload.gpu" in rec.warnings[0]


def test_resolve_blueprint_refuses_ruled_out_override_naming_both_keys() -> None:
    a = answers(workload={"gpu": True}, blueprint="app_runner")
    with pytest.raises(AnswersError) as info:
        resolve_blueprint(a)
    assert "blueprint: app_runner is ruled out by" in str(info.value)


def test_resolve_blueprint_cli_override_wins() -> None:
    chosen, _ = resolve_blueprint(answers(), "elastic_beanstalk")
    assert chosen == "elastic_beanstalk"


def test_recommend_json_shape_matches_the_contract() -> None:
    data = recommend(answers()).to_json()
    assert data["schema"] == 1 and data["recommended"] == "ecs_fargate"
    assert len(data["ranking"]) == 4
    for entry in data["ranking"]:
        assert {"blueprint", "eligible", "score", "reasons", "blockers", "monthly_cost_usd"} <= set(entry)
        assert set(entry["monthly_cost_usd"]) == {"low", "high"}
        assert entry["monthly_cost_usd"]["low"] <= entry["monthly_cost_usd"]["high"]
        if not entry["eligible"]:
            assert entry["score"] == 0.0 and entry["blockers"]
