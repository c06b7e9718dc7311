"""Safe content by default: raw HTML in pages is limited to an allow-list, and pages that could
hang the build are refused.

Errors (``safety.*``), each at ``file:line:col``:

* a tag outside the allow-list (``<script>``, ``<iframe>``, ``<form>``, ``<meta>``, ``<base>`` …);
* an attribute outside the allow-list, any event handler (``onclick=``), also when written as a
  Markdown attribute list (``{: onclick="…"}``);
* a ``javascript:``, ``vbscript:`` or ``data:`` address in a link, image or attribute;
* a symbolic link inside the docs folder (it could publish files from elsewhere);
* a page larger than ``max_page_kb`` or nested deeper than Markdown handles in good time.

A page that truly needs more can be allowed by name, with a reason:
``allow_raw_html: {embed.md: "video player approved by the web team"}``.
"""

from __future__ import annotations

import re
from pathlib import Path

from .. import diagnostics as dx
from ..source import SourceFile, mask_comments_and_code_spans
from .context import PageContext

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
_URL_ATTRS = ("href", "src", "srcset", "cite")
_BAD_SCHEME = re.compile(r"^\s*(?:javascript|vbscript|data)\s*:", re.I)

_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^<>]*?)?)\s*/?>", re.S)
_ATTR_RE = re.compile(r"([^\s=/>\"']+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
_ATTR_LIST = re.compile(r"\{:?\s*([^{}\n]*)\}")
_MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]*)")
_REF_DEF = re.compile(r"^[ ]{0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M)
_AUTOLINK = re.compile(r"<((?:javascript|vbscript|data):[^>\s]*)>", re.I)


def _attribute_problems(attrs: str, base: int, src: SourceFile, path: str, where: str) -> list[dx.Diagnostic]:
    out = []
    for am in _ATTR_RE.finditer(attrs):
        name = am.group(1).lower()
        value = (am.group(2) or "").strip("\"'")
        line, col = src.position(base + am.start())
        if name.startswith(("#", ".")) or name in ("/",):
            continue  # attribute-list ids and classes: {#id .class}
        if name.startswith("on"):
            out.append(dx.make(path, line, col, "safety.html-attribute", f"event handler '{am.group(1)}' is not allowed in {where}",
                               "pages cannot run scripts"))
        elif not (name in ALLOWED_ATTRIBUTES or name.startswith(("aria-", "data-"))) and where != "an attribute list":
            out.append(dx.make(path, line, col, "safety.html-attribute", f"attribute '{am.group(1)}' is not allowed in {where}"))
        elif name == "style" and where == "an attribute list":
            out.append(dx.make(path, line, col, "safety.html-attribute", "attribute 'style' is not allowed in an attribute list",
                               "use a class"))
        if name in _URL_ATTRS and _BAD_SCHEME.match(value):
            out.append(dx.make(path, line, col, "safety.url-scheme", f"'{value[:40]}' address is not allowed",
                               "link to an http(s) address or a page of this site"))
    return out


def check_raw_html(page: PageContext) -> list[dx.Diagnostic]:
    """Tags, attributes and addresses outside the allow-lists, unless the page is allowed them."""
    if page.src_uri in page.settings.allow_raw_html:
        return []
    src = page.source
    # code blocks, code spans and comments may show HTML as text; everything else is live
    visible = mask_comments_and_code_spans(page.masked_blocks)
    out: list[dx.Diagnostic] = []
    for m in _TAG_RE.finditer(visible):
        name = m.group(2).lower()
        if m.group(1):  # closing tag: reported at its opening
            continue
        if name not in ALLOWED_TAGS:
            line, col = src.position(m.start())
            out.append(dx.make(page.path, line, col, "safety.html-tag", f"HTML tag '<{m.group(2)}>' is not allowed in pages",
                               "pages may use simple formatting tags only; ask the web team to allow this page "
                               "with a reason (allow_raw_html)"))
            continue
        out += _attribute_problems(m.group(3), m.start(3), src, page.path, f"'<{name}>'")
    for m in _ATTR_LIST.finditer(visible):
        inner = m.group(1)
        if "=" in inner or re.search(r"(?:^|\s)on\w+", inner):
            out += _attribute_problems(inner, m.start(1), src, page.path, "an attribute list")
    for rx in (_MD_LINK, _REF_DEF, _AUTOLINK):
        for m in rx.finditer(visible):
            if _BAD_SCHEME.match(m.group(1)):
                line, col = src.position(m.start(1))
                out.append(dx.make(page.path, line, col, "safety.url-scheme", f"'{m.group(1)[:40]}' address is not allowed",
                                   "link to an http(s) address or a page of this site"))
    return out


def check_limits(text: str, path: str, max_bytes: int) -> list[dx.Diagnostic]:
    """Refuse pages that would make the build slow or hang, before anything parses them."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        return [dx.make(path, 1, 0, "safety.page-too-large", f"page is {size // 1024} KB, more than the limit of {max_bytes // 1024} KB",
                        "split it into several pages, or raise max_page_kb")]
    src = SourceFile(path, text)
    for m in re.finditer(r"^[ \t]*(?:>[ \t]?){20,}|^(?:[ \t]*(?:[-*+]|\d+[.)])[ \t]+){20,}", text, re.M):
        line, col = src.position(m.start())
        return [dx.make(path, line, col, "safety.pathological-markdown", "more than 20 levels of nested quotes or lists",
                        "flatten the structure")]
    for m in re.finditer(r"[\[(*_`<]{200,}", text):
        line, col = src.position(m.start())
        return [dx.make(path, line, col, "safety.pathological-markdown", f"a run of {len(m.group(0))} brackets or emphasis marks",
                        "remove the run")]
    return []


def find_symlinks(docs_dir: Path, rel) -> list[dx.Diagnostic]:
    out = []
    for p in sorted(docs_dir.rglob("*")):
        if p.is_symlink():
            out.append(dx.make(rel(p), 1, 0, "safety.symlink", "symbolic link inside the docs folder",
                               "copy the file in instead; a link could publish files from outside the site"))
    return out

