"""Source text with positions: line/column lookup, front matter split and code masking.

Masking replaces every character that can never hold a citation (code, HTML comments and
tags, link targets, autolinks, escaped ``\\@``) with a space, keeping newlines, so that the
masked text has the same length as the source and every offset found in it is also an
offset in the source.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from . import lazyre

_FRONT_OPEN = lazyre.compile(r"---[ \t]*\r?\n")
_FRONT_CLOSE = lazyre.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.M)


@dataclass(frozen=True, slots=True)
class FrontMatter:
    """The raw YAML between the ``---`` fences and where things are."""

    text: str  # the YAML, without the fences
    start: int  # offset of the YAML text in the file
    body_start: int  # offset of the first character after the closing fence
    closed: bool = True


@dataclass
class SourceFile:
    """A text file with a line index, so offsets become 1-based ``line:col``."""

    path: str
    text: str
    _starts: list[int] = field(default_factory=list, repr=False)

    def __post_init__(self) -> None:
        starts = [0]
        find = self.text.find
        i = find("\n")
        while i != -1:
            starts.append(i + 1)
            i = find("\n", i + 1)
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column); columns count characters."""
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1

    def line_start(self, line: int) -> int:
        return self._starts[max(0, min(line - 1, len(self._starts) - 1))]

    def line_text(self, line: int) -> str:
        start = self.line_start(line)
        end = self.text.find("\n", start)
        return self.text[start:] if end == -1 else self.text[start:end]


def split_front_matter(text: str) -> FrontMatter | None:
    """Find YAML front matter fenced by ``---`` at the very start (MkDocs' rule).

    Returns ``None`` when the file does not start with a fence. An opening fence with no
    closing one gives ``closed=False`` and an empty body start at the end of the text.
    """
    m = _FRONT_OPEN.match(text, 1 if text.startswith("\ufeff") else 0)
    if not m:
        return None
    start = m.end()
    close = _FRONT_CLOSE.search(text, start)
    if not close:
        return FrontMatter(text[start:], start, len(text), closed=False)
    return FrontMatter(text[start:close.start()], start, close.end())


# --- masking ---------------------------------------------------------------------------

_FENCE_OPEN = lazyre.compile(r"^([ \t]*)(`{3,}|~{3,})(.*)$")
_LIST_ITEM = lazyre.compile(r"^([ \t]*)([-*+]|\d{1,9}[.)])([ \t]+|$)")
_CONTAINER = lazyre.compile(r"^([ \t]*)(?:!!!|\?\?\?\+?|///)[ \t]*\S|^([ \t]*)\[\^[^\]\n]+\]:")
_HTML_COMMENT = lazyre.compile(r"<!--.*?(?:-->|\Z)", re.S)
_CODE_SPAN = lazyre.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_AUTOLINK = lazyre.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>]+)>")
_HTML_TAG = lazyre.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s+[^<>]*?)?/?>", re.S)
_LINK_TARGET = lazyre.compile(r"(?<=\])\((?:<[^>\n]*>|[^()\s]*(?:\([^()\s]*\)[^()\s]*)*)"
                          r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\)")
_REF_DEF = lazyre.compile(r"^[ ]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*\S.*$", re.M)
_BARE_URL = lazyre.compile(r"\b(?:https?|ftp)://[^\s<>()\[\]]+|\bwww\.[^\s<>()\[\]]+|\bmailto:[^\s<>()]+")
_ESCAPE = lazyre.compile(r"\\[@\\\[\]`]")


def _indent_width(s: str) -> int:
    w = 0
    for ch in s:
        if ch == " ":
            w += 1
        elif ch == "\t":
            w += 4 - w % 4
        else:
            break
    return w


def _blank(chars: list[str], start: int, end: int) -> None:
    for i in range(start, end):
        if chars[i] != "\n":
            chars[i] = " "


def blank(text: str) -> str:
    """``text`` with every character but newlines replaced by a space (same length)."""
    return " " * len(text) if "\n" not in text else re.sub(r"[^\n]", " ", text)


def blank_match(m: re.Match) -> str:
    """For ``re.sub``: blank what the pattern matched, keeping newlines."""
    return blank(m.group(0))


#: One masking pass: run ``pattern.sub(replace)`` only if one of the trigger strings occurs.
BlankPass = tuple[tuple[str, ...], re.Pattern[str], Callable[[re.Match[str]], str]]


def run_passes(text: str, passes: Sequence[BlankPass]) -> str:
    """Apply each pass in order; a cheap ``in`` test skips a regex scan that cannot match."""
    for triggers, pattern, replace in passes:
        if any(t in text for t in triggers):
            text = pattern.sub(replace, text)
    return text


