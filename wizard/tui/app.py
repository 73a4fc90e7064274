"""Provides `WizardApp`, the Textual application of `wizard` / `wizard tui`, and `run_tui` that the CLI calls."""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from wizard.tui import services
from wizard.tui.screens.choice import ChoiceScreen
from wizard.tui.screens.path_prompt import PathPromptScreen
from wizard.tui.screens.welcome import WelcomeScreen
from wizard.tui.state import RawValue, WizardState, save_answers

if TYPE_CHECKING:
    from wizard.core.answers import Answers
    from wizard.tui.screens.base import WizardScreen
    from wizard.tui.screens.questionnaire import QuestionnaireScreen

DEFAULT_ANSWERS_FILE = "answers.yaml"

# Screens past the first are imported when first shown, so start-up pays only for the welcome screen.
SCREEN_CLASSES: dict[str, str] = {
    "questionnaire": "wizard.tui.screens.questionnaire:QuestionnaireScreen",
    "review": "wizard.tui.screens.review:ReviewScreen",
    "recommendation": "wizard.tui.screens.recommendation:RecommendationScreen",
    "compare": "wizard.tui.screens.compare:CompareScreen",
    "preview": "wizard.tui.screens.preview:PreviewScreen",
    "checklist": "wizard.tui.screens.checklist:ChecklistScreen",
    "write": "wizard.tui.screens.write:WriteScreen",
}


def screen_class(name: str) -> type[WizardScreen]:
    """Return the screen class shown under `name`, importing its module on first use."""
    module, _, attribute = SCREEN_CLASSES[name].partition(":")
    cls: type[WizardScreen] = getattr(importlib.import_module(module), attribute)
    return cls


