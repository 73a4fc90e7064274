"""Provides `WelcomeScreen`: what the wizard does, and a choice between starting fresh and opening answers."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Footer, Header, Input, Label, Static

from wizard.tui import services
from wizard.tui.screens.base import WizardScreen

INTRO = (
    "Answer a few questions about your model, its traffic, data and team.",
    "Get a ranked recommendation: App Runner, ECS on Fargate, Elastic Beanstalk or Kubernetes, with costs.",
    "Write a starter repository: Terraform, Docker, CI/CD and a tailored security checklist.",
)


class WelcomeScreen(WizardScreen):
    """The first screen: three lines about the wizard, start fresh, or open an answers file by path."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+o", "focus_path", "Open file"),
    ]

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        yield Header()
        with Center(), Vertical(id="welcome-box"):
            yield Static(Content.from_markup("[b $accent]deploy-wizard[/]"), id="welcome-title")
            yield Static(
                Content("\n").join(Content.from_markup("• $line", line=line) for line in INTRO),
                id="welcome-intro",
            )
            yield Button("Start fresh", id="start", variant="primary")
            yield Label("…or open an answers file:", id="open-label")
            with Horizontal(id="open-row"):
                yield Input(placeholder="path/to/answers.yaml", id="answers-path")
                yield Button("Open", id="open")
            yield Static("", id="welcome-error")
        yield Footer()

    def on_mount(self) -> None:
        """Set up when first shown."""
        self.query_one("#start", Button).focus()

    def action_focus_path(self) -> None:
        """Move focus to the answers-file path."""
        self.query_one("#answers-path", Input).focus()

    @on(Button.Pressed, "#start")
    def _start(self) -> None:
        self.wizard.start_fresh()

    @on(Button.Pressed, "#open")
    @on(Input.Submitted, "#answers-path")
    def _open(self) -> None:
        text = self.query_one("#answers-path", Input).value.strip()
        if not text:
            self._show_errors(["type the path of an answers file first"])
            return
        self._show_errors([])
        self._load(Path(text).expanduser())

    @work(thread=True, group="load", exit_on_error=False)
    def _load(self, path: Path) -> None:
        outcome = services.load_answers_file(path)
        self.deliver(self._loaded, path, outcome)

    def _loaded(self, path: Path, outcome: services.Outcome) -> None:
        if not outcome.ok:
            self._show_errors(list(outcome.errors))
            return
        self.wizard.start_with_answers(outcome.value, path)

    def _show_errors(self, lines: list[str]) -> None:
        error = self.query_one("#welcome-error", Static)
        error.update(Content("\n").join(Content.from_markup("✖ $line", line=line) for line in lines))
        error.display = bool(lines)
