"""Provides `WizardScreen`: the base of the wizard's screens (the shared state and safe worker hand-back)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from typing import TYPE_CHECKING, Any, cast

from textual.screen import Screen

from wizard.tui.state import WizardState

if TYPE_CHECKING:
    from wizard.tui.app import WizardApp


class WizardScreen(Screen[None]):
    """A screen that reads and edits the app's `WizardState` and runs core calls in worker threads."""

    def __init__(self, state: WizardState) -> None:
        super().__init__()
        self.state = state

    @property
    def wizard(self) -> WizardApp:
        """Return the running WizardApp (for navigation)."""
        return cast("WizardApp", self.app)

    def on_theme_change(self, callback: Callable[[], None]) -> None:
        """Call `callback` whenever the theme changes (for content coloured from theme variables)."""
        self.app.theme_changed_signal.subscribe(self, lambda _theme: callback())

    def deliver(self, callback: Callable[..., Any], *args: Any) -> None:
        """Run `callback(*args)` on the event loop from a worker thread; drop it if the app has closed."""
        with suppress(RuntimeError):  # the app exited while the worker ran
            self.app.call_from_thread(callback, *args)
