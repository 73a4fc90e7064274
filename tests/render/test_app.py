"""The generated model-serving service (`templates/common/app` → `app/`): files, escaping, lint, tests, image.

Each profile is rendered once into a temporary directory; the generated app's own test suite then runs there
in a virtual environment built from the app's *own pinned* `requirements.txt` and `requirements-dev.txt`, so the
project suite proves that a freshly generated service installs and passes its tests exactly as a user's would.
"""

from __future__ import annotations

import ast
import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import answers_dict, require_tool
from wizard.core.answers import parse_answers
from wizard.core.blueprints import load_blueprints
from wizard.core.conditions import validate_condition
from wizard.core.escaping import markdown_inline
from wizard.core.render import RenderedFile, condition_values, render
from wizard.core.sizing import size_workload
from wizard.core.yamlio import load_yaml_file

ROOT = Path(__file__).resolve().parents[2]
COMMON = ROOT / "templates" / "common"
BLUEPRINT = "ecs_fargate"
CANARY = '{{7*7}} ${path.module} "quoted" it\'s' + "\n" + "\\"
BASE_IMAGE = "python:3.12.8-slim-bookworm"

PROFILES: dict[str, dict[str, Any]] = {
    "default": answers_dict(),
    "postgres": answers_dict(workload={"peak_rps": 200}, components={"database": "postgres"}),
    "sagemaker": answers_dict(components={"model_hosting": "sagemaker"}),
    # Everything on, and a description full of template syntax from Jinja, HCL, Python and the shell.
    "canary": answers_dict(
        project={"name": "demo", "description": CANARY},
        components={"database": "postgres", "model_hosting": "sagemaker"},
    ),
}


def render_profile(profile: str) -> list[RenderedFile]:
    return render(parse_answers(PROFILES[profile]), BLUEPRINT)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Render every profile once and write it to disk; returns profile -> repository root."""
    roots: dict[str, Path] = {}
    for profile in PROFILES:
        root = tmp_path_factory.mktemp(profile)
        for file in render_profile(profile):
            path = root / file.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(file.content, encoding="utf-8")
        roots[profile] = root
    return roots


def app_files(root: Path, suffix: str = "") -> list[Path]:
    return sorted(p for p in (root / "app").rglob(f"*{suffix}") if p.is_file())


def relative(root: Path, suffix: str = "") -> set[str]:
    return {p.relative_to(root / "app").as_posix() for p in app_files(root, suffix)}


def clean_env() -> dict[str, str]:
    """Return this process's environment without pytest's own settings, for a nested pytest run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "COV_"))}
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    # The generated tests need no plugins; skipping the autoload of ours (TUI snapshots, ...) saves seconds.
    env["PYTEST_DISABLE_PLUGIN_AUTOLOAD"] = "1"
    return env


# --- which files each profile gets -------------------------------------------------------------------------


def test_files_follow_the_components(rendered: dict[str, Path]) -> None:
    shared = {
        "Dockerfile",
        ".dockerignore",
        "README.md",
        "pyproject.toml",
        "requirements.txt",
        "requirements-dev.txt",
        "service/healthcheck.py",
        "service/logconfig.py",
        "service/main.py",
        "service/metrics.py",
        "service/predictor.py",
        "service/schemas.py",
        "service/server.py",
        "service/settings.py",
        "tests/conftest.py",
        "tests/test_api.py",
        "tests/test_logging.py",
        "tests/test_server.py",
        "tests/test_settings.py",
    }
    container = {"model/model.json", "service/model.py", "tests/test_model.py"}
    sagemaker = {"service/sagemaker.py", "tests/test_sagemaker.py"}
    postgres = {"service/database.py", "tests/test_database.py"}
    assert relative(rendered["default"]) == shared | container
    assert relative(rendered["postgres"]) == shared | container | postgres
    assert relative(rendered["sagemaker"]) == shared | sagemaker
    assert relative(rendered["canary"]) == shared | sagemaker | postgres
    for root in rendered.values():
        assert (root / ".gitignore").is_file()


def test_the_driver_is_installed_only_with_a_database(rendered: dict[str, Path]) -> None:
    def requirements(profile: str) -> str:
        return (rendered[profile] / "app" / "requirements.txt").read_text()

    assert "psycopg" not in requirements("default")
    assert "psycopg[binary]==" in requirements("postgres")
    for profile in PROFILES:
        pins = [line for line in requirements(profile).splitlines() if line and not line.startswith("#")]
        assert pins
        assert all("==" in line for line in pins), pins


