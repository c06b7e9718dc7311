"""Pandoc citation syntax: find every citation in a Markdown page, with its position.

Supported, following Pandoc's rules (https://pandoc.org/MANUAL.html#citation-syntax):

* bracketed groups ``[@a; @b]`` with prefix, locator and suffix ``[see @a, pp. 33-35; @b, chap. 1]``
* suppress-author ``[-@a]``
* in-text ``@a`` and ``@a [p. 33]``
* braced keys ``@{...}``

A key starts with a letter, digit or ``_`` and may contain alphanumerics, ``_`` and internal
punctuation ``:.#$%&-+?<>~/`` (punctuation must be followed by a letter, digit or ``_``, so a
final full stop is not part of the key). An ``@`` straight after a letter or digit (an e-mail
address) is not a citation.
"""

from __future__ import annotations

import enum
import hashlib
import re
from dataclasses import dataclass, replace

from . import lazyre
from .pickling import ByConstructor
from .source import SourceFile, mask, split_front_matter

_PUNCT = r":.#$%&\-+?<>~/"
_KEY = rf"[\w](?:[\w]|[{_PUNCT}](?=[\w]))*"
_BRACED = r"\{(?P<braced>[^{}\n]*(?:\{[^{}\n]*\}[^{}\n]*)*)\}"
KEY_RE = lazyre.compile(rf"(?P<minus>-)?@(?:{_BRACED}|(?P<key>{_KEY}))")
_BRACKET = lazyre.compile(r"\[(?P<body>[^\[\]]*(?:\{[^{}]*\}[^\[\]]*)*)\]")
_INTEXT_LOCATOR = lazyre.compile(r"[ \t]+\[(?P<body>[^\[\]@]*)\]")

# Pandoc's locator terms (citeproc); long and short forms.
_LOCATOR_TERMS = {
    "book": "book", "bk.": "book", "bks.": "book",
    "chapter": "chapter", "chap.": "chapter", "chaps.": "chapter",
    "column": "column", "col.": "column", "cols.": "column",
    "figure": "figure", "fig.": "figure", "figs.": "figure",
    "folio": "folio", "fol.": "folio", "fols.": "folio",
    "number": "issue", "no.": "issue", "nos.": "issue",
    "line": "line", "l.": "line", "ll.": "line",
    "note": "note", "n.": "note", "nn.": "note",
    "opus": "opus", "op.": "opus", "opp.": "opus",
    "page": "page", "pages": "page", "p.": "page", "pp.": "page",
    "paragraph": "paragraph", "para.": "paragraph", "paras.": "paragraph", "¶": "paragraph", "¶¶": "paragraph",
    "part": "part", "pt.": "part", "pts.": "part",
    "section": "section", "sec.": "section", "secs.": "section", "§": "section", "§§": "section",
    "sub verbo": "sub verbo", "s.v.": "sub verbo", "s.vv.": "sub verbo",
    "verse": "verse", "v.": "verse", "vv.": "verse",
    "volume": "volume", "vol.": "volume", "vols.": "volume",
}
_LOCATOR_RE = lazyre.compile(
    r"^(?P<label>" + "|".join(sorted((re.escape(t) for t in _LOCATOR_TERMS), key=len, reverse=True))
    + r")\s*(?P<value>[\w\-–—:/.]*\w(?:\s*(?:-|–|,|&)\s*(?:\d+|[ivxlcdm]+)\w?(?:[-–](?:\d+|[ivxlcdm]+))?\b)*)"
    r"(?P<rest>(?:\s*[,;].*|\s+.*)?)$",
    re.I | re.S,
)
_BARE_LOCATOR_RE = lazyre.compile(r"^(?P<value>\d+(?:\s*[-–]\s*\d+)?)(?P<rest>(?:\s*,.*|\s+.*)?)$", re.S)
_BRACED_LOCATOR_RE = lazyre.compile(r"^\{(?P<value>[^{}]*)\}(?P<rest>.*)$", re.S)


class Mode(str, enum.Enum):
    NORMAL = "normal"  # [@a]
    SUPPRESS_AUTHOR = "suppress-author"  # [-@a]
    IN_TEXT = "in-text"  # @a or @a [p. 3]


