"""A real-terminal smoke test: `wizard` in a tmux session at 100x30, driven with send-keys through a defaults flow.

Skipped when tmux is missing, except in CI (CI=true), where a missing tmux is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

WIZARD = Path(sys.executable).parent / "wizard"


def _require_tmux() -> str:
    found = shutil.which("tmux")
    if found:
        return found
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail("tmux is not installed; in CI the real-terminal smoke test must run")
    pytest.skip("tmux is not installed")


class Tmux:
    """One detached tmux session on a private server socket."""

    def __init__(self, tmux: str, socket: str, session: str) -> None:
        self.tmux, self.socket, self.session = tmux, socket, session

    def run(self, *args: str) -> str:
        result = subprocess.run(
            [self.tmux, "-L", self.socket, *args], capture_output=True, text=True, timeout=30, check=False
        )
        return result.stdout

    def keys(self, *keys: str, literal: bool = False) -> None:
        self.run("send-keys", "-t", self.session, *(["-l"] if literal else []), *keys)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.session)

    def alive(self) -> bool:
        return self.session in self.run("list-sessions", "-F", "#{session_name}")

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} did not appear within {timeout:.0f} s; the screen was:\n{screen}")


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    binary = _require_tmux()
    if not WIZARD.is_file():
        pytest.fail(f"{WIZARD} is missing: install the project into this environment (pip install -e .)")
    session = Tmux(binary, f"wizard-test-{os.getpid()}", "wizard")
    env = {"TERM": "xterm-256color", "COLORTERM": "truecolor", "LANG": "C.UTF-8"}
    session.run(
        "new-session", "-d", "-s", "wizard", "-x", "100", "-y", "30", "-c", str(tmp_path),
        *(arg for name, value in env.items() for arg in ("-e", f"{name}={value}")),
        str(WIZARD),
    )  # fmt: skip
    try:
        yield session
    finally:
        session.run("kill-server")


@pytest.mark.slow
@pytest.mark.needs_templates("ecs_fargate")
def test_defaults_flow_in_a_real_terminal(tmux: Tmux, tmp_path: Path) -> None:
    tmux.wait_for("Start fresh")
    tmux.keys("Enter")
    tmux.wait_for("Project name")
    tmux.keys("demo", literal=True)
    tmux.wait_for("demo")
    for step in ("Workload", "Data", "Platform", "Components", "Budget", "Blueprint"):
        tmux.keys("C-n")
        tmux.wait_for(f"{step} (")
    tmux.keys("C-n")
    tmux.wait_for("All answers are valid")
    tmux.keys("n")
    tmux.wait_for("Recommended:")
    tmux.keys("w")
    tmux.wait_for("Blueprint: ")
    tmux.keys("Enter")
    screen = tmux.wait_for("Next steps", timeout=60)
    assert "Wrote" in screen
    assert (tmp_path / "demo" / ".wizard" / "answers.yaml").is_file()
    assert (tmp_path / "demo" / "README.md").is_file()
    # Quitting with unsaved answers asks first; "Quit without saving" ends the program.
    tmux.keys("C-q")
    tmux.wait_for("Unsaved answers")
    tmux.keys("Right", "Enter")
    deadline = time.monotonic() + 15
    while tmux.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not tmux.alive()
