"""Where a page's Markdown links to: every link, image, reference definition and raw-HTML
``href``/``src``, with the offset of its address, found the way Python-Markdown finds them.

Scanning works on a *visible* copy of the page (same length) in which everything that cannot
hold a link is blanked: front matter, code, comments, escapes and citations. Addresses are then
read from the real text at the same offsets.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from .source import BlankPass, blank, blank_match, mask_blocks, run_passes

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
# a backslash and a character it escapes: Python-Markdown's ESCAPED_CHARS, and '|' (tables)
_ESCAPE = re.compile(r"\\[\\`*_{}\[\]()>#+\-.!|]")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
# Python-Markdown's ReferenceProcessor (the address may be on the next line)
_REF_DEF = re.compile(r"^(?:[ ]{0,3}(?:>[ ]?|(?:[-*+]|\d{1,9}[.)])[ ]+))*"  # in a quote or list item too
                      r"[ ]{0,3}\[([^\[\]^][^\[\]]*|)\]:[ ]*\n?[ ]*(\S+)[ ]*(?:\n[ ]*)?"
                      r"(?:([\"'])(?:.*)\3[ ]*|\((?:.*)\)[ ]*)?$(?!\n[ ]{0,3}(?:-+|=+)[ \t]*$)", re.M)
_REF_AFTER = re.compile(r"\s?\[([^\]]*)\]")  # "[text][label]", "[text] [label]", "[text][]"
_ANGLE_DEST = re.compile(r"\(\s*<([^<>]*)>\s*(?:'[^']*'|\"[^\"]*\")?\s*\)")
_HTML_TAG = re.compile(r"<(a|img)(\s[^<>]*?)/?>", re.I | re.S)
_HTML_ATTR = re.compile(r"([^\s=/>\"']+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
_FOOTNOTE_DEF = re.compile(r"^[ ]{0,3}(\[\^([^\]\n]+)\]):", re.M)
_FOOTNOTE_REF = re.compile(r"\[\^([^\]\n]+)\]")
_CODE_AFTER_DEF = re.compile(r"^([ ]{0,3}\[[^\]\n]*\]:[ ]*\S[^\n]*\n)((?:[ ]{4,}[^ \n\"'(][^\n]*(?:\n|$))+)", re.M)
_NEW_BLOCK = re.compile(r"[ \t]*(?:\n|$|#|>|(?:[-*+]|\d{1,9}[.)])[ \t])")
_SPACE = re.compile(r"[ \t]*(?:\n[ \t]*)?")
_UNESCAPE = re.compile(r"\\([\\`*_{}\[\]()>#+\-.!|])")
_MAX_URL = 4096  # Python-Markdown has no limit; a longer one is not an address
_SCAN_BUDGET = 1_000_000

#: What cannot hold a link, blanked in this order (the comment first: it may hide backticks).
_HIDDEN_PASSES: tuple[BlankPass, ...] = (
    (("<!--",), _COMMENT, blank_match),
    (("`",), _CODE_SPAN, blank_match),
    (("\\",), _ESCAPE, blank_match),
)


@dataclass(frozen=True, slots=True)
class LinkRef:
    """One address on a page. ``offset`` is where the address starts in the file."""

    url: str
    offset: int
    kind: str  # "link", "image", "reference" (a definition that is used) or "html"


def visible_text(text: str, body_start: int, spans: Sequence[tuple[int, int]] = (), masked_blocks: str = "") -> str:
    """``text`` with everything that cannot hold a link blanked (length and newlines kept).

    ``spans`` are extra ranges to blank (the page's citations, which the plugin replaces).
    """
    out = run_passes(masked_blocks or mask_blocks(text, body_start), _HIDDEN_PASSES)
    return _blank_spans(out, spans)


def _blank_spans(text: str, spans: Sequence[tuple[int, int]]) -> str:
    """``text`` with each ``(start, end)`` range blanked (newlines kept); one copy of the text."""
    if not spans:
        return text
    parts, pos = [], 0
    for start, end in sorted(spans):
        start = max(start, pos)
        parts += [text[pos:start], blank(text[start:end])]
        pos = max(pos, end)
    return "".join(parts) + text[pos:]


def _pairs(visible: str, opening: str, closing: str) -> dict[int, int]:
    """Each ``opening`` → the index after the ``closing`` that balances it, within one block (a
    paragraph, a heading, a list item …). One pass, so a page full of brackets stays linear."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    heading = visible.startswith("#")
    for m in re.finditer(rf"[{re.escape(opening + closing)}]|\n", visible):
        c = m.group(0)
        if c == opening:
            stack.append(m.start())
        elif c == closing:
            if stack:
                pairs[stack.pop()] = m.end()
        else:
            if heading or _NEW_BLOCK.match(visible, m.end()):
                stack.clear()  # a heading ends, or a blank line, heading, list item or quote starts
            heading = visible.startswith("#", m.end())
    return pairs


def _block_end(visible: str, pos: int, limit: int) -> int:
    """Where the block holding ``pos`` ends (looking no further than ``limit``)."""
    line_start = visible.rfind("\n", 0, pos) + 1
    nl = visible.find("\n", pos, limit)
    if visible.startswith("#", line_start):
        return nl if nl != -1 else limit
    while nl != -1:
        if _NEW_BLOCK.match(visible, nl + 1):
            return nl
        nl = visible.find("\n", nl + 1, limit)
    return limit


class _Destinations:
    """Link addresses ``(...)`` of one page, as Python-Markdown's ``LinkInlineProcessor.getLink``
    reads them: ``<...>`` whole, else up to the ``)`` that balances, without a quoted title."""

    def __init__(self, text: str, visible: str) -> None:
        self.text, self.visible = text, visible
        self.parens = _pairs(visible, "(", ")")
        self.budget = _SCAN_BUDGET  # quote-aware scans of one page; Python-Markdown is quadratic here

    def at(self, at: int) -> tuple[str, int] | None:
        visible = self.visible
        m = _ANGLE_DEST.match(self.text, at)
        if m:
            return _clean(self.text[m.start(1):m.end(1)]), m.start(1)
        space = _SPACE.match(self.text, at + 1)  # never past a blank line
        start = space.end() if space else at + 1
        if start < len(visible) and visible[start] == "\n" and "\n" in visible[at:start]:
            return None  # a blank line ends the paragraph, and the link with it
        close = self.parens.get(at)
        if close is not None and close - at <= _MAX_URL and not any(q in visible[start:close] for q in "\"'"):
            return _clean(self.text[start:close - 1]), start
        return self._scan(at, start)

    def _scan(self, at: int, start: int) -> tuple[str, int] | None:
        """Python-Markdown's own scan (``LinkInlineProcessor.getLink``, quotes and all), for an
        address with quotes in it or without a balancing ``)``; within a budget per page."""
        visible = self.visible
        limit = min(len(visible), start + _MAX_URL, start + max(self.budget, 0))
        end = _block_end(visible, at, limit)
        if end < start:
            return None
        paragraph_end = len(visible[:end].rstrip("\n")) if end < limit or limit == len(visible) else -1
        found = _get_link(visible, start, end, paragraph_end)
        self.budget -= (found[1] if found else end) - start
        return (_clean(self.text[start:found[0]]), start) if found else None


def _get_link(data: str, start: int, end: int, data_end: int) -> tuple[int, int] | None:
    """Where the address that starts at ``start`` ends, and where the link ends: a port of the
    bracket and quote tracking of Python-Markdown 3's ``LinkInlineProcessor.getLink``."""
    brackets, backtrack, last_bracket, last = 1, 1, -1, ""
    quote = alt = ""
    start_quote = exit_quote = start_alt = exit_alt = -1
    in_title = False
    index = start
    for pos in range(start, end):
        c = data[pos]
        if c == "(":
            if not in_title:
                brackets += 1
            elif backtrack > 0:
                backtrack -= 1
        elif c == ")":
            if (exit_quote != -1 and quote == last) or (exit_alt != -1 and alt == last):
                brackets = 0
            elif not in_title:
                brackets -= 1
            elif backtrack > 0:
                backtrack -= 1
                if backtrack == 0:
                    last_bracket = index + 1
        elif c in "\"'":
            if not quote:
                in_title, backtrack, brackets, start_quote, quote = True, brackets, 1, index + 1, c
            elif c != quote and not alt:
                start_alt, alt = index + 1, c
            elif c == quote:
                exit_quote = index + 1
            elif alt and c == alt:
                exit_alt = index + 1
        index += 1
        if brackets == 0:
            if exit_quote >= 0 and quote == last:
                return start_quote - 1, index
            if exit_alt >= 0 and alt == last:
                return start_alt - 1, index
            return index - 1, index
        if c != " ":
            last = c
    if brackets != 0 and backtrack == 0:  # Python-Markdown slices data[start:last_bracket - 1] here,
        if last_bracket < 0:  # and with last_bracket = -1 that counts from the paragraph's end
            return (data_end - 2, data_end - 1) if data_end - 2 >= start else None
        return last_bracket - 1, last_bracket
    return None


def _clean(url: str) -> str:
    """The address as Python-Markdown sets it: escapes undone, a code span replaced by its text."""
    if "`" in url:
        url = _CODE_SPAN.sub(lambda m: m.group(2).strip(), url)
    return _UNESCAPE.sub(r"\1", url).strip()


def _label(raw: str) -> str:
    """A reference link's label as Python-Markdown looks it up (a definition's is only stripped)."""
    return re.sub(r"\s+", " ", raw.lower())


def reference_definitions(text: str, visible: str) -> tuple[dict[str, tuple[str, int]], set[int]]:
    """Reference definitions ``[label]: address``: lower-case label → (address, offset), the
    last one of a label winning as in Python-Markdown; and where each definition's ``[`` is."""
    defs: dict[str, tuple[str, int]] = {}
    starts: set[int] = set()
    if "]:" not in visible:
        return defs, starts
    for m in _REF_DEF.finditer(visible):
        url = text[m.start(2):m.end(2)]
        offset = m.start(2) + (1 if url.startswith("<") else 0)
        defs[m.group(1).strip().lower()] = (_clean(url.lstrip("<").rstrip(">")), offset)
        starts.add(m.start(1) - 1)
    return defs, starts


def markdown_links(text: str, visible: str) -> list[LinkRef]:
    """Inline links and images, and the definitions that reference-style links use. A link
    inside another link's text is not a link (Python-Markdown never nests ``<a>``)."""
    defs, def_starts = reference_definitions(text, visible)
    if defs:  # what follows a definition starts a new block: indented lines there are code
        visible = _blank_spans(visible, [m.span(2) for m in _CODE_AFTER_DEF.finditer(text)])
    out: list[LinkRef] = []
    used: set[str] = set()
    inside_until = -1  # end of the text of the link we are in
    destinations = _Destinations(text, visible)
    for pos, end in sorted(_pairs(visible, "[", "]").items()):
        label = None
        image = pos > 0 and visible[pos - 1] == "!"
        if visible.startswith("(", end):
            dest = destinations.at(end)
            if dest is not None and (image or pos >= inside_until):
                out.append(LinkRef(dest[0], dest[1], "image" if image else "link"))
                inside_until = max(inside_until, end) if not image else inside_until
        elif pos not in def_starts:
            m = _REF_AFTER.match(visible, end)  # [text][label], else [label] alone
            label = _label(m.group(1) or text[pos + 1:end - 1]) if m else None
            if label not in defs:
                label = _label(text[pos + 1:end - 1])
        if label is not None and label in defs:
            used.add(label)
    out += [LinkRef(url, offset, "reference") for label, (url, offset) in defs.items() if label in used]
    return sorted(out, key=lambda link: link.offset)


def html_links(text: str, visible: str) -> list[LinkRef]:
    """``href`` of raw ``<a>`` and ``src`` of raw ``<img>`` tags (entities decoded)."""
    out: list[LinkRef] = []
    if "<" not in visible:
        return out
    for m in _HTML_TAG.finditer(visible):
        want = "href" if m.group(1).lower() == "a" else "src"
        for am in _HTML_ATTR.finditer(visible, m.start(2), m.end(2)):
            if am.group(1).lower() == want and am.group(2):
                raw = text[am.start(2):am.end(2)]
                quoted = raw[:1] in "\"'"
                value = raw[1:-1] if quoted else raw
                out.append(LinkRef(html.unescape(value).strip(), am.start(2) + quoted, "html"))
    return out


def unreferenced_footnotes(visible: str) -> list[tuple[str, int]]:
    """Footnote definitions ``[^label]:`` that the page never refers to: (label, offset)."""
    if "[^" not in visible:
        return []
    defs = list(_FOOTNOTE_DEF.finditer(visible))
    starts = {m.start(1) for m in defs}
    refs = {m.group(1) for m in _FOOTNOTE_REF.finditer(visible) if m.start() not in starts}
    return [(m.group(2), m.start(1)) for m in defs if m.group(2) not in refs]
