"""Provides the validation report (findings, per-tool results) and its text and JSON renderings.

JSON schema 1 (`format_json`)::

    {"schema": 1, "root": "/abs/dir", "ok": false, "exit_code": 1,
     "summary": {"passed": 5, "failed": 1, "skipped": 1, "error": 0, "findings": 3},
     "not_applicable": ["actionlint"],
     "tools": [{"tool": "hadolint", "target": ".", "status": "failed", "detail": "", "seconds": 0.12,
                "findings": [{"tool": "hadolint", "file": "Dockerfile", "line": 1, "rule": "DL3007",
                              "message": "..."}]}]}

`tools` keeps the fixed tool order, then target order; findings are sorted by file, line, rule, message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Status = Literal["passed", "failed", "skipped", "error"]
STATUSES: tuple[Status, ...] = ("passed", "failed", "skipped", "error")
FAILING: frozenset[str] = frozenset({"failed", "error"})
REPORT_SCHEMA = 1


@dataclass(frozen=True)
class Finding:
    """One problem a tool found, located by a path relative to the validated root."""

    tool: str
    file: str
    line: int | None
    rule: str | None
    message: str

    def sort_key(self) -> tuple[str, int, str, str]:
        """Return the key that orders findings deterministically."""
        return (self.file, self.line or 0, self.rule or "", self.message)

    def location(self) -> str:
        """Return `file:line` (or just `file` when the line is unknown)."""
        return f"{self.file}:{self.line}" if self.line else self.file

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form."""
        return {
            "tool": self.tool,
            "file": self.file,
            "line": self.line,
            "rule": self.rule,
            "message": self.message,
        }


@dataclass(frozen=True)
class ToolResult:
    """The outcome of one tool over one target (`.` for the whole root, else a Terraform/kustomize root).

    `status` is `skipped` when the check could not run (tool or provider missing); that is never a pass.
    """

    tool: str
    status: Status
    findings: tuple[Finding, ...] = ()
    detail: str = ""
    seconds: float = 0.0
    target: str = "."

    @property
    def failing(self) -> bool:
        """Whether this result makes `wizard validate` exit non-zero."""
        return self.status in FAILING

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form."""
        return {
            "tool": self.tool,
            "target": self.target,
            "status": self.status,
            "detail": self.detail,
            "seconds": round(self.seconds, 2),
            "findings": [finding.to_dict() for finding in self.findings],
        }


@dataclass(frozen=True)
class ValidationReport:
    """Every tool result of one `wizard validate` run, in a fixed order."""

    root: Path
    tools: tuple[ToolResult, ...]
    not_applicable: tuple[str, ...] = field(default=())

    @property
    def exit_code(self) -> int:
        """Return 1 when any tool failed or errored, else 0 (skipped tools do not fail, nor pass)."""
        return 1 if any(result.failing for result in self.tools) else 0

    @property
    def ok(self) -> bool:
        """Whether no tool failed or errored."""
        return self.exit_code == 0

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Return the findings of every tool, in report order."""
        return tuple(finding for result in self.tools for finding in result.findings)

    def counts(self) -> dict[str, int]:
        """Return how many results have each status."""
        return {status: sum(result.status == status for result in self.tools) for status in STATUSES}

    def results(self, tool: str) -> tuple[ToolResult, ...]:
        """Return the results of one tool (one per target)."""
        return tuple(result for result in self.tools if result.tool == tool)

    def result(self, tool: str, target: str = ".") -> ToolResult | None:
        """Return the result of one tool for one target, or None when it did not apply."""
        return next((r for r in self.tools if r.tool == tool and r.target == target), None)

    def to_dict(self) -> dict[str, object]:
        """Return the JSON form (schema 1)."""
        return {
            "schema": REPORT_SCHEMA,
            "root": str(self.root),
            "ok": self.ok,
            "exit_code": self.exit_code,
            "summary": {**self.counts(), "findings": len(self.findings)},
            "not_applicable": list(self.not_applicable),
            "tools": [result.to_dict() for result in self.tools],
        }


def format_json(report: ValidationReport) -> str:
    """Render the report as stable JSON (sorted keys, fixed tool order)."""
    return json.dumps(report.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def format_text(report: ValidationReport) -> str:
    """Render the report for a terminal: one line per tool and target, then its findings."""
    lines = [f"Validating {report.root}"]
    for result in report.tools:
        head = f"  {result.status.upper():<8} {result.tool:<20} {result.target:<28} {result.seconds:6.1f}s"
        lines.append(head.rstrip())
        if result.detail:
            lines.extend(f"             {_one_line(part)}" for part in result.detail.splitlines() if part)
        for finding in result.findings:
            rule = f" {finding.rule}" if finding.rule else ""
            lines.append(f"      {finding.location()}: {finding.tool}{rule}: {_one_line(finding.message)}")
    if report.not_applicable:
        lines.append(f"Not applicable (nothing for them to check): {', '.join(report.not_applicable)}")
    if not report.tools:
        lines.append("Nothing to validate: no files any validator applies to.")
    counts = report.counts()
    verdict = "OK" if report.ok else "FAILED"
    summary = ", ".join(f"{counts[status]} {status}" for status in STATUSES)
    lines.append(f"Result: {verdict} ({summary}; {len(report.findings)} findings)")
    if counts["skipped"]:
        lines.append("Skipped checks did not run and are not passes; each says what is missing.")
    return "\n".join(lines) + "\n"
