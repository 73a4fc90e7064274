"""Provides the side-by-side comparison of all blueprints for one set of answers, as data, text and Markdown.

The same table feeds `wizard compare`, the generated README and the TUI's Compare screen.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wizard.core.answers import Answers
from wizard.core.blueprints import Blueprint, load_blueprints
from wizard.core.engine import Recommendation, recommend
from wizard.core.escaping import markdown_inline


@dataclass(frozen=True)
class Comparison:
    """Rows of facts per blueprint, in catalogue order, plus the recommendation they come from."""

    columns: tuple[str, ...]
    """Blueprint ids."""
    names: tuple[str, ...]
    rows: tuple[tuple[str, tuple[str, ...]], ...]
    """(row label, one cell per blueprint)."""
    recommendation: Recommendation

    def to_json(self) -> dict[str, Any]:
        """Return the comparison as JSON-ready data."""
        return {
            "schema": 1,
            "recommended": self.recommendation.recommended,
            "blueprints": [
                {"blueprint": bp_id, "name": name, **{label: cells[i] for label, cells in self.rows}}
                for i, (bp_id, name) in enumerate(zip(self.columns, self.names, strict=True))
            ],
            "ranking": [a.to_json() for a in self.recommendation.ranking],
        }


def _limit_text(bp: Blueprint, name: str, unit: str = "") -> str:
    value = bp.limit(name).value
    if value is None:
        return "no fixed limit"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:g}{unit}"


def compare(answers: Answers, blueprints: dict[str, Blueprint] | None = None) -> Comparison:
    """Build the comparison table for the answers."""
    catalogue = blueprints if blueprints is not None else load_blueprints()
    rec = recommend(answers, catalogue)
    cols = list(catalogue.values())
    assessed = [rec.get(bp.id) for bp in cols]

    def row(label: str, cells: list[str]) -> tuple[str, tuple[str, ...]]:
        return label, tuple(cells)

    rows = [
        row("runs on", [a.runtime for a in assessed]),
        row("eligible", ["yes" if a.eligible else "no" for a in assessed]),
        row("score", [f"{a.score:.2f}" for a in assessed]),
        row("monthly cost (USD)", [f"{a.cost.low:,}-{a.cost.high:,}" for a in assessed]),
        row("ops burden (1-5)", [f"{bp.ops_burden.level}: {bp.ops_burden.text}" for bp in cols]),
        row("lock-in (1-5)", [f"{bp.lock_in.level}: {bp.lock_in.text}" for bp in cols]),
        row(
            "max per unit",
            [
                f"{_limit_text(bp, 'max_vcpu', ' vCPU')} / {_limit_text(bp, 'max_memory_gb', ' GB')}"
                for bp in cols
            ],
        ),
        row("GPU", [_limit_text(bp, "gpu") for bp in cols]),
        row("WebSockets / long responses", [_limit_text(bp, "long_lived_connections") for bp in cols]),
        row("request timeout (s)", [_limit_text(bp, "max_request_seconds") for bp in cols]),
        row("scale to zero", [_limit_text(bp, "scale_to_zero") for bp in cols]),
        row(
            "lifecycle",
            [
                bp.lifecycle.status.replace("_", " ")
                + (f" (since {bp.lifecycle.since.isoformat()})" if bp.lifecycle.since else "")
                for bp in cols
            ],
        ),
        row("blockers", ["; ".join(b.text.split(" — ")[0] for b in a.blockers) or "none" for a in assessed]),
        row("warnings", ["; ".join(a.warnings) or "none" for a in assessed]),
    ]
    return Comparison(tuple(bp.id for bp in cols), tuple(bp.name for bp in cols), tuple(rows), rec)


def to_markdown(comparison: Comparison) -> str:
    """Render the comparison as a Markdown table."""
    header = "| | " + " | ".join(markdown_inline(n) for n in comparison.names) + " |"
    sep = "| --- |" + " --- |" * len(comparison.names)
    lines = [header, sep]
    for label, cells in comparison.rows:
        lines.append(
            f"| **{markdown_inline(label)}** | " + " | ".join(markdown_inline(c) for c in cells) + " |"
        )
    rec = comparison.recommendation.recommended
    footer = f"\nRecommended: **{rec}**\n" if rec else "\nNo blueprint is eligible for these answers.\n"
    return "\n".join(lines) + "\n" + footer


def to_text(comparison: Comparison, width: int = 26) -> str:
    """Render the comparison as plain text, one block per row, long cells wrapped."""
    import textwrap

    label_w = max(len(label) for label, _ in comparison.rows)
    lines = [" " * (label_w + 2) + "  ".join(n[:width].ljust(width) for n in comparison.names)]
    for label, cells in comparison.rows:
        wrapped = [textwrap.wrap(c, width) or [""] for c in cells]
        height = max(len(w) for w in wrapped)
        for i in range(height):
            prefix = label.ljust(label_w) if i == 0 else " " * label_w
            lines.append(
                prefix + "  " + "  ".join((w[i] if i < len(w) else "").ljust(width) for w in wrapped).rstrip()
            )
    rec = comparison.recommendation.recommended
    lines.append("")
    lines.append(f"Recommended: {rec}" if rec else "No blueprint is eligible for these answers.")
    return "\n".join(lines) + "\n"
