"""Provides `ChecklistScreen`: the tailored security checklist, filterable by severity, when the core has one."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Select, Static

from wizard.tui import services
from wizard.tui.cells import cell
from wizard.tui.screens.base import WizardScreen

ALL = "all"
SEVERITY_COLOR = {"critical": "error", "high": "text-error", "medium": "text-warning", "low": "text-primary"}
"""Theme variables per severity (critical strongest)."""


class ChecklistScreen(WizardScreen):
    """The checklist for the chosen blueprint; a clear message while `wizard.core.checklist` does not exist."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("f", "focus_filter", "Filter"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.items: list[services.ChecklistItem] = []
        self.available = False

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide the filter binding while there is no checklist to filter."""
        return self.available if action == "focus_filter" else True

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        yield Header()
        yield Static("", id="checklist-summary")
        yield Select[str](
            [("All severities", ALL)], value=ALL, allow_blank=False, id="severity", compact=True
        )
        yield DataTable(id="checklist-table", cursor_type="row", zebra_stripes=True)
        with VerticalScroll(id="checklist-detail"):
            yield Static("", id="checklist-detail-text")
        yield Footer()

    def on_mount(self) -> None:
        """Set up when first shown."""
        self.sub_title = "Security checklist"
        table = self.query_one(DataTable)
        table.add_column("Severity", key="severity", width=8)
        table.add_column("Status", key="status", width=9)
        table.add_column("Item", key="item")
        self.recompute()
        self.on_theme_change(self._fill)

    def on_screen_resume(self) -> None:
        """Refresh when shown again: the answers may have changed meanwhile."""
        self.recompute()

    def recompute(self) -> None:
        """Build the checklist in a worker, or say it is not available yet."""
        available = self.available = services.checklist_available()
        self.refresh_bindings()
        for selector in ("#severity", "#checklist-table", "#checklist-detail"):
            self.query_one(selector).display = available
        if not available:
            self.query_one("#checklist-summary", Static).update(
                Content.from_markup(
                    "[b $text-warning]The security checklist is not available yet.[/]\n\n"
                    "This build has no [b]wizard.core.checklist[/b] module. Once it lands, this screen lists the "
                    "checks tailored to your answers and blueprint, filterable by severity, and the generated "
                    "repository includes them as SECURITY_CHECKLIST.md.\n\nPress [b]Esc[/b] to go back."
                )
            )
            return
        self.query_one("#checklist-summary", Static).update("Building the checklist…")
        self._build(self.state.candidate())

    @work(thread=True, group="checklist", exclusive=True, exit_on_error=False)
    def _build(self, candidate: dict[str, Any]) -> None:
        self.deliver(self._built, services.checklist(candidate))

    def _built(self, outcome: services.Outcome) -> None:
        summary = self.query_one("#checklist-summary", Static)
        if not outcome.ok:
            self.items = []
            self._fill()
            summary.update(
                Content("\n").join(
                    [
                        Content.from_markup("[b $text-error]✖ The checklist cannot be built:[/]"),
                        *(Content.from_markup("  • $line", line=line) for line in outcome.errors),
                    ]
                )
            )
            return
        blueprint_id, items = outcome.value
        self.items = items
        counts = {
            s: sum(1 for i in items if i.severity == s) for s in dict.fromkeys(i.severity for i in items)
        }
        automated = sum(1 for i in items if i.status == "automated")
        summary.update(
            Content.from_markup(
                "[b]$n checks[/b] for [b $accent]$bp[/] ($counts); $auto automated by the generated files",
                n=len(items),
                bp=blueprint_id,
                counts=", ".join(f"{n} {s}" for s, n in counts.items()) or "none",
                auto=automated,
            )
        )
        select = self.query_one("#severity", Select)
        current = select.value
        select.set_options([("All severities", ALL), *((s.capitalize(), s) for s in counts)])
        select.value = current if current in counts or current == ALL else ALL
        self._fill()

    def _fill(self) -> None:
        severity = self.query_one("#severity", Select).value
        table = self.query_one(DataTable)
        table.clear()
        for index, item in enumerate(self.items):
            if severity not in (ALL, item.severity):
                continue
            table.add_row(
                cell(item.severity, self.app, SEVERITY_COLOR.get(item.severity, ""), "bold"),
                cell(item.status, self.app, "text-success" if item.status == "automated" else ""),
                cell(f"{item.title} ({item.category})"),
                key=str(index),
            )
        self._show_detail()

    def _show_detail(self) -> None:
        table = self.query_one(DataTable)
        detail = self.query_one("#checklist-detail-text", Static)
        if not table.row_count:
            detail.update("")
            return
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        item = self.items[int(str(row_key.value))]
        label = "What the generated code does" if item.status == "automated" else "Your action"
        lines = [
            Content.from_markup("[b]$id $title[/b]", id=item.id, title=item.title),
            Content(item.why),
            Content.from_markup("[b]$label:[/b] $action", label=label, action=item.action or "—"),
        ]
        if item.triggered_by:
            lines.append(Content.from_markup("[dim]Because $t[/]", t="; ".join(item.triggered_by)))
        detail.update(Content("\n").join(lines))

    @on(Select.Changed, "#severity")
    def _filter_changed(self) -> None:
        self._fill()

    @on(DataTable.RowHighlighted, "#checklist-table")
    def _row_highlighted(self) -> None:
        self._show_detail()

    def action_focus_filter(self) -> None:
        """Focus the severity filter."""
        self.query_one("#severity", Select).focus()
