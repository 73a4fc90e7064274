"""Provides `ChoiceScreen`: a modal question with a few buttons (confirm overwrite, quit with unsaved answers)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

Variant = Literal["default", "primary", "success", "warning", "error"]


class ChoiceScreen(ModalScreen[str | None]):
    """Asks one question; dismisses with the id of the button pressed, or None on Escape."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel"),
        Binding("left", "app.focus_previous", show=False),
        Binding("right", "app.focus_next", show=False),
    ]

    def __init__(
        self,
        title: str,
        message: str,
        choices: Sequence[tuple[str, str, Variant]],
        *,
        focus: str | None = None,
    ) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.message = message
        self.choices = tuple(choices)
        self.initial_focus = focus or self.choices[-1][0]

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        with Vertical(classes="dialog--box"):
            yield Static(Content.from_markup("[b]$t[/b]", t=self.title_text), classes="dialog--title")
            yield Static(self.message, classes="dialog--message")
            with Horizontal(classes="dialog--buttons"):
                for choice_id, label, variant in self.choices:
                    yield Button(label, id=choice_id, variant=variant)

    def on_mount(self) -> None:
        """Set up when first shown."""
        self.query_one(f"#{self.initial_focus}", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
