"""Provides frozen records built from plain YAML data: a small validator in place of pydantic (start-up speed).

A record is a frozen, slotted, keyword-only dataclass deriving from `Record`. `Record.model_validate` checks
plain data against the field types and `rule()` constraints and reports every problem as a `Problem` with
pydantic's error types and messages, so callers can word their own errors. Optional hooks on a record class:
`_before(raw)` rewrites the input mapping, `_pre_<field>(value)` rewrites one value before its type check,
`_check_<field>(value)` vets a well-typed value and `_after(self)` vets (or completes) the built record; each
signals a problem by raising `ValueError(code)`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import re
import types
import typing
from datetime import date, datetime
from typing import Any, ClassVar, Literal, TypeVar

T = TypeVar("T", bound="Record")
_INVALID: Any = object()
_FieldSpec = tuple[str, str, Any, dict[str, Any], Any]  # name, key, type, rules, default (or MISSING)


@dataclasses.dataclass(frozen=True, slots=True)
class Problem:
    """One validation problem: where (path of keys and indexes), pydantic's error type, message and context."""

    loc: tuple[str | int, ...]
    type: str
    msg: str
    ctx: dict[str, Any] = dataclasses.field(default_factory=dict)


class RecordError(ValueError):
    """Plain data does not fit a record; `problems` lists every problem found, in field order."""

    def __init__(self, name: str, problems: list[Problem]) -> None:
        lines = [f"{'.'.join(map(str, p.loc)) or name}: {p.msg} [type={p.type}]" for p in problems]
        super().__init__(f"{len(problems)} validation error(s) for {name}\n" + "\n".join(lines))
        self.problems = problems


def rule(default: Any = dataclasses.MISSING, **rules: Any) -> Any:
    """Declare a field with constraints: alias, ge, gt, le, min_length, max_length, pattern."""
    return dataclasses.field(default=default, metadata=rules)


R = TypeVar("R", bound=type)


def frozen(cls: R) -> R:
    """Word a record class's refusal to change in place (apply above `@dataclass(frozen=True, ...)`)."""

    def refuse(self: Any, name: str, *_value: Any) -> None:
        raise dataclasses.FrozenInstanceError(f"cannot change {name!r}: {type(self).__name__} is frozen")

    cls.__setattr__ = refuse  # type: ignore[method-assign]
    cls.__delattr__ = refuse  # type: ignore[method-assign, assignment]
    return cls


class Record:
    """Base of validated records; subclasses are `@dataclass(frozen=True, slots=True, kw_only=True)`."""

    __slots__ = ()
    strict: ClassVar[bool] = True
    """Strict records take no coercion; lax ones accept lists for tuples, ISO text for dates, 1.0 for 1."""
    by_name: ClassVar[bool] = False
    """Whether an aliased field may also be given under its Python name."""

    @classmethod
    def model_validate(cls: type[T], raw: Any) -> T:
        """Return the record built from plain data, or raise `RecordError` listing every problem."""
        problems: list[Problem] = []
        built = _build(cls, raw, (), problems)
        if problems:
            raise RecordError(cls.__name__, problems)
        return typing.cast(T, built)


_SPECS: dict[type, tuple[_FieldSpec, ...]] = {}


def field_specs(cls: type) -> tuple[_FieldSpec, ...]:
    """Return (name, key, type, rules, default) per field of a record class, in declaration order.

    A required field's default is `dataclasses.MISSING`; a `field(default_factory=...)` reports one product of it.
    """
    specs = _SPECS.get(cls)
    if specs is None:
        hints = typing.get_type_hints(cls)
        specs = tuple(
            (
                f.name,
                f.metadata.get("alias", f.name),
                hints[f.name],
                dict(f.metadata),
                f.default if f.default_factory is dataclasses.MISSING else f.default_factory(),
            )
            for f in dataclasses.fields(cls)
        )
        _SPECS[cls] = specs
    return specs


def _build(cls: type[Record], raw: Any, loc: tuple[str | int, ...], problems: list[Problem]) -> Any:
    if isinstance(raw, cls):
        return raw
    if not isinstance(raw, dict):
        msg = f"Input should be a valid dictionary or instance of {cls.__name__}"
        problems.append(Problem(loc, "model_type", msg, {"class_name": cls.__name__}))
        return _INVALID
    before = getattr(cls, "_before", None)
    if before is not None:
        raw = before(raw)
    start = len(problems)
    values: dict[str, Any] = {}
    known: set[Any] = set()
    for name, key, kind, rules, default in field_specs(cls):
        known.add(key)
        if cls.by_name and key != name:
            known.add(name)
            if key not in raw and name in raw:
                key = name
        if key not in raw:
            if default is dataclasses.MISSING:
                problems.append(Problem((*loc, key), "missing", "Field required"))
            continue
        value = raw[key]
        where = (*loc, key)
        try:
            pre = getattr(cls, f"_pre_{name}", None)
            if pre is not None:
                value = pre(value)
            value = _value(kind, value, where, problems, cls.strict)
            if value is not _INVALID:
                value = _constrain(value, rules, where, problems)
            check = getattr(cls, f"_check_{name}", None)
            if value is not _INVALID and check is not None:
                value = check(value)
        except ValueError as exc:
            problems.append(_value_error(where, exc))
            continue
        if value is not _INVALID:
            values[name] = value
    for key in raw:
        if not isinstance(key, str):
            problems.append(Problem((*loc, key), "invalid_key", "Keys should be strings"))
        elif key not in known:
            problems.append(Problem((*loc, key), "extra_forbidden", "Extra inputs are not permitted"))
    if len(problems) > start:
        return _INVALID
    record = cls(**values)
    after = getattr(record, "_after", None)
    if after is not None:
        try:
            record = after()
        except ValueError as exc:
            problems.append(_value_error(loc, exc))
            return _INVALID
    return record


