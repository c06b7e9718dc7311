"""The second line of defence: each built page's article HTML goes through nh3 (ammonia, an
HTML5 sanitizer) with an allow-list of tags, attributes and address schemes, and the build fails
if sanitizing would change anything (``safety.output-sanitizer``).

The source checks (:mod:`patientguide.safety`) read what the page writes; this reads what
Markdown, its extensions and our renderer made of it, parsed the way a browser parses it.

Comparing without false alarms: the HTML is cleaned twice by the same parser and serializer,
once with a permissive policy that allows every tag, attribute and scheme the HTML uses (so
it only re-serializes it) and once with the allow-list. Attribute order, quoting, entity
spelling and void tags come out the same both times, so only what the allow-list removes makes
the two differ; the differences are read from a token-by-token comparison.

A page in ``allow_raw_html`` may use any tag and attribute, but never an unsafe address: its
HTML is cleaned with every tag and attribute allowed and the address checks kept.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import diagnostics as dx
from . import safe_html
from .source import SourceFile, mask_blocks, split_front_matter

if TYPE_CHECKING:
    from .pagecache import KeptResults


#: The page allow-list plus what Markdown's extensions write: task lists and content tabs
#: (``input``, ``label``) and table column alignment (``style="text-align: …"`` only).
OUTPUT_TAGS = safe_html.ALLOWED_TAGS | {"input", "label"}
OUTPUT_ATTRIBUTES = safe_html.ALLOWED_ATTRIBUTES | {"checked", "disabled", "for", "name", "style"}
_TEXT_ALIGN = re.compile(r"\s*text-align:\s*(?:left|right|center|justify)\s*;?\s*", re.I)
_TAG_NAME = re.compile(r"<([A-Za-z][^\t\n\f\r />]*)")
_SCHEME_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+.-"
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
# SVG element names an HTML parser writes in mixed case (HTML standard, "adjust SVG tag names")
_SVG_NAMES = {n.lower(): n for n in (
    "altGlyph", "altGlyphDef", "altGlyphItem", "animateColor", "animateMotion", "animateTransform", "clipPath",
    "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix", "feDiffuseLighting",
    "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR",
    "feGaussianBlur", "feImage", "feMerge", "feMergeNode", "feMorphology", "feOffset", "fePointLight",
    "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence", "foreignObject", "glyphRef", "linearGradient",
    "radialGradient", "textPath")}
_TAG_HINT = ("pages may use simple formatting tags only; "
             "ask the web team to allow this page with a reason (allow_raw_html)")


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the sanitizer would remove: a tag, an attribute, or an address (``value``)."""

    kind: str  # "tag" | "attribute" | "address" | "text" (anything else; value: where it starts)
    tag: str
    attribute: str = ""
    value: str = ""


def _tags_in(text: str) -> set[str]:
    """Every element name an HTML parser can make of ``text``, as it spells it."""
    names = {m.group(1).translate(_ASCII_LOWER).replace("\0", "\ufffd") for m in _TAG_NAME.finditer(text)}
    return names | {_SVG_NAMES[n] for n in names if n in _SVG_NAMES}


def _schemes_in(text: str) -> set[str]:
    """A superset of the schemes of every address in ``text`` (each one starts a run of scheme
    characters after its references are decoded and tabs and newlines removed)."""
    decoded = html.unescape(text).replace("\t", "").replace("\n", "").replace("\r", "")
    runs = (piece[len(piece.rstrip(_SCHEME_CHARS)):] for piece in decoded.split(":")[:-1])
    return {run.lower() for run in runs if run[:1].isascii() and run[:1].isalpha()}


def _address_filter(tag: str, name: str, value: str) -> str | None:
    for _, url in safe_html.attribute_urls(tag, name, value):
        if not safe_html.url_is_safe(url, decoded=True)[0]:
            return None
    return value


def _allow_list_filter(tag: str, name: str, value: str) -> str | None:
    if name == "style" and not _TEXT_ALIGN.fullmatch(value):
        return None
    return _address_filter(tag, name, value)


