"""`wizard validate` over freshly generated repositories reports no findings (the fast tools for a matrix, and
every tool once for the demanding sample profile that the before-stop hook renders)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.validators._support import require_tool
from wizard.core.answers import load_answers, parse_answers
from wizard.core.engine import resolve_blueprint
from wizard.core.render import render
from wizard.core.writer import write_repository
from wizard.validation import run_validation

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT.parent / "shared" / "hooks" / "sample-answers.yaml"
FAST_TOOLS = ("hadolint", "actionlint", "check-jsonschema", "detect-secrets")

PROFILES: dict[str, dict[str, Any]] = {
    "ecs-default": {"project": {"name": "demo"}},
    "ecs-postgres-gitlab": {
        "project": {"name": "demo"},
        "components": {"database": "postgres", "ci": "gitlab_ci"},
    },
    "ecs-sagemaker-circleci": {
        "project": {"name": "demo"},
        "components": {"model_hosting": "sagemaker", "ci": "circleci"},
    },
    "k8s-gcp": {"project": {"name": "demo"}, "platform": {"cloud": "gcp"}},
    "k8s-azure-postgres": {
        "project": {"name": "demo"},
        "platform": {"cloud": "azure"},
        "components": {"database": "postgres"},
    },
    "eks-gpu-postgres-circleci": {
        "project": {"name": "demo"},
        "workload": {"gpu": True, "model_size_mb": 4000, "peak_rps": 200},
        "components": {"database": "postgres", "ci": "circleci"},
        "blueprint": "kubernetes",
    },
    "k8s-multi-postgres": {
        "project": {"name": "demo"},
        "platform": {"cloud": "multi"},
        "components": {"database": "postgres"},
    },
    "app-runner-postgres": {
        "project": {"name": "demo"},
        "platform": {"existing_app_runner": True},
        "components": {"database": "postgres"},
        "blueprint": "app_runner",
    },
    "beanstalk-sagemaker-codepipeline": {
        "project": {"name": "demo"},
        "components": {"model_hosting": "sagemaker", "ci": "codepipeline"},
        "blueprint": "elastic_beanstalk",
    },
}


def generate(answers_data: dict[str, Any], out: Path) -> Path:
    answers = parse_answers(answers_data)
    blueprint, _ = resolve_blueprint(answers)
    write_repository(render(answers, blueprint), out)
    return out


@pytest.mark.validators
@pytest.mark.parametrize("profile", sorted(PROFILES))
def test_fast_validators_find_nothing(profile: str, tmp_path: Path) -> None:
    for tool in FAST_TOOLS:
        require_tool(tool)
    repo = generate(PROFILES[profile], tmp_path / "repo")
    report = run_validation(repo, tools=FAST_TOOLS)
    problems = [f"{f.tool} {f.file}:{f.line} {f.message}" for f in report.findings]
    assert report.exit_code == 0, problems
    assert not [r for r in report.tools if r.status == "skipped"]


@pytest.mark.validators
@pytest.mark.slow
def test_sample_profile_validates_clean_with_every_tool(tmp_path: Path) -> None:
    for tool in ("terraform", "hadolint", "actionlint", "check-jsonschema", "checkov", "detect-secrets"):
        require_tool(tool)
    answers = load_answers(SAMPLE) if SAMPLE.is_file() else parse_answers(PROFILES["ecs-postgres-gitlab"])
    repo = generate(answers.values(), tmp_path / "repo")
    report = run_validation(repo)
    problems = [f"{f.tool} {f.file}:{f.line} {f.message}" for f in report.findings]
    assert report.exit_code == 0, problems
    statuses = {r.tool: r.status for r in report.tools}
    assert statuses.get("checkov") == "passed" and statuses.get("terraform-validate") == "passed"
