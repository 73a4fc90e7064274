"""Provides the non-Terraform checks: hadolint, actionlint, check-jsonschema, kustomize, checkov, secrets."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

from wizard.validation.context import Outcome, RunContext
from wizard.validation.discovery import KUSTOMIZATION_NAMES, RepoScan
from wizard.validation.parsers import (
    parse_actionlint,
    parse_check_jsonschema,
    parse_checkov,
    parse_detect_secrets,
    parse_hadolint,
    parse_kubernetes_validate,
)
from wizard.validation.report import Finding
from wizard.validation.tools import Completed, ToolFailedError, crashed, require, run, tail

CHECKOV_TIMEOUT = 300.0
CHECKOV_FRAMEWORKS = (
    "terraform",
    "dockerfile",
    "kubernetes",
    "github_actions",
    "gitlab_ci",
    "circleci_pipelines",
)
"""What checkov scans. Not `secrets`: detect-secrets (whose plugins checkov's secret checks wrap) scans every
file already, and a second scan of each file cost checkov's run about 2.5 s of CPU on a 2-core machine."""
# Regexes over paths relative to the root (checkov already skips node_modules and .terraform).
_CHECKOV_SKIP_PATHS = (r"(^|/)\.?venv(/|$)",)
_T = TypeVar("_T")
_SECRETS_EXCLUDE = r"(^|/)(\.git|\.terraform|\.venv|venv|node_modules|__pycache__)/"


def _parsed(done: Completed, what: str, parse: Callable[[], _T], ok_codes: tuple[int, ...] = (0, 1)) -> _T:
    """Parse a tool's output; an unexpected exit status or unparsable output is the tool's error."""
    if done.returncode not in ok_codes:
        raise crashed(done, what)
    try:
        return parse()
    except ToolFailedError:
        if done.stderr.strip():
            raise crashed(done, what) from None
        raise


def check_hadolint(ctx: RunContext) -> Outcome:
    """Run `hadolint --format json` over every Dockerfile (a `.hadolint.yaml` in the root applies)."""
    hadolint = require("hadolint")
    done = run([hadolint, "--format", "json", *ctx.scan.dockerfiles], cwd=ctx.root)
    return Outcome(tuple(_parsed(done, "hadolint", lambda: parse_hadolint(done.stdout))))


def check_actionlint(ctx: RunContext) -> Outcome:
    """Run actionlint on the workflow files, named explicitly: it needs no `.git` directory that way."""
    actionlint = require("actionlint")
    done = run([actionlint, "-no-color", "-format", "{{json .}}", *ctx.scan.workflows], cwd=ctx.root)
    return Outcome(tuple(_parsed(done, "actionlint", lambda: parse_actionlint(done.stdout))))


def check_jsonschema(ctx: RunContext) -> Outcome:
    """Check CI files against check-jsonschema's vendored SchemaStore schemas."""
    tool = require("check-jsonschema")
    groups: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
        ("vendor.github-workflows", ctx.scan.workflows, ()),
        ("vendor.gitlab-ci", ctx.scan.gitlab_ci, ("--data-transform", "gitlab-ci")),
        ("vendor.circle-ci", ctx.scan.circleci, ()),
    ]
    findings: list[Finding] = []
    checked: list[str] = []
    for schema, files, extra in groups:
        if not files:
            continue
        argv = [tool, "-o", "json", "--builtin-schema", schema, *extra, *files]
        done = run(argv, cwd=ctx.root)
        findings += _parsed(done, "check-jsonschema", partial(parse_check_jsonschema, done.stdout, ctx.root))
        checked.append(schema)
    return Outcome(tuple(findings), f"schemas: {', '.join(checked)}")


def kubectl_minor_version(kubectl: str, cwd: Path) -> str | None:
    """Return `MAJOR.MINOR.0` of the kubectl client (schemas then match the cluster tooling), or None."""
    try:
        done = run([kubectl, "version", "--client", "-o", "json"], cwd=cwd, timeout=30)
        client = json.loads(done.stdout)["clientVersion"]
        major, minor = (re.sub(r"\D", "", str(client[key])) for key in ("major", "minor"))
    except (ToolFailedError, ValueError, KeyError, TypeError):
        return None
    return f"{major}.{minor}.0" if major and minor else None


