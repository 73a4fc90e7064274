"""Provides `FileTree`: the files a rendering will write, as a directory tree built from their paths."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.widgets import Tree
from textual.widgets.tree import TreeNode


class FileTree(Tree[str]):
    """A tree of relative POSIX paths; file nodes carry their path as data, directories carry None."""

    DEFAULT_CSS = """
    FileTree {
        height: 1fr;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("repository", id=id)
        self.show_root = True
        self.guide_depth = 3

    def load(self, paths: Iterable[str], root_label: str = "repository") -> None:
        """Show the paths as a tree, directories first, everything sorted; top-level folders open."""
        self.clear()
        self.root.set_label(root_label)
        nested: dict[str, Any] = {}
        for path in paths:
            *folders, name = path.split("/")
            level = nested
            for folder in folders:
                level = level.setdefault(folder + "/", {})
            level[name] = path
        self._add(self.root, nested, depth=0)
        self.root.expand()

    def _add(self, node: TreeNode[str], level: dict[str, Any], depth: int) -> None:
        folders = sorted(name for name, value in level.items() if isinstance(value, dict))
        files = sorted(name for name, value in level.items() if not isinstance(value, dict))
        for folder in folders:
            child = node.add(folder, expand=depth == 0)
            self._add(child, level[folder], depth + 1)
        for name in files:
            node.add_leaf(name, data=level[name])

    def file_nodes(self) -> list[TreeNode[str]]:
        """Return every file node, depth first."""
        found: list[TreeNode[str]] = []

        def walk(node: TreeNode[str]) -> None:
            for child in node.children:
                if child.data is not None:
                    found.append(child)
                walk(child)

        walk(self.root)
        return found