def _value_error(loc: tuple[str | int, ...], exc: ValueError) -> Problem:
    return Problem(loc, "value_error", f"Value error, {exc}", {"error": exc})


def _or_list(items: tuple[Any, ...]) -> str:
    shown = [repr(i) for i in items]
    return shown[0] if len(shown) == 1 else f"{', '.join(shown[:-1])} or {shown[-1]}"


_SCALARS: dict[Any, tuple[str, str]] = {
    str: ("string_type", "Input should be a valid string"),
    bool: ("bool_type", "Input should be a valid boolean"),
    int: ("int_type", "Input should be a valid integer"),
    float: ("float_type", "Input should be a valid number"),
    date: ("date_type", "Input should be a valid date"),
}


def _value(kind: Any, value: Any, loc: tuple[str | int, ...], problems: list[Problem], strict: bool) -> Any:
    """Return `value` checked (and for lax records converted) against a type, or _INVALID after a problem."""
    origin = typing.get_origin(kind)
    if kind is Any:
        return value
    if origin is Literal:
        options = typing.get_args(kind)
        for option in options:
            if isinstance(option, str) == isinstance(value, str) and value == option:
                return option
        expected = _or_list(options)
        problems.append(Problem(loc, "literal_error", f"Input should be {expected}", {"expected": expected}))
        return _INVALID
    if origin is typing.Union or origin is types.UnionType:
        members = typing.get_args(kind)
        if value is None and type(None) in members:
            return None
        first: list[Problem] = []
        kinds = [m for m in members if m is not type(None)]
        for exact in (True,) if strict else (True, False):  # an exact type wins over a conversion
            for member in kinds:
                tried: list[Problem] = []
                where = (*loc, getattr(member, "__name__", str(member))) if len(kinds) > 1 else loc
                result = _value(member, value, where, tried, exact)
                if not tried:
                    return result
                first = first or tried
        problems.extend(first[:1])
        return _INVALID
    if origin is tuple:
        if not isinstance(value, tuple) and (strict or not isinstance(value, list)):
            problems.append(Problem(loc, "tuple_type", "Input should be a valid tuple"))
            return _INVALID
        item_kind = typing.get_args(kind)[0]
        items = [_value(item_kind, v, (*loc, i), problems, strict) for i, v in enumerate(value)]
        return _INVALID if _INVALID in items else tuple(items)
    if origin is dict:
        if not isinstance(value, dict):
            problems.append(Problem(loc, "dict_type", "Input should be a valid dictionary"))
            return _INVALID
        key_kind, item_kind = typing.get_args(kind)
        checked = {
            _value(key_kind, k, (*loc, k, "[key]"), problems, strict): _value(
                item_kind, v, (*loc, k), problems, strict
            )
            for k, v in value.items()
        }
        return _INVALID if _INVALID in checked or _INVALID in checked.values() else checked
    if isinstance(kind, type) and issubclass(kind, Record):
        return _build(kind, value, loc, problems)
    return _scalar(kind, value, loc, problems, strict)


def _scalar(kind: Any, value: Any, loc: tuple[str | int, ...], problems: list[Problem], strict: bool) -> Any:
    ok = type(value) is kind
    if not ok and not strict and kind in (bool, int, float):
        value, ok = _lax_number(kind, value)
    if kind is float and type(value) is int:
        value, ok = float(value), True
    elif kind is date and not strict and type(value) is str:
        with contextlib.suppress(ValueError):
            value, ok = date.fromisoformat(value), True
    elif kind is date:
        ok = isinstance(value, date) and not isinstance(value, datetime)
    elif kind is str:
        ok = isinstance(value, str)
    if ok:
        return value
    error_type, msg = _SCALARS.get(kind, ("is_instance_of", f"Input should be an instance of {kind}"))
    if not strict:
        error_type, msg = _lax_failure(kind, value, error_type, msg)
    problems.append(Problem(loc, error_type, msg))
    return _INVALID


