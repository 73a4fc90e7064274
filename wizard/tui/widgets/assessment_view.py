"""Provides `AssessmentView`: one blueprint's verdict: score, blockers, reasons, warnings, cost drivers."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from wizard.core.engine import Assessment


def assessment_content(assessment: Assessment, *, recommended: bool, chosen: bool) -> Content:
    """Return the full explanation of one assessment as styled content."""
    a = assessment
    lines: list[Content] = [
        Content.from_markup("[b $accent]$name[/]  [dim]($id)[/]", name=a.name, id=a.blueprint)
    ]
    if a.runtime != a.name:
        lines.append(Content.from_markup("Runs on $runtime", runtime=a.runtime))
    tags: list[str] = []
    if recommended:
        tags.append("[b $text-success]★ recommended[/]")
    if chosen:
        tags.append("[b]▶ will be written[/]")
    if tags:
        lines.append(Content.from_markup("  ".join(tags)))
    lines.append(Content(""))
    verdict = (
        Content.from_markup("[b]Score[/b] $score of 1.00", score=f"{a.score:.2f}")
        if a.eligible
        else Content.from_markup("[b $text-error]Not eligible[/]")
    )
    cost = Content.from_markup("  ·  [b]$cost[/b] per month", cost=f"${a.cost.low:,}–${a.cost.high:,}")
    lines.append(verdict + cost)
    if a.blockers:
        lines += [Content(""), Content.from_markup("[b $text-error]Ruled out because[/]")]
        lines += [
            Content.from_markup("  ✖ $text [dim](relax $key)[/]", text=b.text, key=b.key) for b in a.blockers
        ]
    if a.reasons:
        lines += [Content(""), Content.from_markup("[b]Reasons[/]")]
        for reason in a.reasons:
            color = "$text-success" if reason.startswith("+") else "$text-warning"
            lines.append(Content.from_markup(f"  [{color}]$reason[/]", reason=reason))
    if a.warnings:
        lines += [Content(""), Content.from_markup("[b $text-warning]Warnings[/]")]
        lines += [Content.from_markup("  ! $w", w=w) for w in a.warnings]
    lines += [Content(""), Content.from_markup("[b]Monthly cost (estimate)[/b]")]
    for driver in a.cost.drivers:
        lines.append(
            Content.from_markup(
                "  • $name: $cost [dim]$detail[/]",
                name=driver.name,
                cost=f"${driver.low:,.0f}–${driver.high:,.0f}",
                detail=driver.detail,
            )
        )
    lines += [Content.from_markup("  [dim i]$note[/]", note=note) for note in a.cost.notes]
    return Content("\n").join(lines)


class AssessmentView(Static):
    """Shows the assessment highlighted in the ranking."""

    DEFAULT_CSS = """
    AssessmentView {
        width: 1fr;
        height: auto;
    }
    """

    def show(self, assessment: Assessment, *, recommended: bool, chosen: bool) -> None:
        """Explain an assessment."""
        self.update(assessment_content(assessment, recommended=recommended, chosen=chosen))
