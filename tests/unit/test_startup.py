"""The start-up shortcut of the `wizard` process: pydantic's plugin loader is replaced only when plugins are off."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k != "PYDANTIC_DISABLE_PLUGINS"}
    return subprocess.run(
        [sys.executable, "-c", code], env={**base, **env}, cwd=ROOT, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip


def test_pydantic_itself_finds_no_plugins_when_they_are_disabled() -> None:
    """The stub returns what pydantic's real loader returns with PYDANTIC_DISABLE_PLUGINS set: no plugins."""
    result = run_python(
        "from pydantic.plugin._loader import get_plugins; print(repr(list(get_plugins())))",
        PYDANTIC_DISABLE_PLUGINS="1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_the_cli_path_validates_answers_without_importing_importlib_metadata(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("project: {name: demo}\nworkload: {peak_rps: lots}\n")
    code = (
        "import sys\n"
        "from wizard.cli import main\n"
        f"code = main(['recommend', '--answers', {str(answers)!r}])\n"
        "print('EXIT', code, 'importlib.metadata' in sys.modules)\n"
    )
    result = run_python(code)
    # The model still validates through pydantic: a text peak_rps is refused with the contract's exit code 2.
    assert "workload.peak_rps" in result.stderr
    assert result.stdout.strip().splitlines()[-1] == "EXIT 2 False"


def test_the_loader_is_left_alone_when_plugins_are_enabled() -> None:
    code = (
        "from wizard._startup import skip_pydantic_plugin_discovery\n"
        "print(skip_pydantic_plugin_discovery())\n"
        "import pydantic.plugin._loader as loader\n"
        "print(hasattr(loader, 'PYDANTIC_ENTRY_POINT_GROUP'))\n"
    )
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True"]
