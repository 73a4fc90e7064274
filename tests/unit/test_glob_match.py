"""`render.glob_match` must agree with `fnmatch.fnmatchcase` on every rule of every template set."""

from __future__ import annotations

import fnmatch
import itertools

import pytest

from wizard.core import paths
from wizard.core.render import glob_match
from wizard.core.yamlio import load_yaml_file

TEMPLATES = paths.templates_dir()
RULE_PATTERNS = sorted(
    {rule["path"] for rules in TEMPLATES.glob("*/_files.yaml") for rule in load_yaml_file(rules) or []}
)
TEMPLATE_FILES = sorted(
    p.relative_to(s).as_posix()
    for s in TEMPLATES.iterdir()
    if s.is_dir()
    for p in s.rglob("*")
    if p.is_file()
)
TRICKY_PATTERNS = ["*", "**", "a*", "*a", "a*b*c", "ab*ba", "*.tf*", "x*y*", "*ab*ab*", "", "a?c", "[ab]*"]
TRICKY_NAMES = [
    "",
    "a",
    "ab",
    "aba",
    "abba",
    "abcba",
    "abc",
    "aXbYc",
    "ababab",
    "main.tf",
    "main.tf.j2",
    "xy",
]


def test_the_template_rules_use_only_star_wildcards() -> None:
    assert len(RULE_PATTERNS) > 20
    assert not [p for p in RULE_PATTERNS if "?" in p or "[" in p]


@pytest.mark.parametrize("pattern", RULE_PATTERNS)
def test_every_rule_matches_the_same_template_files_as_fnmatch(pattern: str) -> None:
    ours = [name for name in TEMPLATE_FILES if glob_match(name, pattern)]
    assert ours == [name for name in TEMPLATE_FILES if fnmatch.fnmatchcase(name, pattern)]


def test_tricky_patterns_agree_with_fnmatch() -> None:
    for name, pattern in itertools.product(TRICKY_NAMES + TEMPLATE_FILES[:50], TRICKY_PATTERNS):
        assert glob_match(name, pattern) == fnmatch.fnmatchcase(name, pattern), (name, pattern)
