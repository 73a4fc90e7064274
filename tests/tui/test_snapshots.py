"""SVG snapshot tests of every screen at 80x24 (the smallest size we support), plus the form at 120x40.

Regenerate with `pytest tests/tui/test_snapshots.py --snapshot-update`, then read the SVGs (or the HTML
report of a failed run) before accepting them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from tests.tui.conftest import settle
from wizard.core.answers import parse_answers
from wizard.core.engine import recommend
from wizard.core.render import RenderedFile
from wizard.tui import services
from wizard.tui.app import WizardApp
from wizard.tui.screens.result import ResultScreen

SMALL = (80, 24)
LARGE = (120, 40)
CWD = Path("/nonexistent/projects")
"""A fixed working directory, so paths shown on screen do not depend on the machine."""


@pytest.fixture(autouse=True)
def _steady_cursor(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stop the Input cursor blinking, so a screenshot never depends on when it was taken."""
    monkeypatch.setattr(Input, "_toggle_cursor", lambda self: None)


def fresh() -> WizardApp:
    return WizardApp(cwd=CWD)


def loaded(**sections: Any) -> WizardApp:
    answers = parse_answers(
        {"project": {"name": "churn-predictor", "description": "Predicts churn"}, **sections}
    )
    return WizardApp(answers, Path("answers.yaml"), cwd=CWD)


async def _settle(pilot: Pilot[Any]) -> None:
    await settle(pilot)


def test_welcome(snap_compare: Any) -> None:
    assert snap_compare(fresh(), terminal_size=SMALL)


def test_questionnaire_project_with_a_problem(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.click("#start")
        await settle(pilot)
        await pilot.press(*"Churn")
        await settle(pilot)

    assert snap_compare(fresh(), terminal_size=SMALL, run_before=run_before)


def test_questionnaire_platform_large(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, WizardApp)
        await settle(pilot)
        app.edit_question("platform.ops_experience")
        await settle(pilot)

    assert snap_compare(loaded(), terminal_size=LARGE, run_before=run_before)


def test_review(snap_compare: Any) -> None:
    assert snap_compare(loaded(), terminal_size=SMALL, run_before=_settle)


def test_recommendation(snap_compare: Any) -> None:
    assert snap_compare(loaded(), terminal_size=SMALL, press=["n"], run_before=_settle)


def test_recommendation_gpu_large(snap_compare: Any) -> None:
    app = loaded(workload={"gpu": True})
    assert snap_compare(app, terminal_size=LARGE, press=["n", "down", "down"], run_before=_settle)


def test_compare(snap_compare: Any) -> None:
    assert snap_compare(loaded(), terminal_size=SMALL, press=["n", "c"], run_before=_settle)


STUB_FILES = [
    RenderedFile("README.md", "# churn-predictor\n\nA starter repository.\n"),
    RenderedFile("Dockerfile", "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n"),
    RenderedFile("app/main.py", "from fastapi import FastAPI\n\napp = FastAPI()\n"),
    RenderedFile("infra/envs/prod/main.tf", 'module "service" {\n  source = "../../modules/service"\n}\n'),
    RenderedFile(".github/workflows/deploy.yml", "name: deploy\non: [push]\n"),
]


def test_preview(snap_compare: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The tree and viewer over a fixed file list (real templates are covered by the golden tests)."""
    from wizard.core import render as render_module

    monkeypatch.setattr(render_module, "render", lambda answers, blueprint_id, **_: list(STUB_FILES))
    assert snap_compare(loaded(), terminal_size=SMALL, press=["n", "p"], run_before=_settle)


def test_checklist(snap_compare: Any) -> None:
    assert snap_compare(loaded(), terminal_size=SMALL, press=["n", "k"], run_before=_settle)


def test_checklist_not_available_yet(snap_compare: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "checklist_available", lambda: False)
    assert snap_compare(loaded(), terminal_size=SMALL, press=["n", "k"], run_before=_settle)


def test_write(snap_compare: Any) -> None:
    assert snap_compare(loaded(), terminal_size=SMALL, press=["n", "w"], run_before=_settle)


def test_result(snap_compare: Any) -> None:
    answers = parse_answers({"project": {"name": "churn-predictor"}})
    rec = recommend(answers)
    assert rec.recommended is not None
    files = (RenderedFile("README.md", "# churn-predictor\n"),)
    rendered = services.RenderResult(answers, rec.recommended, rec, files)
    result = services.WriteResult(CWD / "churn-predictor", (Path("README.md"),), rendered)

    async def run_before(pilot: Pilot[Any]) -> None:
        app = pilot.app
        assert isinstance(app, WizardApp)
        await settle(pilot)
        app.push_screen(ResultScreen(app.state, result))
        await settle(pilot)

    assert snap_compare(loaded(), terminal_size=SMALL, run_before=run_before)


def test_quit_dialog(snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.click("#start")
        await settle(pilot)
        await pilot.press(*"demo")
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)

    assert snap_compare(fresh(), terminal_size=SMALL, run_before=run_before)
