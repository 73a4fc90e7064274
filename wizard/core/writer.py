"""Provides writing a rendered repository to disk safely (CONTRACT §5).

Files are written into a temporary sibling of the target first and moved into place only when complete, so an
error or Ctrl-C leaves the target as it was. A target that exists and is not empty is refused unless `force`:
then only the generated paths are replaced and every other file of the user's stays.
"""

from __future__ import annotations

import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from wizard.core.render import RenderedFile
from wizard.errors import UsageError


def is_empty_dir(path: Path) -> bool:
    """Return whether path is a directory without entries."""
    return path.is_dir() and not any(path.iterdir())


def check_target(out: Path, force: bool) -> None:
    """Refuse a target that is a file, or a non-empty directory without `force`."""
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exists and is not a directory; choose another path")
    if out.is_dir() and not is_empty_dir(out) and not force:
        raise UsageError(
            f"--out {out}: the directory exists and is not empty; choose an empty or new directory, "
            "or pass --force to replace the generated files in it (other files are kept)"
        )


@contextmanager
def _deferred_interrupt() -> Iterator[None]:
    """Hold SIGINT while moving files into place, then re-raise it, so the move is never half done."""
    received: list[int] = []

    def handler(signum: int, _frame: object) -> None:
        received.append(signum)

    try:
        previous = signal.signal(signal.SIGINT, handler)
    except ValueError:  # not the main thread: nothing to defer
        yield
        return
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received:
            raise KeyboardInterrupt


def _safe_relpath(rel: str) -> Path:
    path = Path(rel)
    if path.is_absolute() or ".." in path.parts:
        raise ValueError(f"refusing to write outside the target: {rel}")
    return path


def write_repository(
    files: Sequence[RenderedFile],
    out: Path,
    *,
    force: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> list[Path]:
    """Write the rendered files under `out` atomically; return the written paths (relative to `out`)."""
    out = out.absolute()
    check_target(out, force)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.wizard-", dir=out.parent))
    try:
        written: list[Path] = []
        for i, item in enumerate(files, 1):
            rel = _safe_relpath(item.path)
            target = staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(item.content, encoding="utf-8", newline="\n")
            target.chmod(0o755 if item.executable else 0o644)
            written.append(rel)
            if progress:
                progress(i, len(files))
        with _deferred_interrupt():
            if not out.exists() or is_empty_dir(out):
                if out.exists():
                    out.rmdir()
                staging.chmod(0o755)
                staging.rename(out)
            else:
                for rel in written:
                    dest = out / rel
                    if dest.is_dir():
                        raise UsageError(f"--out {out}: {rel} is a directory in the target; not replacing it")
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    (staging / rel).replace(dest)
        return written
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
