"""Provides `skip_pydantic_plugin_discovery`: start-up savings for the `wizard` process (not for library use).

pydantic looks for plugins through `importlib.metadata` entry points. With `PYDANTIC_DISABLE_PLUGINS` set it
finds none, but importing its plugin loader still imports `importlib.metadata` (and `email`, `zipfile`, ...):
about 40 ms of the commands that still use pydantic (`wizard checklist`). The CLI uses no pydantic plugins, so it puts a
loader in place that returns no plugins, which is exactly what pydantic's own loader returns when plugins are
disabled (a test checks that the two agree).
"""

from __future__ import annotations

import os
import sys
import types
from collections.abc import Iterable
from typing import Any

_LOADER = "pydantic.plugin._loader"
_DISABLED = ("__all__", "1", "true")


def _no_plugins() -> Iterable[Any]:
    return ()


def skip_pydantic_plugin_discovery() -> bool:
    """Install the no-plugin loader when plugins are disabled and pydantic's loader is not loaded yet."""
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") not in _DISABLED or _LOADER in sys.modules:
        return False
    stub = types.ModuleType(_LOADER, "deploy-wizard: pydantic plugins are disabled in the wizard process")
    stub.get_plugins = _no_plugins  # type: ignore[attr-defined]
    sys.modules[_LOADER] = stub
    return True