class WizardApp(App[int]):
    """The wizard: welcome, questionnaire, review, recommendation, compare, preview, checklist and write.

    Navigation keeps one questionnaire at the bottom of the stack; other screens are pushed on top of it and
    `show()` pops back to a screen already open instead of stacking a second copy.
    """

    TITLE = "deploy-wizard"
    SUB_TITLE = "from a trained model to a deployable repository"
    CSS_PATH = "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("ctrl+s", "save", "Save", priority=True),
    ]

    def __init__(
        self,
        answers: Answers | None = None,
        answers_path: Path | None = None,
        *,
        cwd: Path | None = None,
    ) -> None:
        super().__init__()
        self.state = WizardState()
        self.cwd = cwd if cwd is not None else Path.cwd()
        self._initial = answers
        if answers is not None:
            self.state.load(answers, answers_path)
        elif answers_path is not None:
            self.state.answers_path = answers_path

    def on_mount(self) -> None:
        """Set up when first shown."""
        if self._initial is not None:
            self._open_questionnaire()
            self.show("review")
        else:
            self.push_screen(WelcomeScreen(self.state))

    # --- navigation -------------------------------------------------------------------------------------

    @property
    def questionnaire(self) -> QuestionnaireScreen | None:
        """Return the questionnaire screen if it is open."""
        kind = screen_class("questionnaire")
        found = next((s for s in self.screen_stack if isinstance(s, kind)), None)
        return cast("QuestionnaireScreen | None", found)

    def _open_questionnaire(self) -> QuestionnaireScreen:
        existing = self.questionnaire
        if existing is not None:
            return existing
        screen = cast("QuestionnaireScreen", screen_class("questionnaire")(self.state))
        if isinstance(self.screen, WelcomeScreen):
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        return screen

    def start_fresh(self) -> None:
        """Leave the welcome screen for the first question."""
        self._open_questionnaire()

    def start_with_answers(self, answers: Answers, path: Path) -> None:
        """Load answers (from the welcome screen or the Open command) and show them on the review page."""
        self.state.load(answers, path)
        questionnaire = self._open_questionnaire()
        self._pop_to(questionnaire)
        if questionnaire.is_mounted:
            questionnaire.sync_from_state()
        self.show("review")
        self.notify(f"Loaded {path}", title="Answers opened")

    def _pop_to(self, screen: Screen[Any]) -> None:
        while self.screen is not screen and len(self.screen_stack) > 1 and screen in self.screen_stack:
            self.pop_screen()

    def _new_screen(self, name: str) -> WizardScreen:
        if name == "write":
            return screen_class(name)(self.state, self.cwd)  # type: ignore[call-arg]
        return screen_class(name)(self.state)

    def show(self, name: str) -> None:
        """Show a screen by name, popping back to it if it is already open, else pushing it."""
        if name == "questionnaire":
            self._pop_to(self._open_questionnaire())
            return
        self._open_questionnaire()
        kind = screen_class(name)
        existing = next((s for s in self.screen_stack if isinstance(s, kind)), None)
        if existing is not None:
            self._pop_to(existing)
            return
        self.push_screen(self._new_screen(name))

    def action_show(self, name: str) -> None:
        """Show a screen by name (for bindings: `app.show('review')`)."""
        if isinstance(self.screen, WelcomeScreen) and name != "questionnaire":
            self._open_questionnaire()
        self.show(name)

    def edit_question(self, key: str) -> None:
        """Jump back to one question in the questionnaire."""
        questionnaire = self._open_questionnaire()
        self._pop_to(questionnaire)
        questionnaire.goto_key(key)

    # --- command palette --------------------------------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Add the wizard's main actions to the command palette (Ctrl+P)."""
        yield SystemCommand("Save answers", "Write the answers file (Ctrl+S)", self.action_save)
        yield SystemCommand("Save answers as…", "Write the answers to a new file", self.action_save_as)
        yield SystemCommand("Open answers…", "Load an answers file", self.action_open)
        yield SystemCommand("Questions", "Go to the questionnaire", lambda: self.action_show("questionnaire"))
        for section_index, section in enumerate(self.state.sections):
            yield SystemCommand(
                f"Go to step: {section.title}",
                section.intro,
                lambda i=section_index: self._goto_section(i),
                discover=False,
            )
        yield SystemCommand("Review answers", "All answers on one page", lambda: self.action_show("review"))
        yield SystemCommand(
            "Recommendation", "The ranked blueprints and why", lambda: self.action_show("recommendation")
        )
        yield SystemCommand(
            "Compare blueprints", "All four side by side", lambda: self.action_show("compare")
        )
        yield SystemCommand(
            "Preview files", "The files that will be written", lambda: self.action_show("preview")
        )
        yield SystemCommand(
            "Security checklist", "Checks tailored to the answers", lambda: self.action_show("checklist")
        )
        yield SystemCommand(
            "Write repository", "Choose a directory and write", lambda: self.action_show("write")
        )
        yield from super().get_system_commands(screen)

    def _goto_section(self, index: int) -> None:
        questionnaire = self._open_questionnaire()
        self._pop_to(questionnaire)
        questionnaire.show_section(index)

    # --- saving and opening -----------------------------------------------------------------------------

    def action_save(self) -> None:
        """Save the answers to their file, asking for a path the first time."""
        if isinstance(self.screen, PathPromptScreen):
            return  # already asking where to save
        if self.state.answers_path is None:
            self.action_save_as()
        else:
            self._save(self.state.answers_path)

    def action_save_as(self, then_quit: bool = False) -> None:
        """Ask for a path, then save the answers there."""
        current = self.state.answers_path
        default = str(current) if current else DEFAULT_ANSWERS_FILE

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._save(path, then_quit=then_quit)

        self.push_screen(PathPromptScreen("Save answers as", "Save", default, self.cwd), chosen)

    def _save(self, path: Path, *, then_quit: bool = False) -> None:
        self._save_worker(self.state.candidate(), self.state.snapshot(), path, then_quit)

    @work(thread=True, group="save", exclusive=True, exit_on_error=False)
    def _save_worker(
        self, candidate: dict[str, Any], snapshot: dict[str, RawValue], path: Path, then_quit: bool
    ) -> None:
        try:
            save_answers(candidate, path)
        except Exception as exc:  # the UI boundary: invalid answers or a disk error
            lines = services.error_lines(exc)
            self.call_from_thread(self._save_failed, path, lines)
            return
        self.call_from_thread(self._saved, path, snapshot, then_quit)

    def _saved(self, path: Path, snapshot: dict[str, RawValue], then_quit: bool) -> None:
        self.state.mark_saved(path, snapshot)
        self.notify(f"Saved to {path}", title="Answers saved")
        if then_quit:
            self.exit(0)

    def _save_failed(self, path: Path, lines: list[str]) -> None:
        more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
        self.notify(f"{lines[0]}{more}", title=f"Not saved to {path}", severity="error", timeout=8)

    def action_open(self) -> None:
        """Ask for an answers file and load it."""

        def chosen(path: Path | None) -> None:
            if path is not None:
                self._open_worker(path)

        self.push_screen(
            PathPromptScreen("Open answers file", "Open", DEFAULT_ANSWERS_FILE, self.cwd), chosen
        )

    @work(thread=True, group="open", exclusive=True, exit_on_error=False)
    def _open_worker(self, path: Path) -> None:
        outcome = services.load_answers_file(path)
        self.call_from_thread(self._opened, path, outcome)

    def _opened(self, path: Path, outcome: services.Outcome) -> None:
        if not outcome.ok:
            self.notify(
                "\n".join(outcome.errors[:3]), title=f"Cannot open {path}", severity="error", timeout=8
            )
            return
        self.start_with_answers(outcome.value, path)

    # --- quitting ---------------------------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Quit, asking first when the answers changed since they were last saved."""
        if not self.state.dirty:
            self.exit(0)
            return
        if isinstance(self.screen, ChoiceScreen):
            return

        def answered(choice: str | None) -> None:
            if choice == "save":
                if self.state.answers_path is None:
                    self.action_save_as(then_quit=True)
                else:
                    self._save(self.state.answers_path, then_quit=True)
            elif choice == "discard":
                self.exit(0)

        where = f" to {self.state.answers_path}" if self.state.answers_path else ""
        self.push_screen(
            ChoiceScreen(
                "Unsaved answers",
                f"Your answers changed since they were last saved{where}. Save them before quitting?",
                [
                    ("save", "Save and quit", "primary"),
                    ("discard", "Quit without saving", "error"),
                    ("cancel", "Cancel", "default"),
                ],
                focus="save",
            ),
            answered,
        )


def run_tui(answers: Answers | None, answers_path: Path | None = None) -> int:
    """Run the wizard in the terminal; return the process exit code."""
    app = WizardApp(answers, answers_path)
    result = app.run()
    if app.return_code:
        return app.return_code
    return int(result or 0)