@dataclass(frozen=True, slots=True)
class Citation(ByConstructor):
    """One cited key at one place."""

    key: str
    mode: Mode
    prefix: str
    locator_label: str | None
    locator: str | None
    suffix: str
    start: int  # offset of '@' (or '-') in the file
    end: int  # end of the key
    line: int
    col: int
    group: int  # index of the citation group on the page (items of one [..] share it)


@dataclass(frozen=True, slots=True)
class Group(ByConstructor):
    """A rendered unit: one bracketed group, or one in-text citation (with its locator)."""

    index: int
    start: int
    end: int
    mode: Mode  # IN_TEXT for in-text, NORMAL for a bracketed group
    items: tuple[Citation, ...]


@dataclass(frozen=True, slots=True)
class ParsedPage(ByConstructor):
    citations: tuple[Citation, ...]
    groups: tuple[Group, ...]
    body_start: int
    body_start_stripped: int = 0  # where the body starts once leading blank lines are dropped

    def for_body(self, body_key: tuple[int, str], body: str) -> ParsedPage | None:
        """The same parse with offsets into ``body``, when ``body`` is the file's text after the
        front matter as MkDocs hands it to plugins (checked by :func:`body_key`); else ``None``."""
        length, digest = body_key
        if len(body) != length or hashlib.sha1(body.encode("utf-8", "surrogatepass")).hexdigest() != digest:
            return None
        shift = self.body_start_stripped
        groups = tuple(Group(g.index, g.start - shift, g.end - shift, g.mode, g.items) for g in self.groups)
        return ParsedPage(self.citations, groups, 0, 0)


def body_key(text: str, body_start: int) -> tuple[tuple[int, str], int]:
    """(length, SHA-1) of a file's body as MkDocs passes it on (front matter and the blank
    lines after it removed), and where that body starts in the file."""
    rest = text[body_start:]
    body = rest.lstrip("\n")
    start = body_start + len(rest) - len(body)
    return (len(body), hashlib.sha1(body.encode("utf-8", "surrogatepass")).hexdigest()), start


def parse_locator(suffix: str) -> tuple[str | None, str | None, str]:
    """Split a suffix such as ``, pp. 33-35, emphasis added`` into (label, locator, rest)."""
    s = suffix.strip()
    if s.startswith(","):
        s = s[1:].strip()
    if not s:
        return None, None, ""
    m = _BRACED_LOCATOR_RE.match(s)
    if m:
        return "page", m.group("value").strip(), m.group("rest").strip()
    m = _LOCATOR_RE.match(s)
    if m and (m.group("label").endswith(".") or m.group("label") in ("¶", "§", "¶¶", "§§") or " " in s):
        return _LOCATOR_TERMS[m.group("label").lower()], m.group("value").strip(), m.group("rest").strip(" ,")
    m = _BARE_LOCATOR_RE.match(s)
    if m:
        return "page", m.group("value").strip(), m.group("rest").strip(" ,")
    return None, None, suffix.strip()


def _key_of(m: re.Match) -> str:
    return m.group("braced") if m.group("braced") is not None else m.group("key")


def _after_word(masked: str, at: int) -> bool:
    """Pandoc does not start a citation right after a letter or digit (e-mail addresses)."""
    return at > 0 and (masked[at - 1].isalnum() or masked[at - 1] == "_")


def _parse_group(body: str, body_offset: int) -> list[tuple[str, re.Match, str, int]] | None:
    """Parse the inside of ``[...]``; every ``;``-separated item must hold exactly one key."""
    items = []
    pos = 0
    for part in body.split(";"):
        keys = [m for m in KEY_RE.finditer(part) if not _after_word(part, m.start())]
        if len(keys) != 1:
            return None
        m = keys[0]
        prefix = part[: m.start()]
        suffix = part[m.end():]
        items.append((prefix, m, suffix, body_offset + pos))
        pos += len(part) + 1
    return items


