"""The outputs: JSON document, Markdown (the generated SECURITY_CHECKLIST.md) and `wizard checklist`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from wizard.core.answers import parse_answers
from wizard.core.checklist import SEVERITIES, build_checklist, to_json, to_markdown
from wizard.core.render import render

ROOT = Path(__file__).resolve().parents[2]
HIPAA = {
    "project": {"name": "clinic"},
    "data": {"sensitivity": "regulated", "pii": True, "compliance": ["hipaa"]},
    "components": {"database": "postgres"},
}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return to_json(build_checklist(parse_answers(HIPAA), "ecs_fargate"))


def test_json_document_shape(document: dict[str, Any]) -> None:
    assert document["schema"] == 1
    assert document["blueprint"] == "ecs_fargate"
    assert list(document["counts"]) == list(SEVERITIES)
    assert sum(document["counts"].values()) == len(document["items"])
    assert document["automated"] + document["manual"] == len(document["items"])
    json.dumps(document)  # plain data only


def test_json_items_carry_status_and_either_evidence_or_action(document: dict[str, Any]) -> None:
    common = {"id", "title", "why", "severity", "category", "status", "references", "triggered_by"}
    for item in document["items"]:
        assert common <= set(item)
        if item["status"] == "automated":
            assert item["evidence"] and "your_action" not in item
            assert all("file" in e for e in item["evidence"])
            assert isinstance(item["checkov"], list)
        else:
            assert item["status"] == "manual"
            assert item["your_action"] and "evidence" not in item
        for ref in item["references"].get("well_architected", []):
            assert ref["framework"]


def test_json_order_is_by_severity(document: dict[str, Any]) -> None:
    ranks = [SEVERITIES.index(i["severity"]) for i in document["items"]]
    assert ranks == sorted(ranks)


def test_json_is_deterministic(document: dict[str, Any]) -> None:
    again = to_json(build_checklist(parse_answers(HIPAA), "ecs_fargate"))
    assert json.dumps(again, sort_keys=False) == json.dumps(document, sort_keys=False)


def test_markdown_groups_by_severity_with_checkboxes() -> None:
    checklist = build_checklist(parse_answers(HIPAA), "ecs_fargate")
    text = to_markdown(checklist)
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert [h.split()[1] for h in headings] == ["Critical", "High", "Medium", "Low"][: len(headings)]
    for item in checklist.items:
        box = "[x]" if item.automated else "[ ]"
        assert f"- {box} **{item.id}: {item.title}**" in text
    assert "Applies because: data.compliance contains hipaa" in text
    assert "`infra/modules/registry/main.tf: aws_ecr_repository image_tag_mutability = IMMUTABLE`" in text
    assert "Checkov checks that pass on it: CKV_AWS_51, CKV_AWS_163" in text
    assert "Your action: In AWS Artifact" in text
    assert text.endswith("\n") and "\n\n\n" not in text


@pytest.mark.parametrize(
    ("raw", "blueprint"),
    [
        (HIPAA, "ecs_fargate"),
        (HIPAA, "elastic_beanstalk"),
        ({"project": {"name": "runner"}, "platform": {"existing_app_runner": True}}, "app_runner"),
        ({"project": {"name": "gpu-api"}, "workload": {"gpu": True}}, "kubernetes"),
        ({"project": {"name": "multi-api"}, "platform": {"cloud": "multi"}}, "kubernetes"),
    ],
    ids=["ecs_fargate", "elastic_beanstalk", "app_runner", "kubernetes", "kubernetes-multi"],
)
def test_every_generated_repository_gets_the_checklist(raw: dict[str, Any], blueprint: str) -> None:
    answers = parse_answers(raw)
    files = {f.path: f.content for f in render(answers, blueprint)}
    assert files["SECURITY_CHECKLIST.md"] == to_markdown(build_checklist(answers, blueprint))


def run_cli(*args: str, tmp_path: Path, answers: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "answers.yaml"
    path.write_text(json.dumps(answers))  # JSON is YAML
    return subprocess.run(
        [sys.executable, "-m", "wizard", "checklist", "--answers", str(path), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )


def test_cli_json(tmp_path: Path) -> None:
    result = run_cli("--format", "json", tmp_path=tmp_path, answers=HIPAA)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["blueprint"] == "ecs_fargate"
    assert "HIPAA-01" in [i["id"] for i in data["items"]]


def test_cli_markdown_is_the_default(tmp_path: Path) -> None:
    result = run_cli(tmp_path=tmp_path, answers={"project": {"name": "demo"}})
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Security checklist: demo")
    explicit = run_cli("--format", "markdown", tmp_path=tmp_path, answers={"project": {"name": "demo"}})
    assert explicit.returncode == 0 and explicit.stdout == result.stdout


def test_cli_blueprint_override(tmp_path: Path) -> None:
    answers = {"project": {"name": "runner"}, "platform": {"existing_app_runner": True}}
    result = run_cli("--blueprint", "app_runner", "--format", "json", tmp_path=tmp_path, answers=answers)
    assert result.returncode == 0, result.stderr
    ids = [i["id"] for i in json.loads(result.stdout)["items"]]
    assert "APR-08" in ids


def test_cli_rejects_a_blueprint_the_answers_rule_out(tmp_path: Path) -> None:
    result = run_cli("--blueprint", "app_runner", tmp_path=tmp_path, answers={"project": {"name": "demo"}})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
