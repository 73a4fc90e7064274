"""Benchmarks of whole `wizard` processes: median wall time of several runs on this machine.

Usage: python bench/run.py [--runs N] [--only help,recommend,new,validate,tui]
(`tui` needs tmux; it polls the pane every 5 ms, so the figure includes up to that much polling delay.)
Prints one line per measurement; quote these in closing notes (never assert them in tests).

Measured as a user runs it: the `wizard` console script of this environment, with bytecode compiled first (as
pip does when it installs a wheel; PYTHONDONTWRITEBYTECODE is dropped) and one unmeasured warm-up run per
command, so the figures are the warm-cache times of repeated use.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_SCRIPT = Path(sys.executable).parent / "wizard"
WIZARD = [str(_SCRIPT)] if _SCRIPT.is_file() else [sys.executable, "-m", "wizard"]
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
PROFILES = {
    "minimal": "project: {name: demo}\n",
    "regulated": (ROOT.parent / "shared" / "hooks" / "sample-answers.yaml"),
    "gpu": "project: {name: gpu-demo}\nworkload: {gpu: true, model_size_mb: 4000, peak_rps: 200}\n",
    "gcp": "project: {name: gcp-demo}\nplatform: {cloud: gcp}\n",
}


def profile_file(tmp: Path, name: str) -> Path:
    source = PROFILES[name]
    path = tmp / f"{name}.yaml"
    if isinstance(source, Path):
        if not source.is_file():
            source = "project: {name: claims-scorer}\ndata: {sensitivity: regulated, pii: true, compliance: [hipaa]}\n"
        else:
            source = source.read_text()
    path.write_text(source)
    return path


def timed(cmd: list[str], runs: int, setup: object = None) -> list[float]:
    times = []
    for i in range(runs + 1):  # run 0 warms the caches and is not counted
        if callable(setup):
            setup()
        start = time.perf_counter()
        subprocess.run(
            cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=ENV
        )
        if i:
            times.append(time.perf_counter() - start)
    return times


def report(label: str, times: list[float]) -> None:
    print(
        f"{label:<40} median {statistics.median(times):.3f} s  (min {min(times):.3f}, max {max(times):.3f}, "
        f"n={len(times)})"
    )


def tui_first_screen(runs: int) -> list[float]:
    """Seconds from starting `wizard` in a tmux pane until the welcome screen's button is drawn."""
    times = []
    wizard = str(Path(sys.executable).parent / "wizard")
    for i in range(runs):
        session = f"wizard-bench-{i}"
        start = time.perf_counter()
        subprocess.run(
            [
                "tmux",
                "new-session",
                "-d",
                "-s",
                session,
                "-x",
                "100",
                "-y",
                "30",
                "env",
                "-u",
                "PYTHONDONTWRITEBYTECODE",
                wizard,
            ],
            check=True,
        )
        try:
            while time.perf_counter() - start < 10:
                screen = subprocess.run(
                    ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True, check=False
                ).stdout
                if "Start fresh" in screen:
                    break
                time.sleep(0.005)
            times.append(time.perf_counter() - start)
        finally:
            subprocess.run(["tmux", "kill-session", "-t", session], check=False, capture_output=True)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--only", default="help,recommend,new,validate,tui")
    args = parser.parse_args()
    only = set(args.only.split(","))
    compileall.compile_dir(ROOT / "wizard", quiet=1)
    if "tui" in only and shutil.which("tmux"):
        report("wizard (TUI) to first screen", tui_first_screen(args.runs))
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if "help" in only:
            report("wizard --help", timed([*WIZARD, "--help"], args.runs))
        if "recommend" in only:
            for name in PROFILES:
                report(
                    f"wizard recommend ({name})",
                    timed([*WIZARD, "recommend", "--answers", str(profile_file(tmp, name))], args.runs),
                )
        if "new" in only or "validate" in only:
            for name in PROFILES:
                out = tmp / f"repo-{name}"

                def clean(out: Path = out) -> None:
                    shutil.rmtree(out, ignore_errors=True)

                cmd = [*WIZARD, "new", "--answers", str(profile_file(tmp, name)), "--out", str(out)]
                if "new" in only:
                    report(f"wizard new ({name})", timed(cmd, args.runs, clean))
                if "validate" in only:
                    clean()
                    subprocess.run(cmd, check=False, capture_output=True, cwd=ROOT)
                    runs = max(1, min(3, args.runs))
                    report(f"wizard validate ({name})", timed([*WIZARD, "validate", str(out)], runs))


if __name__ == "__main__":
    main()
