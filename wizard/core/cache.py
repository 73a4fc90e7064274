"""Provides the content-keyed result cache for the bundled data: parsed YAML and validated records.

Loading the blueprint and checklist data (parse, then validate into records) costs more than the rest of a
`wizard recommend` run, yet the result only changes when the data file or the code that validates it changes.
So the result is pickled into a private folder of the user's cache directory (see
`paths.private_cache_folder`), under a hash of the data file's bytes and of every source file of
`wizard.core`; an edited file or another wizard version gets a new entry. A missing, unreadable or unwritable
cache only costs the work; errors are never cached.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path
from typing import TypeVar, cast

from wizard.core.paths import private_cache_folder

_T = TypeVar("_T")
_LOAD_ERRORS = (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError, ImportError)


def cached(
    namespace: str, data_files: Sequence[Path], compute: Callable[[], _T], *, with_code: bool = True
) -> _T:
    """Return `compute()`, cached under the bytes of `data_files` (and of the core's code, unless told not to).

    Args:
        namespace: the cache sub-folder, e.g. `records`; include any library version the result depends on.
        data_files: the files the result is computed from.
        compute: does the work; an exception it raises propagates and nothing is cached.
        with_code: key the entry by `wizard.core`'s source as well (needed when the result holds objects of
            our classes, whose fields may change).
    """
    digest = hashlib.blake2b(digest_size=20)
    try:
        for data_file in data_files:
            digest.update(data_file.name.encode() + b"\0")
            digest.update(data_file.read_bytes())
    except OSError:
        return compute()
    digest.update(b"py%d.%d" % sys.version_info[:2])
    if with_code:
        digest.update(_code_digest())
    folder = private_cache_folder(namespace)
    entry = folder / f"{digest.hexdigest()}.pickle" if folder else None
    if entry is not None:
        try:
            return cast(_T, pickle.loads(entry.read_bytes()))  # noqa: S301 - our own file, private 0700 folder
        except _LOAD_ERRORS:
            pass
    result = compute()
    if entry is not None:
        write_quietly(entry, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    return result


@cache
def _code_digest() -> bytes:
    """Return a hash of every source file of `wizard.core` (the classes a cached result may hold)."""
    digest = hashlib.blake2b(digest_size=20)
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return digest.digest()


def write_quietly(path: Path, content: bytes) -> None:
    """Write a cache entry atomically (temporary file, then rename); give up silently on any error."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        Path(tmp).replace(path)
    except OSError:
        return