def parse_citations(text: str, path: str = "<string>", source: SourceFile | None = None,
                    masked: str | None = None) -> ParsedPage:
    """Find every citation in a Markdown file's full text (front matter included in positions).

    ``masked`` may be passed in when the caller already has :func:`source.mask` of the text.
    """
    src = source or SourceFile(path, text)
    fm = split_front_matter(text)
    body_start = fm.body_start if fm else 0
    if masked is None:
        masked = mask(text, body_start)
    if "@" not in masked:
        return ParsedPage((), (), body_start)
    groups = _bracketed_groups(text, masked, src)
    taken = sorted((g.start, g.end) for g in groups)
    groups += _in_text_citations(text, masked, src, taken)
    groups.sort(key=lambda g: g.start)  # numbered in the order they appear
    groups = [_numbered(g, i) for i, g in enumerate(groups)]
    return ParsedPage(tuple(c for g in groups for c in g.items), tuple(groups), body_start)


def _numbered(g: Group, i: int) -> Group:
    """``g`` as the page's ``i``-th group, its citations too (the same objects if they are already)."""
    items = tuple(c if c.group == i else replace(c, group=i) for c in g.items)
    return g if g.index == i and items == g.items else Group(i, g.start, g.end, g.mode, items)


def _bracketed_groups(text: str, masked: str, src: SourceFile) -> list[Group]:
    """``[@a; see @b, p. 3]``: every bracket whose parts each hold one key."""
    groups: list[Group] = []
    for bm in _BRACKET.finditer(masked):
        body = bm.group("body")
        if "@" not in body or (bm.start() and masked[bm.start() - 1] == "!"):
            continue  # image alt text; Pandoc tries citations before links, so "[@a](url)" is a citation
        parsed = _parse_group(body, bm.start() + 1)
        if parsed:
            items = tuple(_bracketed_item(text, src, part, len(groups)) for part in parsed)
            groups.append(Group(len(groups), bm.start(), bm.end(), Mode.NORMAL, items))
    return groups


def _bracketed_item(text: str, src: SourceFile, part: tuple[str, re.Match, str, int], gi: int) -> Citation:
    _prefix, km, suffix, part_off = part
    key_start = part_off + km.start()
    label, loc, rest = parse_locator(text[part_off + km.end(): part_off + km.end() + len(suffix)])
    line, col = src.position(key_start)
    return Citation(key=_key_of(km), mode=Mode.SUPPRESS_AUTHOR if km.group("minus") else Mode.NORMAL,
                    prefix=text[part_off: key_start].strip(), locator_label=label, locator=loc, suffix=rest,
                    start=key_start, end=part_off + km.end(), line=line, col=col, group=gi)


def _in_text_citations(text: str, masked: str, src: SourceFile, taken: list[tuple[int, int]]) -> list[Group]:
    """``@a`` and ``@a [p. 33]`` outside brackets (each its own group)."""
    groups: list[Group] = []
    for km in KEY_RE.finditer(masked):
        at = km.start()
        if _after_word(masked, at) or any(a <= at < b for a, b in taken):
            continue
        label, loc, suffix, end = _in_text_locator(text, masked, km.end())
        line, col = src.position(at)
        c = Citation(key=_key_of(km), mode=Mode.SUPPRESS_AUTHOR if km.group("minus") else Mode.IN_TEXT,
                     prefix="", locator_label=label, locator=loc, suffix=suffix,
                     start=at, end=km.end(), line=line, col=col, group=len(groups))
        groups.append(Group(len(groups), at, end, Mode.IN_TEXT, (c,)))
    return groups


def _in_text_locator(text: str, masked: str, end: int) -> tuple[str | None, str | None, str, int]:
    """The ``[p. 33]`` after an in-text citation, if one follows: (label, locator, suffix, end)."""
    lm = _INTEXT_LOCATOR.match(masked, end)
    if not lm or masked[lm.end(): lm.end() + 1] in ("(", "[", ":"):
        return None, None, "", end
    label, loc, suffix = parse_locator(text[lm.start("body"): lm.end("body")])
    if label is None and not suffix:
        return None, None, "", end
    return label, loc, suffix, lm.end()
