"""Provides `HelpPanel`: explains the focused question, its choices, when it is asked and its current problems."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from wizard.core.questions import Question
from wizard.tui.state import RawValue


def help_content(
    question: Question,
    raw: RawValue,
    problems: Sequence[str] = (),
    highlighted: str | None = None,
) -> Content:
    """Return the help text of a question as styled content (user text is never parsed as markup)."""
    parts: list[Content] = [
        Content.from_markup("[b $accent]$prompt[/]", prompt=question.prompt),
        Content.from_markup("[dim]$key[/]", key=question.key),
        Content(""),
        Content(question.help),
    ]
    if question.ask_when_text:
        parts += [Content(""), Content.from_markup("[i]Asked $when.[/]", when=question.ask_when_text)]
    if question.choices:
        parts += [Content(""), Content.from_markup("[b]Choices[/]")]
        chosen = raw if isinstance(raw, list) else [raw]
        for choice in question.choices:
            mark = "●" if choice.value in chosen else "○"
            style = "reverse" if choice.value == highlighted else ""
            line = Content.from_markup(
                "$mark [b]$label[/b] [dim]($value)[/dim]: $help",
                mark=mark,
                label=choice.label,
                value=choice.value,
                help=choice.help,
            )
            parts.append(line.stylize(style) if style else line)
    else:
        parts += [Content(""), Content.from_markup("[b]Allowed:[/b] $allowed", allowed=question.allowed)]
    if problems:
        parts.append(Content(""))
        parts += [Content.from_markup("[$text-error]✖ $p[/]", p=p) for p in problems]
    return Content("\n").join(parts)


class HelpPanel(VerticalScroll, can_focus=False):
    """A scrolling panel beside the form that follows the focused question."""

    DEFAULT_CSS = """
    HelpPanel {
        height: 1fr;
    }
    HelpPanel > #help-body {
        width: 1fr;
    }
    """

    _shown: Content | None = None

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        yield Static("", id="help-body")

    def show(
        self,
        question: Question,
        raw: RawValue,
        problems: Sequence[str] = (),
        highlighted: str | None = None,
    ) -> None:
        """Explain a question with the current value marked."""
        self._update(help_content(question, raw, problems, highlighted))

    def _update(self, content: Content) -> None:
        if content != self._shown:
            self._shown = content
            self.query_one("#help-body", Static).update(content)

    def show_text(self, title: str, text: str) -> None:
        """Show a plain explanation (a section's intro when no question is focused)."""
        self._update(Content.from_markup("[b $accent]$title[/]\n\n$text", title=title, text=text))
