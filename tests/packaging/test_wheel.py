"""The wheel ships templates/ and blueprints/: build it, install it outside the checkout, run the commands."""

from __future__ import annotations

import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(work / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    [wheel] = (work / "dist").glob("deploy_wizard-*.whl")
    env_dir = work / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", str(wheel)], check=True, timeout=300
    )
    # Dependencies come from this test environment (no download); the wheel's own code comes first.
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    deps = [p for p in site.getsitepackages() if "site-packages" in p]
    (Path(purelib) / "_deps.pth").write_text("\n".join(deps) + "\n")
    return env_dir


def run_installed(env_dir: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(env_dir / "bin" / "wizard"), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
        check=False,
    )


@pytest.mark.slow
def test_installed_wheel_runs_from_outside_the_checkout(installed: Path, tmp_path: Path) -> None:
    where = subprocess.run(
        [str(installed / "bin" / "python"), "-c", "import wizard; print(wizard.__file__)"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
    ).stdout
    assert str(ROOT) not in where and "site-packages" in where
    result = run_installed(installed, "blueprints", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "ecs_fargate" in result.stdout and "kubernetes" in result.stdout
    questions = run_installed(installed, "questions", "--format", "json", cwd=tmp_path)
    assert questions.returncode == 0 and "workload.peak_rps" in questions.stdout


@pytest.mark.slow
def test_installed_wheel_renders_a_repository(installed: Path, tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("project: {name: demo}\n")
    result = run_installed(
        installed, "new", "--answers", str(answers), "--out", str(tmp_path / "repo"), cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "repo" / ".wizard" / "answers.yaml").is_file()
    assert (tmp_path / "repo" / "app" / "Dockerfile").is_file()