def check_kustomize(ctx: RunContext, directory: str) -> Outcome:
    """Build one kustomization with `kubectl kustomize`, then `kubernetes-validate --strict` the result."""
    kubectl = require("kubectl")
    validator = require("kubernetes-validate")
    name = next(
        (n for n in KUSTOMIZATION_NAMES if (ctx.root / directory / n).is_file()), KUSTOMIZATION_NAMES[0]
    )
    file = f"{directory}/{name}" if directory != "." else name
    build = run([kubectl, "kustomize", directory], cwd=ctx.root)
    if build.returncode != 0:
        message = tail(build.stderr, 3) or f"kubectl kustomize exited with status {build.returncode}"
        return Outcome(
            (Finding("kubernetes-validate", file, None, "kustomize", message),), "kustomize build failed"
        )
    version = ctx.kube_version(lambda: kubectl_minor_version(kubectl, ctx.root))

    def validate(version: str | None) -> tuple[Completed, list[Finding], list[str], bool]:
        argv = [validator, "--strict", "--quiet", *(["-k", version] if version else []), "-"]
        done = run(argv, cwd=ctx.root, stdin=build.stdout)
        result = parse_kubernetes_validate(done.stdout, file)
        return done, result.findings, result.unchecked, result.unsupported_version

    done, findings, unchecked, unsupported = validate(version)
    note = (
        f"Kubernetes {version} schemas (kubectl's version)" if version else "the validator's newest schemas"
    )
    if unsupported and version:
        done, findings, unchecked, unsupported = validate(None)
        note = f"the validator's newest schemas (it has none for Kubernetes {version})"
    if unsupported or (done.returncode != 0 and not findings):
        raise crashed(done, "kubernetes-validate")
    detail = f"kubectl kustomize {directory}, validated strictly against {note}"
    if unchecked:
        detail += f"\nnot validated (custom resources, no schema): {', '.join(unchecked)}"
    return Outcome(tuple(findings), detail)


def checkov_frameworks(repo: RepoScan) -> list[str]:
    """Return the checkov frameworks that have files to scan (each one is a process and a walk of the tree).

    Kubernetes manifests can live anywhere (checkov reads every YAML file with `kind`), so it always runs.
    """
    present = {
        "terraform": bool(repo.tf_files),
        "dockerfile": bool(repo.dockerfiles),
        "github_actions": bool(repo.workflows),
        "gitlab_ci": bool(repo.gitlab_ci),
        "circleci_pipelines": bool(repo.circleci),
    }
    return [framework for framework in CHECKOV_FRAMEWORKS if present.get(framework, True)]


def check_checkov(ctx: RunContext) -> Outcome:
    """Run checkov once over the repository; inline `checkov:skip=` suppressions are counted, not findings."""
    checkov = require("checkov")
    argv = [
        checkov,
        "-d",
        ".",
        "--compact",
        "--skip-download",
        "-o",
        "json",
        "--framework",
        *checkov_frameworks(ctx.scan),
    ]
    for path in _CHECKOV_SKIP_PATHS:
        argv += ["--skip-path", path]
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE"}  # otherwise it fetches a mapping and waits on the network
    done = run(argv, cwd=ctx.root, env=env, timeout=CHECKOV_TIMEOUT)
    result = _parsed(done, "checkov", lambda: parse_checkov(done.stdout))
    if done.returncode == 1 and not result.findings:
        raise crashed(done, "checkov")
    detail = ""
    if result.skipped:
        detail = f"checks suppressed inline ({len(result.skipped)}): {', '.join(sorted(set(result.skipped)))}"
    return Outcome(tuple(result.findings), detail)


def check_detect_secrets(ctx: RunContext) -> Outcome:
    """Run `detect-secrets scan --all-files` over the repository (inline allowlist pragmas apply)."""
    tool = require("detect-secrets")
    done = run([tool, "scan", "--all-files", "--exclude-files", _SECRETS_EXCLUDE, "."], cwd=ctx.root)
    return Outcome(tuple(_parsed(done, "detect-secrets", lambda: parse_detect_secrets(done.stdout), (0,))))
