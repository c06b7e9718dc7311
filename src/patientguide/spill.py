"""What a one-off build holds until a page is written, kept in an unnamed temporary file instead of
memory: on a big site, ``mkdocs build`` converts every page before it writes the first, so the full
HTML of each page's citations and reference list (and its structured data) would wait in memory
all that time. Each is written once and read back when its page is written. The operating system
removes the file when the process ends; a file that cannot be made or written leaves the text in
memory, compressed (nothing is lost)."""

from __future__ import annotations

import tempfile
import zlib
from typing import IO


class Spill:
    """An append-only temporary file of texts: :meth:`put` gives a :class:`Spilled` that reads one back."""

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None
        self._end = 0
        self._broken = False

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


def put_away(data: bytes, spill: Spill | None) -> Spilled | bytes:
    """``data`` in ``spill``, or compressed in memory without one."""
    return spill.put(data) if spill is not None else zlib.compress(data, 1)


def bring_back(kept: Spilled | bytes) -> bytes:
    """What :meth:`Spill.put` was given."""
    return kept() if isinstance(kept, Spilled) else zlib.decompress(kept)
