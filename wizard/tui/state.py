"""Provides the wizard's answers state as typed: raw field values, conditions, candidates and validation.

This module is pure Python (no Textual). The TUI keeps every field exactly as the user typed it here, valid or
not, so that nothing is lost when moving between steps; a *candidate* dict is built from the raw values for the
core's `parse_answers`, and the core's problem lines are mapped back to fields by their dotted key.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wizard.core.answers import DEFAULT_REGION, SCHEMA_VERSION, Answers, dump_answers, parse_answers
from wizard.core.questions import Catalogue, Question, Section, catalogue
from wizard.errors import AnswersError, WizardError

RawValue = str | bool | list[str]
"""What a field holds: text for string/text/integer/choice questions, a bool, or the chosen items."""

SOURCE = "answers"
"""The source name passed to `parse_answers`; problem lines start with it."""

_INTEGER = re.compile(r"^\s*[+-]?\d+\s*$")
_LEADING_KEY = re.compile(r"^(?P<key>[a-z_]+(?:\.[a-z_]+)*)(?:\[\d+\])?: (?P<message>.*)$", re.DOTALL)


def initial_raw(question: Question) -> RawValue:
    """Return the raw value a field starts with: the catalogue default, as the field's widget holds it."""
    default = question.default
    if question.type == "boolean":
        return bool(default)
    if question.type == "multi_choice":
        return [str(item) for item in (default or [])]
    if default is None:
        return ""
    return str(default)


def raw_from_value(question: Question, value: Any) -> RawValue:
    """Return the raw field value for a validated answer value."""
    if question.type == "boolean":
        return bool(value)
    if question.type == "multi_choice":
        return [str(item) for item in value]
    return "" if value is None else str(value)


def convert(question: Question, raw: RawValue) -> Any:
    """Return the value a raw field contributes to the candidate answers.

    Integers that do not parse stay text, so the core reports them with its own message.
    """
    if question.type == "integer" and isinstance(raw, str) and _INTEGER.match(raw):
        return int(raw.strip())
    if isinstance(raw, list):
        return list(raw)
    return raw


def _set_dotted(target: dict[str, Any], dotted: str, value: Any) -> None:
    *parents, leaf = dotted.split(".")
    for part in parents:
        target = target.setdefault(part, {})
    target[leaf] = value