def test_the_example_model_is_marked_for_replacement(rendered: dict[str, Path]) -> None:
    app = rendered["default"] / "app"
    assert "REPLACE ME" in (app / "model" / "model.json").read_text()
    assert "REPLACE ME" in (app / "service" / "model.py").read_text()
    assert "COPY model/ ./model/" in (app / "Dockerfile").read_text()
    assert "COPY model/" not in (rendered["sagemaker"] / "app" / "Dockerfile").read_text()


def test_files_rules_are_valid_conditions() -> None:
    rules = load_yaml_file(COMMON / "_files.yaml")
    assert isinstance(rules, list)
    answers = parse_answers(PROFILES["default"])
    values = condition_values(answers, load_blueprints()[BLUEPRINT])
    for rule in rules:
        assert set(rule) == {"path", "when"}, rule
        validate_condition(rule["when"], values)


# --- user-typed values and sizing ----------------------------------------------------------------------------


def test_the_description_comes_out_literally(rendered: dict[str, Path]) -> None:
    app = rendered["canary"] / "app"
    tree = ast.parse((app / "service" / "main.py").read_text())
    [description] = [
        ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and ast.unparse(node.targets[0]) == "DESCRIPTION"
    ]
    assert description == CANARY
    assert markdown_inline(CANARY) in (app / "README.md").read_text()


SETTING_READ = re.compile(
    r'(?:_str|_int|_float|_bool|_required)\(env, "([A-Z][A-Z0-9_]*)"|env\.get\("([A-Z][A-Z0-9_]*)"'
)


def test_every_setting_is_documented(rendered: dict[str, Path]) -> None:
    for profile, root in rendered.items():
        settings = (root / "app" / "service" / "settings.py").read_text()
        readme = (root / "app" / "README.md").read_text()
        names = {a or b for a, b in SETTING_READ.findall(settings)}
        assert {"PORT", "LOG_LEVEL"} <= names
        missing = sorted(n for n in names if f"| `{n}` |" not in readme)
        assert not missing, f"{profile}: settings missing from app/README.md: {missing}"


def test_database_settings_offer_a_kubernetes_secret_and_keep_secrets_manager(
    rendered: dict[str, Path],
) -> None:
    for profile in ("postgres", "canary"):
        app = rendered[profile] / "app"
        settings = (app / "service" / "settings.py").read_text()
        for name in ("DB_SECRET_ARN", "DB_USER", "DB_PASSWORD_FILE", "DB_PASSWORD", "DB_SSLROOTCERT"):
            assert f'"{name}"' in settings, name
        # TLS is not optional: the unencrypted libpq modes are not accepted.
        assert 'DB_SSLMODES = ("require", "verify-ca", "verify-full")' in settings
        assert "repr=False" in settings, "the password must stay out of the settings' repr"
        tests = (app / "tests" / "test_database.py").read_text()
        assert "def test_credentials_come_from_the_mounted_secret" in tests
        assert "def test_credentials_come_from_secrets_manager" in tests


def test_no_template_syntax_is_left(rendered: dict[str, Path]) -> None:
    for profile in ("default", "postgres", "sagemaker"):
        for path in app_files(rendered[profile]):
            text = path.read_text()
            assert "{{" not in text, path
            assert "{%" not in text, path


def test_workers_follow_the_sizing(rendered: dict[str, Path]) -> None:
    for profile in ("default", "postgres"):
        workers = size_workload(parse_answers(PROFILES[profile])).workers
        app = rendered[profile] / "app"
        assert f"WEB_CONCURRENCY={workers} " in (app / "Dockerfile").read_text()
        assert f'"WEB_CONCURRENCY", {workers},' in (app / "service" / "settings.py").read_text()
    assert size_workload(parse_answers(PROFILES["postgres"])).workers > 1


def test_rendering_twice_gives_identical_bytes() -> None:
    for profile in PROFILES:
        first, second = render_profile(profile), render_profile(profile)
        assert [(f.path, f.content.encode(), f.executable) for f in first] == [
            (f.path, f.content.encode(), f.executable) for f in second
        ]


# --- the generated Python ------------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", list(PROFILES))
def test_generated_python_compiles(rendered: dict[str, Path], profile: str) -> None:
    files = app_files(rendered[profile], ".py")
    assert files
    for path in files:
        compile(path.read_text(), str(path), "exec", dont_inherit=True)


