"""Provides the preflight report: checks with a status and a fix, as an aligned table or as JSON."""

from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field
from typing import Any, Literal

from wizard.errors import ExitCode

Status = Literal["ok", "warning", "blocked", "skipped"]
STATUSES: tuple[Status, ...] = ("ok", "warning", "blocked", "skipped")
SCHEMA = 1
_WIDTH = 110


@dataclass(frozen=True)
class Check:
    """One preflight check: what was checked, what was found and, unless it is fine, what to do."""

    id: str
    title: str
    status: Status
    detail: str
    fix: str = ""

    def to_json(self) -> dict[str, str]:
        """Return the check as the JSON object of `wizard preflight --format json`."""
        return {
            "id": self.id,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            "fix": self.fix,
        }


@dataclass
class PreflightReport:
    """All checks of one preflight run against one account and region."""

    region: str
    account: str | None = None
    blueprint: str | None = None
    checks: list[Check] = field(default_factory=list)

    def add(self, check: Check) -> None:
        """Append a check."""
        self.checks.append(check)

    @property
    def ok(self) -> bool:
        """Return whether nothing blocks the deployment."""
        return not any(c.status == "blocked" for c in self.checks)

    @property
    def exit_code(self) -> ExitCode:
        """Return 1 (FINDINGS) when a check blocks the deployment, else 0."""
        return ExitCode.OK if self.ok else ExitCode.FINDINGS

    def counts(self) -> dict[Status, int]:
        """Return how many checks have each status."""
        return {s: sum(c.status == s for c in self.checks) for s in STATUSES}

    def to_json(self) -> dict[str, Any]:
        """Return the report as the `--format json` object (schema 1)."""
        return {
            "schema": SCHEMA,
            "account": self.account,
            "region": self.region,
            "blueprint": self.blueprint,
            "ok": self.ok,
            "checks": [c.to_json() for c in self.checks],
        }


def format_json(report: PreflightReport) -> str:
    """Render the report as JSON."""
    return json.dumps(report.to_json(), indent=2, ensure_ascii=False)


def _wrap(text: str, width: int, subsequent_indent: str = "") -> list[str]:
    """Wrap at spaces only, so commands and names stay whole."""
    return textwrap.wrap(
        text,
        max(40, width),
        subsequent_indent=subsequent_indent,
        break_on_hyphens=False,
        break_long_words=False,
    )


def format_text(report: PreflightReport) -> str:
    """Render the report as an aligned table: status, check, detail, with the fix on the line below."""
    head = f"AWS preflight: account {report.account or 'unknown'}, region {report.region}"
    if report.blueprint:
        head += f", blueprint {report.blueprint}"
    lines = [head, ""]
    title_w = max([len("CHECK"), *(len(c.title) for c in report.checks)])
    status_w = max(len(s) for s in STATUSES)
    indent = " " * (status_w + 2 + title_w + 2)
    lines.append(f"{'STATUS':<{status_w}}  {'CHECK':<{title_w}}  DETAIL")
    for c in report.checks:
        detail = _wrap(c.detail, _WIDTH - len(indent)) or [""]
        lines.append(f"{c.status:<{status_w}}  {c.title:<{title_w}}  {detail[0]}")
        lines += [indent + more for more in detail[1:]]
        if c.fix:
            fix = _wrap("fix: " + c.fix, _WIDTH - len(indent), subsequent_indent="     ")
            lines += [indent + part for part in fix]
    counts = report.counts()
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    lines.append("")
    if report.ok:
        lines.append(f"{summary}: nothing blocks the deployment.")
    else:
        lines.append(f"{summary}: the deployment is blocked until the 'blocked' checks are fixed.")
    return "\n".join(lines)
