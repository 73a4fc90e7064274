"""Provides the escaping filters for values a user typed, one per file type they can land in.

Every user-typed value (project name, description, domain) reaches templates only through one of these, so it can
never break the syntax of a generated file or inject code into it (CONTRACT §5).
"""

from __future__ import annotations

import json
import re
from typing import Any

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|<>~])")
_MD_LINE_START = re.compile(r"^(\s*)(\d+(?=[.)](?:\s|$))|)([#+\-=.)])")


def hcl_string(value: Any) -> str:
    """Return a quoted HCL string literal: escapes quotes, backslashes, control characters and `${` / `%{`."""
    text = str(value)
    out = []
    for ch in text:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    escaped = "".join(out)
    # HCL template sequences are escaped by doubling the introducer: $${ and %%{.
    escaped = escaped.replace("${", "$${").replace("%{", "%%{")
    return f'"{escaped}"'


def yaml_string(value: Any) -> str:
    """Return a double-quoted YAML scalar (JSON strings are valid YAML double-quoted scalars)."""
    return json.dumps(str(value), ensure_ascii=False)


def json_value(value: Any) -> str:
    """Return a JSON literal."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def shell_quote(value: Any) -> str:
    """Return a single-quoted POSIX shell word."""
    text = str(value)
    return "'" + text.replace("'", "'\"'\"'") + "'"


def dockerfile_string(value: Any) -> str:
    """Return a value for a Dockerfile LABEL/ENV: a JSON string on one line (Dockerfile parses it as quoted)."""
    text = str(value).replace("\n", " ").replace("\r", " ")
    # Dockerfile variable expansion: `$` inside double quotes expands, so escape it.
    return json.dumps(text, ensure_ascii=False).replace("$", "\\$")


def markdown_inline(value: Any) -> str:
    """Return text safe inside a Markdown paragraph or table cell: special characters escaped, one line."""
    text = str(value).replace("\r", " ").replace("\n", " ")
    text = text.replace("&", "&amp;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    # Block markers only matter at the start: a heading, list item or rule.
    return _MD_LINE_START.sub(lambda m: m.group(1) + m.group(2) + "\\" + m.group(3), text)


def python_string(value: Any) -> str:
    """Return a Python string literal."""
    return repr(str(value))


def comment_text(value: Any) -> str:
    """Return text safe inside a `#` comment line of any of our file types: one line, printable."""
    text = str(value).replace("\r", " ").replace("\n", " ")
    return "".join(ch if ch.isprintable() else " " for ch in text)


FILTERS = {
    "hcl": hcl_string,
    "yaml_str": yaml_string,
    "json": json_value,
    "sh": shell_quote,
    "docker_str": dockerfile_string,
    "md": markdown_inline,
    "py_str": python_string,
    "comment": comment_text,
}