@pytest.mark.parametrize("profile", list(PROFILES))
def test_generated_python_is_ruff_clean(rendered: dict[str, Path], profile: str) -> None:
    ruff = require_tool("ruff")
    app = rendered[profile] / "app"
    # Ruff's defaults (what a user gets without configuration) and the app's own stricter pyproject.toml.
    for extra in (["--isolated"], []):
        result = subprocess.run(
            [ruff, "check", "--no-force-exclude", "--no-cache", *extra, "."],
            cwd=app,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="session")
def app_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A venv with the generated app's pinned requirements (the union profile), shared by the xdist workers.

    Built once per test run under a file lock in the run's common temporary directory. The install uses the
    app's own pins, so a pin that does not exist or does not resolve with the others fails here, as it would
    for a user.
    """
    requirements = {
        Path(file.path).name: file.content
        for file in render_profile("canary")  # postgres + sagemaker: every optional dependency
        if file.path in ("app/requirements.txt", "app/requirements-dev.txt")
    }
    key = hashlib.sha256(repr(sorted(requirements.items())).encode()).hexdigest()[:16]
    # One directory for every xdist worker of a run (the parent of the workers' base folders); keyed by the
    # requirements, so a changed pin never reuses an old environment.
    shared = tmp_path_factory.getbasetemp().parent
    venv = shared / f"generated-app-venv-{key}"
    python = venv / "bin" / "python"
    with (shared / f"generated-app-venv-{key}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (venv / ".complete").exists():
            shutil.rmtree(venv, ignore_errors=True)
            source = tmp_path_factory.mktemp("app-requirements")
            for name, content in requirements.items():
                (source / name).write_text(content, encoding="utf-8")
            subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=300)
            install = subprocess.run(
                [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                 "-r", str(source / "requirements.txt"), "-r", str(source / "requirements-dev.txt")],
                capture_output=True, text=True, timeout=900, check=False,
            )  # fmt: skip
            assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
            (venv / ".complete").touch()
    return python


@pytest.mark.parametrize("profile", list(PROFILES))
def test_generated_app_tests_pass(rendered: dict[str, Path], app_python: Path, profile: str) -> None:
    app = rendered[profile] / "app"
    result = subprocess.run(
        [str(app_python), "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=app,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
    assert " passed" in result.stdout


# --- the image -----------------------------------------------------------------------------------------------


def test_dockerfile_shape(rendered: dict[str, Path]) -> None:
    for profile in PROFILES:
        dockerfile = (rendered[profile] / "app" / "Dockerfile").read_text()
        instructions = [line for line in dockerfile.splitlines() if line and not line.startswith("#")]
        froms = [line for line in instructions if line.startswith("FROM ")]
        assert froms == [f"FROM {BASE_IMAGE} AS builder", f"FROM {BASE_IMAGE} AS runtime"]
        assert "USER 10001:10001" in instructions
        assert "EXPOSE 8080" in instructions
        assert instructions[-1] == 'CMD ["python", "-m", "service.server"]'
        assert any(line.startswith("HEALTHCHECK ") for line in instructions)
        # The runtime stage gets the virtual environment, never the build stage's pip cache or compilers.
        runtime = dockerfile.split("AS runtime", 1)[1]
        assert "pip install" not in runtime
        assert "apt-get" not in dockerfile


@pytest.mark.validators
@pytest.mark.parametrize("profile", list(PROFILES))
def test_dockerfile_has_no_hadolint_findings(rendered: dict[str, Path], profile: str) -> None:
    hadolint = require_tool("hadolint")
    dockerfile = rendered[profile] / "app" / "Dockerfile"
    result = subprocess.run(
        [hadolint, "--no-color", str(dockerfile)], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == ""


@pytest.mark.validators
def test_dockerfiles_pass_checkov(rendered: dict[str, Path], tmp_path: Path) -> None:
    checkov = require_tool("checkov")
    for profile in ("default", "sagemaker"):
        target = tmp_path / profile
        target.mkdir()
        (target / "Dockerfile").write_text((rendered[profile] / "app" / "Dockerfile").read_text())
    result = subprocess.run(
        [
            checkov,
            "-d",
            str(tmp_path),
            "--framework",
            "dockerfile",
            "--quiet",
            "--compact",
            "--skip-download",
        ],
        env={**os.environ, "BC_SKIP_MAPPING": "TRUE"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Failed checks: 0" in result.stdout
