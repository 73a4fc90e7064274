"""The question catalogue stays in step with the answers model: keys, order, defaults, choices, conditions."""

from __future__ import annotations

import dataclasses
import json
import typing
from typing import Any

import pytest
import yaml

from wizard.core.answers import DEFAULT_REGION, Answers, Platform, region_table
from wizard.core.conditions import validate_condition
from wizard.core.questions import Catalogue, Question, allowed_text, catalogue, render_catalogue
from wizard.core.records import Record, field_specs

CONTRACT_KEYS = [
    "project.name",
    "project.description",
    "workload.peak_rps",
    "workload.traffic_pattern",
    "workload.latency_p95_ms",
    "workload.model_size_mb",
    "workload.gpu",
    "workload.long_lived_connections",
    "data.sensitivity",
    "data.pii",
    "data.compliance",
    "platform.cloud",
    "platform.region",
    "platform.ops_experience",
    "platform.existing_kubernetes",
    "platform.existing_app_runner",
    "components.database",
    "components.frontend",
    "components.model_hosting",
    "components.ci",
    "components.domain",
    "budget.monthly_usd",
    "blueprint",
]
SECTIONS = ["project", "workload", "data", "platform", "components", "budget", "blueprint"]


class _Leaf(typing.NamedTuple):
    """One leaf field of a record: its type, constraints and default (`dataclasses.MISSING` when it has none)."""

    annotation: Any
    rules: dict[str, Any]
    default: Any

    def is_required(self) -> bool:
        return self.default is dataclasses.MISSING


def _leaf_fields(model: type[Record], prefix: str = "") -> dict[str, _Leaf]:
    """Return {dotted key: _Leaf} for every leaf field of a record, in declaration order."""
    leaves: dict[str, _Leaf] = {}
    for _name, key, annotation, rules, default in field_specs(model):
        if isinstance(annotation, type) and issubclass(annotation, Record):
            leaves.update(_leaf_fields(annotation, prefix + key + "."))
        else:
            leaves[prefix + key] = _Leaf(annotation, rules, default)
    return leaves


def _field_default(model: type[Record], name: str) -> Any:
    return next(default for n, _key, _kind, _rules, default in field_specs(model) if n == name)


LEAVES = {k: f for k, f in _leaf_fields(Answers).items() if k != "schema"}


@pytest.fixture(scope="module")
def cat() -> Catalogue:
    return catalogue()


def _lookup(values: dict[str, Any], dotted: str) -> Any:
    for part in dotted.split("."):
        values = values[part]
    return values


def _literal_values(annotation: Any) -> tuple[str, ...]:
    """Return the Literal values of `Literal[...]` or `tuple[Literal[...], ...]`."""
    if typing.get_origin(annotation) is tuple:
        annotation = typing.get_args(annotation)[0]
    assert typing.get_origin(annotation) is typing.Literal, annotation
    return typing.get_args(annotation)


def _minimum(field: _Leaf) -> int | None:
    if "ge" in field.rules:
        return int(field.rules["ge"])
    if "gt" in field.rules:
        return int(field.rules["gt"]) + 1
    return None


def test_catalogue_loads(cat: Catalogue) -> None:
    assert cat.schema_ == 1
    assert [s.id for s in cat.sections] == SECTIONS
    for section in cat.sections:
        assert section.title and section.intro


def test_keys_are_the_answers_leaves_in_contract_order(cat: Catalogue) -> None:
    keys = [q.key for q in cat.questions]
    assert keys == list(LEAVES)
    assert keys == CONTRACT_KEYS
    assert len(set(keys)) == len(keys)


def test_sections_follow_the_key(cat: Catalogue) -> None:
    for question in cat.questions:
        assert question.section == question.key.split(".")[0]
    assert cat.in_section("platform")[0].key == "platform.cloud"


def test_defaults_match_the_model(cat: Catalogue) -> None:
    values = Answers.model_validate({"project": {"name": "demo"}}).values()
    for question in cat.questions:
        if question.key == "project.name":
            assert question.default is None
            assert LEAVES["project.name"].is_required()
        elif question.key == "platform.region":
            # "" means "follows the cloud"; the model fills it in from platform.cloud.
            assert question.default == "" == _field_default(Platform, "region")
            assert values["platform"]["region"] == DEFAULT_REGION["aws"]
        else:
            assert question.default == _lookup(values, question.key), question.key


def test_types_match_the_model(cat: Catalogue) -> None:
    for question in cat.questions:
        annotation = LEAVES[question.key].annotation
        if annotation is bool:
            assert question.type == "boolean", question.key
        elif annotation is int:
            assert question.type == "integer", question.key
        elif annotation is str:
            assert question.type in ("string", "text"), question.key
        elif typing.get_origin(annotation) is tuple:
            assert question.type == "multi_choice", question.key
        else:
            assert question.type == "choice", question.key
    assert cat.by_key("project.name").type == "string"
    assert cat.by_key("project.description").type == "text"


def test_choice_values_are_the_literals(cat: Catalogue) -> None:
    for question in cat.questions:
        if question.type in ("choice", "multi_choice"):
            assert question.choice_values() == _literal_values(LEAVES[question.key].annotation), question.key
            for choice in question.choices:
                assert choice.label.strip() and choice.help.strip(), (question.key, choice.value)
        else:
            assert question.choices == (), question.key


