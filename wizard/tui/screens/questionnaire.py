"""Provides `QuestionnaireScreen`: the catalogue's sections as steps, validated as you type, with a help panel."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Button, ContentSwitcher, Footer, Header, Input, Static

from wizard.core.answers import DEFAULT_REGION
from wizard.tui.screens.base import WizardScreen
from wizard.tui.state import Validation, WizardState, validate_candidate
from wizard.tui.widgets.help_panel import HelpPanel
from wizard.tui.widgets.question_field import QuestionField, field_id
from wizard.tui.widgets.step_indicator import StepIndicator


def section_id(section: str) -> str:
    """Return the DOM id of a section's scroll container."""
    return f"section-{section}"


class QuestionnaireScreen(WizardScreen):
    """One step per catalogue section; every field of every section stays mounted, so nothing typed is lost."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+b", "back", "Back"),
        Binding("ctrl+n", "next", "Next"),
        Binding("ctrl+r", "app.show('review')", "Review"),
    ]

    def __init__(self, state: WizardState) -> None:
        super().__init__(state)
        self.index = 0
        self.focused_key: str | None = None
        self._highlighted: str | None = None
        self._seq = 0
        self._fields: dict[str, QuestionField] = {}
        self._status: Content | str = ""

    # --- layout -----------------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        state = self.state
        yield Header()
        yield StepIndicator([s.title for s in state.sections], id="steps")
        with Horizontal(id="questionnaire-body"):
            with ContentSwitcher(initial=section_id(state.sections[0].id), id="sections"):
                for section in state.sections:
                    with VerticalScroll(id=section_id(section.id), classes="section"):
                        yield Static(
                            Content.from_markup("[b]$t[/b]", t=section.title), classes="section--title"
                        )
                        yield Static(section.intro, classes="section--intro")
                        for question in state.catalogue.in_section(section.id):
                            yield QuestionField(question, state.get(question.key))
            yield HelpPanel(id="help")
        with Horizontal(id="questionnaire-nav"):
            yield Button("◀ Back", id="back", compact=True)
            yield Static("", id="nav-status")
            yield Button("Next ▶", id="next", variant="primary", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        """Set up when first shown."""
        self._fields = {field.question.key: field for field in self.query(QuestionField)}
        self._apply_visibility()
        self.show_section(self.index)
        self.validate()

    def on_screen_resume(self) -> None:
        """Show what changed elsewhere (a blueprint override, a loaded file) and re-validate."""
        self.sync_from_state()

    def sync_from_state(self) -> None:
        """Set every field from the state, then refresh visibility and problems."""
        for field in self.query(QuestionField):
            field.set_value(self.state.get(field.question.key))
        self._apply_visibility()
        self.validate()

    # --- navigation -------------------------------------------------------------------------------------

    @property
    def fields(self) -> dict[str, QuestionField]:
        """Return every field by key."""
        if not self._fields:
            self._fields = {field.question.key: field for field in self.query(QuestionField)}
        return self._fields

    def show_section(self, index: int, *, focus: bool = True) -> None:
        """Show the section at `index` and focus its first visible question."""
        sections = self.state.sections
        self.index = max(0, min(index, len(sections) - 1))
        section = sections[self.index]
        self.query_one("#sections", ContentSwitcher).current = section_id(section.id)
        self.query_one("#steps", StepIndicator).current = self.index
        self.sub_title = f"{section.title} ({self.index + 1}/{len(sections)})"
        self.query_one("#back", Button).disabled = self.index == 0
        last = self.index == len(sections) - 1
        self.query_one("#next", Button).label = "Review ▶" if last else "Next ▶"
        visible = self.state.visible(section.id)
        if focus and visible:
            field = self.query_one(f"#{field_id(visible[0].key)}", QuestionField)
            field.focus_control()
            self._show_help(visible[0].key)
        elif not visible:
            self.query_one(HelpPanel).show_text(section.title, section.intro)
        self._show_problems()

    def goto_key(self, key: str) -> None:
        """Show the section of a question and focus it (from the review page)."""
        self.show_section(self.state.section_index(key), focus=False)
        field = self.query_one(f"#{field_id(key)}", QuestionField)
        if field.display:
            field.focus_control()
            field.scroll_visible(animate=False)
        self._show_help(key)

    def action_next(self) -> None:
        """Go to the next section, or to the review page after the last one."""
        section = self.state.sections[self.index]
        self.state.touched.update(q.key for q in self.state.visible(section.id))
        self._show_problems()
        if self.index < len(self.state.sections) - 1:
            self.show_section(self.index + 1)
        else:
            self.wizard.show("review")

    def action_back(self) -> None:
        """Go to the previous section."""
        if self.index > 0:
            self.show_section(self.index - 1)

    @on(Button.Pressed, "#next")
    def _next_pressed(self) -> None:
        self.action_next()

    @on(Button.Pressed, "#back")
    def _back_pressed(self) -> None:
        self.action_back()

    @on(StepIndicator.Selected)
    def _step_selected(self, event: StepIndicator.Selected) -> None:
        self.show_section(event.index)

    # --- editing ----------------------------------------------------------------------------------------

    @on(QuestionField.Changed)
    def _field_changed(self, event: QuestionField.Changed) -> None:
        if self.state.get(event.key) == event.value:
            return  # the echo of a value set from the state, not a user edit
        self.state.set(event.key, event.value)
        self._apply_visibility()
        if event.key == self.focused_key:
            self._show_help(event.key)
        self.validate()

    @on(QuestionField.Focused)
    def _field_focused(self, event: QuestionField.Focused) -> None:
        self._highlighted = event.choice
        self._show_help(event.key)

    def _apply_visibility(self) -> None:
        self._region_placeholder()
        asked = self.state.asked()
        for key, field in self.fields.items():
            if field.display != asked[key]:
                field.display = asked[key]

    def _region_placeholder(self) -> None:
        """Show which region an empty region field stands for: the default of the chosen cloud."""
        region = self.fields.get("platform.region")
        cloud = self.state.get("platform.cloud")
        if region is not None and isinstance(region.control, Input) and isinstance(cloud, str):
            default = DEFAULT_REGION.get(cloud)
            region.control.placeholder = f"{default} (follows the cloud)" if default else ""

    def _show_help(self, key: str) -> None:
        self.focused_key = key
        problems = self._problems().get(key, ())
        self.query_one(HelpPanel).show(
            self.state.question(key), self.state.get(key), problems, self._highlighted
        )

    # --- validation -------------------------------------------------------------------------------------

    def validate(self) -> None:
        """Validate the current answers in a worker; stale results are dropped."""
        self._seq += 1
        self._validate(self._seq, self.state.candidate(), self.state.keys)

    @work(thread=True, group="validate", exit_on_error=False)
    def _validate(self, seq: int, candidate: dict[str, Any], keys: list[str]) -> None:
        try:
            result = validate_candidate(candidate, keys)
        except Exception as exc:  # broken core data must show, not crash the form
            result = Validation(None, {}, (f"{type(exc).__name__}: {exc}",))
        self.deliver(self._validated, seq, result)

    def _validated(self, seq: int, result: Validation) -> None:
        if seq != self._seq:
            return
        self.state.validation = result
        self._show_problems()
        if self.focused_key:
            self._show_help(self.focused_key)

    def _problems(self) -> dict[str, tuple[str, ...]]:
        """Return the problems of touched, asked fields (untouched fields are not nagged about)."""
        result = self.state.validation
        if result is None:
            return {}
        asked = self.state.asked()
        return {k: v for k, v in result.fields.items() if k in self.state.touched and asked.get(k, False)}

    def _show_problems(self) -> None:
        problems = self._problems()
        for key, field in self.fields.items():
            field.show_problems(problems.get(key, ()))
        invalid = {self.state.section_index(key) for key in problems}
        self.query_one("#steps", StepIndicator).invalid = frozenset(invalid)
        result = self.state.validation
        general = result.general if result else ()
        here = sum(1 for key in problems if self.state.section_index(key) == self.index)
        status: Content | str = ""
        if here:
            status = Content.from_markup(
                "[$text-error]✖ $n to fix in this step[/]", n=f"{here} answer{'s' if here > 1 else ''}"
            )
        elif general:
            status = Content.from_markup("[$text-error]✖ $m[/]", m=general[0])
        elif problems:
            status = Content.from_markup("[$text-warning]Other steps have answers to fix[/]")
        if status != self._status:
            self._status = status
            self.query_one("#nav-status", Static).update(status)
