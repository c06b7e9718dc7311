"""The gaps the checks leave among Python's small objects, filled while MkDocs makes its files and pages.

``mkdocs build`` runs the checks in ``on_pre_build``; straight after it, MkDocs makes a ``File`` and a ``Page`` for
every page, and each page's render walks them all (the navigation). Reading the kept results frees many small
objects on the way (a warm 1000-page build: about 8,500 places of 64 bytes and 3,000 of 96, the unpickler's
passing tuples among the objects kept), and CPython's allocator hands out freed places before new ones. So
MkDocs' files and pages landed scattered between the checks' objects: at 1000 pages on 174 memory pages of
4 KiB for the files and 152 for the pages, against 67 and 81 in a plain build. Each gap filled with a
placeholder until MkDocs has made them (let go at ``on_nav``), they lie side by side again
(65 and 66); the navigation, walked once with the processor's caches emptied first, took 1.51 to 1.63 ms
instead of 1.77 to 2.03 (docs/performance.md, "The checks' gaps, filled while MkDocs makes its pages").

How it knows a size's gaps are full: CPython hands out a size's freed places first and then carves new ones
in address order, and there ``id()`` is the object's address. Placeholders are made in batches until one
batch lies at consecutive addresses. Elsewhere, or with another allocator, it stops at :data:`MOST` a size
and the placeholders only cost their memory until they are released.
"""

from __future__ import annotations

import sys

#: The sizes filled (CPython rounds a small object up to a multiple of 16): a ``File`` and a ``Page`` are
#: 64 bytes, their short strings (``src_uri``, ``url``, ``dest_uri``) 64 to 112, their attribute values 192 or so.
SIZES = tuple(range(48, 513, 16))
#: Placeholders made at a time, and the most made for one size (about 1 MiB of 64-byte ones).
BATCH = 16
MOST = 1 << 14
_HEADER = sys.getsizeof(b"")  # a bytes object's size beyond its contents


class Gaps:
    """The placeholders that fill the gaps, held as long as this is."""

    __slots__ = ("_held",)

    def __init__(self) -> None:
        self._held: list[list[bytes]] = []

    @classmethod
    def filled(cls, sizes: tuple[int, ...] = SIZES, most: int = MOST) -> Gaps:
        """Every gap of each of ``sizes``, filled: placeholders until a batch of them lies side by side."""
        gaps = cls()
        for size in sizes:
            gaps._fill(size, most)
        return gaps

    def _fill(self, size: int, most: int) -> None:
        """Batches of placeholders of ``size`` bytes. While it fills, nothing else of its own is made between
        them, or let go (the place would be a gap again): each batch's list is made first and kept, and the
        loops count with small integers, which Python does not make anew."""
        contents, made = size - _HEADER, 0
        while made < most:
            batch = [b""] * BATCH
            self._held.append(batch)
            i = 0
            while i < BATCH:
                batch[i] = bytes(contents)
                i += 1
            made += BATCH
            if side_by_side(batch, size):
                return

    def __len__(self) -> int:
        return sum(len(batch) for batch in self._held)


def side_by_side(objects: list[bytes], size: int) -> bool:
    """Whether ``objects`` (of ``size`` bytes each) lie one after the other in memory, in the order given
    (the addresses compared are integers of 32 bytes, a size not filled, each let go before the next)."""
    i = 1
    while i < len(objects):
        if id(objects[i]) - id(objects[i - 1]) != size:
            return False
        i += 1
    return True
