"""Provides `CompareScreen`: the four blueprints side by side, as the core's `compare()` table."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static

from wizard.core.compare import Comparison
from wizard.tui import services
from wizard.tui.cells import cell
from wizard.tui.screens.base import WizardScreen

LABEL_WIDTH = 18
MIN_COLUMN = 18


class CompareScreen(WizardScreen):
    """One column per blueprint, one row per fact; long cells wrap, the table scrolls both ways."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("w", "app.show('write')", "Write"),
    ]

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        yield Header()
        yield Static("Comparing the blueprints…", id="compare-summary")
        yield DataTable(id="compare-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        """Set up when first shown."""
        self.sub_title = "Compare"
        self.query_one(DataTable).focus()
        self.recompute()
        self.on_theme_change(self.recompute)

    def on_screen_resume(self) -> None:
        """Refresh when shown again: the answers may have changed meanwhile."""
        self.recompute()

    def recompute(self) -> None:
        """Build the comparison in a worker."""
        self._compare(self.state.candidate())

    @work(thread=True, group="compare", exclusive=True, exit_on_error=False)
    def _compare(self, candidate: dict[str, Any]) -> None:
        self.deliver(self._compared, services.comparison(candidate))

    def _compared(self, outcome: services.Outcome) -> None:
        summary = self.query_one("#compare-summary", Static)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        if not outcome.ok:
            summary.update(
                Content("\n").join(
                    [
                        Content.from_markup("[b $text-error]✖ Cannot compare yet:[/]"),
                        *(Content.from_markup("  • $line", line=line) for line in outcome.errors),
                    ]
                )
            )
            return
        comparison: Comparison = outcome.value
        recommended = comparison.recommendation.recommended
        summary.update(
            Content.from_markup(
                "Recommended: [b $text-success]$rec[/]  [dim](★ marks it; scroll sideways with ← →)[/]",
                rec=recommended or "none eligible",
            )
        )
        width = max(MIN_COLUMN, (self.size.width - LABEL_WIDTH - 4) // max(1, len(comparison.columns)) - 2)
        table.add_column(cell(""), key="label", width=LABEL_WIDTH)
        for bp_id, name in zip(comparison.columns, comparison.names, strict=True):
            title = f"★ {name}" if bp_id == recommended else name
            table.add_column(
                cell(title, self.app, "accent" if bp_id == recommended else "", "bold"),
                key=bp_id,
                width=width,
            )
        for label, cells in comparison.rows:
            table.add_row(
                cell(label, style="bold"), *(self._cell(label, c) for c in cells), height=None, key=label
            )

    def _cell(self, label: str, text: str) -> Any:
        if label == "eligible":
            return cell(text, self.app, "text-success" if text == "yes" else "text-error", "bold")
        return cell(text)
