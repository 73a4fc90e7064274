"""Provides `PreviewScreen`: the tree of files that will be written and a syntax-highlighted viewer."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Footer, Header, Static, Tree

from wizard.tui import services
from wizard.tui.screens.base import WizardScreen
from wizard.tui.widgets.file_tree import FileTree
from wizard.tui.widgets.file_viewer import FileViewer


class PreviewScreen(WizardScreen):
    """Renders the repository in a worker (nothing is written) and shows it file by file."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("tab", "focus_next", "Tree/Viewer", show=False),
        Binding("w", "app.show('write')", "Write"),
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.files: dict[str, str] = {}
        self.result: services.RenderResult | None = None

    def compose(self) -> ComposeResult:
        """Lay out the widgets."""
        yield Header()
        yield Static("Rendering the repository…", id="preview-summary")
        with Horizontal(id="preview-body"):
            yield FileTree(id="file-tree")
            yield FileViewer(id="file-viewer")
        yield Footer()

    def on_mount(self) -> None:
        """Set up when first shown."""
        self.sub_title = "Preview"
        self.query_one(FileTree).focus()
        self.recompute()

    def on_screen_resume(self) -> None:
        """Refresh when shown again: the answers may have changed meanwhile."""
        self.recompute()

    def recompute(self) -> None:
        """Render in a worker."""
        self._render_files(self.state.candidate())

    @work(thread=True, group="preview", exclusive=True, exit_on_error=False)
    def _render_files(self, candidate: dict[str, Any]) -> None:
        self.deliver(self._rendered, services.render_repository(candidate))

    def _rendered(self, outcome: services.Outcome) -> None:
        summary = self.query_one("#preview-summary", Static)
        tree = self.query_one(FileTree)
        viewer = self.query_one(FileViewer)
        if not outcome.ok:
            self.result = None
            self.files = {}
            tree.clear()
            viewer.clear()
            summary.update(
                Content("\n").join(
                    [
                        Content.from_markup("[b $text-error]✖ The repository cannot be rendered:[/]"),
                        *(Content.from_markup("  • $line", line=line) for line in outcome.errors),
                    ]
                )
            )
            return
        result: services.RenderResult = outcome.value
        self.result = result
        self.files = {f.path: f.content for f in result.files}
        chosen = result.recommendation.get(result.blueprint_id)
        summary.update(
            Content.from_markup(
                "[b]$n files[/b] for [b $accent]$name[/] ($id)$runtime  [dim]nothing is written yet[/]",
                n=len(result.files),
                name=chosen.name,
                id=result.blueprint_id,
                runtime=services.runs_on(chosen),
            )
        )
        tree.load(self.files, root_label=result.answers.project.name + "/")
        first = next((p for p in ("README.md", *self.files) if p in self.files), None)
        if first:
            viewer.show(first, self.files[first])
        else:
            viewer.clear("(no files)")

    @on(Tree.NodeHighlighted, "#file-tree")
    @on(Tree.NodeSelected, "#file-tree")
    def _node_chosen(self, event: Tree.NodeHighlighted[str] | Tree.NodeSelected[str]) -> None:
        path = event.node.data
        if path is not None and path in self.files:
            self.query_one(FileViewer).show(path, self.files[path])
