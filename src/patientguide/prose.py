"""A page's running prose: which lines are prose, how they group into paragraphs and list items,
and where each sentence starts and ends. One splitter, shared by readability and the lints.

Headings, tables, HTML blocks, footnote definitions, images and rules are not prose; an
admonition's title is; each list item is a block of its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import lazyre
from .citations import ParsedPage
from .source import blank_ranges

#: A line that is structure, not prose (tested on the line as written).
STRUCTURAL = lazyre.compile(r"^\s*(?:#|\||!\[|\[\^|<|[-=*_ ]{3,}\s*$)", re.M)
LIST_MARKER = lazyre.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
ADMONITION = lazyre.compile(r'^\s*(?:!!!|\?\?\?\+?)\s*\w+(?:\s+"([^"]*)")?\s*$')
_ADMONITION_START = lazyre.compile(r"^\s*(?:!!!|\?\?\?)")
SENTENCE_END = lazyre.compile(r"(?<=[.!?])[\"”’)\]*_]*(?=\s|$)")


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph (``para``) or list item (``item``): offsets into the page text."""

    kind: str
    start: int
    end: int
    sentences: tuple[tuple[int, int], ...]


@dataclass(frozen=True, slots=True)
class Prose:
    blocks: tuple[Block, ...]
    words_only: str  # the masked text with citations blanked too (same length as the page)


def read_prose(text: str, masked: str, parsed: ParsedPage) -> Prose:
    """Blocks and sentences of a page. ``masked`` is the page with code, comments, tags, link
    targets and URLs blanked; citations are blanked here too, so they count as no words."""
    words_only = blank_ranges(masked, [(g.start, g.end) for g in parsed.groups])
    blocks = tuple(Block(kind, a, b, _sentences(masked, a, b)) for kind, a, b in _block_spans(text, masked))
    return Prose(blocks, words_only)


def _block_spans(text: str, masked: str) -> list[tuple[str, int, int]]:
    blocks: list[tuple[str, int, int]] = []
    kind, start, end = "para", -1, 0
    pos = 0
    for line in masked.split("\n"):
        line_end = pos + len(line)
        structural = not line.strip() or STRUCTURAL.match(text, pos, line_end) is not None
        marker = LIST_MARKER.match(line)
        if structural or marker or _ADMONITION_START.match(line):
            if start >= 0:
                blocks.append((kind, start, end))
                start = -1
            if marker and not structural:
                kind, start, end = "item", pos + marker.end(), line_end
        else:
            if start < 0:
                kind, start = "para", pos + len(line) - len(line.lstrip())
            end = line_end
        pos = line_end + 1
    if start >= 0:
        blocks.append((kind, start, end))
    return blocks


def _sentences(masked: str, a: int, b: int) -> tuple[tuple[int, int], ...]:
    spans = []
    start = a
    for m in SENTENCE_END.finditer(masked, a, b):
        spans.append((start, m.end()))
        start = m.end()
        while start < b and masked[start].isspace():
            start += 1
    if start < b and masked[start:b].strip():
        spans.append((start, b))
    return tuple(spans)
