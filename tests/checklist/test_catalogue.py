"""The checklist catalogue as data: size, required fields, valid references and conditions."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from wizard.core import paths
from wizard.core.answers import parse_answers
from wizard.core.blueprints import load_blueprints
from wizard.core.checklist import (
    ALL_BLUEPRINTS,
    BLUEPRINT_IDS,
    CATALOGUE_FILE,
    CATEGORIES,
    ML_LENS_FRAMEWORK,
    SEVERITIES,
    Catalogue,
    ChecklistDataError,
    load_catalogue,
)
from wizard.core.conditions import validate_condition
from wizard.core.records import dump
from wizard.core.render import condition_values
from wizard.core.yamlio import load_yaml_file

CATALOGUE = load_catalogue()
ITEMS = CATALOGUE.items


def sample_values(blueprint: str = "ecs_fargate") -> dict[str, Any]:
    return condition_values(parse_answers({"project": {"name": "demo"}}), load_blueprints()[blueprint])


def test_at_least_sixty_items() -> None:
    assert len(ITEMS) >= 60


def test_ids_are_unique_and_well_formed() -> None:
    ids = [item.id for item in ITEMS]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[A-Z0-9]+-\d{2}", i) for i in ids)


@pytest.mark.parametrize("item", ITEMS, ids=lambda i: i.id)
def test_every_item_has_all_fields(item: Any) -> None:
    assert item.title and not item.title.endswith(".")
    assert item.why.endswith(".") and len(item.why) >= 40, "why: the risk in plain words, full sentences"
    assert item.severity in SEVERITIES
    assert item.category in CATEGORIES
    assert item.your_action.strip(), "every item says what a person must do when it is not automated"
    refs = item.references
    assert refs.well_architected or refs.cis or refs.checkov or refs.regulations or refs.other


@pytest.mark.parametrize("item", ITEMS, ids=lambda i: i.id)
def test_well_architected_ids_carry_their_framework_version(item: Any) -> None:
    for ref in item.references.well_architected:
        if ref.id.startswith("MLSEC-"):
            assert ref.framework == ML_LENS_FRAMEWORK == CATALOGUE.frameworks.ml_lens
        else:
            assert re.fullmatch(r"(SEC|REL|OPS|COST)\d{2}-BP\d{2}", ref.id)
            assert ref.framework == CATALOGUE.frameworks.well_architected == "2024-06-27"


def test_references_cover_the_regimes() -> None:
    regs = [r for item in ITEMS for r in item.references.regulations]
    for prefix in ("HIPAA 45 CFR 164.", "GDPR Art. ", "PCI DSS v4.0 ", "SOC 2 "):
        assert any(r.startswith(prefix) for r in regs), prefix
    assert any(item.references.cis for item in ITEMS)
    assert any(item.references.checkov for item in ITEMS)


@pytest.mark.parametrize("blueprint", BLUEPRINT_IDS)
def test_conditions_name_known_keys_and_operators(blueprint: str) -> None:
    values = sample_values(blueprint)
    for item in ITEMS:
        validate_condition(item.when, values)
        for step in item.escalate:
            validate_condition(step.when, values)
            assert SEVERITIES.index(step.to) < SEVERITIES.index(item.severity), (
                f"{item.id} escalates downwards"
            )
        for automation in item.automated_by.values():
            for evidence in automation.evidence:
                validate_condition(evidence.when, values)
                if evidence.equals_value:
                    evidence.expected(values)  # the dotted key exists


def test_every_category_and_severity_is_used() -> None:
    assert {item.category for item in ITEMS} == set(CATEGORIES)
    assert {item.severity for item in ITEMS} == set(SEVERITIES)


def test_automated_and_planned_blueprints_do_not_overlap() -> None:
    for item in ITEMS:
        overlap = set(item.planned) & set(item.automated_by)
        assert not overlap, f"{item.id}: planned and automated for {overlap}"


def test_automated_claims_name_evidence_and_only_known_blueprints() -> None:
    for item in ITEMS:
        for blueprint, automation in item.automated_by.items():
            assert blueprint in (*BLUEPRINT_IDS, ALL_BLUEPRINTS)
            assert automation.summary.strip()
            assert automation.evidence


def test_blueprints_without_templates_claim_nothing_but_the_common_app() -> None:
    """No unproven claims: the Kubernetes templates have not landed yet (App Runner's and Beanstalk's have, and
    tests/checklist/test_proof.py renders profiles of both to prove their claims)."""
    for item in ITEMS:
        assert "kubernetes" not in item.automated_by, item.id


def test_app_runner_controls_are_explicit_because_checkov_has_none() -> None:
    """Checkov has no App Runner checks, so every App Runner control is an explicit item that says so.

    An automated APR item is proven by parsing an `aws_apprunner_*` resource or a reference to one (never by
    checkov alone), and its summary says what checkov does not cover.
    """
    app_runner_items = [i for i in ITEMS if i.id.startswith("APR-")]
    assert len(app_runner_items) >= 8
    for item in app_runner_items:
        assert item.when and "app_runner" in str(item.when)
        assert set(item.automated_by) <= {"app_runner"}, item.id
        if item.id != "APR-08":
            assert any(
                "no checkov check exists for aws_apprunner_service" in o for o in item.references.other
            )
        automation = item.automated_by.get("app_runner")
        if automation is not None:
            assert any(
                (e.resource or "").startswith("aws_apprunner_") or "aws_apprunner_" in str(e.contains)
                for e in automation.evidence
            ), item.id
            assert "no checkov check covers aws_apprunner_service" in automation.summary.lower(), item.id
    # The log groups App Runner creates itself are outside Terraform: that control stays with a person.
    assert not next(i for i in app_runner_items if i.id == "APR-07").automated_by
    texts = " ".join(f"{i.title} {i.your_action}" for i in app_runner_items)
    for control in (
        "encryption_configuration",
        "is_publicly_accessible",
        "vpc_connector",
        "runtime_environment_secrets",
        "instance_role_arn",
        "aws_wafv2_web_acl_association",
        "retention_in_days",
        "auto_deployments_enabled",
        "health_check_configuration",
    ):
        assert control in texts, control


def test_a_malformed_catalogue_is_reported_with_the_item() -> None:
    raw = dump(CATALOGUE, by_alias=True, json=True)
    raw["items"][0]["references"]["well_architected"] = [{"id": "SEC01-BP02", "framework": "latest"}]
    with pytest.raises(ValueError, match="revision date"):
        Catalogue.model_validate(raw)
    assert issubclass(ChecklistDataError, Exception)


def test_the_catalogue_round_trips_through_plain_data() -> None:
    assert Catalogue.model_validate(dump(CATALOGUE, by_alias=True, json=True)) == CATALOGUE


def _set(path: tuple[Any, ...], value: Any) -> Any:
    def mutate(raw: dict[str, Any]) -> None:
        *head, last = path
        target: Any = raw
        for key in head:
            target = target[key]
        target[last] = value

    return mutate


def _drop(path: tuple[Any, ...]) -> Any:
    def mutate(raw: dict[str, Any]) -> None:
        *head, last = path
        target: Any = raw
        for key in head:
            target = target[key]
        del target[last]

    return mutate


def _set_evidence(evidence: list[Any]) -> Any:
    def mutate(raw: dict[str, Any]) -> None:
        item = next(i for i in raw["items"] if i.get("automated_by"))
        next(iter(item["automated_by"].values()))["evidence"] = evidence

    return mutate


EVIDENCE_AT = "items.2.automated_by.ecs_fargate.evidence"
# The messages of a broken catalogue: the same wording the catalogue had as pydantic models (the first problem,
# its dotted location, the item id).
BROKEN = {
    "bad enum": (_set(("items", 0, "severity"), "urgent"), "items.0.severity (item IAM-01): Input should be 'critical', 'high', 'medium' or 'low'"),
    "wrong type": (_set(("items", 0, "title"), 12345678901), "items.0.title (item IAM-01): Input should be a valid string"),
    "unknown key": (_set(("items", 2, "colour"), "red"), "items.2.colour (item IAM-03): Extra inputs are not permitted"),
    "unknown top-level key": (_set(("extra",), 1), "extra: Extra inputs are not permitted"),
    "missing field": (_drop(("items", 1, "why")), "items.1.why (item IAM-02): Field required"),
    "missing schema": (_drop(("schema",)), "schema: Field required"),
    "wrong schema": (_set(("schema",), 2), "schema: Input should be 1"),
    "short text": (_set(("items", 0, "why"), "Too short."), "items.0.why (item IAM-01): String should have at least 40 characters"),
    "bad id": (_set(("items", 0, "id"), "iam-1"), "items.0.id (item iam-1): String should match pattern '^[A-Z0-9]+-\\d{2}$'"),
    "id with a newline": (_set(("items", 0, "id"), "IAM-01\n"), "items.0.id (item IAM-01\n): String should match pattern"),
    "unversioned WA id": (_set(("items", 0, "references", "well_architected"), [{"id": "SEC01-BP02", "framework": "latest"}]), "items.0.references.well_architected.0 (item IAM-01): Value error, SEC01-BP02: framework must be the pillar's revision date (YYYY-MM-DD)"),
    "bad CIS id": (_set(("items", 0, "references", "cis"), ["1.4", "one"]), "items.0.references.cis (item IAM-01): Value error, not CIS control ids: ['one']"),
    "no reference": (_set(("items", 0, "references"), {}), "items.0 (item IAM-01): Value error, needs at least one reference"),
    "unknown blueprint": (_set(("items", 0, "planned"), ["lambda"]), "items.0.planned (item IAM-01): Value error, planned names unknown blueprints ['lambda']"),
    "not a boolean": (_set(("items", 0, "aws_only"), 2), "items.0.aws_only (item IAM-01): Input should be a valid boolean, unable to interpret input"),
    "not a list": (_set(("items", 0, "planned"), "ecs_fargate"), "items.0.planned (item IAM-01): Input should be a valid tuple"),
    "empty evidence": (_set_evidence([]), f"{EVIDENCE_AT} (item IAM-03): Tuple should have at least 1 item after validation, not 0"),
    "two evidence kinds": (_set_evidence([{"file": "a.tf", "resource": "x", "module": "y", "attribute": "z"}]), f"{EVIDENCE_AT}.0 (item IAM-03): Value error, evidence for a.tf needs exactly one kind, found ['resource', 'module']"),
    "bad regex": (_set_evidence([{"file": "Dockerfile", "instruction": "USER", "matches": "(["}]), f"{EVIDENCE_AT}.0 (item IAM-03): Value error, evidence for Dockerfile: matches is not a valid regex"),
    "not a mapping": (_set(("items", 0), "IAM-01"), "items.0 (item ?): Input should be a valid dictionary or instance of CatalogueItem"),
    "duplicate id": (_set(("items", 1, "id"), "IAM-01"), ": Value error, item id IAM-01 appears twice"),
}  # fmt: skip


@pytest.mark.parametrize("case", BROKEN, ids=str)
def test_a_broken_catalogue_file_names_the_key_and_the_item(
    case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mutate, message = BROKEN[case]
    raw = copy.deepcopy(load_yaml_file(paths.data_file(CATALOGUE_FILE)))
    mutate(raw)
    broken = tmp_path / "checklist.yaml"
    broken.write_text(yaml.safe_dump(raw, sort_keys=False))
    real = paths.data_file
    monkeypatch.setattr(paths, "data_file", lambda name: broken if name == CATALOGUE_FILE else real(name))
    load_catalogue.cache_clear()
    try:
        with pytest.raises(ChecklistDataError) as caught:
            load_catalogue()
    finally:
        monkeypatch.undo()
        load_catalogue.cache_clear()
    assert str(caught.value).startswith(f"{broken}: {message}")


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [(("items", 0, "aws_only"), "yes", True), (("items", 0, "aws_only"), 1.0, True), (("schema",), True, 1)],
)
def test_the_catalogue_takes_what_yaml_means(path: tuple[Any, ...], value: Any, expected: Any) -> None:
    """Lax like the pydantic models were: yes/1.0 for true, lists for tuples (the YAML file has only lists)."""
    raw = dump(CATALOGUE, by_alias=True, json=True)
    _set(path, value)(raw)
    catalogue = Catalogue.model_validate(raw)
    assert (catalogue.items[0].aws_only if path[0] == "items" else catalogue.schema_) == expected
    assert isinstance(catalogue.items, tuple) and isinstance(catalogue.items[0].references.cis, tuple)
