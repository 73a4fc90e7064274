"""Provides `StepIndicator`: the questionnaire's progress, one clickable entry per section."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget


class StepIndicator(Widget):
    """`3/7  Project › Workload › [Data] › …`; sections with problems are marked, any entry is clickable."""

    DEFAULT_CSS = """
    StepIndicator {
        height: auto;
        width: 1fr;
        padding: 0 1;
        link-style: none;
        link-style-hover: underline;
        link-background-hover: transparent;
    }
    """

    current: reactive[int] = reactive(0)
    """The index of the section shown."""
    invalid: reactive[frozenset[int]] = reactive(frozenset())
    """Indexes of sections holding a field with a problem."""

    class Selected(Message):
        """Posted when the user clicks a section."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, titles: Sequence[str], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.titles = tuple(titles)

    def render(self) -> Content:
        """Render the steps on one line (wrapping on narrow terminals)."""
        parts: list[Content] = [
            Content.from_markup("[b]$n/$total[/b]  ", n=self.current + 1, total=len(self.titles)),
        ]
        for index, title in enumerate(self.titles):
            if index:
                parts.append(Content.from_markup("[dim] › [/]"))
            mark = "✖" if index in self.invalid else ""
            if index == self.current:
                piece = Content.from_markup(
                    f"[@click=select({index})][b reverse] $mark$title [/][/]", mark=mark, title=title
                )
            elif index in self.invalid:
                piece = Content.from_markup(
                    f"[@click=select({index})][$text-error]$mark$title[/][/]", mark=mark, title=title
                )
            else:
                piece = Content.from_markup(f"[@click=select({index})]$title[/]", title=title)
            parts.append(piece)
        return Content("").join(parts)

    def action_select(self, index: int) -> None:
        """Jump to a section (from a click)."""
        self.post_message(self.Selected(index))
