"""Provides `run_validation`: runs every validator that applies to a repository, in parallel."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from wizard.errors import UsageError
from wizard.validation import checks, terraform
from wizard.validation.context import Outcome, RunContext
from wizard.validation.discovery import RepoScan, scan
from wizard.validation.report import Finding, Status, ToolResult, ValidationReport
from wizard.validation.tools import ToolFailedError, ToolMissingError, in_ci, kill_all, tail

# The fixed report order. Each tool runs once per target ("." = the whole repository).
TOOL_ORDER = (
    "terraform-fmt",
    "terraform-validate",
    "python-hcl2",
    "hadolint",
    "actionlint",
    "check-jsonschema",
    "kubernetes-validate",
    "checkov",
    "detect-secrets",
)
# Started first, in this order, because they take longest: checkov (15-20 s, the critical path), the
# Terraform roots (one shared validate of about 7 s, else init + validate of about 5 s per root), kustomize.
_SLOW_FIRST = ("checkov", "terraform-validate", "kubernetes-validate")


@dataclass(frozen=True)
class PlannedCheck:
    """One tool over one target, ready to run."""

    tool: str
    target: str
    run: Callable[[RunContext], Outcome]


def plan(repo: RepoScan) -> tuple[list[PlannedCheck], list[str]]:
    """Return the checks that apply to `repo`, and the tools that have nothing to check."""
    planned: list[PlannedCheck] = []
    if repo.tf_files:
        planned.append(PlannedCheck("terraform-fmt", ".", terraform.check_fmt))
        planned.extend(
            PlannedCheck("terraform-validate", d, partial(terraform.check_validate, root_dir=d))
            for d in repo.tf_roots
        )
    if any(f.endswith(".tf") for f in repo.tf_files):
        planned.append(PlannedCheck("python-hcl2", ".", terraform.check_hcl2))
    if repo.dockerfiles:
        planned.append(PlannedCheck("hadolint", ".", checks.check_hadolint))
    if repo.workflows:
        planned.append(PlannedCheck("actionlint", ".", checks.check_actionlint))
    if repo.workflows or repo.gitlab_ci or repo.circleci:
        planned.append(PlannedCheck("check-jsonschema", ".", checks.check_jsonschema))
    planned.extend(
        PlannedCheck("kubernetes-validate", d, partial(checks.check_kustomize, directory=d))
        for d in repo.kustomize_roots
    )
    if repo.files:
        planned.append(PlannedCheck("checkov", ".", checks.check_checkov))
        planned.append(PlannedCheck("detect-secrets", ".", checks.check_detect_secrets))
    used = {check.tool for check in planned}
    return planned, [tool for tool in TOOL_ORDER if tool not in used]


def _start_order(check: PlannedCheck) -> int:
    return _SLOW_FIRST.index(check.tool) if check.tool in _SLOW_FIRST else len(_SLOW_FIRST)


def _execute(check: PlannedCheck, ctx: RunContext, ci: bool) -> ToolResult:
    """Run one check; never raises: a missing tool is skipped (an error in CI), a crash is an error."""
    started = time.monotonic()
    try:
        outcome = check.run(ctx)
    except ToolMissingError as missing:
        missing_status: Status = "error" if ci else "skipped"
        why = "CI=true, so a missing validator is a failure" if ci else "not run"
        detail = f"{missing.name} is not installed ({why}); {missing.hint}"
        return ToolResult(check.tool, missing_status, (), detail, time.monotonic() - started, check.target)
    except ToolFailedError as failure:
        return ToolResult(check.tool, "error", (), failure.detail, time.monotonic() - started, check.target)
    except Exception as exc:  # a bug in a parser must not take the whole report down
        detail = f"internal error while running {check.tool}: {tail(repr(exc), 5)}"
        return ToolResult(check.tool, "error", (), detail, time.monotonic() - started, check.target)
    findings = tuple(sorted(set(outcome.findings), key=Finding.sort_key))
    status: Status = outcome.status or ("failed" if findings else "passed")
    if status == "skipped" and findings:
        status = "failed"
    return ToolResult(check.tool, status, findings, outcome.detail, time.monotonic() - started, check.target)


def run_validation(
    root: Path, *, jobs: int | None = None, tools: Collection[str] | None = None
) -> ValidationReport:
    """Run every validator that applies to the repository at `root` and collect one report.

    Args:
        root: the repository to validate; it is never written to (Terraform runs in a private copy).
        jobs: how many checks run at once (default: the number of CPUs).
        tools: only run these tools (names from TOOL_ORDER); default all.

    Raises:
        UsageError: `root` is not a directory.
    """
    root = Path(root).resolve()
    if not root.is_dir():
        raise UsageError(f"{root}: not a directory; `wizard validate` needs a generated repository")
    if tools is not None and (unknown := set(tools) - set(TOOL_ORDER)):
        raise UsageError(f"unknown validator {', '.join(sorted(unknown))}; known: {', '.join(TOOL_ORDER)}")
    repo = scan(root)
    planned, not_applicable = plan(repo)
    if tools is not None:
        planned = [check for check in planned if check.tool in tools]
        not_applicable = [tool for tool in not_applicable if tool in tools]
    ordered = sorted(planned, key=_start_order)
    ci = in_ci()
    with tempfile.TemporaryDirectory(prefix="wizard-validate-") as tmp:
        ctx = RunContext(root=root, scan=repo, tmp=Path(tmp))
        workers = max(1, jobs or os.cpu_count() or 2)
        pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="validate")
        futures = [pool.submit(_execute, check, ctx, ci) for check in ordered]
        try:
            results = [future.result() for future in futures]
        except BaseException:  # Ctrl-C: stop the validators now instead of waiting for checkov
            pool.shutdown(wait=False, cancel_futures=True)
            while not all(future.done() for future in futures):
                kill_all()
                wait(futures, timeout=0.1)
            raise
        finally:
            pool.shutdown(wait=True)
    results.sort(key=lambda r: (TOOL_ORDER.index(r.tool), r.target))
    return ValidationReport(root=root, tools=tuple(results), not_applicable=tuple(not_applicable))
