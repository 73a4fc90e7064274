"""Benchmarks of whole `wizard` processes: median wall time of several runs on this machine.

Usage: python bench/run.py [--runs N] [--only help,recommend,new,validate,tui,matrix]
(`tui` needs tmux; it polls the pane every 5 ms, so the figure includes up to that much polling delay.)
Prints one line per measurement; quote these in closing notes (never assert them in tests).

Measured as a user runs it: the `wizard` console script of this environment, with bytecode compiled first (as
pip does when it installs a wheel; PYTHONDONTWRITEBYTECODE is dropped) and one unmeasured warm-up run per
command, so the figures are the warm-cache times of repeated use.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import re
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


# One profile per blueprint (and cluster) for `--only matrix`: rendered and validated once each, with the
# per-tool seconds and the number of checkov checks suppressed inline (each one carries its reason).
MATRIX = {
    "ecs": "project: {name: ecs-demo}\ncomponents: {database: postgres}\n",
    "ecs-regulated": "project: {name: ecs-reg}\ndata: {sensitivity: regulated, pii: true, compliance: [hipaa]}\n"
    "components: {database: postgres, domain: api.example.com}\n",
    "app-runner": "project: {name: apr-demo}\nplatform: {existing_app_runner: true}\nblueprint: app_runner\n"
    "components: {database: postgres}\n",
    "beanstalk": "project: {name: eb-demo}\nblueprint: elastic_beanstalk\ncomponents: {database: postgres}\n",
    "beanstalk-sagemaker": "project: {name: eb-sm}\nblueprint: elastic_beanstalk\n"
    "components: {model_hosting: sagemaker}\n",
    "eks-gpu": "project: {name: eks-gpu}\nworkload: {gpu: true, model_size_mb: 4000, peak_rps: 200}\n"
    "blueprint: kubernetes\n",
    "gke": "project: {name: gke-demo}\nplatform: {cloud: gcp}\ncomponents: {database: postgres}\n",
    "aks": "project: {name: aks-demo}\nplatform: {cloud: azure}\ncomponents: {ci: gitlab_ci}\n",
    "multi": "project: {name: multi-demo}\nplatform: {cloud: multi}\n",
}


def matrix(tmp: Path) -> None:
    """Render and validate one repository per MATRIX profile; print times and inline suppressions."""
    for name, text in MATRIX.items():
        answers, out = tmp / f"m-{name}.yaml", tmp / f"m-{name}"
        answers.write_text(text)
        new = [*WIZARD, "new", "--answers", str(answers), "--out", str(out)]
        new_times = timed(new, 3, lambda out=out: shutil.rmtree(out, ignore_errors=True))
        subprocess.run(new, check=False, capture_output=True, cwd=ROOT, env=ENV)
        start = time.perf_counter()
        done = subprocess.run(
            [*WIZARD, "validate", "--format", "json", str(out)],
            capture_output=True,
            text=True,
            env=ENV,
            check=False,
        )
        wall = time.perf_counter() - start
        report_ = json.loads(done.stdout)
        summary = report_["summary"]
        checkov = next((t for t in report_["tools"] if t["tool"] == "checkov"), {"detail": "", "seconds": 0})
        found = re.search(r"suppressed inline \((\d+)\): (.*)", checkov["detail"])
        slowest = sorted(report_["tools"], key=lambda t: -t["seconds"])[:2]
        print(
            f"{name:<20} new median {statistics.median(new_times):.3f} s | validate {wall:5.1f} s "
            f"exit {report_['exit_code']} passed {summary['passed']} failed {summary['failed']} "
            f"skipped {summary['skipped']} | checkov suppressions {found.group(1) if found else 0}"
            f" ({len(found.group(2).split(', ')) if found else 0} distinct) | slowest: "
            + ", ".join(f"{t['tool']} {t['target']} {t['seconds']:.1f}s" for t in slowest)
        )


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
    """Seconds from starting `wizard` in a tmux pane until the welcome screen's button is drawn.

    A private tmux server (kept alive by an idle session) hosts one window per run; the first run warms up.
    """
    tmux = ["tmux", "-L", f"wizard-bench-{os.getpid()}"]
    wizard = str(Path(sys.executable).parent / "wizard")
    subprocess.run([*tmux, "new-session", "-d", "-s", "keepalive", "sleep", "600"], check=True)
    times = []
    try:
        for i in range(runs + 1):
            session = f"run-{i}"
            start = time.perf_counter()
            subprocess.run(
                [*tmux, "new-session", "-d", "-s", session, "-x", "100", "-y", "30",
                 "env", "-u", "PYTHONDONTWRITEBYTECODE", wizard],
                check=True,
            )  # fmt: skip
            while time.perf_counter() - start < 10:
                screen = subprocess.run(
                    [*tmux, "capture-pane", "-p", "-t", session], capture_output=True, text=True, check=False
                ).stdout
                if "Start fresh" in screen:
                    break
                time.sleep(0.005)
            if i:
                times.append(time.perf_counter() - start)
            subprocess.run([*tmux, "kill-session", "-t", session], check=False, capture_output=True)
    finally:
        subprocess.run([*tmux, "kill-server"], check=False, capture_output=True)
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
        if "matrix" in only:
            matrix(tmp)
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
