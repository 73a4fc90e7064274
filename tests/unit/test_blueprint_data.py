"""The bundled blueprint files load, cite their facts and match the researched reference numbers."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml

from wizard.core import paths
from wizard.core.answers import Answers
from wizard.core.blueprints import REQUIRED_COMPLIANCE, REQUIRED_LIMITS, Blueprint, load_blueprints
from wizard.core.conditions import matches, validate_condition
from wizard.errors import BlueprintDataError

IDS = ["app_runner", "ecs_fargate", "elastic_beanstalk", "kubernetes"]
FACT_ID = re.compile(r"\bF\d+[a-z]?\b")


@pytest.fixture(scope="module")
def blueprints() -> dict[str, Blueprint]:
    return load_blueprints()


def _values(**changes: object) -> dict:
    """Return the answer values of `project: {name: demo}` plus the given dotted keys (others default)."""
    raw: dict = {"project": {"name": "demo"}}
    for dotted, value in changes.items():
        *parents, leaf = dotted.split(".")
        target = raw
        for part in parents:
            target = target.setdefault(part, {})
        target[leaf] = value
    return Answers.model_validate(raw).values()


def _naive_score(bp: Blueprint, values: dict) -> float:
    """Base plus every matching rule's weight; the engine may clamp or combine differently."""
    return bp.fit.base + sum(rule.weight for rule in bp.fit.rules if matches(rule.when, values))


# --- loading ---------------------------------------------------------------------------------------------


def test_all_four_load_in_order(blueprints: dict[str, Blueprint]) -> None:
    assert list(blueprints) == IDS
    assert [bp.order for bp in blueprints.values()] == [1, 2, 3, 4]


def test_clouds_and_runtimes(blueprints: dict[str, Blueprint]) -> None:
    for bp_id in IDS[:3]:
        assert blueprints[bp_id].clouds == ("aws", "any")
    k8s = blueprints["kubernetes"]
    assert set(k8s.clouds) == {"aws", "any", "gcp", "azure", "multi"}
    assert k8s.runtime("aws") == "Amazon EKS"
    assert "GKE" in k8s.runtime("gcp")
    assert "AKS" in k8s.runtime("azure")
    for bp in blueprints.values():
        assert set(bp.runtime_by_cloud) == set(bp.clouds)


def test_every_fact_has_source_and_checked_date(blueprints: dict[str, Blueprint]) -> None:
    for bp in blueprints.values():
        assert bp.facts, bp.id
        for key, fact in bp.facts.items():
            assert fact.text.strip(), (bp.id, key)
            assert fact.source.startswith("https://"), (bp.id, key)
            assert isinstance(fact.checked, date), (bp.id, key)
            if FACT_ID.fullmatch(key):
                assert fact.ref == key, (bp.id, key)


def test_every_fact_id_mentioned_is_defined() -> None:
    """Notes and reasons cite reference ids (F17, ...); each must be defined under `facts`."""
    for bp_id in IDS:
        path = paths.blueprints_dir() / f"{bp_id}.yaml"
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        facts = data.pop("facts")
        mentioned = set(FACT_ID.findall(yaml.safe_dump(data)))
        assert mentioned <= set(facts), (bp_id, sorted(mentioned - set(facts)))


def test_limits_and_compliance_complete(blueprints: dict[str, Blueprint]) -> None:
    for bp in blueprints.values():
        assert set(bp.limits) == set(REQUIRED_LIMITS)
        assert set(bp.compliance) == set(REQUIRED_COMPLIANCE)


# --- lifecycle -------------------------------------------------------------------------------------------


def test_app_runner_closed_to_new_customers(blueprints: dict[str, Blueprint]) -> None:
    life = blueprints["app_runner"].lifecycle
    assert life.status == "closed_to_new_customers"
    assert life.since == date(2026, 4, 30)
    assert life.eligible_only_if == "platform.existing_app_runner"
    assert life.alternative == "ecs_fargate"
    assert "Express Mode" in life.note
    assert life.fact == "F1"
    validate_condition({life.eligible_only_if: True}, _values())


def test_other_blueprints_active(blueprints: dict[str, Blueprint]) -> None:
    for bp_id in IDS[1:]:
        assert blueprints[bp_id].lifecycle.status == "active"
        assert blueprints[bp_id].lifecycle.eligible_only_if is None


