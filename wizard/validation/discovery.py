"""Provides the scan of a repository for the files each validator applies to."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import yaml

# Directories no validator should look into: VCS data, tool caches, virtual environments, dependencies.
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".terraform",
        ".venv",
        "venv",
        "node_modules",
        "__pycache__",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".tox",
    }
)
# Hidden directories that hold files we check; every other hidden directory is skipped.
HIDDEN_DIRS_KEPT = frozenset({".github", ".circleci", ".gitlab"})
KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")


@dataclass(frozen=True)
class RepoScan:
    """The relative (POSIX) paths of everything the validators look at."""

    files: tuple[str, ...]
    tf_files: tuple[str, ...]
    tf_roots: tuple[str, ...]
    dockerfiles: tuple[str, ...]
    workflows: tuple[str, ...]
    gitlab_ci: tuple[str, ...]
    circleci: tuple[str, ...]
    kustomize_roots: tuple[str, ...]


def walk_files(root: Path) -> list[str]:
    """Return every file under `root` (relative POSIX paths, sorted), skipping caches and VCS data."""
    found: list[str] = []
    for current, dirs, names in os.walk(root):
        dirs[:] = sorted(
            d for d in dirs if d not in SKIPPED_DIRS and (not d.startswith(".") or d in HIDDEN_DIRS_KEPT)
        )
        rel = Path(current).relative_to(root)
        found.extend((rel / name).as_posix() for name in names)
    return sorted(found)


def _parent(path: str) -> str:
    return PurePosixPath(path).parent.as_posix()


def terraform_roots(tf_files: list[str]) -> list[str]:
    """Return the directories holding `*.tf` files that are not under a `modules/` directory."""
    dirs = {_parent(path) for path in tf_files if path.endswith((".tf", ".tf.json"))}
    return sorted(d for d in dirs if "modules" not in PurePosixPath(d).parts)


def _kustomize_refs(root: Path, directory: str, file: str) -> set[str]:
    """Return the directories a kustomization references as resources, bases or components."""
    try:
        data = yaml.safe_load((root / file).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return set()
    if not isinstance(data, dict):
        return set()
    refs: set[str] = set()
    for key in ("resources", "bases", "components"):
        entries = data.get(key) or []
        for entry in entries if isinstance(entries, list) else []:
            if isinstance(entry, str) and "://" not in entry:
                refs.add(Path(os.path.normpath(Path(directory, entry))).as_posix())
    return refs


def kustomize_roots(root: Path, files: list[str]) -> list[str]:
    """Return the kustomization directories no other kustomization builds on (overlays, lone bases)."""
    kustomizations = {_parent(f): f for f in files if PurePosixPath(f).name in KUSTOMIZATION_NAMES}
    referenced: set[str] = set()
    for directory, file in kustomizations.items():
        referenced |= _kustomize_refs(root, directory, file)
    return sorted(d for d in kustomizations if d not in referenced)


def scan(root: Path) -> RepoScan:
    """Scan `root` once for every validator."""
    files = walk_files(root)
    tf_files = [f for f in files if f.endswith((".tf", ".tf.json"))]
    names = {f: PurePosixPath(f).name for f in files}
    return RepoScan(
        files=tuple(files),
        tf_files=tuple(tf_files),
        tf_roots=tuple(terraform_roots(tf_files)),
        dockerfiles=tuple(f for f in files if names[f] == "Dockerfile" or names[f].endswith(".Dockerfile")),
        workflows=tuple(
            f for f in files if _parent(f) == ".github/workflows" and f.endswith((".yml", ".yaml"))
        ),
        gitlab_ci=tuple(f for f in files if f == ".gitlab-ci.yml"),
        circleci=tuple(f for f in files if f == ".circleci/config.yml"),
        kustomize_roots=tuple(kustomize_roots(root, files)),
    )
