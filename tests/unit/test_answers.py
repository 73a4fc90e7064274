"""The answers file: defaults, validation, and one clear message per problem (CONTRACT §1)."""

from __future__ import annotations

from pathlib import Path

import pytest

from wizard.core.answers import Answers, dump_answers, load_answers, load_answers_text, parse_answers
from wizard.errors import AnswersError, ExitCode


def problems(text: str) -> list[str]:
    with pytest.raises(AnswersError) as info:
        load_answers_text(text, "a.yaml")
    assert info.value.exit_code == ExitCode.BAD_INPUT
    return info.value.problems


def test_smallest_file_gets_every_contract_default() -> None:
    a = load_answers_text("project: {name: demo}")
    assert a.project.description == ""
    assert (a.workload.peak_rps, a.workload.traffic_pattern, a.workload.latency_p95_ms) == (20, "steady", 500)
    assert (a.workload.model_size_mb, a.workload.gpu, a.workload.long_lived_connections) == (
        100,
        False,
        False,
    )
    assert (a.data.sensitivity, a.data.pii, a.data.compliance) == ("internal", False, ())
    assert (a.platform.cloud, a.platform.region, a.platform.ops_experience) == ("aws", "us-east-1", "some")
    assert (a.platform.existing_kubernetes, a.platform.existing_app_runner) == (False, False)
    assert (a.components.database, a.components.frontend, a.components.model_hosting) == (
        "none",
        False,
        "container",
    )
    assert (a.components.ci, a.components.domain) == ("github_actions", "")
    assert a.budget.monthly_usd == 500
    assert a.blueprint == "auto"


@pytest.mark.parametrize(
    ("cloud", "region"),
    [("gcp", "us-central1"), ("azure", "eastus"), ("multi", "us-east-1"), ("any", "us-east-1")],
)
def test_region_default_follows_the_cloud(cloud: str, region: str) -> None:
    assert (
        parse_answers({"project": {"name": "demo"}, "platform": {"cloud": cloud}}).platform.region == region
    )


def test_answers_are_immutable() -> None:
    a = parse_answers({"project": {"name": "demo"}})
    with pytest.raises(Exception, match="frozen"):
        a.project.name = "other"  # type: ignore[misc]


def test_dump_then_load_round_trips() -> None:
    a = parse_answers(
        {
            "project": {"name": "demo", "description": 'ünïcode "q" {{x}}'},
            "data": {"compliance": ["hipaa", "gdpr"]},
        }
    )
    assert load_answers_text(dump_answers(a)) == a


def test_unknown_key_suggests_the_close_one() -> None:
    [line] = problems("project: {name: demo}\nworkload: {gpus: true}\n")
    assert "workload.gpus: unknown key; did you mean workload.gpu?" in line
    assert line.startswith("a.yaml: ")


def test_unknown_top_level_key_lists_the_allowed_keys() -> None:
    [line] = problems("project: {name: demo}\nplatfrom: {cloud: aws}\n")
    assert "did you mean platform?" in line and "allowed keys at the top level" in line


def test_wrong_type_is_not_coerced() -> None:
    [line] = problems("project: {name: demo}\nworkload: {peak_rps: '20'}\n")
    assert "workload.peak_rps: found '20' (a string); allowed: an integer >= 0" in line


def test_boolean_for_integer_is_refused() -> None:
    [line] = problems("project: {name: demo}\nbudget: {monthly_usd: true}\n")
    assert "budget.monthly_usd" in line and "(a boolean)" in line


def test_value_outside_the_list_names_the_allowed_values() -> None:
    [line] = problems("project: {name: demo}\ndata: {sensitivity: secret}\n")
    assert (
        "data.sensitivity: found 'secret' (a string); allowed: public | internal | confidential | regulated"
        in line
    )


def test_list_item_outside_the_list_names_the_item() -> None:
    [line] = problems("project: {name: demo}\ndata: {compliance: [hipaa, iso27001]}\n")
    assert "data.compliance[1]: found 'iso27001'" in line and "hipaa" in line and "fedramp" in line


def test_every_problem_is_reported() -> None:
    lines = problems("project: {name: Demo}\nworkload: {peak_rps: -1, traffic_pattern: wavy}\n")
    keys = [line.split(": ")[1] for line in lines]
    assert keys == ["project.name", "workload.peak_rps", "workload.traffic_pattern"]


def test_missing_name_is_required() -> None:
    [line] = problems("project: {description: x}\n")
    assert "project.name: missing; it is required" in line


@pytest.mark.parametrize("name", ["ab", "Demo", "1abc", "demo-", "de--mo", "a" * 41, "demo_x", "démo"])
def test_bad_project_names(name: str) -> None:
    [line] = problems(f"project: {{name: '{name}'}}\n")
    assert "project.name" in line and "3-40 characters" in line