# --- limits match aws-facts.md ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bp_id", "vcpu", "memory", "gpu", "fact"),
    [
        ("app_runner", 4, 12, False, "F17"),
        ("ecs_fargate", 16, 120, False, "F10"),
        ("elastic_beanstalk", None, None, True, "F19"),
        ("kubernetes", None, None, True, "F20"),
    ],
)
def test_size_and_gpu_limits(
    blueprints: dict[str, Blueprint], bp_id: str, vcpu: int | None, memory: int | None, gpu: bool, fact: str
) -> None:
    bp = blueprints[bp_id]
    assert bp.limit("max_vcpu").value == vcpu
    assert bp.limit("max_memory_gb").value == memory
    assert bp.limit("gpu").value is gpu
    assert bp.limit("max_vcpu").fact == fact
    assert bp.fact_for_limit("max_memory_gb").ref == fact


def test_app_runner_connection_limits(blueprints: dict[str, Blueprint]) -> None:
    bp = blueprints["app_runner"]
    assert bp.limit("long_lived_connections").value is False
    assert bp.limit("max_request_seconds").value == 120
    assert bp.limit("govcloud").value is False
    assert bp.limit("scale_to_zero").value is False
    for other in IDS[1:]:
        assert blueprints[other].limit("long_lived_connections").value is True
        assert blueprints[other].limit("max_request_seconds").value is None


def test_beanstalk_gpu_note_mentions_custom_ami(blueprints: dict[str, Blueprint]) -> None:
    assert "custom AMI" in blueprints["elastic_beanstalk"].limit("gpu").note


# --- compliance ------------------------------------------------------------------------------------------


def test_compliance_statuses(blueprints: dict[str, Blueprint]) -> None:
    assert blueprints["app_runner"].compliance["hipaa"].status == "not_eligible"
    assert blueprints["ecs_fargate"].compliance["hipaa"].status == "eligible"
    assert blueprints["kubernetes"].compliance["hipaa"].status == "eligible"
    assert blueprints["elastic_beanstalk"].compliance["hipaa"].status == "caveat"
    for bp in blueprints.values():
        gdpr = bp.compliance["gdpr"]
        assert gdpr.status == "eligible"
        assert "region" in gdpr.note
        for regime in bp.compliance.values():
            assert regime.note


# --- fit rules, cost, templates --------------------------------------------------------------------------


def test_conditions_are_valid(blueprints: dict[str, Blueprint]) -> None:
    values = _values()
    for bp in blueprints.values():
        for rule in bp.fit.rules:
            validate_condition(rule.when, values)
            assert -1 <= rule.weight <= 1 and rule.weight != 0
            assert re.search(r"\([a-z_]+\.[a-z_]+", rule.reason), (bp.id, rule.reason)
        for template in bp.templates:
            validate_condition(template.when, values)


def test_templates(blueprints: dict[str, Blueprint]) -> None:
    for bp_id in IDS[:3]:
        assert [(t.set, t.when) for t in blueprints[bp_id].templates] == [
            ("common", None),
            ("aws", None),
            (bp_id, None),
            ("ci", None),
        ]
    sets = [t.set for t in blueprints["kubernetes"].templates]
    assert sets == ["common", "k8s", "aws", "eks", "gke", "aks", "ci"]
    k8s = blueprints["kubernetes"].templates

    def rendered(cloud: str) -> list[str]:
        values = _values(**{"platform.cloud": cloud})
        return [t.set for t in k8s if matches(t.when, values)]

    assert rendered("aws") == ["common", "k8s", "aws", "eks", "ci"]
    assert rendered("gcp") == ["common", "k8s", "gke", "ci"]
    assert rendered("azure") == ["common", "k8s", "aks", "ci"]
    assert rendered("multi") == ["common", "k8s", "aws", "eks", "gke", "aks", "ci"]


def test_cost_models(blueprints: dict[str, Blueprint]) -> None:
    assert blueprints["app_runner"].cost.model == "app_runner"
    assert blueprints["app_runner"].cost.load_balancer is False
    assert blueprints["app_runner"].cost.nat is False
    assert blueprints["ecs_fargate"].cost.model == "fargate"
    assert blueprints["elastic_beanstalk"].cost.model == "ec2_asg"
    assert blueprints["kubernetes"].cost.model == "kubernetes"
    assert [bp.cost.control_plane for bp in blueprints.values()] == [False, False, False, True]


def test_levels_and_lists(blueprints: dict[str, Blueprint]) -> None:
    for bp in blueprints.values():
        assert 4 <= len(bp.pros) <= 6, bp.id
        assert 4 <= len(bp.cons) <= 6, bp.id
    assert blueprints["kubernetes"].ops_burden.level > blueprints["ecs_fargate"].ops_burden.level
    assert blueprints["kubernetes"].lock_in.level < blueprints["ecs_fargate"].lock_in.level


