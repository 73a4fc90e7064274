"""The user's caches (compiled templates, parsed data files) change speed only, never output or safety."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]

# Renders a profile in a fresh process (the caches are per process otherwise) and prints a digest of the files.
PROBE = """
import hashlib, sys
from wizard.core.answers import parse_answers
from wizard.core.render import render
files = render(parse_answers({"project": {"name": "demo"}, "components": {"database": "postgres"}}), "ecs_fargate")
digest = hashlib.sha256()
for f in files:
    digest.update(f.path.encode() + b"\\0" + f.content.encode() + b"\\0" + bytes([f.executable]))
print(len(files), digest.hexdigest())
"""


def render_digest(cache_home: Path, **env: str) -> str:
    base = {k: v for k, v in os.environ.items() if k != "DEPLOY_WIZARD_NO_CACHE"}
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env={**base, "XDG_CACHE_HOME": str(cache_home), **env},
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def entries(cache_home: Path) -> list[Path]:
    return sorted(p for p in (cache_home / "deploy-wizard").rglob("*") if p.is_file())


def test_cold_warm_and_disabled_caches_render_the_same_bytes(tmp_path: Path) -> None:
    cold = render_digest(tmp_path)
    written = entries(tmp_path)
    assert any(p.parent.name.startswith("jinja-") for p in written)
    assert any(p.suffix == ".pickle" for p in written)
    assert render_digest(tmp_path) == cold  # warm
    off = tmp_path / "off"
    assert render_digest(off, DEPLOY_WIZARD_NO_CACHE="1") == cold
    assert not off.exists()


def test_corrupt_entries_are_ignored(tmp_path: Path) -> None:
    expected = render_digest(tmp_path)
    for path in entries(tmp_path):
        path.write_bytes(b"\x00garbage" + path.read_bytes()[:7])
    assert render_digest(tmp_path) == expected


def test_an_unusable_cache_location_only_costs_time(tmp_path: Path) -> None:
    expected = render_digest(tmp_path / "a")
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would go")
    assert render_digest(blocked) == expected


def test_a_folder_others_can_write_to_is_not_used(tmp_path: Path) -> None:
    expected = render_digest(tmp_path / "a")
    shared = tmp_path / "shared"
    (shared / "deploy-wizard").mkdir(parents=True)
    # Pre-create the cache folders world-writable, as on a shared machine: the wizard must not load from them.
    for folder in (f"jinja-{jinja2.__version__}", f"yaml-{yaml.__version__}", "records"):
        path = shared / "deploy-wizard" / folder
        path.mkdir()
        path.chmod(0o777)
    assert render_digest(shared) == expected
    assert entries(shared) == []


def test_cached_results_are_keyed_by_content_and_errors_are_not_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from wizard.core.cache import cached

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("DEPLOY_WIZARD_NO_CACHE", raising=False)
    data = tmp_path / "data.yaml"
    data.write_text("a: 1\n")
    calls: list[str] = []

    def compute() -> dict[str, str]:
        calls.append(data.read_text())
        if "boom" in calls[-1]:
            raise ValueError("bad data")
        return {"text": calls[-1]}

    assert cached("records", [data], compute) == {"text": "a: 1\n"}
    assert cached("records", [data], compute) == {"text": "a: 1\n"}
    assert len(calls) == 1  # the second call was served from the cache
    data.write_text("a: 2\n")
    assert cached("records", [data], compute) == {"text": "a: 2\n"} and len(calls) == 2
    data.write_text("boom\n")
    for _ in range(2):
        with pytest.raises(ValueError, match="bad data"):
            cached("records", [data], compute)
    assert len(calls) == 4  # a failure is computed (and raised) again, never served from the cache
    folder = tmp_path / "cache" / "deploy-wizard" / "records"
    assert folder.stat().st_mode & 0o777 == 0o700 and len(list(folder.glob("*.pickle"))) == 2
