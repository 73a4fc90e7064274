"""Provides the calls into the core that screens run in worker threads, each returning a result or an error.

Nothing here touches Textual. Every function catches what the core can raise (bad answers, broken blueprint
data, missing or failing templates, disk errors) and returns it as text, because the UI shows errors rather than
crashing. The security checklist is reached through a small adapter that imports `wizard.core.checklist` lazily
and reads its items by attribute name, so the screen degrades to a message when the module is missing.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wizard.errors import AnswersError, WizardError
from wizard.tui.state import SOURCE

if TYPE_CHECKING:  # the core's heavier modules (Jinja, the engine) load on first use, after the first screen
    from wizard.core.answers import Answers
    from wizard.core.compare import Comparison
    from wizard.core.engine import Assessment, Recommendation
    from wizard.core.render import RenderedFile


def error_lines(exc: BaseException) -> list[str]:
    """Return an exception as the lines the UI shows (a core error's own lines, else its type and text)."""
    if isinstance(exc, AnswersError):
        return [line.removeprefix(f"{SOURCE}: ") for line in exc.problems]
    if isinstance(exc, WizardError):
        return str(exc).splitlines() or [type(exc).__name__]
    return [f"{type(exc).__name__}: {exc}"]


@dataclass(frozen=True)
class Outcome:
    """A worker's result: a value or the error lines."""

    value: Any = None
    errors: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Return whether the call succeeded."""
        return not self.errors


def _guard(call: Callable[[], Any]) -> Outcome:
    try:
        return Outcome(call())
    except Exception as exc:  # the UI boundary: every failure becomes a message on screen
        return Outcome(None, tuple(error_lines(exc)))


def _answers(candidate: dict[str, Any]) -> Answers:
    from wizard.core.answers import parse_answers

    return parse_answers(candidate, SOURCE)


# --- recommendation and comparison --------------------------------------------------------------------


@dataclass(frozen=True)
class RecommendationResult:
    """The answers, their recommendation and the blueprint the answers choose (`auto` or an override)."""

    answers: Answers
    recommendation: Recommendation


def recommendation(candidate: dict[str, Any]) -> Outcome:
    """Return an Outcome holding a RecommendationResult for a candidate."""
    from wizard.core.engine import recommend

    def run() -> RecommendationResult:
        answers = _answers(candidate)
        return RecommendationResult(answers, recommend(answers))

    return _guard(run)


def comparison(candidate: dict[str, Any]) -> Outcome:
    """Return an Outcome holding the core's Comparison for a candidate."""
    from wizard.core.compare import compare

    def run() -> Comparison:
        return compare(_answers(candidate))

    return _guard(run)


# --- rendering and writing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RenderResult:
    """The rendered repository and what it was rendered for."""

    answers: Answers
    blueprint_id: str
    recommendation: Recommendation
    files: tuple[RenderedFile, ...]


def render_repository(candidate: dict[str, Any]) -> Outcome:
    """Resolve the blueprint as `wizard new` does (override or recommendation) and render every file."""
    from wizard.core.engine import resolve_blueprint
    from wizard.core.render import render

    def run() -> RenderResult:
        answers = _answers(candidate)
        blueprint_id, rec = resolve_blueprint(answers)
        return RenderResult(
            answers, blueprint_id, rec, tuple(render(answers, blueprint_id, recommendation=rec))
        )

    return _guard(run)


@dataclass(frozen=True)
class WriteResult:
    """A written repository: where, how many files, and the lines of the result screen."""

    out: Path
    written: tuple[Path, ...]
    render: RenderResult


def write(
    candidate: dict[str, Any],
    out: Path,
    *,
    force: bool,
    phase: Callable[[str], None],
    progress: Callable[[int, int], None],
) -> Outcome:
    """Render and write the repository exactly as `wizard new --answers FILE --out DIR [--force]` does."""
    from wizard.core.engine import resolve_blueprint
    from wizard.core.render import render
    from wizard.core.writer import check_target, write_repository

    def run() -> WriteResult:
        check_target(out, force)
        phase("Rendering templates…")
        answers = _answers(candidate)
        blueprint_id, rec = resolve_blueprint(answers)
        files = tuple(render(answers, blueprint_id, recommendation=rec))
        phase(f"Writing {len(files)} files…")
        written = write_repository(files, out, force=force, progress=progress)
        return WriteResult(out, tuple(written), RenderResult(answers, blueprint_id, rec, files))

    return _guard(run)


def runs_on(assessment: Assessment) -> str:
    """Return ` on RUNTIME`, or nothing when the runtime is the blueprint's own name."""
    return f" on {assessment.runtime}" if assessment.runtime != assessment.name else ""


def next_steps(result: WriteResult) -> list[str]:
    """Return the result screen's summary and next steps (the same as `wizard new` prints)."""
    rendered = result.render
    rec = rendered.recommendation
    chosen = rec.get(rendered.blueprint_id)
    out = result.out
    lines = [
        f"Wrote {len(result.written)} files to {out} with the {chosen.name} blueprint "
        f"({rendered.blueprint_id}){runs_on(chosen)}.",
    ]
    if rendered.blueprint_id == rec.recommended:
        why = "; ".join(r.lstrip("+ ") for r in chosen.reasons if r.startswith("+"))
        if why:
            lines.append(f"Why: {why}")
    else:
        lines.append(f"You chose it; the recommendation was {rec.recommended}.")
    lines.append(f"Estimated cost: ${chosen.cost.low:,}-${chosen.cost.high:,} per month (see README.md).")
    lines += [f"Warning: {warning}" for warning in chosen.warnings]
    return lines


def next_step_commands(out: Path) -> list[str]:
    """Return the numbered next steps after writing."""
    return [
        f"Read {out}/README.md (deploy guide) and {out}/SECURITY_CHECKLIST.md if present",
        f"wizard validate {out}",
        f"cd {out}/infra/bootstrap && terraform init && terraform apply",
    ]


# --- the security checklist -------------------------------------------------------------------------

CHECKLIST_MODULE = "wizard.core.checklist"
SEVERITY_ORDER = ("critical", "high", "medium", "low")


@dataclass(frozen=True)
class ChecklistItem:
    """One checklist entry as the screen shows it (read from the core's item by attribute name)."""

    id: str
    severity: str
    status: str
    """`automated` (the generated files implement it) or `manual` (a person must act)."""
    title: str
    category: str
    why: str
    action: str
    """For manual items what to do, for automated ones what the generated code does."""
    triggered_by: tuple[str, ...] = ()


def checklist_available() -> bool:
    """Return whether the core's checklist module can be imported."""
    try:
        importlib.import_module(CHECKLIST_MODULE)
    except ImportError:
        return False
    return True


def _text(item: object, name: str) -> str:
    value = getattr(item, name, None)
    return "" if value is None else str(value)


def _item(item: object) -> ChecklistItem:
    status = _text(item, "status") or "manual"
    action = _text(item, "summary") if status == "automated" else _text(item, "your_action")
    return ChecklistItem(
        id=_text(item, "id"),
        severity=_text(item, "severity").lower() or "low",
        status=status,
        title=_text(item, "title"),
        category=_text(item, "category"),
        why=_text(item, "why"),
        action=action,
        triggered_by=tuple(str(t) for t in getattr(item, "triggered_by", ()) or ()),
    )


def checklist(candidate: dict[str, Any]) -> Outcome:
    """Return an Outcome holding (blueprint id, list of ChecklistItem), via `wizard.core.checklist`."""
    from wizard.core.engine import resolve_blueprint

    def run() -> tuple[str, list[ChecklistItem]]:
        module = importlib.import_module(CHECKLIST_MODULE)
        answers = _answers(candidate)
        blueprint_id, _ = resolve_blueprint(answers)
        built = module.build_checklist(answers, blueprint_id)
        items = [_item(item) for item in built.items]
        rank = {name: i for i, name in enumerate(SEVERITY_ORDER)}
        items.sort(key=lambda item: rank.get(item.severity, len(rank)))
        return blueprint_id, items

    return _guard(run)


# --- answers files --------------------------------------------------------------------------------------


def load_answers_file(path: Path) -> Outcome:
    """Return an Outcome holding the validated Answers of a file."""
    from wizard.core.answers import load_answers

    return _guard(lambda: load_answers(path))
