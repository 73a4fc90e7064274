"""Provides `QuestionField`: one catalogue question as a form field with the right widget for its type."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.events import DescendantFocus
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from wizard.core.questions import Question
from wizard.tui.state import RawValue


def control_id(key: str) -> str:
    """Return the DOM id of the input widget of a question (`workload.gpu` -> `q-workload-gpu`)."""
    return "q-" + key.replace(".", "-").replace("_", "-")


def field_id(key: str) -> str:
    """Return the DOM id of the QuestionField of a question."""
    return "field-" + key.replace(".", "-").replace("_", "-")


def _region_suggester() -> SuggestFromList | None:
    from wizard.core.answers import region_table

    try:
        table = region_table()
    except Exception:  # a missing data file must not break the form
        return None
    regions = sorted({r for cloud in ("aws", "gcp", "azure") for r in table.get(cloud, [])})
    return SuggestFromList(regions, case_sensitive=False)


class QuestionField(Vertical):
    """A prompt, an input widget chosen by question type, and the core's problem messages for the key.

    string/text/integer -> Input, boolean -> Checkbox, choice -> Select, multi_choice -> SelectionList.
    """

    DEFAULT_CSS = """
    QuestionField {
        height: auto;
        padding: 0 1;
        margin-bottom: 1;
    }
    QuestionField > .field--prompt {
        width: 1fr;
    }
    QuestionField > .field--problems {
        display: none;
        width: 1fr;
    }
    QuestionField.-invalid > .field--problems {
        display: block;
    }
    QuestionField > SelectionList {
        height: auto;
    }
    """

    class Changed(Message):
        """Posted when the user changes the field's value."""

        def __init__(self, field: QuestionField, value: RawValue) -> None:
            super().__init__()
            self.field = field
            self.key = field.question.key
            self.value = value

        @property
        def control(self) -> QuestionField:
            """The field that changed."""
            return self.field

    class Focused(Message):
        """Posted when focus enters the field or a choice in it is highlighted."""

        def __init__(self, field: QuestionField, choice: str | None = None) -> None:
            super().__init__()
            self.field = field
            self.key = field.question.key
            self.choice = choice

    def __init__(self, question: Question, raw: RawValue) -> None:
        super().__init__(id=field_id(question.key))
        self.question = question
        self._raw = raw
        self.problems: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        question = self.question
        label = Content.from_markup("[b]$prompt[/b]", prompt=question.prompt)
        if question.key == "project.name":
            label += Content.from_markup(" [$text-error]*[/]")
        yield Label(label, classes="field--prompt")
        yield self._make_control()
        yield Static("", classes="field--problems")

    def _make_control(self) -> Widget:
        question, raw, cid = self.question, self._raw, control_id(self.question.key)
        if question.type == "boolean":
            return Checkbox("Yes", value=bool(raw), id=cid, compact=True)
        if question.type == "choice":
            options = [(f"{c.label} ({c.value})", c.value) for c in question.choices]
            value = raw if isinstance(raw, str) and raw in question.choice_values() else Select.NULL
            return Select(options, value=value, allow_blank=value is Select.NULL, id=cid, compact=True)
        if question.type == "multi_choice":
            chosen = raw if isinstance(raw, list) else []
            selections = [
                Selection(f"{c.label} ({c.value})", c.value, c.value in chosen) for c in question.choices
            ]
            return SelectionList[str](*selections, id=cid, compact=True)
        return Input(
            value=raw if isinstance(raw, str) else str(raw),
            placeholder=question.placeholder,
            type="integer" if question.type == "integer" else "text",
            max_length=question.max_length or 0,
            suggester=_region_suggester() if question.key == "platform.region" else None,
            id=cid,
            compact=True,
        )

    @property
    def control(self) -> Widget:
        """Return the input widget of the field."""
        return self.query_one(f"#{control_id(self.question.key)}")

    # --- reading and writing the value ------------------------------------------------------------------

    @property
    def value(self) -> RawValue:
        """Return the field's current raw value as its widget holds it."""
        control = self.control
        if isinstance(control, Checkbox):
            return control.value
        if isinstance(control, Select):
            return "" if control.value is Select.NULL else str(control.value)
        if isinstance(control, SelectionList):
            chosen = set(control.selected)
            return [c.value for c in self.question.choices if c.value in chosen]
        assert isinstance(control, Input)
        return control.value

    def set_value(self, raw: RawValue) -> None:
        """Show a raw value (from the state) without it counting as a user edit.

        Change messages still arrive, but carry the value the state already holds, so listeners ignore them.
        """
        self._raw = raw
        if raw == self.value:
            return
        control = self.control
        if isinstance(control, Checkbox):
            control.value = bool(raw)
        elif isinstance(control, Select):
            control.value = (
                raw if isinstance(raw, str) and raw in self.question.choice_values() else Select.NULL
            )
        elif isinstance(control, SelectionList):
            control.deselect_all()
            for item in raw if isinstance(raw, list) else []:
                control.select(item)
        elif isinstance(control, Input):
            control.value = raw if isinstance(raw, str) else str(raw)

    def show_problems(self, problems: Sequence[str]) -> None:
        """Show the core's messages for this key, or clear them."""
        if tuple(problems) == self.problems:
            return
        self.problems = tuple(problems)
        self.set_class(bool(problems), "-invalid")
        text = Content("\n").join(Content.from_markup("✖ $m", m=p) for p in problems)
        self.query_one(".field--problems", Static).update(text)

    def focus_control(self) -> None:
        """Move focus to the input widget."""
        self.control.focus()

    # --- events -----------------------------------------------------------------------------------------

    def _changed(self) -> None:
        value = self.value
        self._raw = value
        self.post_message(self.Changed(self, value))

    @on(Input.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
    @on(SelectionList.SelectedChanged)
    def _on_control_changed(self, event: Message) -> None:
        event.stop()
        self._changed()

    @on(SelectionList.SelectionHighlighted)
    def _on_choice_highlighted(self, event: SelectionList.SelectionHighlighted[Any]) -> None:
        event.stop()
        self.post_message(self.Focused(self, str(event.selection.value)))

    def on_descendant_focus(self, _event: DescendantFocus) -> None:
        """Tell the screen which question has focus, so the help panel follows it."""
        self.post_message(self.Focused(self))
