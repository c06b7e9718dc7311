"""What a one-off build holds for each page from its conversion to its render, as one block a page.

``mkdocs build`` converts every page before it renders the first. Between the two, each page's packed
render (:meth:`RenderedPage.pack`) and its template data (``meta["pg"]``) wait. Held as they are, they
are about 150 small objects a page, made while MkDocs makes its own objects for the page, so the
host's objects for the navigation, which every page's render walks, end up spread over more memory
(at 300 pages on 546 memory pages of 4 KiB, against 248 for a plain build). Held as one pickled block
a page, they leave the host's objects closer together (378 memory pages), and a 1000-page build's
peak memory is about 6 MiB lower (docs/performance.md, "One block a page"). The block is unpickled
just before the page is rendered: about 0.05 to 0.1 ms a page in all.

That pays only on a bigger site: the first :data:`UNPACKED` pages are held as they are (at 100 pages,
5 to 6 ms of a build, with the renders no slower), the rest as blocks, so what a site holds unpacked
stays bounded (docs/performance.md, "The 100-page build's extra beside our handlers").

A page whose render a warm build read from ``cache_dir`` waits with its kept article
(:class:`rendercache.KeptArticle`): one text and four fields, not 150 objects. A block would only copy
that text twice, as it is held and as it is taken back, and at 1000 pages that cost about 0.03 ms a
page, in memory written long before; so it is held as it is (``as_is``), whatever the site's size
(docs/performance.md, "Kept articles held as they are").

A text the build put in its spill file (:mod:`spill`) stays there: the block holds where it is, and
the spill file itself is referred to, not copied (:meth:`spill.Spilled.__reduce__`). Anything that
cannot be pickled is held as it is.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from typing import Any

from . import pickling

#: How many pages a build holds as they are before it holds the rest as pickled blocks
UNPACKED = 128


class HeldPages:
    """Each waiting page's render and template data, by ``src_uri``: :meth:`hold`, then :meth:`take`."""

    __slots__ = ("_blocks", "_unpacked")

    def __init__(self, unpacked: int | None = None) -> None:
        self._blocks: dict[str, bytes | tuple[Any, Any]] = {}
        self._unpacked = UNPACKED if unpacked is None else unpacked  # still to hold as they are

    def hold(self, src_uri: str, rendered: Any, template_data: Any, *, as_is: bool = False) -> None:
        """Hold ``rendered`` and ``template_data`` for ``src_uri`` until :meth:`take`; ``as_is``: as they
        are, not as a block, and not counted among the first :data:`UNPACKED` pages."""
        if as_is:
            self._blocks[src_uri] = (rendered, template_data)
            return
        if self._unpacked > 0:
            self._unpacked -= 1
            self._blocks[src_uri] = (rendered, template_data)
            return
        try:
            self._blocks[src_uri] = pickle.dumps((rendered, template_data), pickle.HIGHEST_PROTOCOL)
        except Exception:  # something that cannot be pickled (a site's own addition): held as it is
            self._blocks[src_uri] = (rendered, template_data)

    def take(self, src_uri: str) -> tuple[Any, Any] | None:
        """What :meth:`hold` was given for ``src_uri`` (now no longer held), or ``None``."""
        found = self._blocks.pop(src_uri, None)
        if isinstance(found, bytes):
            return pickling.loads(found)
        return found

    def peek(self, src_uri: str) -> tuple[Any, Any] | None:
        """What :meth:`take` would give, still held (a copy, if it was pickled)."""
        found = self._blocks.get(src_uri)
        return pickling.loads(found) if isinstance(found, bytes) else found

    def block(self, src_uri: str) -> bytes | None:
        """The pickled block held for ``src_uri`` (``None``: none, or held as it is)."""
        found = self._blocks.get(src_uri)
        return found if isinstance(found, bytes) else None

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._blocks))

    def __len__(self) -> int:
        return len(self._blocks)

