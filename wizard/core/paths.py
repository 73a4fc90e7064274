"""Provides the locations of the data the wizard ships: templates, blueprints and the core's own tables.

`templates/` and `blueprints/` live at the top of the source tree and are copied into the wheel under
`wizard/_bundled/`; this module finds them in either layout.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


@cache
def bundled_dir(name: str) -> Path:
    """Return the directory of a bundled top-level data folder (`templates` or `blueprints`)."""
    installed = _PACKAGE_DIR / "_bundled" / name
    if installed.is_dir():
        return installed
    source = _PACKAGE_DIR.parent / name
    if source.is_dir():
        return source
    raise FileNotFoundError(f"the bundled {name!r} folder is missing from this installation")


def templates_dir() -> Path:
    """Return the folder holding the Jinja templates."""
    return bundled_dir("templates")


def blueprints_dir() -> Path:
    """Return the folder holding one YAML file per blueprint."""
    return bundled_dir("blueprints")


def data_file(name: str) -> Path:
    """Return a data file of the core (`wizard/data/NAME`)."""
    return _PACKAGE_DIR / "data" / name


def cache_dir() -> Path:
    """Return the wizard's cache directory: `$XDG_CACHE_HOME/deploy-wizard` or `~/.cache/deploy-wizard`."""
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    root = Path(base) if base and Path(base).is_absolute() else Path.home() / ".cache"
    return root / "deploy-wizard"
