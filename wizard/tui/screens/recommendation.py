"""Provides `RecommendationScreen`: the ranked blueprints with their reasons, and the override of the choice."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from wizard.core.engine import Assessment
from wizard.tui import services
from wizard.tui.screens.base import WizardScreen
from wizard.tui.widgets.assessment_view import AssessmentView


class RecommendationScreen(WizardScreen):
    """The ranking on the left, the highlighted blueprint's explanation on the right."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("enter", "choose", "Use this", priority=True),
        Binding("a", "auto", "Auto"),
        Binding("c", "app.show('compare')", "Compare"),
        Binding("p", "app.show('preview')", "Preview"),
        Binding("k", "app.show('checklist')", "Checklist"),
        Binding("w", "app.show('write')", "Write"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.result: services.RecommendationResult | None = None

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        yield Header()
        yield Static("Ranking the blueprints…", id="rec-summary")
        with Horizontal(id="rec-body"):
            yield OptionList(id="ranking")
            with VerticalScroll(id="rec-details"):
                yield AssessmentView(id="assessment")
        yield Footer()

    def on_mount(self) -> None:
        """Set up when first shown."""
        self.sub_title = "Recommendation"
        self.query_one("#ranking", OptionList).focus()
        self.recompute()

    def on_screen_resume(self) -> None:
        """Refresh when shown again: the answers may have changed meanwhile."""
        self.recompute()

    def recompute(self) -> None:
        """Rank the blueprints for the current answers in a worker."""
        self._rank(self.state.candidate())

    @work(thread=True, group="recommend", exclusive=True, exit_on_error=False)
    def _rank(self, candidate: dict[str, Any]) -> None:
        self.deliver(self._ranked, services.recommendation(candidate))

    # --- showing ----------------------------------------------------------------------------------------

    @property
    def override(self) -> str | None:
        """Return the blueprint the user chose, or None for `auto`."""
        choice = self.state.get("blueprint")
        return None if choice in ("auto", "") else str(choice)

    def chosen(self) -> str | None:
        """Return the blueprint that will be written: the override, else the recommendation."""
        if self.result is None:
            return None
        return self.override or self.result.recommendation.recommended

    def _ranked(self, outcome: services.Outcome) -> None:
        summary = self.query_one("#rec-summary", Static)
        ranking = self.query_one("#ranking", OptionList)
        if not outcome.ok:
            self.result = None
            ranking.clear_options()
            self.query_one(AssessmentView).update("")
            summary.update(
                Content("\n").join(
                    [
                        Content.from_markup("[b $text-error]✖ The answers cannot be ranked yet:[/]"),
                        *(Content.from_markup("  • $line", line=line) for line in outcome.errors),
                        Content.from_markup("Press [b]Esc[/b] to go back and fix them."),
                    ]
                )
            )
            return
        self.result = outcome.value
        self._show()

    def _show(self) -> None:
        assert self.result is not None
        rec = self.result.recommendation
        ranking = self.query_one("#ranking", OptionList)
        highlighted = ranking.highlighted
        chosen = self.chosen()
        options = []
        for index, a in enumerate(rec.ranking, 1):
            mark = "▶" if a.blueprint == chosen else " "
            if a.eligible:
                detail = Content.from_markup(
                    "    score $score · $cost/mo",
                    score=f"{a.score:.2f}",
                    cost=f"${a.cost.low:,}–${a.cost.high:,}",
                )
            else:
                detail = Content.from_markup("    [$text-error]✖ ruled out[/]")
            title = Content.from_markup("$mark $n. [b]$name[/b]", mark=mark, n=index, name=a.name)
            options.append(Option(Content("\n").join([title, detail]), id=a.blueprint))
        ranking.clear_options()
        ranking.add_options(options)
        ranking.highlighted = highlighted if highlighted is not None else 0
        self._show_summary()
        self._show_details()

    def _show_summary(self) -> None:
        assert self.result is not None
        rec = self.result.recommendation
        lines: list[Content] = []
        if rec.recommended:
            best = rec.get(rec.recommended)
            lines.append(
                Content.from_markup(
                    "Recommended: [b $text-success]$name[/]$runtime",
                    name=best.name,
                    runtime=services.runs_on(best),
                )
            )
        else:
            lines.append(Content.from_markup("[b $text-error]No blueprint is eligible for these answers.[/]"))
        if self.override:
            lines.append(
                Content.from_markup(
                    "Your choice: [b]$id[/b] (override; [b]a[/b] returns to auto)", id=self.override
                )
            )
            ruled_out = next(
                (a for a in rec.ranking if a.blueprint == self.override and not a.eligible), None
            )
            if ruled_out is not None:
                first = ruled_out.blockers[0].text.split(" — ")[0] if ruled_out.blockers else ""
                lines.append(
                    Content.from_markup(
                        "[b $text-error]✖ Your choice is ruled out by these answers: $why[/]", why=first
                    )
                )
        else:
            lines.append(
                Content.from_markup(
                    "[dim]Using the recommendation. Enter on another eligible blueprint to choose it instead.[/]"
                )
            )
        lines += [Content.from_markup("[$text-warning]! $w[/]", w=w) for w in rec.warnings]
        self.query_one("#rec-summary", Static).update(Content("\n").join(lines))

    def _highlighted(self) -> Assessment | None:
        if self.result is None:
            return None
        ranking = self.query_one("#ranking", OptionList)
        if ranking.highlighted is None:
            return None
        option_id = ranking.get_option_at_index(ranking.highlighted).id
        return self.result.recommendation.get(str(option_id))

    def _show_details(self) -> None:
        assessment = self._highlighted()
        if assessment is None or self.result is None:
            return
        self.query_one(AssessmentView).show(
            assessment,
            recommended=assessment.blueprint == self.result.recommendation.recommended,
            chosen=assessment.blueprint == self.chosen(),
        )

    @on(OptionList.OptionHighlighted, "#ranking")
    def _option_highlighted(self) -> None:
        self._show_details()

    # --- choosing ---------------------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#ranking")
    def _option_selected(self) -> None:
        self.action_choose()

    def action_choose(self) -> None:
        """Use the highlighted blueprint (only an eligible one)."""
        assessment = self._highlighted()
        if assessment is None:
            return
        if not assessment.eligible:
            first = assessment.blockers[0].text.split(" — ")[0] if assessment.blockers else "it is ruled out"
            self.notify(f"{assessment.name} cannot be used: {first}", title="Not eligible", severity="error")
            return
        self.state.set("blueprint", assessment.blueprint)
        self.notify(f"{assessment.name} will be written.", title="Blueprint chosen")
        self._show()

    def action_auto(self) -> None:
        """Go back to the recommended blueprint (`blueprint: auto`)."""
        self.state.set("blueprint", "auto")
        if self.result is not None:
            self._show()