_BOOL_TEXT = {"0": False, "off": False, "f": False, "false": False, "n": False, "no": False}
_BOOL_TEXT |= {"1": True, "on": True, "t": True, "true": True, "y": True, "yes": True}


def _lax_number(kind: Any, value: Any) -> tuple[Any, bool]:
    """Convert like pydantic's lax mode: 1/0 and yes/no text to booleans, whole floats and digit text to numbers."""
    if kind is bool:
        if type(value) in (int, float) and value in (0, 1):
            return bool(value), True
        if isinstance(value, str) and value.lower() in _BOOL_TEXT:
            return _BOOL_TEXT[value.lower()], True
        return value, False
    if isinstance(value, bool):
        return (int(value) if kind is int else float(value)), True
    try:
        number = float(value.strip()) if isinstance(value, str) else value
    except ValueError:
        return value, False
    if type(number) not in (int, float) or (kind is int and not float(number).is_integer()):
        return value, False
    return (int(number) if kind is int else float(number)), True


def _lax_failure(kind: Any, value: Any, error_type: str, msg: str) -> tuple[str, str]:
    """Return pydantic's lax-mode wording for a value that text or number conversion could not fix."""
    if kind is int and type(value) is float:
        return "int_from_float", f"{msg}, got a number with a fractional part"
    if kind is date and isinstance(value, str):
        reason = "input is too short" if len(value) < 10 else "invalid date format"
        return "date_from_datetime_parsing", f"Input should be a valid date or datetime, {reason}"
    if kind is bool and (type(value) in (int, str) or (type(value) is float and value.is_integer())):
        return "bool_parsing", f"{msg}, unable to interpret input"
    if kind in (int, float) and isinstance(value, str):
        noun = "an integer" if kind is int else "a number"
        return error_type.replace("_type", "_parsing"), f"{msg}, unable to parse string as {noun}"
    return error_type, msg


def _constrain(value: Any, rules: dict[str, Any], loc: tuple[str | int, ...], problems: list[Problem]) -> Any:
    failed: tuple[str, str, dict[str, Any]] | None = None
    if "min_length" in rules and len(value) < rules["min_length"]:
        n, plural = rules["min_length"], "" if rules["min_length"] == 1 else "s"
        if isinstance(value, str):
            failed = (
                "string_too_short",
                f"String should have at least {n} character{plural}",
                {"min_length": n},
            )
        else:
            msg = f"Tuple should have at least {n} item{plural} after validation, not {len(value)}"
            failed = ("too_short", msg, {"field_type": "Tuple", "min_length": n, "actual_length": len(value)})
    elif "max_length" in rules and len(value) > rules["max_length"]:
        n = rules["max_length"]
        failed = ("string_too_long", f"String should have at most {n} characters", {"max_length": n})
    elif "pattern" in rules and not _pattern(rules["pattern"]).search(value):
        p = rules["pattern"]
        failed = ("string_pattern_mismatch", f"String should match pattern '{p}'", {"pattern": p})
    elif "gt" in rules and not value > rules["gt"]:
        failed = ("greater_than", f"Input should be greater than {rules['gt']}", {"gt": rules["gt"]})
    elif "ge" in rules and not value >= rules["ge"]:
        msg = f"Input should be greater than or equal to {rules['ge']}"
        failed = ("greater_than_equal", msg, {"ge": rules["ge"]})
    elif "le" in rules and not value <= rules["le"]:
        msg = f"Input should be less than or equal to {rules['le']}"
        failed = ("less_than_equal", msg, {"le": rules["le"]})
    if failed is None:
        return value
    problems.append(Problem(loc, *failed))
    return _INVALID


@functools.cache
def _pattern(pattern: str) -> re.Pattern[str]:
    """Compile a `pattern` rule with pydantic's (Rust regex) anchors: `$` matches at the very end only.

    Python's `$` also matches before a final newline, which would let a value ending in a newline through.
    """
    return re.compile(re.sub(r"(?<!\\)\$", r"\\Z", pattern))


def dump(record: Any, *, by_alias: bool = False, json: bool = False, exclude_none: bool = False) -> Any:
    """Return a record as nested plain data, like pydantic's `model_dump` (json: lists and ISO dates)."""
    if isinstance(record, Record):
        out: dict[str, Any] = {}
        for name, key, _kind, _rules, _default in field_specs(type(record)):
            value = getattr(record, name)
            if not (exclude_none and value is None):
                out[key if by_alias else name] = dump(
                    value, by_alias=by_alias, json=json, exclude_none=exclude_none
                )
        return out
    if isinstance(record, dict):
        return {
            k: dump(v, by_alias=by_alias, json=json, exclude_none=exclude_none) for k, v in record.items()
        }
    if isinstance(record, tuple | list):
        items = [dump(v, by_alias=by_alias, json=json, exclude_none=exclude_none) for v in record]
        return items if json or isinstance(record, list) else tuple(items)
    if json and isinstance(record, date):
        return record.isoformat()
    return record