def blank_ranges(text: str, ranges: list[tuple[int, int]]) -> str:
    """``text`` with each ``(start, end)`` range blanked, keeping newlines."""
    if not ranges:
        return text
    pieces, pos = [], 0
    for a, b in ranges:
        pieces.append(text[pos:a])
        pieces.append(blank(text[a:b]))
        pos = b
    pieces.append(text[pos:])
    return "".join(pieces)


def mask_blocks(text: str, start: int = 0) -> str:
    """Blank fenced and indented code blocks (line-based pass); ``text[:start]`` is blanked too.

    Container blocks (list items, admonitions, footnote definitions) raise the indentation at
    which an indented code block starts, as Python-Markdown does (tab length 4).
    """
    chars = list(text)
    _blank(chars, 0, start)
    scan = _BlockScan()
    offset = start
    for line in text[start:].split("\n"):
        end = offset + len(line)
        if scan.is_code(line):
            _blank(chars, offset, end)
        offset = end + 1
    return "".join(chars)


class _BlockScan:
    """Line by line: is this line inside a fenced or indented code block?"""

    def __init__(self) -> None:
        self.fence: tuple[str, int] | None = None  # the open fence's character and length
        self.containers: list[int] = []  # content indentation of open containers
        self.prev_blank = True
        self.prev_code = False

    def is_code(self, line: str) -> bool:
        if self.fence is not None:
            self._maybe_close_fence(line)
            self.prev_blank = False
            return True
        if not line.strip():
            self.prev_blank = True
            return False
        indent = _indent_width(line)
        while self.containers and indent < self.containers[-1] and self.prev_blank:
            self.containers.pop()
        base = self.containers[-1] if self.containers else 0
        m = _FENCE_OPEN.match(line)
        if m and not (m.group(2)[0] == "`" and "`" in m.group(3)):
            self.fence = (m.group(2)[0], len(m.group(2)))
            self.prev_blank = self.prev_code = False
            return True
        code = indent >= base + 4 and (self.prev_blank or self.prev_code)
        if not code:
            self._open_container(line, indent, base)
        self.prev_code, self.prev_blank = code, False
        return code

    def _maybe_close_fence(self, line: str) -> None:
        m = _FENCE_OPEN.match(line)
        if m and self.fence and m.group(2)[0] == self.fence[0] and len(m.group(2)) >= self.fence[1] \
                and not m.group(3).strip():
            self.fence = None

    def _open_container(self, line: str, indent: int, base: int) -> None:
        if _LIST_ITEM.match(line):
            self._pop_deeper(indent)
            self.containers.append(indent + 4 if indent + 4 > base else base + 4)
        elif _CONTAINER.match(line):
            self._pop_deeper(indent)
            self.containers.append(indent + 4)

    def _pop_deeper(self, indent: int) -> None:
        while self.containers and self.containers[-1] > indent:
            self.containers.pop()


def _blank_inside(m: re.Match) -> str:
    t = m.group(0)
    return t[0] + blank(t[1:-1]) + t[-1]


def _blank_code_span(m: re.Match) -> str:
    t = m.group(0)
    if "\n" in t and re.search(r"\n[ \t]*\n", t):
        return t  # a code span never crosses a blank line
    return blank(t)


_INLINE_PASSES: tuple[BlankPass, ...] = (
    (("<!--",), _HTML_COMMENT, blank_match),
    (("\\",), _ESCAPE, blank_match),
    (("`",), _CODE_SPAN, _blank_code_span),
    (("](",), _LINK_TARGET, _blank_inside),  # keeps '(' ')' so a link is still seen as one
    (("<",), _AUTOLINK, blank_match),
    (("<",), _HTML_TAG, blank_match),
    (("]:",), _REF_DEF, blank_match),
    (("://", "www.", "mailto:"), _BARE_URL, blank_match),
)
_COMMENT_AND_CODE_PASSES: tuple[BlankPass, ...] = (
    (("<!--",), _HTML_COMMENT, blank_match),
    (("`",), _CODE_SPAN, _blank_code_span),
)


def mask_inline(text: str) -> str:
    """Blank inline constructs that can never hold a citation; keeps length and newlines."""
    return run_passes(text, _INLINE_PASSES)


def mask_comments_and_code_spans(text: str) -> str:
    """Blank HTML comments and code spans: what may show HTML as text."""
    return run_passes(text, _COMMENT_AND_CODE_PASSES)


def mask(text: str, start: int = 0) -> str:
    """Everything a citation scanner must not see, blanked: front matter (``text[:start]``),
    code blocks, code spans, comments, HTML tags, link targets, URLs and escapes."""
    return mask_inline(mask_blocks(text, start))
