"""BibTeX field values: ``{…}``, ``"…"``, numbers, ``@string`` macros and ``#`` concatenation.

bibtexparser 2 hands over a field's value as the raw text up to the next comma outside braces.
So when the comma between two fields is missing, the first value swallows the fields after it:
``title = {X}\\n  year = {2001},`` arrives as one field ``title`` with the value
``{X}\\n  year = {2001}``, and the entry seems to have no year. :func:`split_value` reads such a
value as BibTeX would and returns the value itself, each swallowed field with the offset where
its comma is missing, and the offset of any other text that cannot follow a value.
:func:`evaluate` turns one value into its text (still LaTeX): braces or quotes around it
removed, macros such as ``jan`` or an ``@string`` name replaced, ``#`` pieces joined.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from . import lazyre
from .latex import is_braced_whole

#: BibTeX's predefined month macros (plain.bst), so ``month = jan`` reads "January".
MONTHS = {m[:3].lower(): m for m in ("January", "February", "March", "April", "May", "June", "July",
                                      "August", "September", "October", "November", "December")}


@dataclass(frozen=True, slots=True)
class Swallowed:
    """A field found inside the previous field's value: its comma is missing at ``comma``."""

    name: str
    comma: int  # offset in the whole value where the comma belongs (just after the previous value)
    at: int  # offset of the field's name
    value: str  # its own raw value
    value_at: int  # offset of that value


@dataclass(frozen=True, slots=True)
class SplitValue:
    value: str
    swallowed: tuple[Swallowed, ...] = ()
    junk: int = -1  # offset of text that cannot follow a value, or -1


_WS = lazyre.compile(r"\s*")
_WORD = lazyre.compile(r"[^\s{}\"#=,]+")
_NAME_EQ = lazyre.compile(r"([A-Za-z_][\w:.+/-]*)\s*=\s*")
_BRACES = lazyre.compile(r"[{}]")
_QUOTE_OR_BRACES = lazyre.compile(r'[{}"]')


def _skip_space(raw: str, at: int) -> int:
    """Where the white space starting at ``at`` ends (``_WS`` matches the empty string too)."""
    m = _WS.match(raw, at)
    return m.end() if m else at


def is_simple(raw: str) -> bool:
    """A value that needs no splitting: one brace group, or one word (a number or a macro)."""
    if raw[:1] == "{":
        return is_braced_whole(raw)
    return _WORD.fullmatch(raw) is not None


def split_value(raw: str) -> SplitValue:
    """The value's own text, the fields it swallowed, and where unexpected text starts."""
    end = _pieces_end(raw, 0)
    own = raw[:end].strip()
    found: list[Swallowed] = []
    while True:
        rest = _skip_space(raw, end)
        if rest >= len(raw):
            return SplitValue(own, tuple(found))
        m = _NAME_EQ.match(raw, rest)
        if m is None:
            return SplitValue(own, tuple(found), rest)
        value_end = _pieces_end(raw, m.end())
        found.append(Swallowed(m.group(1), end, rest, raw[m.end():value_end].rstrip(), m.end()))
        end = value_end


def evaluate(raw: str, macros: Mapping[str, str]) -> str:
    """The text of one value (LaTeX kept): delimiters removed, macros replaced, pieces joined."""
    raw = raw.strip()
    if raw[:1] == "{" and is_braced_whole(raw):
        return raw[1:-1]
    if _WORD.fullmatch(raw):
        return macros.get(raw.lower(), raw)
    out = []
    i = 0
    while i < len(raw):
        i = _skip_space(raw, i)
        end = _piece_end(raw, i)
        if end <= i:
            break
        piece = raw[i:end]
        out.append(_unwrap(piece) if piece[0] in '{"' else macros.get(piece.lower(), piece))
        i = _skip_space(raw, end)
        if raw[i:i + 1] != "#":
            break
        i += 1
    return "".join(out)


def _unwrap(piece: str) -> str:
    close = "}" if piece[0] == "{" else '"'
    return piece[1:-1] if len(piece) > 1 and piece[-1] == close else piece[1:]


def _pieces_end(raw: str, i: int) -> int:
    """End of the value that starts at ``i``: pieces joined by ``#``."""
    end = i
    while True:
        i = _skip_space(raw, i)
        piece = _piece_end(raw, i)
        if piece <= i:
            return end
        end = piece
        nxt = _skip_space(raw, end)
        if raw[nxt:nxt + 1] != "#":
            return end
        i = nxt + 1


def _piece_end(raw: str, i: int) -> int:
    """End of one piece at ``i`` (a brace group, a quoted string or a word); ``i`` if none."""
    if i >= len(raw):
        return i
    if raw[i] == "{":
        return _closing(raw, i, _BRACES, 0)
    if raw[i] == '"':
        return _closing(raw, i + 1, _QUOTE_OR_BRACES, 0)
    m = _WORD.match(raw, i)
    return m.end() if m else i


def _closing(raw: str, i: int, pattern: re.Pattern, depth: int) -> int:
    """Just after the brace (or, at depth 0, the quote) that closes the piece; else the end."""
    for m in pattern.finditer(raw, i):
        ch = m.group()
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0 and pattern is _BRACES:
                return m.end()
        elif depth == 0:
            return m.end()
    return len(raw)