def _permissive(text: str) -> dict:
    return dict(tags=_tags_in(text) | OUTPUT_TAGS, clean_content_tags=set(), attributes={},
                generic_attribute_prefixes={""}, url_schemes=set(safe_html.SAFE_SCHEMES) | _schemes_in(text),
                link_rel=None, strip_comments=True)


def _strict(text: str, relaxed: bool) -> dict:
    if relaxed:  # allow_raw_html: any tag and attribute, never an unsafe address
        return {**_permissive(text), "url_schemes": set(safe_html.SAFE_SCHEMES), "attribute_filter": _address_filter}
    return dict(tags=set(OUTPUT_TAGS), attributes={"*": set(OUTPUT_ATTRIBUTES)},
                generic_attribute_prefixes=set(safe_html.ALLOWED_PREFIXES), url_schemes=set(safe_html.SAFE_SCHEMES),
                link_rel=None, strip_comments=True, attribute_filter=_allow_list_filter)


class _StartTags(safe_html.TolerantHTMLParser):
    """Start tags, in order. The content of ``<script>`` and ``<style>`` is read as markup too:
    inside ``<svg>`` a browser reads it so."""

    CDATA_CONTENT_ELEMENTS = ()  # type: ignore[misc]
    SORTED = False  # attributes in the order written

    def __init__(self, text: str, convert_charrefs: bool = False) -> None:
        super().__init__(convert_charrefs=convert_charrefs)
        self.items: list[tuple] = []
        self.read(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        pairs = ((k, v or "") for k, v in attrs)
        self.items.append(("start", tag, tuple(sorted(pairs) if self.SORTED else pairs)))

    handle_startendtag = handle_starttag


class _Tokens(_StartTags):
    """Start tags (attributes sorted, values decoded), end tags and text, in order."""

    SORTED = True

    def __init__(self, text: str) -> None:
        super().__init__(text, convert_charrefs=True)

    def handle_endtag(self, tag: str) -> None:
        self.items.append(("end", tag, ()))

    def handle_data(self, data: str) -> None:
        self.items.append(("text", data, ()))


def _unsafe_addresses(tag: str, attrs: tuple) -> list[Finding]:
    return [Finding("address", tag, name, seen) for name, value in attrs
            for _, url in safe_html.attribute_urls(tag, name, value)
            for ok, seen in [safe_html.url_is_safe(url, decoded=True)] if not ok]


def _attribute_finding(tag: str, name: str, value: str) -> Finding:
    urls = safe_html.attribute_urls(tag, name, value)
    if not urls:
        return Finding("attribute", tag, name, value)
    seen = [safe_html.url_is_safe(u, decoded=True) for _, u in urls]
    return Finding("address", tag, name, next((s for ok, s in seen if not ok), seen[0][1]))


def _removed(t: tuple, kept: list[tuple]) -> list[Finding]:
    """What the allow-list took from start tag ``t``: the tag (or the unsafe address that cost it
    its place), or attributes, judged against its counterpart in ``kept``."""
    twin = next((k for k in kept if k[1] == t[1]), None)
    if twin is None:
        return _unsafe_addresses(t[1], t[2]) or [Finding("tag", t[1])]
    kept.remove(twin)
    return [_attribute_finding(t[1], n, v) for n, v in t[2] if (n, v) not in twin[2]]


def _differences(permissive: str, strict: str) -> list[Finding]:
    """What is in ``permissive`` and not in ``strict``: removed tags, attributes and addresses."""
    a, b = _Tokens(permissive).items, _Tokens(strict).items
    out: list[Finding] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op != "equal":
            kept = [t for t in b[j1:j2] if t[0] == "start"]
            for t in a[i1:i2]:
                out += _removed(t, kept) if t[0] == "start" else []
    if not out:  # not a tag or an attribute: say where the two first differ
        at = next(i for i, (x, y) in enumerate(zip(permissive + "\0", strict + "\0", strict=False)) if x != y)
        out.append(Finding("text", "", "", permissive[max(0, at - 30):at + 30]))
    return out


def output_findings(article_html: str, *, relaxed: bool = False) -> list[Finding]:
    """What sanitizing ``article_html`` with the allow-list would remove (empty: nothing).

    ``relaxed``: the page is in ``allow_raw_html`` (any tag and attribute; addresses still
    checked). There the sanitizer may drop an element in both passes (an SVG or MathML element in
    an unexpected place), which then never shows as a difference, so the addresses are also read
    straight from ``article_html`` by Python's tokenizer. On other pages such an element sits in
    an ``<svg>`` or ``<math>`` that the allow-list removes, which already fails the page."""
    import nh3  # only when a page is built and not in the cache

    permissive = nh3.clean(article_html, **_permissive(article_html))
    strict = nh3.clean(article_html, **_strict(article_html, relaxed))
    direct = [f for t in _StartTags(article_html).items for f in _unsafe_addresses(t[1], t[2])] if relaxed else []
    return list(dict.fromkeys(direct + ([] if permissive == strict else _differences(permissive, strict))))


def _locate(finding: Finding, text: str) -> tuple[int, int]:
    """Where the page's source writes what the finding is about: (line, col), or (1, 0)."""
    front = split_front_matter(text)
    scan = safe_html.scan_page(text, mask_blocks(text, front.body_start if front else 0))
    src = SourceFile("", text)
    if finding.kind == "address":
        hit = next((a for a in scan.addresses if a.seen == finding.value), None)
        if hit is not None:
            return src.position(hit.offset)
    for tag in scan.tags + scan.attribute_lists:
        if finding.kind == "tag" and tag.name == finding.tag:
            return src.position(tag.offset)
        if finding.kind != "tag" and tag.name in (finding.tag, ""):
            for attr in tag.attributes:
                if attr.name.lower() == finding.attribute.lower():
                    return src.position(attr.offset)
    return 1, 0


def _diagnostic(finding: Finding, path: str, text: str) -> dx.Diagnostic:
    line, col = _locate(finding, text)
    if finding.kind == "address":
        hint = safe_html.SCHEMES_HINT if safe_html.url_scheme(finding.value) not in (None, *safe_html.SAFE_SCHEMES) \
            else "an address may not hold control characters"
        what = f"the address '{safe_html.show(finding.value)}' in '<{finding.tag} {finding.attribute}>'"
    elif finding.kind == "tag":
        hint, what = _TAG_HINT, f"the tag '<{finding.tag}>'"
    elif finding.kind == "text":
        hint, what = _TAG_HINT, f"something near '{safe_html.show(finding.value)}'"
    else:
        hint, what = _TAG_HINT, f"the attribute '{finding.attribute}' of '<{finding.tag}>'"
    return dx.make(path, line, col, "safety.output-sanitizer",
                   f"the output sanitizer removes {what} from the built page", hint)


def kept_findings(article_html: str, relaxed: bool, kept: KeptResults | None) -> list[Finding]:
    """:func:`output_findings`, kept by the HTML's digest in ``kept`` (an unchanged page is not sanitized again)."""
    if kept is None:
        return output_findings(article_html, relaxed=relaxed)
    from .pagecache import content_key
    key = content_key("output", str(relaxed), article_html)
    hit = kept.get(key)
    if hit is None:
        hit = tuple(output_findings(article_html, relaxed=relaxed))
        kept.put(key, hit)
    return list(hit)


def check_page_output(article_html: str, *, path: str, source: Callable[[], str],
                      relaxed: bool = False, kept: KeptResults | None = None) -> list[dx.Diagnostic]:
    """Diagnostics for one built page; ``source`` gives the page's Markdown (read only on a finding)."""
    findings = kept_findings(article_html, relaxed, kept)
    if not findings:
        return []
    text = source()
    return [_diagnostic(f, path, text) for f in findings]


def failure(problems: list[dx.Diagnostic]) -> str | None:
    """Why the build stops, or ``None`` when the sanitizer found nothing."""
    return f"patientguide: {summary(problems)}; site not built" if problems else None


def summary(problems: list[dx.Diagnostic]) -> str:
    pages = len({d.path for d in problems})
    errors = f"{len(problems)} error{'s' if len(problems) != 1 else ''}"
    return (f"{errors} in {pages} built page{'s' if pages != 1 else ''}: "
            "the output sanitizer would change them")
