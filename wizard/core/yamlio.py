"""Provides safe YAML loading that rejects duplicate keys and reports line numbers, and stable dumping."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from wizard.core.cache import cached

try:  # the C loader is several times faster; fall back when libyaml is missing
    _BaseLoader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _BaseLoader = yaml.SafeLoader


class DuplicateKeyError(yaml.MarkedYAMLError):
    """A mapping holds the same key twice (PyYAML would silently keep the last one)."""


class _StrictLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """A safe loader that refuses duplicate keys."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise DuplicateKeyError(
                    "while constructing a mapping",
                    node.start_mark,
                    f"found the key {key!r} twice",
                    key_node.start_mark,
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[no-any-return]


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _StrictLoader.construct_mapping,
)


def load_yaml(text: str) -> Any:
    """Parse YAML text with the safe loader, refusing duplicate keys."""
    return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - _StrictLoader derives from SafeLoader


def load_yaml_file(path: Path) -> Any:
    """Parse one of the wizard's data files (UTF-8 YAML) with the safe loader, through a parse cache.

    Building Python objects from YAML is the slowest part of loading the blueprint, question and checklist
    data, so the parsed result is cached under a hash of the file's bytes (see `wizard.core.cache`).
    """
    return cached(
        f"yaml-{yaml.__version__}",
        [path],
        lambda: load_yaml(path.read_text(encoding="utf-8")),
        with_code=False,
    )


def dump_yaml(data: Any) -> str:
    """Dump data as block-style YAML, keeping key order, Unicode and a trailing newline."""
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
