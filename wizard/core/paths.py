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


def private_cache_folder(name: str) -> Path | None:
    """Return `cache_dir()/name`, created private (0700), or None when caching is off or not safe.

    Both caches load code-like data (compiled templates, pickles), so a folder owned by someone else or
    writable by others is never used. `DEPLOY_WIZARD_NO_CACHE=1` turns every cache off; any OS error only
    costs the cache.
    """
    if os.environ.get("DEPLOY_WIZARD_NO_CACHE", "").strip() not in ("", "0"):
        return None
    folder = cache_dir() / name
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = folder.stat()
    except OSError:
        return None
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        return None
    return folder
