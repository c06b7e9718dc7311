"""Pickling for the small frozen records that caches keep by the thousand (citations, references), and
reading back what a build pickles a page at a time."""

from __future__ import annotations

import io
import pickle
import sys
from typing import Any


class ByConstructor:
    """Pickled as its constructor's arguments: read back about twice as fast as through the
    ``__setstate__`` that ``dataclasses`` gives a frozen class with slots. For a dataclass whose
    fields are all ``__init__`` arguments, in order (``__match_args__``)."""

    __slots__ = ()
    __match_args__: tuple[str, ...]

    def __reduce__(self) -> tuple[type, tuple]:
        return type(self), tuple(getattr(self, name) for name in self.__match_args__)


class LoadedModules(pickle.Unpickler):
    """Finds each pickled class in its module as already loaded (``sys.modules``), not through the import
    system, which is what :func:`pickle.loads` asks for every class of every pickle. A 1000-page build reads
    about 3000 such pickles (a page's kept render, its held block), and there each look-up through the import
    system cost 2 to 4 us, as a page's render pushes the import system's objects out of the processor's
    caches (docs/performance.md, "Per-page look-ups held"). A module not loaded yet, or a nested name, is
    found as :class:`pickle.Unpickler` finds it."""

    def find_class(self, module: str, name: str) -> Any:
        loaded = sys.modules.get(module)
        if loaded is None or "." in name:
            return super().find_class(module, name)
        return getattr(loaded, name)


def loads(data: bytes) -> Any:
    """:func:`pickle.loads`, each class found by :class:`LoadedModules`."""
    return LoadedModules(io.BytesIO(data)).load()