@dataclass(frozen=True)
class Validation:
    """The outcome of validating one candidate: the answers, or problems per field and in general."""

    answers: Answers | None
    fields: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Problem messages per dotted key (the `answers: key:` prefix removed)."""
    general: tuple[str, ...] = ()
    """Problems that name no question (shown in a banner)."""

    @property
    def ok(self) -> bool:
        """Return whether the candidate is valid answers."""
        return self.answers is not None

    def all_lines(self) -> list[str]:
        """Return every problem as one line each, keyed fields first."""
        lines = [f"{key}: {message}" for key, messages in self.fields.items() for message in messages]
        return lines + list(self.general)


def map_problems(
    lines: Iterable[str], keys: Iterable[str]
) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    """Map the core's problem lines to dotted keys.

    A line `answers: workload.peak_rps: found ...` goes to `workload.peak_rps` with the text after the key; a
    contradiction goes to every question key it names, so both fields show it.
    """
    known = list(keys)
    per_key: dict[str, list[str]] = {}
    general: list[str] = []
    for line in lines:
        text = line.removeprefix(f"{SOURCE}: ")
        match = _LEADING_KEY.match(text)
        key = match.group("key") if match else ""
        if match is None or key not in known:
            general.append(text)
            continue
        if "contradicts" in text:
            for other in known:
                if re.search(rf"(?<![\w.]){re.escape(other)}(?![\w])", text):
                    per_key.setdefault(other, []).append(text)
            continue
        per_key.setdefault(key, []).append(match.group("message"))
    return {key: tuple(messages) for key, messages in per_key.items()}, tuple(general)


def validate_candidate(candidate: dict[str, Any], keys: Iterable[str]) -> Validation:
    """Validate a candidate with the core and map its problems to keys; also check a blueprint override.

    Runs in a worker thread: it touches no UI state.
    """
    known = list(keys)
    try:
        answers = parse_answers(candidate, SOURCE)
    except AnswersError as exc:
        fields, general = map_problems(exc.problems, known)
        return Validation(None, fields, general)
    if answers.blueprint != "auto":
        from wizard.core.engine import resolve_blueprint

        try:
            resolve_blueprint(answers)
        except AnswersError as exc:
            fields, general = map_problems(exc.problems, known)
            return Validation(None, fields, general)
        except WizardError as exc:  # broken blueprint data: report, the answers themselves may be fine
            return Validation(answers, {}, (str(exc),))
    return Validation(answers)


class WizardState:
    """Every field as typed, which fields were touched, where the answers file lives and whether it is saved."""

    def __init__(self, cat: Catalogue | None = None) -> None:
        self.catalogue = cat if cat is not None else catalogue()
        self.raw: dict[str, RawValue] = {q.key: initial_raw(q) for q in self.catalogue.questions}
        self.touched: set[str] = set()
        """Keys the user changed or walked past; only their problems are shown in the form."""
        self.answers_path: Path | None = None
        self.validation: Validation | None = None
        """The latest validation result, set by the UI when a worker finishes."""
        self._saved: dict[str, RawValue] = copy.deepcopy(self.raw)

    # --- catalogue helpers ------------------------------------------------------------------------------

    @property
    def sections(self) -> tuple[Section, ...]:
        """Return the sections in order (one questionnaire step each)."""
        return self.catalogue.sections

    @property
    def keys(self) -> list[str]:
        """Return every question key in catalogue order."""
        return [q.key for q in self.catalogue.questions]

    def question(self, key: str) -> Question:
        """Return the question for a key."""
        return self.catalogue.by_key(key)

    def section_index(self, key: str) -> int:
        """Return the index of the section that asks `key`."""
        section = self.question(key).section
        return next(i for i, s in enumerate(self.sections) if s.id == section)

    # --- values -----------------------------------------------------------------------------------------

    def get(self, key: str) -> RawValue:
        """Return the raw value of a field."""
        return self.raw[key]

    def set(self, key: str, value: RawValue) -> bool:
        """Set a field as typed; return whether it changed. Marks the field touched."""
        if key not in self.raw:
            raise KeyError(key)
        changed = self.raw[key] != value
        self.raw[key] = list(value) if isinstance(value, list) else value
        if changed:
            self.touched.add(key)
        return changed

    def values(self) -> dict[str, Any]:
        """Return nested values over every key, for `Question.is_asked`.

        Text that is not a valid integer falls back to the default so conditions never compare text with
        numbers; validation reports it separately.
        """
        data: dict[str, Any] = {"schema": SCHEMA_VERSION}
        for question in self.catalogue.questions:
            value = convert(question, self.raw[question.key])
            if question.type == "integer" and not isinstance(value, int):
                value = question.default
            _set_dotted(data, question.key, value)
        return data

    def is_asked(self, key: str, values: dict[str, Any] | None = None) -> bool:
        """Return whether the question applies to the current answers."""
        return self.question(key).is_asked(values if values is not None else self.values())

    def asked(self) -> dict[str, bool]:
        """Return, for every key, whether its question is asked now."""
        values = self.values()
        return {q.key: q.is_asked(values) for q in self.catalogue.questions}

    def visible(self, section: str) -> list[Question]:
        """Return the questions of a section that are asked now, in order."""
        values = self.values()
        return [q for q in self.catalogue.in_section(section) if q.is_asked(values)]

    def candidate(self) -> dict[str, Any]:
        """Return the answers dict to validate: every asked question's converted value.

        Questions not asked are left out, so the core applies their defaults and a stale hidden value (say
        `model_hosting: sagemaker` after switching to gcp) cannot cause a contradiction.
        """
        values = self.values()
        data: dict[str, Any] = {"schema": SCHEMA_VERSION}
        for question in self.catalogue.questions:
            if question.is_asked(values):
                _set_dotted(data, question.key, convert(question, self.raw[question.key]))
        return data

    def validate(self) -> Validation:
        """Validate the current candidate (synchronously; the UI calls `validate_candidate` in a worker)."""
        return validate_candidate(self.candidate(), self.keys)

    def display(self, key: str) -> str:
        """Return a field's raw value as one line of text for the review page."""
        question = self.question(key)
        raw = self.raw[key]
        if isinstance(raw, bool):
            return "yes" if raw else "no"
        if isinstance(raw, list):
            labels = {c.value: c.label for c in question.choices}
            return ", ".join(labels.get(item, item) for item in raw) or "none"
        if question.type == "choice":
            labels = {c.value: c.label for c in question.choices}
            return labels.get(raw, raw)
        if key == "platform.region" and raw == "":
            return "(follows the cloud)"
        return raw if raw != "" else "(empty)"

    # --- loading and saving -----------------------------------------------------------------------------

    def load(self, answers: Answers, path: Path | None) -> None:
        """Replace every field with validated answers (from a file); the state counts as saved."""
        values = answers.values()
        for question in self.catalogue.questions:
            value: Any = values
            for part in question.key.split("."):
                value = value[part]
            self.raw[question.key] = raw_from_value(question, value)
        if self.raw["platform.region"] == DEFAULT_REGION.get(answers.platform.cloud):
            self.raw["platform.region"] = ""  # the default: keep following the cloud if it changes
        self.touched = set(self.raw)
        self.answers_path = path
        self.validation = None
        self._saved = copy.deepcopy(self.raw)

    @property
    def dirty(self) -> bool:
        """Return whether anything changed since the last save or load (or since the start)."""
        return self.raw != self._saved

    def mark_saved(self, path: Path, snapshot: dict[str, RawValue]) -> None:
        """Record that `snapshot` (the raw values that were validated) was written to `path`."""
        self.answers_path = path
        self._saved = copy.deepcopy(snapshot)

    def snapshot(self) -> dict[str, RawValue]:
        """Return a deep copy of the raw values, for a worker or for `mark_saved`."""
        return copy.deepcopy(self.raw)


def save_answers(candidate: dict[str, Any], path: Path) -> Answers:
    """Validate a candidate and write it as a complete answers file; raise AnswersError or OSError."""
    answers = parse_answers(candidate, SOURCE)
    text = dump_answers(answers)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8", newline="\n")
    return answers
