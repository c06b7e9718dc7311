"""The gaps the checks leave among Python's small objects, filled while MkDocs makes its pages.

``mkdocs build`` runs the checks in ``on_pre_build``. Straight after it, MkDocs makes a ``File`` and a ``Page``
for every page, then reads and converts each page (its front matter, its title, its table of contents), and
every page's render walks all of them again (the navigation). Reading the kept results frees many small objects
on the way (a warm 1000-page build: about 8,500 places of 64 bytes and 3,000 of 96; a cold one about 140,000),
and CPython's allocator hands out freed places before new ones. So MkDocs' objects landed scattered between
the checks': at 1000 pages the files on 174 memory pages of 4 KiB and the pages on 152 to 160, against 67
and 81 in a plain build, and all that the navigation reads on 952 to 1416, against 690.

Each gap filled with a placeholder until every page is converted (let go at ``on_env``), they lie as in a
plain build: the files and pages on 65 to 70 memory pages, all that the navigation reads on about 757. The
navigation, walked once after the processor's caches were emptied, took about 0.2 ms less (1.55 to 1.60 ms
against 1.79 to 1.90), for 2 ms of filling, and the build's peak memory is 0.5 to 1.3 MiB higher: the
objects made meanwhile go to new places instead of the gaps (docs/performance.md, "The checks' gaps, filled
while MkDocs makes its pages").

How it knows a size's gaps are full: CPython hands out a size's freed places first and then carves new ones
in address order, and there ``id()`` is the object's address. Placeholders are made in batches until one
batch lies at consecutive addresses. Elsewhere, or with another allocator, it stops at :data:`MOST` bytes in
all, and the placeholders only cost their memory until they are let go.
"""

from __future__ import annotations

import sys

#: The sizes filled (CPython rounds a small object up to a multiple of 16): a ``File`` and a ``Page`` are
#: 64 bytes, their short strings (``src_uri``, ``url``, ``dest_uri``) 64 to 112.
SIZES = tuple(range(48, 513, 16))
#: Placeholders made at a time; the most memory they take in all (a warm 1000-page build makes about 12,000,
#: a cold one about 59,000: mostly gaps, memory the build had already).
BATCH = 16
MOST = 8 << 20
_HEADER = sys.getsizeof(b"")  # a bytes object's size beyond its contents


class Gaps:
    """The placeholders that fill the gaps, held as long as this is."""

    __slots__ = ("_held",)

    def __init__(self) -> None:
        self._held: list[list[bytes]] = []

    @classmethod
    def filled(cls, sizes: tuple[int, ...] = SIZES, most: int = MOST) -> Gaps:
        """Every gap of each of ``sizes``, filled: placeholders until a batch of them lies side by side, or
        until they take ``most`` bytes in all."""
        gaps = cls()
        for size in sizes:
            most -= gaps._fill(size, most)
        return gaps

    def _fill(self, size: int, most: int) -> int:
        """Batches of placeholders of ``size`` bytes, at most ``most`` bytes of them; returns the bytes made.
        While it fills, nothing else of its own is made between them, or let go (the place would be a gap
        again): each batch's list is made first and kept, and the loops count with small integers, which
        Python does not make anew."""
        contents, made = size - _HEADER, 0
        while made + BATCH * size <= most:
            batch = [b""] * BATCH
            self._held.append(batch)
            i = 0
            while i < BATCH:
                batch[i] = bytes(contents)
                i += 1
            made += BATCH * size
            if side_by_side(batch, size):
                break
        return made

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
