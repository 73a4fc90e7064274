"""Provides `FileViewer`: a read-only, syntax-highlighted view of one rendered file (Pygments via Rich)."""

from __future__ import annotations

from pathlib import PurePosixPath

from rich.syntax import Syntax
from textual.app import ComposeResult
from textual.containers import ScrollableContainer
from textual.widgets import Static

from wizard.tui.cells import theme_color

LEXER_BY_SUFFIX = {
    ".tf": "terraform",
    ".tfvars": "terraform",
    ".hcl": "terraform",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".py": "python",
    ".md": "markdown",
    ".sh": "bash",
    ".json": "json",
    ".toml": "toml",
    ".ini": "ini",
    ".cfg": "ini",
    ".txt": "text",
    ".html": "html",
    ".css": "css",
    ".js": "javascript",
}
LEXER_BY_NAME = {"Dockerfile": "docker", "Makefile": "make", ".gitignore": "text", ".dockerignore": "text"}


def lexer_for(path: str) -> str:
    """Return the Pygments lexer name for a file path (by name, then by extension; plain text otherwise)."""
    pure = PurePosixPath(path)
    if pure.name in LEXER_BY_NAME:
        return LEXER_BY_NAME[pure.name]
    if pure.name.startswith("Dockerfile"):
        return "docker"
    return LEXER_BY_SUFFIX.get(pure.suffix.lower(), "text")


class FileViewer(ScrollableContainer):
    """Scrolls both ways; focus it and use the arrow keys, PgUp/PgDn, Home/End."""

    DEFAULT_CSS = """
    FileViewer {
        height: 1fr;
        overflow: auto auto;
    }
    FileViewer > #viewer-code {
        width: auto;
    }
    """

    path: str = ""
    """The file shown ("" for none)."""
    content: str = ""
    """Its text, as rendered."""

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        yield Static("", id="viewer-code")

    def on_mount(self) -> None:
        """Re-highlight with the new theme's colours when the theme changes."""
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._rehighlight())

    def _rehighlight(self) -> None:
        if self.path:
            self.show(self.path, self.content)

    def show(self, path: str, content: str) -> None:
        """Show a file's content highlighted for its type, with line numbers."""
        self.path, self.content = path, content
        dark = self.app.current_theme.dark if self.app.current_theme else True
        syntax = Syntax(
            content,
            lexer_for(path),
            theme="monokai" if dark else "default",
            line_numbers=True,
            word_wrap=False,
            background_color=theme_color(self.app, "surface") or None,
        )
        self.border_title = path
        self.query_one("#viewer-code", Static).update(syntax)
        self.scroll_home(animate=False)

    def clear(self, message: str = "") -> None:
        """Show a message instead of a file."""
        self.path, self.content = "", ""
        self.border_title = ""
        self.query_one("#viewer-code", Static).update(message)