def test_a_trailing_newline_is_not_part_of_a_valid_name_or_domain() -> None:
    # `$` in a Python regex also matches before a final newline; the newline must not reach generated files.
    [line] = problems('project: {name: "demo\\n"}\n')
    assert "project.name" in line and "3-40 characters" in line
    [line] = problems('project: {name: demo}\ncomponents: {domain: "api\\n.example.com"}\n')
    assert "components.domain" in line and "DNS name" in line


@pytest.mark.parametrize("name", ["abc", "churn-predictor", "a" * 40, "m2-v3"])
def test_good_project_names(name: str) -> None:
    assert load_answers_text(f"project: {{name: {name}}}").project.name == name


def test_description_over_200_characters() -> None:
    [line] = problems("project: {name: demo, description: '" + "x" * 201 + "'}\n")
    assert "project.description" in line and "at most 200 characters" in line


def test_yaml_syntax_error_gives_the_line() -> None:
    [line] = problems("project:\n  name: demo\n workload: [\n")
    assert line.startswith("a.yaml: line 3, column") and "YAML syntax error" in line


def test_duplicate_key_is_an_error_with_the_line() -> None:
    [line] = problems("project: {name: demo}\nproject: {name: other}\n")
    assert "line 2" in line and "found the key 'project' twice" in line


def test_empty_file() -> None:
    [line] = problems("# only a comment\n")
    assert "the file is empty" in line


def test_top_level_list() -> None:
    [line] = problems("- project\n- name\n")
    assert "the top level is a list" in line


def test_newer_schema_asks_for_an_upgrade() -> None:
    [line] = problems("schema: 2\nproject: {name: demo}\n")
    assert "schema: found 2" in line and "upgrade deploy-wizard" in line


def test_schema_of_wrong_type() -> None:
    [line] = problems("schema: one\nproject: {name: demo}\n")
    assert "schema: found 'one' (a string); allowed: 1" in line


def test_file_over_one_mebibyte(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("project: {name: demo}\n" + "#" * (1024 * 1024) + "\n")
    with pytest.raises(AnswersError, match="at most 1 MiB"):
        load_answers(big)


def test_binary_file(tmp_path: Path) -> None:
    binary = tmp_path / "model.pkl"
    binary.write_bytes(b"\x80\x04\x95\x00\x00binary")
    with pytest.raises(AnswersError, match="binary file"):
        load_answers(binary)


def test_non_utf8_file(tmp_path: Path) -> None:
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("project: {name: demo, description: 'caf\xe9'}\n".encode("latin-1"))
    with pytest.raises(AnswersError, match="not UTF-8"):
        load_answers(latin)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(AnswersError, match="no such file"):
        load_answers(tmp_path / "nope.yaml")


def test_unknown_region_for_the_cloud() -> None:
    [line] = problems("project: {name: demo}\nplatform: {cloud: gcp, region: us-east-1}\n")
    assert "platform.region: found 'us-east-1'" in line and "not a region of platform.cloud gcp" in line


@pytest.mark.parametrize(
    ("cloud", "region"),
    [("aws", "us-gov-west-1"), ("aws", "eu-central-2"), ("gcp", "europe-west4"), ("azure", "westeurope")],
)
def test_real_regions_are_accepted(cloud: str, region: str) -> None:
    assert parse_answers({"project": {"name": "demo"}, "platform": {"cloud": cloud, "region": region}})


@pytest.mark.parametrize(
    "domain",
    [
        "example",
        "-api.example.com",
        "api..example.com",
        "API.example.com",
        "api.example.com.",
        "api example.com",
        "a" * 64 + ".com",
        "api.example.c0m",
    ],
)
def test_bad_domains(domain: str) -> None:
    [line] = problems(f"project: {{name: demo}}\ncomponents: {{domain: '{domain}'}}\n")
    assert "components.domain" in line and "DNS name" in line


def test_good_domain() -> None:
    a = load_answers_text("project: {name: demo}\ncomponents: {domain: api.claims.example.com}\n")
    assert a.components.domain == "api.claims.example.com"


def test_sagemaker_outside_aws_names_both_keys() -> None:
    [line] = problems(
        "project: {name: demo}\nplatform: {cloud: gcp}\ncomponents: {model_hosting: sagemaker}\n"
    )
    assert "components.model_hosting: sagemaker contradicts platform.cloud: gcp" in line


def test_codepipeline_outside_aws_names_both_keys() -> None:
    [line] = problems("project: {name: demo}\nplatform: {cloud: azure}\ncomponents: {ci: codepipeline}\n")
    assert "components.ci: codepipeline contradicts platform.cloud: azure" in line


def test_duplicate_compliance_items() -> None:
    [line] = problems("project: {name: demo}\ndata: {compliance: [hipaa, hipaa]}\n")
    assert "data.compliance" in line and "at most once" in line


def test_with_changes_revalidates() -> None:
    a = parse_answers({"project": {"name": "demo"}})
    assert a.with_changes({"workload.gpu": True}).workload.gpu is True
    with pytest.raises(AnswersError):
        a.with_changes({"workload.peak_rps": -5})


def test_answers_model_has_no_extra_fields() -> None:
    assert Answers.model_config.get("extra") == "forbid"
