"""Provides the lookup of validator binaries, their install hints and a subprocess call that never hangs."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

DEFAULT_TIMEOUT = 120.0
PIP_HINT = 'pip install "deploy-wizard[validate]"'
INSTALL_HINTS: Mapping[str, str] = {
    "terraform": "install Terraform >= 1.5: https://developer.hashicorp.com/terraform/install",
    "kubectl": "install kubectl (it bundles kustomize): https://kubernetes.io/docs/tasks/tools/",
}


_ACTIVE: set[subprocess.Popen[str]] = set()
_ACTIVE_LOCK = threading.Lock()


class ToolMissingError(Exception):
    """A validator binary (or library) is not installed."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name

    @property
    def hint(self) -> str:
        """Return how to install the missing tool."""
        return INSTALL_HINTS.get(self.name, PIP_HINT)


class ToolFailedError(Exception):
    """A validator crashed, timed out or printed output that cannot be parsed."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


@dataclass(frozen=True)
class Completed:
    """The exit status and captured output of one validator run."""

    returncode: int
    stdout: str
    stderr: str


def find_tool(name: str) -> str | None:
    """Return the path of `name` next to the running interpreter (an unactivated venv) or on PATH."""
    beside_python = shutil.which(name, path=str(Path(sys.executable).parent))
    return beside_python or shutil.which(name)


def require(name: str) -> str:
    """Return the path of the binary `name`, or raise ToolMissingError."""
    path = find_tool(name)
    if path is None:
        raise ToolMissingError(name)
    return path


def in_ci(env: Mapping[str, str] | None = None) -> bool:
    """Whether we run in CI (`CI=true`), where a missing validator is a failure, not a skip."""
    value = (os.environ if env is None else env).get("CI", "")
    return value.strip().lower() in {"true", "1", "yes"}


def tail(text: str, lines: int = 12) -> str:
    """Return the last `lines` non-empty lines of `text`."""
    kept = [line.rstrip() for line in text.strip().splitlines() if line.strip()]
    return "\n".join(kept[-lines:])


def run(
    argv: Sequence[str],
    *,
    cwd: Path,
    env: Mapping[str, str] | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    stdin: str | None = None,
) -> Completed:
    """Run one validator and capture its output; raise ToolFailedError if it cannot start or times out.

    The tool runs in its own process group, so a timeout (or `kill_all`) also ends the helpers it
    started (terraform's provider plugins, checkov's workers) instead of waiting on their pipes.
    """
    name = Path(argv[0]).name
    try:
        proc = subprocess.Popen(
            list(argv),
            cwd=cwd,
            env=None if env is None else dict(env),
            stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            errors="replace",
            start_new_session=True,
        )
    except OSError as exc:
        raise ToolFailedError(f"could not start {name}: {exc}") from exc
    with _ACTIVE_LOCK:
        _ACTIVE.add(proc)
    try:
        stdout, stderr = proc.communicate(stdin, timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill(proc)
        proc.communicate()
        raise ToolFailedError(f"{name} timed out after {timeout:g} s") from None
    finally:
        with _ACTIVE_LOCK:
            _ACTIVE.discard(proc)
    return Completed(proc.returncode, stdout or "", stderr or "")


def _kill(proc: subprocess.Popen[str]) -> None:
    try:
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except OSError:
        pass  # already gone


def kill_all() -> None:
    """Kill every validator still running (used when the user interrupts `wizard validate`)."""
    with _ACTIVE_LOCK:
        running = list(_ACTIVE)
    for proc in running:
        _kill(proc)


def crashed(completed: Completed, what: str) -> ToolFailedError:
    """Build the failure for a tool that exited unexpectedly, with the tail of its output."""
    output = tail(completed.stderr) or tail(completed.stdout) or "(no output)"
    return ToolFailedError(f"{what} exited with status {completed.returncode}:\n{output}")