def test_limits_match_the_model(cat: Catalogue) -> None:
    for question in cat.questions:
        if question.type == "integer":
            assert question.minimum == _minimum(LEAVES[question.key]), question.key
    assert cat.by_key("project.description").max_length == 200
    assert cat.by_key("project.name").max_length == 40


def test_ask_when_conditions_are_valid(cat: Catalogue) -> None:
    values = Answers.model_validate({"project": {"name": "demo"}}).values()
    for question in cat.questions:
        validate_condition(question.ask_when, values)
        assert bool(question.ask_when) == bool(question.ask_when_text), question.key


@pytest.mark.parametrize("key", ["components.model_hosting", "platform.existing_app_runner"])
def test_aws_only_questions(cat: Catalogue, key: str) -> None:
    question = cat.by_key(key)
    asked = {
        cloud: question.is_asked(
            Answers.model_validate({"project": {"name": "demo"}, "platform": {"cloud": cloud}}).values()
        )
        for cloud in ("aws", "any", "gcp", "azure", "multi")
    }
    assert asked == {"aws": True, "any": True, "gcp": False, "azure": False, "multi": False}


@pytest.mark.parametrize("key", ["data.compliance", "components.domain", "components.ci", "platform.region"])
def test_always_asked(cat: Catalogue, key: str) -> None:
    assert cat.by_key(key).ask_when is None


def test_codepipeline_help_says_aws_only(cat: Catalogue) -> None:
    choice = next(c for c in cat.by_key("components.ci").choices if c.value == "codepipeline")
    assert "aws or any" in choice.help


def test_help_texts_are_substantial(cat: Catalogue) -> None:
    for question in cat.questions:
        assert question.prompt.strip(), question.key
        assert len(question.help) >= 120 and question.help.rstrip().endswith("."), question.key
        assert 2 <= question.help.count(". ") + 1 <= 5, question.key
        assert question.allowed.strip(), question.key


def test_help_quotes_the_reference_numbers(cat: Catalogue) -> None:
    assert "4 vCPU / 12 GB" in cat.by_key("workload.model_size_mb").help
    assert "16 vCPU / 120 GB" in cat.by_key("workload.model_size_mb").help
    assert "2026-04-30" in cat.by_key("platform.existing_app_runner").help
    assert "120" in cat.by_key("workload.long_lived_connections").help


def test_region_question_explains_the_default(cat: Catalogue) -> None:
    question = cat.by_key("platform.region")
    for region in DEFAULT_REGION.values():
        assert region in question.allowed
        assert region in question.help


def test_allowed_text_for_error_messages() -> None:
    assert allowed_text("workload.traffic_pattern") == "steady | spiky | batch | scheduled"
    assert allowed_text("data.compliance") == "any of: hipaa | gdpr | pci_dss | soc2 | fedramp"
    assert allowed_text("workload.peak_rps") == "an integer >= 0"
    assert allowed_text("no.such.key") == "see `wizard questions`"


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_render_catalogue(fmt: str) -> None:
    text = render_catalogue(fmt)
    data = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    assert data["schema"] == 1
    assert [q["key"] for q in data["questions"]] == CONTRACT_KEYS


def test_question_model_rejects_unknown_fields() -> None:
    with pytest.raises(ValueError, match="extra"):
        Question.model_validate(
            {
                "key": "x.y",
                "section": "x",
                "prompt": "p",
                "help": "h",
                "type": "string",
                "default": "",
                "allowed": "a",
                "colour": "red",
            }
        )


# --- regions.yaml ------------------------------------------------------------------------------------------

AWS_REGIONS = [
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-south-2",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "cn-north-1",
    "cn-northwest-1",
    "us-gov-east-1",
    "us-gov-west-1",
]


def test_aws_regions_are_botocores() -> None:
    assert region_table()["aws"] == AWS_REGIONS


def test_region_lists_are_unique_and_hold_the_defaults() -> None:
    table = region_table()
    for cloud in ("aws", "gcp", "azure"):
        assert len(set(table[cloud])) == len(table[cloud]), cloud
    assert {"us-central1", "europe-west1", "asia-southeast1"} <= set(table["gcp"])
    assert {"eastus", "westeurope", "usgovvirginia"} <= set(table["azure"])
    assert DEFAULT_REGION["gcp"] in table["gcp"]
    assert DEFAULT_REGION["azure"] in table["azure"]


def test_multi_nearest_maps_every_aws_region() -> None:
    table = region_table()
    nearest = table["multi_nearest"]
    assert set(nearest) == set(AWS_REGIONS)
    for aws_region, peers in nearest.items():
        assert set(peers) == {"gcp", "azure"}, aws_region
        assert peers["gcp"] in table["gcp"], aws_region
        assert peers["azure"] in table["azure"], aws_region
    assert nearest["eu-central-1"] == {"gcp": "europe-west3", "azure": "germanywestcentral"}
    assert nearest["us-east-1"] == {"gcp": "us-east4", "azure": "eastus"}


@pytest.mark.parametrize(
    ("cloud", "region"),
    [("gcp", "europe-west4"), ("azure", "swedencentral"), ("multi", "eu-west-1"), ("aws", "us-gov-west-1")],
)
def test_regions_validate_per_cloud(cloud: str, region: str) -> None:
    raw = {"project": {"name": "demo"}, "platform": {"cloud": cloud, "region": region}}
    answers = Answers.model_validate(raw)
    assert answers.platform.region == region
