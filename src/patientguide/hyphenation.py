"""pyphen's hyphenation patterns, each parsed when a word first needs it.

textstat counts the syllables of a word the CMU dictionary does not know with pyphen
(``len(positions) + 1``). ``pyphen.HyphDict`` parses all 11,000 patterns of a language when it
is made (about 0.1 s); a page needs a few dozen. :class:`LazyHyphDict` reads the file the same
way, keeps each pattern's line by the letters it matches, and parses a line with pyphen's own
steps when :meth:`pyphen.HyphDict.positions` (which it inherits, unchanged) first asks for it.
Every word gets the positions ``HyphDict`` gives (tests/unit/test_hyphenation.py checks them).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pyphen

_DIGITS = re.compile(r"\d")  # what pyphen's ``parse`` takes as a pattern's values


class LazyHyphDict(pyphen.HyphDict):
    def __init__(self, path: Path) -> None:  # not HyphDict's: nothing is parsed yet
        with path.open("rb") as fd:
            encoding = fd.readline().decode()
        if encoding.lower() == "microsoft-cp1251":
            encoding = "cp1251"
        self.patterns = LazyPatterns(path.read_text(encoding))
        self.cache: dict[str, Any] = {}
        self.maxlen = max(len(key) for key in self.patterns.lines)  # >= HyphDict's: only more lookups


class LazyPatterns:
    """letters → ``(start, values)``, as ``HyphDict.patterns`` maps them; a pattern of zeros only
    is left out, and of two patterns for the same letters the later one counts, as there."""

    def __init__(self, text: str) -> None:
        self.lines: dict[str, list[str]] = {}  # letters → the pattern lines that match them, in file order
        self.parsed: dict[str, tuple[int, tuple] | None] = {}
        for raw, letters in zip(text.split("\n")[1:], _DIGITS.sub("", text).split("\n")[1:], strict=True):
            pattern = raw.strip()
            if not pattern or pattern.startswith(pyphen.ignored):
                continue
            if "^^" in pattern or ("/" in pattern and "=" in pattern):
                parsed = _parse(pattern)
                letters = parsed[0] if parsed else _letters(pattern)
            self.lines.setdefault(letters.strip(), []).append(pattern)

    def get(self, letters: str) -> tuple[int, tuple] | None:
        if letters not in self.parsed:
            found = None
            for pattern in reversed(self.lines.get(letters, ())):
                parsed = _parse(pattern)
                if parsed is not None:
                    found = parsed[1]
                    break
            self.parsed[letters] = found
        return self.parsed[letters]


def _letters(pattern: str) -> str:
    pattern = pyphen.parse_hex(lambda match: chr(int(match.group(1), 16)), pattern)
    if "/" in pattern and "=" in pattern:
        pattern = pattern.split("/", 1)[0]
    return "".join(string for _, string in pyphen.parse(pattern))


def _parse(pattern: str) -> tuple[str, tuple[int, tuple]] | None:
    """One line as ``HyphDict.__init__`` reads it: its letters and ``(start, values)``, or ``None``
    for a pattern of zeros only."""
    pattern = pyphen.parse_hex(lambda match: chr(int(match.group(1), 16)), pattern)
    factory: Any = int
    if "/" in pattern and "=" in pattern:
        pattern, alternative = pattern.split("/", 1)
        factory = pyphen.AlternativeParser(pattern, alternative)
    tags, values = zip(*[(string, factory(i or "0")) for i, string in pyphen.parse(pattern)], strict=True)
    if max(values) == 0:
        return None
    start, end = 0, len(values)
    while not values[start]:
        start += 1
    while not values[end - 1]:
        end -= 1
    return "".join(tags), (start, values[start:end])


def install(lang: str) -> None:
    """Make pyphen use a :class:`LazyHyphDict` for ``lang``'s patterns (unless it has read them
    already): ``pyphen.Pyphen(lang=...)`` takes it from pyphen's own cache of dictionaries."""
    name = pyphen.language_fallback(lang)
    if name is not None:
        path = pyphen.LANGUAGES[name]  # the key pyphen.Pyphen looks it up by
        if path not in pyphen.hdcache:
            pyphen.hdcache[path] = LazyHyphDict(path)
