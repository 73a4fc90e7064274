"""Provides `ResultScreen`: what was written, why, what it costs, and the next steps."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Footer, Header, Static

from wizard.tui import services
from wizard.tui.screens.base import WizardScreen
from wizard.tui.state import WizardState


class ResultScreen(WizardScreen):
    """Shown after a successful write; the same summary `wizard new` prints, with numbered next steps."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("q", "app.quit", "Quit", show=False),
    ]

    def __init__(self, state: WizardState, result: services.WriteResult, seconds: float = 0.0) -> None:
        super().__init__(state)
        self.result = result
        self.seconds = seconds

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        yield Header()
        with VerticalScroll(id="result-box"):
            yield Static(self._content(), id="result-text")
            with Horizontal(id="result-buttons"):
                yield Button("Quit", id="quit", variant="primary")
                yield Button("Back to the wizard", id="back")
        yield Footer()

    def on_mount(self) -> None:
        """Set up when first shown."""
        self.sub_title = "Done"
        # Keep the summary's first lines in view: on a small terminal, scrolling to the focused button would hide
        # "Wrote N files to ..." above the fold.
        self.query_one("#quit", Button).focus(scroll_visible=False)

    def _content(self) -> Content:
        lines = services.next_steps(self.result)
        parts = [Content.from_markup("[b $text-success]✔ $line[/]", line=lines[0])]
        for line in lines[1:]:
            style = "$text-warning" if line.startswith("Warning:") else "$foreground"
            parts.append(Content.from_markup(f"[{style}]$line[/]", line=line))
        parts += [Content(""), Content.from_markup("[b]Next steps[/b]")]
        parts += [
            Content.from_markup("  $n. $step", n=i, step=step)
            for i, step in enumerate(services.next_step_commands(self.result.out), 1)
        ]
        if not self.state.answers_path or self.state.dirty:
            parts += [
                Content(""),
                Content.from_markup(
                    "[dim]Your answers are recorded in .wizard/answers.yaml of the repository; "
                    "press Ctrl+S to save them elsewhere too.[/]"
                ),
            ]
        return Content("\n").join(parts)

    @on(Button.Pressed, "#quit")
    async def _quit(self) -> None:
        await self.app.run_action("app.quit")

    @on(Button.Pressed, "#back")
    def _back(self) -> None:
        self.app.pop_screen()
