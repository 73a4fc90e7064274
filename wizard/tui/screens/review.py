"""Provides `ReviewScreen`: every answer on one page, with its problems; any row jumps back to its question."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widgets import DataTable, Footer, Header, Static

from wizard.tui.cells import cell
from wizard.tui.screens.base import WizardScreen
from wizard.tui.state import Validation, validate_candidate

SECTION_ROW = "section:"


def _short(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class ReviewScreen(WizardScreen):
    """All asked questions grouped by section; Enter edits the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("e", "edit", "Edit"),
        Binding("ctrl+n,n", "recommend", "Recommendation"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.validation: Validation | None = None
        self._widths = (0, 0)

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        yield Header()
        yield Static("Checking your answers…", id="review-summary")
        yield DataTable(id="review-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        """Set up when first shown."""
        self.sub_title = "Review"
        self._columns()
        self.refresh_answers()
        self.query_one(DataTable).focus()
        self.on_theme_change(lambda: self._fill(self.validation))

    def on_resize(self) -> None:
        """Fit the question and answer columns to the new width."""
        if self._widths != self._column_widths():
            self._columns()
            self._fill(self.validation)

    def _column_widths(self) -> tuple[int, int]:
        """Return (question, answer) widths: the prompt gets at most half of the terminal."""
        width = max(60, self.app.size.width) - 8
        longest = max(len(q.prompt) for q in self.state.catalogue.questions) + 2
        question = min(longest, width // 2)
        return question, max(20, min(40, width - question))

    def _columns(self) -> None:
        self._widths = self._column_widths()
        question, answer = self._widths
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_column(" ", key="status", width=1)
        table.add_column("Question", key="question", width=question)
        table.add_column("Answer", key="answer", width=answer)
        table.add_column("Problem", key="problem")

    def on_screen_resume(self) -> None:
        """Refresh when shown again: the answers may have changed meanwhile."""
        self.refresh_answers()

    def refresh_answers(self) -> None:
        """Fill the table from the state and validate in a worker."""
        self._fill(self.validation)
        self._validate(self.state.candidate(), self.state.keys)

    @work(thread=True, group="review", exclusive=True, exit_on_error=False)
    def _validate(self, candidate: dict[str, Any], keys: list[str]) -> None:
        try:
            result = validate_candidate(candidate, keys)
        except Exception as exc:  # the UI boundary
            result = Validation(None, {}, (f"{type(exc).__name__}: {exc}",))
        self.deliver(self._validated, result)

    def _validated(self, result: Validation) -> None:
        self.validation = result
        self.state.validation = result
        self._fill(result)
        summary = self.query_one("#review-summary", Static)
        if result.ok:
            summary.update(
                Content.from_markup(
                    "[$text-success]✔ All answers are valid.[/] Press [b]n[/b] for the recommendation, "
                    "[b]Enter[/b] to change an answer."
                )
            )
        else:
            lines = result.all_lines()
            summary.update(
                Content("\n").join(
                    [
                        Content.from_markup(
                            "[$text-error]✖ $n to fix[/] (Enter on a row jumps to it):",
                            n=f"{len(lines)} problem{'s' if len(lines) != 1 else ''}",
                        ),
                        *(Content.from_markup("  • $line", line=line) for line in lines[:4]),
                    ]
                )
            )

    def _fill(self, result: Validation | None) -> None:
        table = self.query_one(DataTable)
        cursor = table.cursor_row
        table.clear()
        problems = result.fields if result else {}
        for section in self.state.sections:
            table.add_row(
                cell(""),
                cell(section.title, self.app, "accent", "bold"),
                cell(""),
                cell(""),
                key=SECTION_ROW + section.id,
            )
            for question in self.state.visible(section.id):
                issues = problems.get(question.key, ())
                table.add_row(
                    cell("✖", self.app, "text-error") if issues else cell("✔", self.app, "success"),
                    cell(_short(f"  {question.prompt}", self._widths[0])),
                    cell(_short(self.state.display(question.key), self._widths[1])),
                    cell(_short(issues[0]) if issues else "", self.app, "text-error"),
                    key=question.key,
                )
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))

    def _key_at_cursor(self) -> str | None:
        table = self.query_one(DataTable)
        if not table.row_count:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return row_key.value

    def action_edit(self) -> None:
        """Jump back to the highlighted question."""
        key = self._key_at_cursor()
        if key:
            self._edit(key)

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self._edit(event.row_key.value)

    def _edit(self, key: str) -> None:
        if key.startswith(SECTION_ROW):
            section = key.removeprefix(SECTION_ROW)
            visible = self.state.visible(section)
            if not visible:
                return
            key = visible[0].key
        self.wizard.edit_question(key)

    def action_recommend(self) -> None:
        """Open the recommendation (refused while answers have problems)."""
        if self.validation is not None and not self.validation.ok:
            self.notify(
                "Fix the answers marked ✖ first (Enter on a row jumps to it).",
                title="Answers have problems",
                severity="error",
            )
            return
        self.wizard.show("recommendation")
