"""Pickled results on disk, written atomically: the one way the core caches between runs.

Every cache lives in the site's ``cache_dir`` (``.cache/patientguide`` by default; ``cache_dir:
false`` or ``PATIENTGUIDE_NO_CACHE=1`` turn caching off, which ``options`` resolves to ``None``)
and is keyed by content, never by timestamps. A missing, old or damaged file reads as ``None``;
a read-only folder just means no cache.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO, TypeVar

T = TypeVar("T")


def prefetch(directory: Path | None) -> int:
    """Ask the kernel to start reading every file in ``directory`` and its folders (``renders-1/``) into
    memory, all at once, without waiting: a warm build reads nearly all of them, and a machine that has
    dropped them from its file cache (this one does after about a minute) would otherwise read them
    one by one as they are asked for. Only a hint: nothing is read into this process, and where the
    system has no ``posix_fadvise`` or a file cannot be opened, nothing happens. The files hinted."""
    advise = getattr(os, "posix_fadvise", None)
    if directory is None or advise is None:
        return 0
    return _advise(os.fspath(directory), advise, os.POSIX_FADV_WILLNEED)


def _advise(folder: str, advise: Callable[[int, int, int, int], None], how: int) -> int:
    try:
        with os.scandir(folder) as it:
            entries = list(it)
    except OSError:
        return 0
    count = 0
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            count += _advise(entry.path, advise, how)
            continue
        if not entry.is_file(follow_symlinks=False):  # a link is not the cache's own
            continue
        try:
            fd = os.open(entry.path, os.O_RDONLY)
        except OSError:
            continue
        try:
            advise(fd, 0, 0, how)
            count += 1
        except OSError:
            pass
        finally:
            os.close(fd)
    return count


def load(directory: Path | None, name: str) -> Any | None:
    return load_with(directory, name, pickle.load)


def store(directory: Path | None, name: str, value: Any) -> None:
    store_with(directory, name, lambda fh: pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL))


def store_with(directory: Path | None, name: str, write: Callable[[BinaryIO], object]) -> None:
    """``write(fh)`` into ``directory/name``, atomically (a reader sees the old file or the whole new one)."""
    if directory is None:
        return
    try:
        directory.mkdir(parents=True, exist_ok=True)
        tmp = directory / f".{name}.{os.getpid()}.tmp"
        with open(tmp, "wb") as fh:
            write(fh)
        os.replace(tmp, directory / name)
    except OSError:
        pass


def load_with(directory: Path | None, name: str, read: Callable[[BinaryIO], T]) -> T | None:
    """``read(fh)`` of ``directory/name``, or ``None`` if it is missing or ``read`` fails (damaged, old)."""
    if directory is None:
        return None
    try:
        with open(os.path.join(directory, name), "rb") as fh:  # no Path made: a warm build reads one a page
            return read(fh)
    except Exception:  # missing, from an older version, or damaged: recomputed
        return None
