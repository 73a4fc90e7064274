"""Provides the state one validation run shares between its checks, and the outcome a check returns."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar, cast

from wizard.validation.discovery import SKIPPED_DIRS, RepoScan
from wizard.validation.report import Finding, Status

# Files larger than this are not copied into the private Terraform workspace (model weights, archives).
_MAX_COPIED_BYTES = 5 * 1024 * 1024
_T = TypeVar("_T")


@dataclass(frozen=True)
class Outcome:
    """What one check found; `status` None means failed when there are findings, else passed."""

    findings: tuple[Finding, ...] = ()
    detail: str = ""
    status: Status | None = None


@dataclass
class RunContext:
    """Shared by the checks of one run: the root, its scan, a private temp dir and the locks."""

    root: Path
    scan: RepoScan
    tmp: Path
    init_lock: threading.Lock = field(default_factory=threading.Lock)
    _copy_lock: threading.Lock = field(default_factory=threading.Lock)
    _tf_copy: Path | None = None
    _memo_lock: threading.Lock = field(default_factory=threading.Lock)
    _memo: dict[str, tuple[threading.Lock, list[Any]]] = field(default_factory=dict)

    def terraform_copy(self) -> Path:
        """Return a private copy of the Terraform tree so `init` never writes into the user's repo.

        The copy spans the deepest directory holding every `.tf` file, so relative module sources
        (`../../modules/x`) and files read with `file()` next to them resolve as in the original.
        """
        with self._copy_lock:
            if self._tf_copy is None:
                dirs = [PurePosixPath(f).parent.as_posix() for f in self.scan.tf_files] or ["."]
                base = os.path.commonpath([os.path.normpath(d) for d in dirs]) or "."
                target = self.tmp / "tf" / base
                shutil.copytree(self.root / base, target, ignore=_ignore, symlinks=True)
                self._tf_copy = self.tmp / "tf"
            return self._tf_copy

    def plugin_cache(self) -> str:
        """Return TF_PLUGIN_CACHE_DIR: the caller's, else one shared by the roots of this run."""
        configured = os.environ.get("TF_PLUGIN_CACHE_DIR")
        if configured:
            return configured
        cache = self.tmp / "plugin-cache"
        cache.mkdir(exist_ok=True)
        return str(cache)

    def once(self, key: str, compute: Callable[[], _T]) -> _T:
        """Return `compute()`, computed by the first check that asks for `key` and shared with the others."""
        with self._memo_lock:
            lock, box = self._memo.setdefault(key, (threading.Lock(), []))
        with lock:
            if not box:
                box.append(compute())
            return cast(_T, box[0])

    def kube_version(self, compute: Callable[[], str | None]) -> str | None:
        """Return the Kubernetes version to validate against, computing it once per run."""
        return self.once("kube-version", compute)


def _ignore(directory: str, names: list[str]) -> set[str]:
    ignored = {name for name in names if name in SKIPPED_DIRS}
    for name in names:
        path = Path(directory, name)
        if path.is_file() and not path.is_symlink() and path.stat().st_size > _MAX_COPIED_BYTES:
            ignored.add(name)
    return ignored
