"""Provides `WriteScreen`: choose the output directory, then render and write the repository in a worker."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Footer, Header, Input, Label, ProgressBar, Static

from wizard.core.answers import NAME_PATTERN
from wizard.tui import services
from wizard.tui.screens.base import WizardScreen
from wizard.tui.screens.choice import ChoiceScreen
from wizard.tui.state import WizardState


def default_out(state: WizardState) -> str:
    """Return the default output directory: the project name, relative to where the wizard runs."""
    name = state.get("project.name")
    return name if isinstance(name, str) and NAME_PATTERN.match(name) else "deploy-starter"


def target_state(out: Path) -> str:
    """Return `new`, `empty`, `non-empty` or `not-a-directory` for a target path."""
    if not out.exists():
        return "new"
    if not out.is_dir():
        return "not-a-directory"
    return "empty" if not any(out.iterdir()) else "non-empty"


class WriteScreen(WizardScreen):
    """Writes exactly what `wizard new --answers FILE --out DIR` writes; asks before touching a non-empty DIR."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("enter", "write", "Write", priority=True),
    ]

    def __init__(self, state: WizardState, base: Path) -> None:
        super().__init__(state)
        self.base = base
        self.running = False
        self.started = 0.0

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        yield Header()
        with Vertical(id="write-box"):
            yield Static("Checking the blueprint…", id="write-summary")
            yield Label("Output directory (created if missing; relative to where the wizard runs):")
            with Horizontal(id="write-row"):
                yield Input(default_out(self.state), id="out")
                yield Button("Write", id="write", variant="primary")
            yield Static("", id="target-status")
            yield ProgressBar(id="progress", show_eta=False)
            yield Static("", id="phase")
            yield Static("", id="write-error")
        yield Footer()

    def on_mount(self) -> None:
        """Set up when first shown."""
        self.sub_title = "Write the repository"
        self.query_one("#progress").display = False
        self.query_one("#out", Input).focus()
        self._show_target()
        self._describe(self.state.candidate())

    # --- the target -------------------------------------------------------------------------------------

    def out_path(self) -> Path:
        """Return the absolute output directory typed."""
        path = Path(self.query_one("#out", Input).value.strip() or ".").expanduser()
        return path if path.is_absolute() else self.base / path

    @on(Input.Changed, "#out")
    def _show_target(self) -> None:
        out = self.out_path()
        status = {
            "new": "[$text-success]a new directory[/]",
            "empty": "[$text-success]an empty directory[/]",
            "non-empty": "[$text-warning]not empty: you will be asked before generated files are replaced "
            "(your other files are kept)[/]",
            "not-a-directory": "[$text-error]exists and is not a directory: choose another path[/]",
        }[target_state(out)]
        self.query_one("#target-status", Static).update(
            Content.from_markup(f"$path: {status}", path=str(out))
        )

    @work(thread=True, group="write-describe", exclusive=True, exit_on_error=False)
    def _describe(self, candidate: dict[str, Any]) -> None:
        self.deliver(self._described, services.recommendation(candidate))

    def _described(self, outcome: services.Outcome) -> None:
        summary = self.query_one("#write-summary", Static)
        if not outcome.ok:
            summary.update(
                Content("\n").join(
                    [
                        Content.from_markup(
                            "[b $text-error]✖ The answers have problems; fix them before writing:[/]"
                        ),
                        *(Content.from_markup("  • $line", line=line) for line in outcome.errors),
                    ]
                )
            )
            return
        result: services.RecommendationResult = outcome.value
        rec = result.recommendation
        choice = result.answers.blueprint
        blueprint_id = rec.recommended if choice == "auto" else choice
        if blueprint_id is None:
            summary.update(
                Content.from_markup(
                    "[b $text-error]✖ No blueprint is eligible; $w[/]", w="; ".join(rec.warnings)
                )
            )
            return
        chosen = rec.get(blueprint_id)
        how = "recommended" if choice == "auto" else "your choice"
        summary.update(
            Content.from_markup(
                "Blueprint: [b $accent]$name[/] ($id, $how)$runtime, about $cost per month",
                name=chosen.name,
                id=blueprint_id,
                how=how,
                runtime=services.runs_on(chosen),
                cost=f"${chosen.cost.low:,}–${chosen.cost.high:,}",
            )
        )

    # --- writing ----------------------------------------------------------------------------------------

    @on(Button.Pressed, "#write")
    def action_write(self) -> None:
        """Write the repository, asking first when the directory is not empty."""
        if self.running:
            return
        out = self.out_path()
        state = target_state(out)
        if state == "not-a-directory":
            self._show_errors([f"{out} exists and is not a directory; choose another path"])
            return
        if state == "non-empty":
            dialog = ChoiceScreen(
                "Directory is not empty",
                f"{out} already has files. Replace the files the wizard generates? Your other files are kept.",
                [("replace", "Replace generated files", "warning"), ("cancel", "Cancel", "primary")],
                focus="cancel",
            )

            def answered(choice: str | None) -> None:
                if choice == "replace":
                    self._start(out, force=True)

            self.app.push_screen(dialog, answered)
            return
        self._start(out, force=False)

    def _start(self, out: Path, *, force: bool) -> None:
        self.running = True
        self.started = time.perf_counter()
        self._show_errors([])
        self.query_one("#write", Button).disabled = True
        progress = self.query_one("#progress", ProgressBar)
        progress.display = True
        progress.update(total=None, progress=0)
        self._write(self.state.candidate(), out, force)

    @work(thread=True, group="write", exclusive=True, exit_on_error=False)
    def _write(self, candidate: dict[str, Any], out: Path, force: bool) -> None:
        outcome = services.write(
            candidate,
            out,
            force=force,
            phase=lambda text: self.deliver(self._phase, text),
            progress=lambda done, total: self.deliver(self._progress, done, total),
        )
        self.deliver(self._written, outcome)

    def _phase(self, text: str) -> None:
        self.query_one("#phase", Static).update(text)

    def _progress(self, done: int, total: int) -> None:
        self.query_one("#progress", ProgressBar).update(total=total, progress=done)

    def _written(self, outcome: services.Outcome) -> None:
        self.running = False
        self.query_one("#write", Button).disabled = False
        if not outcome.ok:
            self.query_one("#progress").display = False
            self._phase("")
            self._show_errors(list(outcome.errors))
            return
        from wizard.tui.screens.result import ResultScreen

        self.app.switch_screen(ResultScreen(self.state, outcome.value, time.perf_counter() - self.started))

    def _show_errors(self, lines: list[str]) -> None:
        error = self.query_one("#write-error", Static)
        if lines:
            error.update(
                Content("\n").join(
                    [
                        Content.from_markup("[b $text-error]✖ Nothing was written:[/]"),
                        *(Content.from_markup("  • $line", line=line) for line in lines),
                    ]
                )
            )
        else:
            error.update("")