def _ranking(blueprints: dict[str, Blueprint], **changes: object) -> list[str]:
    values = _values(**changes)
    scores = {bp_id: _naive_score(bp, values) for bp_id, bp in blueprints.items()}
    return sorted(scores, key=lambda k: -scores[k])


def test_default_answers_prefer_ecs_then_beanstalk(blueprints: dict[str, Blueprint]) -> None:
    """AWS's guidance (F43): ECS on Fargate by default, EKS only with a reason for Kubernetes."""
    ranking = [b for b in _ranking(blueprints) if b != "app_runner"]  # not eligible by default
    assert ranking == ["ecs_fargate", "elastic_beanstalk", "kubernetes"]


@pytest.mark.parametrize(
    ("changes", "first"),
    [
        ({"budget.monthly_usd": 30}, "elastic_beanstalk"),
        ({"workload.traffic_pattern": "batch"}, "ecs_fargate"),
        ({"platform.ops_experience": "dedicated"}, "ecs_fargate"),
        ({"platform.existing_kubernetes": True}, "kubernetes"),
        ({"platform.existing_kubernetes": True, "platform.ops_experience": "dedicated"}, "kubernetes"),
    ],
)
def test_rules_move_the_ranking(blueprints: dict[str, Blueprint], changes: dict, first: str) -> None:
    ranking = [b for b in _ranking(blueprints, **changes) if b != "app_runner"]
    assert ranking[0] == first


def test_no_ops_experience_weighs_against_kubernetes(blueprints: dict[str, Blueprint]) -> None:
    values = _values(**{"platform.ops_experience": "none"})
    assert _naive_score(blueprints["kubernetes"], values) < 0.1
    assert _ranking(blueprints, **{"platform.ops_experience": "none"})[-1] == "kubernetes"


def test_gpu_prefers_kubernetes_over_beanstalk(blueprints: dict[str, Blueprint]) -> None:
    values = _values(**{"workload.gpu": True})
    k8s, beanstalk = blueprints["kubernetes"], blueprints["elastic_beanstalk"]
    assert _naive_score(k8s, values) > _naive_score(beanstalk, values)


# --- data-driven loading ---------------------------------------------------------------------------------


def _bundled_data(bp_id: str) -> dict:
    return yaml.safe_load((paths.blueprints_dir() / f"{bp_id}.yaml").read_text(encoding="utf-8"))


def test_fifth_blueprint_from_a_directory(tmp_path: Path) -> None:
    for bp_id in IDS:
        data = _bundled_data(bp_id)
        (tmp_path / f"{bp_id}.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    fifth = _bundled_data("ecs_fargate")
    fifth.update(id="ecs_express", name="Amazon ECS Express Mode", order=5)
    fifth["templates"] = [{"set": "common"}, {"set": "aws"}, {"set": "ecs_express"}]
    (tmp_path / "ecs_express.yaml").write_text(yaml.safe_dump(fifth), encoding="utf-8")

    loaded = load_blueprints(tmp_path)
    assert list(loaded) == [*IDS, "ecs_express"]
    assert loaded["ecs_express"].limit("max_vcpu").value == 16


def test_malformed_blueprint_names_the_file(tmp_path: Path) -> None:
    data = _bundled_data("kubernetes")
    del data["limits"]["gpu"]
    path = tmp_path / "kubernetes.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(BlueprintDataError, match=r"kubernetes\.yaml.*gpu"):
        load_blueprints(tmp_path)


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("id: broken\nname: [unclosed\n", "cannot read"),
        ("- a list\n", "must be a mapping"),
        ("id: broken\nid: broken\n", "cannot read"),
    ],
)
def test_unreadable_blueprint_names_the_file(tmp_path: Path, text: str, match: str) -> None:
    (tmp_path / "broken.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(BlueprintDataError, match=rf"broken\.yaml.*{match}"):
        load_blueprints(tmp_path)


def test_dangling_fact_reference(tmp_path: Path) -> None:
    data = _bundled_data("app_runner")
    data["limits"]["max_vcpu"]["fact"] = "F999"
    (tmp_path / "app_runner.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(BlueprintDataError, match=r"app_runner\.yaml.*F999"):
        load_blueprints(tmp_path)


def test_id_must_match_file_name(tmp_path: Path) -> None:
    (tmp_path / "renamed.yaml").write_text(yaml.safe_dump(_bundled_data("app_runner")), encoding="utf-8")
    with pytest.raises(BlueprintDataError, match=r"renamed\.yaml.*must match"):
        load_blueprints(tmp_path)


def test_empty_directory(tmp_path: Path) -> None:
    with pytest.raises(BlueprintDataError, match="no blueprint files"):
        load_blueprints(tmp_path)
