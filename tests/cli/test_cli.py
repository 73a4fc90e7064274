"""The command line as users' scripts drive it: exit codes, stdout data, one-line stderr errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "wizard", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
    )


@pytest.fixture
def answers_file(tmp_path: Path) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text("project: {name: demo}\n")
    return path


def assert_clean_error(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    for needle in needles:
        assert needle in result.stderr


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0 and result.stdout.startswith("wizard ")


def test_help_lists_every_command() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in (
        "tui",
        "new",
        "recommend",
        "compare",
        "checklist",
        "validate",
        "preflight",
        "questions",
        "blueprints",
    ):
        assert command in result.stdout


def test_unknown_option_is_exit_2() -> None:
    assert_clean_error(run("recommend", "--answers", "x.yaml", "--frobnicate"), "unrecognized arguments")


def test_unknown_command_is_exit_2() -> None:
    assert_clean_error(run("deploy"), "invalid choice")


def test_recommend_json(answers_file: Path) -> None:
    result = run("recommend", "--answers", str(answers_file), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["recommended"] == "ecs_fargate" and len(data["ranking"]) == 4


def test_recommend_text(answers_file: Path) -> None:
    result = run("recommend", "--answers", str(answers_file))
    assert result.returncode == 0
    assert result.stdout.startswith("Recommended: Amazon ECS on AWS Fargate (ecs_fargate)")
    assert "closed to new customers since 2026-04-30" in result.stdout


def test_recommend_bad_answers_is_one_line_per_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("project: {name: demo}\nworkload: {gpus: true}\n")
    result = run("recommend", "--answers", str(bad))
    assert_clean_error(result, f"{bad}: workload.gpus: unknown key; did you mean workload.gpu?")
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_answers_file_is_exit_2(tmp_path: Path) -> None:
    assert_clean_error(run("recommend", "--answers", str(tmp_path / "nope.yaml")), "no such file")


def test_answers_directory_is_exit_2(tmp_path: Path) -> None:
    assert_clean_error(run("compare", "--answers", str(tmp_path)), "is a directory")


@pytest.mark.parametrize("fmt", ["text", "json", "markdown"])
def test_compare_formats(answers_file: Path, fmt: str) -> None:
    result = run("compare", "--answers", str(answers_file), "--format", fmt)
    assert result.returncode == 0, result.stderr
    if fmt == "json":
        data = json.loads(result.stdout)
        assert [b["blueprint"] for b in data["blueprints"]] == [
            "app_runner",
            "ecs_fargate",
            "elastic_beanstalk",
            "kubernetes",
        ]
    elif fmt == "markdown":
        assert result.stdout.startswith("| |") and "**monthly cost (USD)**" in result.stdout
    else:
        assert "ops burden" in result.stdout and "lifecycle" in result.stdout


def test_questions_json_has_every_key() -> None:
    result = run("questions", "--format", "json")
    assert result.returncode == 0
    keys = [q["key"] for q in json.loads(result.stdout)["questions"]]
    assert "workload.gpu" in keys and "blueprint" in keys and len(keys) == 23


def test_questions_yaml() -> None:
    result = run("questions")
    assert result.returncode == 0 and "key: platform.region" in result.stdout


def test_blueprints_text_and_json() -> None:
    text = run("blueprints")
    assert text.returncode == 0 and "closed to new customers since 2026-04-30" in text.stdout
    data = json.loads(run("blueprints", "--format", "json").stdout)
    assert [b["id"] for b in data["blueprints"]] == [
        "app_runner",
        "ecs_fargate",
        "elastic_beanstalk",
        "kubernetes",
    ]


def test_no_blueprint_eligible_exits_non_zero(tmp_path: Path) -> None:
    # The override names a blueprint the answers rule out: a contradiction, exit 2, both keys named.
    path = tmp_path / "gpu.yaml"
    path.write_text("project: {name: demo}\nworkload: {gpu: true}\nblueprint: ecs_fargate\n")
    result = run("new", "--answers", str(path), "--out", str(tmp_path / "out"))
    assert_clean_error(result, "blueprint: ecs_fargate is ruled out by workload.gpu")
    assert not (tmp_path / "out").exists()


def test_new_refuses_non_empty_target(answers_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "existing"
    target.mkdir()
    (target / "mine.txt").write_text("keep me")
    result = run("new", "--answers", str(answers_file), "--out", str(target))
    assert_clean_error(result, "not empty", "--force")
    assert [p.name for p in target.iterdir()] == ["mine.txt"]


def test_new_with_bad_answers_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("project: {name: BAD}\n")
    result = run("new", "--answers", str(bad), "--out", str(tmp_path / "out"))
    assert_clean_error(result, "project.name")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.yaml"]


def test_validate_missing_dir_is_exit_2(tmp_path: Path) -> None:
    assert_clean_error(run("validate", str(tmp_path / "nope")), "no such directory")
