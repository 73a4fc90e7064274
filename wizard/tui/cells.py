"""Provides Rich `Text` cells for DataTables, coloured from the current theme.

A DataTable parses plain strings as Rich markup, so text that comes from the user or from data files goes in
as `Text` (never parsed). Colours are read from the running theme's variables, so the table follows the theme.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import App


def theme_color(app: App[object], name: str, fallback: str = "") -> str:
    """Return a theme colour (`error`, `success`, `accent`, `text-error`, ...) as a Rich colour string."""
    value = app.theme_variables.get(name, "")
    return value[:7] if value.startswith("#") else fallback


def cell(text: str, app: App[object] | None = None, color: str = "", style: str = "") -> Text:
    """Return a non-markup cell, optionally in a theme colour and a Rich style (`bold`, `italic`)."""
    parts = [style] if style else []
    if app is not None and color:
        resolved = theme_color(app, color)
        if resolved:
            parts.append(resolved)
    return Text(text, style=" ".join(parts), end="")
