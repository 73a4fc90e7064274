"""Provides the tiny condition language used by questions, blueprint fit rules, template sets and the checklist.

A condition is a mapping from a dotted answers key to a matcher; every entry must hold (AND):

    {platform.cloud: [aws, any]}          # the value is one of the list
    {workload.gpu: true}                  # the value equals the scalar
    {workload.peak_rps: {gte: 500}}       # comparison: gt, gte, lt, lte, ne, in, not_in, contains
    {data.compliance: {contains: hipaa}}  # a list answer contains the item
    {any: [{...}, {...}]}                 # at least one sub-condition holds (OR)
    {not: {...}}                          # the sub-condition does not hold

`None` or `{}` always holds. Keys may also name derived values the caller adds (e.g. `blueprint`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_MISSING = object()
OPERATORS = ("gt", "gte", "lt", "lte", "ne", "in", "not_in", "contains", "not_contains")


class ConditionError(ValueError):
    """A condition is malformed (unknown operator or key)."""


def lookup(values: Mapping[str, Any], dotted: str) -> Any:
    """Return the value at a dotted path (`workload.peak_rps`) of nested mappings."""
    current: Any = values
    for part in dotted.split("."):
        if not isinstance(current, Mapping) or part not in current:
            raise ConditionError(f"condition names an unknown key {dotted!r}")
        current = current[part]
    return current


def _match_operator(op: str, expected: Any, actual: Any) -> bool:
    if op == "gt":
        return bool(actual > expected)
    if op == "gte":
        return bool(actual >= expected)
    if op == "lt":
        return bool(actual < expected)
    if op == "lte":
        return bool(actual <= expected)
    if op == "ne":
        return bool(actual != expected)
    if op == "in":
        return actual in expected
    if op == "not_in":
        return actual not in expected
    if op == "contains":
        return expected in actual
    if op == "not_contains":
        return expected not in actual
    raise ConditionError(f"unknown condition operator {op!r}; allowed: {', '.join(OPERATORS)}")


def _match_value(matcher: Any, actual: Any) -> bool:
    if isinstance(matcher, Mapping):
        return all(_match_operator(op, expected, actual) for op, expected in matcher.items())
    if isinstance(matcher, list):
        return actual in matcher
    return bool(actual == matcher)


def matches(condition: Mapping[str, Any] | None, values: Mapping[str, Any]) -> bool:
    """Return whether the condition holds for the nested answer values."""
    if not condition:
        return True
    for key, matcher in condition.items():
        if key == "any":
            if not any(matches(sub, values) for sub in matcher):
                return False
        elif key == "not":
            if matches(matcher, values):
                return False
        elif not _match_value(matcher, lookup(values, key)):
            return False
    return True


def validate_condition(condition: Mapping[str, Any] | None, values: Mapping[str, Any]) -> None:
    """Raise ConditionError when a condition names unknown keys or operators (checked at load time)."""
    if not condition:
        return
    for key, matcher in condition.items():
        if key == "any":
            for sub in matcher:
                validate_condition(sub, values)
        elif key == "not":
            validate_condition(matcher, values)
        else:
            lookup(values, key)
            if isinstance(matcher, Mapping):
                for op in matcher:
                    if op not in OPERATORS:
                        raise ConditionError(f"unknown condition operator {op!r} for {key!r}")
