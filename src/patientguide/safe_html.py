"""What raw HTML and addresses a page may hold, and how a browser reads them.

* The allow-lists of tags and attributes a page may use in raw HTML.
* Addresses judged as the browser gets them: character references decoded (as
  ``html.unescape`` does: decimal, hexadecimal, named, with or without ``;``), Markdown's backslash
  escapes removed, leading and trailing control characters and spaces stripped and tabs and
  newlines removed anywhere (the WHATWG URL parser), the scheme compared in lower case. Only
  ``http``, ``https``, ``mailto``, ``tel`` and relative addresses are safe; an address that still
  holds a control character is not.
* :func:`scan_page`: every raw HTML tag (found by Python's HTML tokenizer, each attribute mapped
  back to its place), Markdown attribute list, link, image, reference definition and autolink
  address of a page.

Used by the source check (:mod:`patientguide.checks.safety`) and the output sanitizer
(:mod:`patientguide.sanitize`).
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass
from html import parser as _html_parser

from .source import SourceFile, mask_comments_and_code_spans

ALLOWED_TAGS = frozenset({
    "a", "abbr", "aside", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd",
    "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4",
    "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "picture", "pre", "q", "s",
    "samp", "section", "small", "source", "span", "strong", "sub", "summary", "sup", "table", "tbody",
    "td", "tfoot", "th", "thead", "time", "tr", "u", "ul", "var", "wbr",
})
ALLOWED_ATTRIBUTES = frozenset({
    "alt", "class", "colspan", "datetime", "dir", "height", "href", "id", "lang", "loading", "open",
    "rowspan", "scope", "src", "srcset", "sizes", "start", "title", "type", "width", "markdown",
    "role", "reversed", "cite", "media", "decoding", "headers", "abbr", "span", "value",
})  # plus aria-* and data-*
ALLOWED_PREFIXES = ("aria-", "data-")

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
SCHEMES_HINT = "a link may only use http, https, mailto, tel or a relative address"
#: Attributes whose value is an address (or, below, a list of them), on any element.
URL_ATTRIBUTES = frozenset({
    "action", "archive", "background", "cite", "classid", "codebase", "data", "dynsrc", "formaction", "href",
    "icon", "imagesrcset", "itemtype", "longdesc", "lowsrc", "manifest", "ping", "poster", "profile", "src",
    "srcset", "usemap", "xlink:href",
})
_CANDIDATE_LISTS = frozenset({"srcset", "imagesrcset"})  # "address descriptor, address descriptor"
_SPACE_LISTS = frozenset({"archive", "itemtype", "ping"})  # "address address"
_ANIMATION_TAGS = frozenset({"animate", "set"})  # SVG: can set a link's href to any of these values
_ANIMATION_VALUES = frozenset({"by", "from", "to", "values"})

_C0_OR_SPACE = "".join(map(chr, range(0x21)))
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_SHOWN = {i: repr(chr(i))[1:-1] for i in (*range(0x20), 0x7F)}
_CHARREF = re.compile(r"&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)")  # html.unescape's own
_ASCII_SPACE = "\t\n\x0c\r "

_PAREN = re.compile(r"\\.|[()]|\n[ \t]*(?=\n)", re.S)
_LINK_OPEN = re.compile(r"\]\(")
_ANGLE_DEST = re.compile(r"\s*<([^<>]*)>\s*(?:'[^']*'|\"[^\"]*\")?\s*\)")  # Python-Markdown's [x](<…> "t")
_REF_DEF = re.compile(r"^[ ]{0,3}\[(?!\^)[^\[\]]*\]:[ ]*\n?[ ]*(\S+)", re.M)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]*:(?://[^<>]*|[^\s<>]*))>")
_AUTOMAIL = re.compile(r"<[^<> !]+@[^@<> ]+>")
_ATTR_LIST_OPEN = re.compile(r"\{:?[ ]*(?=[^}\n ])")
_ATTR_TOKEN = re.compile(r"""([^ =}]+)=(?:"(.*?)"|'(.*?)'|([^ =}]+))|([^ =}]+)| """)  # Python-Markdown's attr_list
_INLINE_END = frozenset(")]*_`~^=>")  # an attribute list right after one of these belongs to an inline element
_TAGFIND = getattr(_html_parser, "tagfind_tolerant", None)
_ATTRFIND = getattr(_html_parser, "attrfind_tolerant", None)


# --- what a browser makes of an address ---------------------------------------------------


def decode_references(text: str) -> tuple[str, list[int]]:
    """``text`` with its character references decoded as an HTML parser does (``html.unescape``),
    and for each decoded character the offset in ``text`` it comes from."""
    if "&" not in text:
        return text, list(range(len(text)))
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    for m in _CHARREF.finditer(text):
        decoded = html.unescape(m.group(0))
        out += [text[pos:m.start()], decoded]
        offsets += [*range(pos, m.start()), *[m.start()] * len(decoded)]
        pos = m.end()
    out.append(text[pos:])
    offsets += range(pos, len(text))
    return "".join(out), offsets


def browser_address(decoded: str) -> str:
    """What a browser's URL parser reads: leading and trailing C0 controls and spaces stripped, tabs
    and newlines removed anywhere (WHATWG URL standard)."""
    return decoded.strip(_C0_OR_SPACE).replace("\t", "").replace("\n", "").replace("\r", "")


def url_scheme(address: str) -> str | None:
    """The scheme in lower case (``JaVaScRiPt:x`` → ``javascript``), or ``None`` for a relative address."""
    m = _SCHEME.match(address)
    return m.group(0)[:-1].lower() if m else None


def url_is_safe(raw: str, *, decoded: bool = False) -> tuple[bool, str]:
    """Whether an address as written is allowed, and the address a browser gets from it.

    Allowed: ``http``, ``https``, ``mailto``, ``tel`` and relative addresses (no scheme: ``#x``,
    ``/path``, ``page.md``, ``?q``, ``page.md?a=b:c``), with no control character left in them.
    ``decoded=True`` when an HTML parser has already decoded the character references.
    """
    seen = browser_address(raw if decoded else html.unescape(raw))
    scheme = url_scheme(seen)
    return (scheme is None or scheme in SAFE_SCHEMES) and not _CONTROL.search(seen), seen


def srcset_candidates(value: str) -> list[tuple[int, str]]:
    """The addresses of a ``srcset`` value, each with its offset (HTML's srcset parsing rules)."""
    out: list[tuple[int, str]] = []
    i, n = 0, len(value)
    while True:
        while i < n and (value[i] in _ASCII_SPACE or value[i] == ","):
            i += 1
        if i >= n:
            return out
        start = i
        while i < n and value[i] not in _ASCII_SPACE:
            i += 1
        address = value[start:i]
        out.append((start, address.rstrip(",")))
        if address.endswith(","):
            continue
        in_parens = False
        while i < n and (in_parens or value[i] != ","):
            in_parens = (value[i] == "(") or (in_parens and value[i] != ")")
            i += 1


def attribute_urls(tag: str, name: str, value: str) -> list[tuple[int, str]]:
    """The addresses an attribute's decoded value holds, each with its offset in the value."""
    name = name.lower()
    if name in _CANDIDATE_LISTS:
        return srcset_candidates(value)
    if name in _SPACE_LISTS:
        return [(m.start(), m.group()) for m in re.finditer(r"\S+", value)]
    if name in _ANIMATION_VALUES and tag.lower() in _ANIMATION_TAGS:
        return [(m.start(), m.group()) for m in re.finditer(r"[^;]+", value)]
    return [(0, value)] if name in URL_ATTRIBUTES else []


def show(text: str, limit: int = 80) -> str:
    """Text for a message: control characters made visible, cut with "…" past ``limit``."""
    text = text.translate(_SHOWN)
    return text if len(text) <= limit else text[:limit - 1] + "…"


# --- what a page holds -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Address:
    """One address in a page: where it starts, how the page writes it, what a browser gets."""

    offset: int
    written: str
    seen: str
    safe: bool


@dataclass(frozen=True, slots=True)
class Attribute:
    """One attribute as written: value with quotes removed, character references not decoded."""

    name: str
    value: str | None
    offset: int  # of the name in the page
    value_offset: int  # of the value's first character


@dataclass(frozen=True, slots=True)
class Tag:
    """A raw HTML start tag, or (``name == ""``) a Markdown attribute list."""

    name: str
    offset: int
    attributes: tuple[Attribute, ...]
    applied: bool = True  # an attribute list where Python-Markdown's attr_list puts it on an element


@dataclass(frozen=True, slots=True)
class PageScan:
    tags: list[Tag]
    attribute_lists: list[Tag]
    addresses: list[Address]  # each once, in page order


def _address(offset: int, written: str, decoded: str | None = None) -> Address:
    safe, seen = url_is_safe(written if decoded is None else decoded, decoded=decoded is not None)
    return Address(offset, written, seen, safe)


def _value_addresses(tag: str, attr: Attribute) -> list[Address]:
    """The addresses in one attribute's value, each at the place its first character is written."""
    if not attr.value:
        return []
    decoded, offsets = decode_references(attr.value)
    offsets.append(len(attr.value))  # where the decoded text ends
    out = []
    for start, url in attribute_urls(tag, attr.name, decoded):
        lead = len(url) - len(url.lstrip(_C0_OR_SPACE))
        written = attr.value[offsets[start]:offsets[start + len(url)]]
        out.append(_address(attr.value_offset + offsets[start + lead], written, url))
    return out


def _attributes_at(raw: str, base: int, parsed: list[tuple[str, str | None]]) -> tuple[Attribute, ...]:
    """Each attribute of the start tag ``raw`` (at ``base``) with its place, found the way
    ``HTMLParser.parse_starttag`` finds it; ``parsed`` is what the parser reported."""
    found: list[Attribute] = []
    m = _TAGFIND.match(raw, 1) if _TAGFIND and _ATTRFIND else None
    k = m.end() if m else len(raw)
    while k < len(raw) and _ATTRFIND is not None:
        a = _ATTRFIND.match(raw, k)
        if not a:
            break
        name, rest, value = a.group(1, 2, 3)
        start = a.start(3) if rest else a.end(1)
        if not rest:
            value = None
        elif value[:1] in ("'", '"') and value[:1] == value[-1:]:
            value, start = value[1:-1], start + 1
        found.append(Attribute(name, value, base + a.start(1), base + start))
        k = a.end()
    if [(f.name.lower(), f.value and html.unescape(f.value)) for f in found] != list(parsed):
        # a parser this code does not know: keep its values (decoded: checked once more, never less)
        return tuple(Attribute(n, v, base, base) for n, v in parsed)
    return tuple(found)


class TolerantHTMLParser(_html_parser.HTMLParser):
    """Python's HTML tokenizer, reading ``<![…`` (other than CDATA) as a browser does, as a bogus
    comment up to the next '>', where Python's raises an ``AssertionError``."""

    def parse_html_declaration(self, i: int) -> int:
        if self.rawdata.startswith("<![", i) and self.rawdata[i:i + 9].upper() != "<![CDATA[":
            return self.parse_bogus_comment(i)
        return super().parse_html_declaration(i)

    def read(self, text: str) -> None:
        """Read all of ``text``. Nothing after its last '>' can complete a tag, and leaving it out
        keeps the tokenizer from re-reading it for every '<' (slow on ``<a <a <a …``)."""
        self.feed(text[:text.rfind(">") + 1])
        self.close()


class _StartTags(TolerantHTMLParser):
    """Start tags as Python's HTML tokenizer finds them, each with its place in the page."""

    def __init__(self, text: str, src: SourceFile) -> None:
        super().__init__(convert_charrefs=True)
        self.src = src
        self.tags: list[Tag] = []
        self.read(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line, col = self.getpos()
        offset = self.src.line_start(line) + col
        self.tags.append(Tag(tag, offset, _attributes_at(self.get_starttag_text() or "", offset, attrs)))

    handle_startendtag = handle_starttag


def _paren_pairs(text: str) -> dict[int, int]:
    """Each '(' with its matching ')' (none across a blank line; escaped ones do not count)."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for m in _PAREN.finditer(text):
        c = m.group()
        if c == "(":
            stack.append(m.start())
        elif c == ")":
            if stack:
                pairs[stack.pop()] = m.start()
        elif c[0] == "\n":
            stack.clear()
    return pairs


def _link_destination(visible: str, start: int, close: int) -> tuple[int, str]:
    """The destination of ``[x](…)`` between ``start`` and ``close``, as Python-Markdown takes it."""
    inner = visible[start:close]
    quote = min((i for i in (inner.find('"'), inner.find("'")) if i >= 0), default=-1)
    if quote > 0 and inner.rstrip().endswith(inner[quote]) and quote < len(inner.rstrip()) - 1:
        inner = inner[:quote]  # [x](address "title")
    lead = len(inner) - len(inner.lstrip())
    return start + lead, inner.strip()


def _markdown_addresses(visible: str) -> tuple[list[Address], list[tuple[int, int]]]:
    """Addresses of Markdown links, images, reference definitions and autolinks, and the spans
    they cover (an HTML tokenizer would take ``<javascript:…>`` there for a tag)."""
    out: list[Address] = []
    spans: list[tuple[int, int]] = []
    pairs = _paren_pairs(visible) if "](" in visible else {}
    for m in _LINK_OPEN.finditer(visible):
        angle = _ANGLE_DEST.match(visible, m.end())
        if angle:
            written, lead = angle.group(1).strip(), len(angle.group(1)) - len(angle.group(1).lstrip())
            offset, end = angle.start(1) + lead, angle.end()
        elif m.end() - 1 in pairs:
            end = pairs[m.end() - 1]
            offset, written = _link_destination(visible, m.end(), end)
        else:
            continue
        out.append(_address(offset, written, html.unescape(re.sub(r"\\(.)", r"\1", written, flags=re.S))))
        spans.append((m.end(), end))
    for m in _REF_DEF.finditer(visible):
        dest = m.group(1)
        lead = len(dest) - len(dest.lstrip("<"))
        out.append(_address(m.start(1) + lead, dest.lstrip("<").rstrip(">")))
        spans.append((m.start(1), m.end(1)))
    for m in _AUTOLINK.finditer(visible):
        out.append(_address(m.start(1), m.group(1)))
        spans.append((m.start(), m.end()))
    spans += [(m.start(), m.end()) for m in _AUTOMAIL.finditer(visible)]
    return out, sorted(spans)


def _inside(spans: list[tuple[int, int]], offset: int) -> bool:
    i = bisect.bisect_right(spans, (offset, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1]


def _attribute_list(line: str, base: int, start: int, last: int, seen: set[int]) -> Tag | None:
    """The attribute list ``{: …}`` opening at ``line[start]``, read as Python-Markdown's attr_list
    reads it (tokens up to the line's last '}'), or ``None`` when it sets no attribute. A token
    already read from an earlier '{' of the line ends the list: the rest was read then (``seen``)."""
    opening = _ATTR_LIST_OPEN.match(line, start, last)
    if not opening:
        return None
    attrs, pos = [], opening.end()
    while pos < last and pos not in seen:
        seen.add(pos)
        t = _ATTR_TOKEN.match(line, pos, last)
        if not t or t.end() == pos:
            break
        name = t.group(1) or t.group(5)
        if name:
            vg = next((g for g in (2, 3, 4) if t.group(g) is not None), None)
            attrs.append(Attribute(name, t.group(vg) if vg else None, base + t.start(),
                                   base + (t.start(vg) if vg else t.end())))
        pos = t.end()
    if not any(a.value is not None or a.name.lower().startswith("on") for a in attrs):
        return None  # {: .class #id } or text in braces
    applied = not line[last + 1:].strip() or (start > 0 and line[start - 1] in _INLINE_END)
    return Tag("", base + start, tuple(attrs), applied)


def _attribute_lists(visible: str) -> list[Tag]:
    out = []
    base = 0
    for line in visible.split("\n"):
        last = line.rfind("}")
        if last > 0 and "{" in line:
            seen: set[int] = set()
            for m in re.finditer(r"\{", line[:last]):
                found = _attribute_list(line, base, m.start(), last, seen)
                if found:
                    out.append(found)
        base += len(line) + 1
    return out


def scan_page(text: str, blocks: str) -> PageScan:
    """Every raw HTML tag, attribute list and address of a page. ``blocks`` is ``text`` with front
    matter and code blocks blanked (:func:`source.mask_blocks`); comments and code spans are
    blanked here, so HTML shown as code is never read as HTML."""
    visible = mask_comments_and_code_spans(blocks)
    addresses, spans = _markdown_addresses(visible)
    tags = [t for t in _StartTags(visible, SourceFile("", text)).tags if not _inside(spans, t.offset)]
    lists = _attribute_lists(visible)
    for t in tags + lists:
        for attr in t.attributes:
            addresses += _value_addresses(t.name, attr)
    unique = {a.offset: a for a in sorted(addresses, key=lambda a: a.offset)}  # one problem, reported once
    return PageScan(tags, lists, list(unique.values()))
