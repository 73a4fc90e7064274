"""Provides `PathPromptScreen`: a modal that asks for a file path (save answers as…, open answers…)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static


class PathPromptScreen(ModalScreen[Path | None]):
    """Dismisses with the typed path (relative paths are taken from `base`), or None on Escape."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, action: str, default: str, base: Path) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.action_label = action
        self.default = default
        self.base = base

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        with Vertical(classes="dialog--box"):
            yield Static(Content.from_markup("[b]$t[/b]", t=self.title_text), classes="dialog--title")
            yield Input(self.default, placeholder="path/to/answers.yaml", id="path")
            yield Static("", id="path-error", classes="dialog--error")
            with Horizontal(classes="dialog--buttons"):
                yield Button(self.action_label, id="ok", variant="primary")
                yield Button("Cancel", id="cancel")

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#ok")
    def _submit(self) -> None:
        text = self.query_one("#path", Input).value.strip()
        if not text:
            self.query_one("#path-error", Static).update("Type a path first.")
            return
        path = Path(text).expanduser()
        self.dismiss(path if path.is_absolute() else self.base / path)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        """Close without a path."""
        self.dismiss(None)
