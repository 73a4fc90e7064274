"""The core never imports a UI library, and the headless commands never import Textual (start-up speed)."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import wizard.core

ROOT = Path(__file__).resolve().parents[2]
UI_MODULES = ("textual", "rich")
VALIDATION_LIBRARIES = ("pydantic", "pydantic_core")
"""The wizard validates with `wizard.core.records`; pydantic alone cost ~200 ms of every `wizard new`."""

PROBE = """
import json, sys, contextlib, io
sys.argv = ["wizard", *{args!r}]
from wizard.cli import main
with contextlib.redirect_stdout(io.StringIO()):
    try:
        main(sys.argv[1:])
    except SystemExit:
        pass
print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {ui!r})))
"""


def loaded_ui_modules(*args: str, packages: tuple[str, ...] = UI_MODULES) -> list[str]:
    code = PROBE.format(args=list(args), ui=packages)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, timeout=60
    )
    return list(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.fixture(scope="module")
def answers_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("hygiene") / "a.yaml"
    path.write_text("project: {name: demo}\n")
    return str(path)


def test_help_imports_no_ui() -> None:
    assert loaded_ui_modules("--help") == []


def test_recommend_imports_no_ui(answers_file: str) -> None:
    assert loaded_ui_modules("recommend", "--answers", answers_file, "--format", "json") == []


def test_compare_imports_no_ui(answers_file: str) -> None:
    assert loaded_ui_modules("compare", "--answers", answers_file) == []


def test_every_core_module_imports_without_ui() -> None:
    names = [f"wizard.core.{m.name}" for m in pkgutil.iter_modules(wizard.core.__path__)]
    code = (
        "import json, sys\n"
        f"for name in {names!r}: __import__(name)\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {UI_MODULES!r})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, timeout=60
    )
    assert json.loads(out.stdout) == []
    assert len(names) >= 10


def test_the_tui_starts_without_the_renderer_or_the_engine() -> None:
    """The welcome screen needs neither Jinja nor the recommendation engine; they load on first use."""
    code = (
        "import sys, json\n"
        "import wizard.tui.app\n"
        "print(json.dumps(sorted(m for m in ('jinja2', 'wizard.core.render', 'wizard.core.engine',"
        " 'wizard.tui.screens.preview') if m in sys.modules)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []


def test_the_checklist_module_imports_no_pydantic() -> None:
    code = (
        "import json, sys\n"
        "import wizard.core.checklist as checklist\n"
        "checklist.load_catalogue()\n"
        f"print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in {VALIDATION_LIBRARIES!r})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT, timeout=60
    )
    assert json.loads(out.stdout) == []


def test_new_and_checklist_import_no_pydantic(answers_file: str, tmp_path: Path) -> None:
    """`wizard new` builds the checklist too (SECURITY_CHECKLIST.md); neither command loads pydantic."""
    out = tmp_path / "repo"
    assert (
        loaded_ui_modules("new", "--answers", answers_file, "--out", str(out), packages=VALIDATION_LIBRARIES)
        == []
    )
    assert (out / "SECURITY_CHECKLIST.md").is_file()
    assert loaded_ui_modules("checklist", "--answers", answers_file, packages=VALIDATION_LIBRARIES) == []
