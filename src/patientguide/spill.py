"""What a one-off build holds until a page is written, kept in an unnamed temporary file instead of
memory: on a big site, ``mkdocs build`` converts every page before it writes the first, so the full
HTML of each page's citations and reference list (and its structured data) would wait in memory
all that time. Each is written once and read back when its page is written. The operating system
removes the file when the process ends; a file that cannot be made or written leaves the text in
memory, compressed (nothing is lost)."""

from __future__ import annotations

import itertools
import tempfile
import weakref
import zlib
from typing import IO

#: Every open spill file of this process, by its number: a :class:`Spilled` pickled in this process (a
#: page held as one block, :mod:`held_pages`) reads from the same file when it is unpickled.
_OPEN: weakref.WeakValueDictionary[int, Spill] = weakref.WeakValueDictionary()
_NUMBERS = itertools.count()


class Spill:
    """An append-only temporary file of texts: :meth:`put` gives a :class:`Spilled` that reads one back."""

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None
        self._end = 0
        self._broken = False
        self.number = next(_NUMBERS)
        _OPEN[self.number] = self

    def put(self, data: bytes) -> Spilled | bytes:
        """``data`` in the file (a :class:`Spilled`), or compressed in memory if the file fails."""
        if not self._broken:
            try:
                if self._file is None:
                    self._file = tempfile.TemporaryFile(prefix="patientguide-")  # noqa: SIM115 (open all build)
                self._file.seek(self._end)
                self._file.write(data)
                at, self._end = self._end, self._end + len(data)
                return Spilled(self, at, len(data))
            except OSError:
                self._broken = True
        return zlib.compress(data, 1)

    def read(self, at: int, size: int) -> bytes:
        if self._file is None:
            raise OSError("patientguide: the spill file is closed")
        self._file.seek(at)
        data = self._file.read(size)
        if len(data) != size:
            raise OSError(f"patientguide: the spill file is short ({len(data)} of {size} bytes at {at})")
        return data

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
        self._file, self._end = None, 0


class Spilled:
    """One text in a :class:`Spill`: calling it reads it back."""

    __slots__ = ("_at", "_size", "_spill")

    def __init__(self, spill: Spill, at: int, size: int) -> None:
        self._spill, self._at, self._size = spill, at, size

    def __call__(self) -> bytes:
        return self._spill.read(self._at, self._size)

    def __reduce__(self) -> tuple[object, tuple[int, int, int]]:
        """Pickled by its file's number: it unpickles only in this process, while the file is open."""
        return _spilled, (self._spill.number, self._at, self._size)


def _spilled(number: int, at: int, size: int) -> Spilled:
    spill = _OPEN.get(number)
    if spill is None:
        raise OSError("patientguide: a spilled text outlived its spill file")
    return Spilled(spill, at, size)


def put_away(data: bytes, spill: Spill | None) -> Spilled | bytes:
    """``data`` in ``spill``, or compressed in memory without one."""
    return spill.put(data) if spill is not None else zlib.compress(data, 1)


def bring_back(kept: Spilled | bytes) -> bytes:
    """What :meth:`Spill.put` was given."""
    return kept() if isinstance(kept, Spilled) else zlib.decompress(kept)
