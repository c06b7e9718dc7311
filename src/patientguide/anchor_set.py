"""A converted page's anchor ids as MkDocs keeps them (``Page.present_anchor_ids``), for its anchor
check once every page is built: the host's own set, and the ids our plugin adds (:func:`anchors.plugin_anchor_ids`).

Ours are the same few names on every page (``pg-references``, ``pg-ref-3``, ``pg-cite-3-1``), so
each name is held once (interned) and a page keeps a tuple of them, not a set of its own. A set
of 28 names is about 2.2 KB and each page had its own copy of every name: at 1000 pages, about
3 MiB that MkDocs keeps until the build ends. It behaves as a set to whoever reads it (``in``,
iteration, ``len``, ``|``, ``add``: a ``MutableSet``), though it is not a ``set`` instance.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, MutableSet
from typing import TypeVar

_S = TypeVar("_S")

#: Beyond this many ids (the bibliography page: one a reference), ours are a frozenset: ``in`` stays fast.
AS_TUPLE = 64


class PageAnchorIds(MutableSet[str]):
    __slots__ = ("_host", "_ours")

    def __init__(self, host: Iterable[str] | None, ours: Iterable[str]) -> None:
        self._host: set[str] = host if isinstance(host, set) else set(host or ())  # MkDocs': kept as it is
        added = {sys.intern(i) for i in ours if i not in self._host}
        self._ours: tuple[str, ...] | frozenset[str] = (
            tuple(sorted(added)) if len(added) <= AS_TUPLE else frozenset(added))

    def __contains__(self, name: object) -> bool:
        return name in self._host or name in self._ours

    def __iter__(self) -> Iterator[str]:
        yield from self._host
        yield from (i for i in self._ours if i not in self._host)

    def __len__(self) -> int:
        return len(self._host) + sum(i not in self._host for i in self._ours)

    def add(self, name: str) -> None:
        if name not in self._ours:
            self._host.add(name)

    def discard(self, name: str) -> None:
        self._host.discard(name)
        if name in self._ours:
            rest = [i for i in self._ours if i != name]
            self._ours = tuple(rest) if isinstance(self._ours, tuple) else frozenset(rest)

    @classmethod
    def _from_iterable(cls, names: Iterable[_S]) -> set[_S]:  # what ``|``, ``&`` and ``-`` give: a plain set
        return set(names)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({sorted(self)!r})"
