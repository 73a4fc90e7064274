"""Provides the question catalogue: one entry per answers key, kept as data in `wizard/data/questions.yaml`.

The catalogue is the single source of truth for prompts, help texts, choices, defaults and the conditions under
which a question is asked. The TUI builds its form from it, `wizard questions` prints it, and the answers
validation takes its "allowed" texts from it; a test keeps it in step with the `Answers` model.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from wizard.core import paths
from wizard.core.conditions import matches
from wizard.core.records import Record, dump, frozen
from wizard.core.yamlio import dump_yaml, load_yaml_file

QuestionType = Literal["string", "text", "integer", "boolean", "choice", "multi_choice"]


class _Frozen(Record):
    __slots__ = ()
    strict = False


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class Choice(_Frozen):
    """One allowed value of a choice question."""

    value: str
    label: str
    help: str
    """One line: what this choice means and what it does to the recommendation."""


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class Section(_Frozen):
    """A group of questions shown together (one TUI step)."""

    id: str
    title: str
    intro: str


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class Question(_Frozen):
    """One question of the wizard, tied to one dotted answers key."""

    key: str
    section: str
    prompt: str
    help: str
    """Why it matters and how it changes the recommendation (learners read this)."""
    type: QuestionType
    default: Any
    allowed: str
    """The human description of allowed values, used in error messages."""
    choices: tuple[Choice, ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    max_length: int | None = None
    placeholder: str = ""
    ask_when: dict[str, Any] | None = None
    """Condition over the other answers; None means always asked."""
    ask_when_text: str = ""
    """The condition in words, for learners ("only when the cloud is aws or any")."""

    def is_asked(self, values: dict[str, Any]) -> bool:
        """Return whether the question applies to these answer values."""
        return matches(self.ask_when, values)

    def choice_values(self) -> tuple[str, ...]:
        """Return the allowed values of a choice question."""
        return tuple(c.value for c in self.choices)


@frozen
@dataclass(frozen=True, slots=True, kw_only=True)
class Catalogue(_Frozen):
    """Every section and question, in the order the wizard asks them."""

    schema_: int = 1
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]

    def by_key(self, key: str) -> Question:
        """Return the question for a dotted answers key."""
        for question in self.questions:
            if question.key == key:
                return question
        raise KeyError(key)

    def in_section(self, section: str) -> tuple[Question, ...]:
        """Return the questions of one section, in order."""
        return tuple(q for q in self.questions if q.section == section)


@cache
def catalogue() -> Catalogue:
    """Load the bundled question catalogue."""
    data = dict(load_yaml_file(paths.data_file("questions.yaml")))
    schema = data.pop("schema", 1)  # popped first: `{**data, ...}` would otherwise keep the key
    return Catalogue.model_validate({**data, "schema_": schema})


def allowed_text(key: str) -> str:
    """Return what is allowed for a dotted key, in words, for error messages."""
    try:
        question = catalogue().by_key(key)
    except KeyError:
        return "see `wizard questions`"
    if question.choices:
        values = " | ".join(question.choice_values())
        return f"any of: {values}" if question.type == "multi_choice" else values
    return question.allowed


def catalogue_data() -> dict[str, Any]:
    """Return the catalogue as plain data, as `wizard questions` prints it."""
    cat = catalogue()
    data: dict[str, Any] = dump(cat, json=True, exclude_none=True)
    data.pop("schema_", None)
    return {"schema": cat.schema_, **data}


def render_catalogue(fmt: str) -> str:
    """Render the catalogue as `yaml` or `json`."""
    data = catalogue_data()
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return dump_yaml(data)
