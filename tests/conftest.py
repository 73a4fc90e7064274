"""Shared fixtures: answer profiles, the offline Terraform mirror, and tool lookup that fails in CI."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from wizard.validation.tools import find_tool, in_ci

# The validator tests' shared assertions live in a helper module; let pytest explain their failures too.
pytest.register_assert_rewrite("tests.validators._support")

ROOT = Path(__file__).resolve().parent.parent
MIRROR = Path("/opt/tf-plugins")
MIRROR_CONFIG = f"""provider_installation {{
  filesystem_mirror {{
    path    = "{MIRROR}"
    include = ["registry.terraform.io/*/*"]
  }}
  direct {{
    exclude = ["registry.terraform.io/*/*"]
  }}
}}
"""
"""A Terraform CLI configuration that installs providers from the machine's offline mirror only."""


def tool_path(name: str) -> str | None:
    """Find a validator next to this Python (the venv) or on PATH, as `wizard validate` does."""
    return find_tool(name)


def require_tool(name: str) -> str:
    """Return a tool's path; skip when it is missing, but fail in CI (`in_ci()`) where every validator must run."""
    found = tool_path(name)
    if found:
        return found
    if in_ci():
        pytest.fail(f"{name} is not installed; in CI a missing validator is a failure")
    pytest.skip(f"{name} is not installed")


@pytest.fixture(scope="session", autouse=True)
def _terraform_offline_mirror(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Point Terraform at the machine's provider mirror when there is one and no existing config is set."""
    configured = os.environ.get("TF_CLI_CONFIG_FILE")
    if (configured and Path(configured).is_file()) or not MIRROR.is_dir():
        return
    rc = tmp_path_factory.mktemp("terraform") / "terraformrc"
    rc.write_text(MIRROR_CONFIG)
    os.environ["TF_CLI_CONFIG_FILE"] = str(rc)
    os.environ.setdefault("CHECKPOINT_DISABLE", "1")


@pytest.fixture(scope="session", autouse=True)
def _private_cache_home(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the wizard's caches (compiled templates, parsed data, prices) inside this test run, shared by workers."""
    folder = tmp_path_factory.getbasetemp().parent / "xdg-cache"
    folder.mkdir(exist_ok=True)
    os.environ["XDG_CACHE_HOME"] = str(folder)


def answers_dict(**sections: Any) -> dict[str, Any]:
    """Build an answers mapping: `answers_dict(workload={"gpu": True})` on top of `project: {name: demo}`."""
    data: dict[str, Any] = {"project": {"name": "demo"}}
    for key, value in sections.items():
        data[key] = value
    return data
