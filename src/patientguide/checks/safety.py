"""Safe content by default (``safety.*``, integrity errors, each at ``file:line:col``):

* raw HTML: a tag outside the allow-list (``<script>``, ``<iframe>``, ``<form>`` …), an attribute
  outside it or any event handler (``onclick=``), also in a Markdown attribute list;
* an address that is not ``http``, ``https``, ``mailto``, ``tel`` or relative, as the browser
  reads it (:mod:`patientguide.safe_html`), in raw HTML or in Markdown;
* a symbolic link inside the docs folder (it could publish files from elsewhere);
* a page larger than ``max_page_kb`` or nested deeper than Markdown handles in good time.

A page that truly needs more raw HTML can be allowed by name, with a reason:
``allow_raw_html: {embed.md: "video player approved by the web team"}``; its addresses are
still checked, here and by the output sanitizer (:mod:`patientguide.sanitize`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from .. import diagnostics as dx
from ..safe_html import (
    ALLOWED_ATTRIBUTES,
    ALLOWED_PREFIXES,
    ALLOWED_TAGS,
    SAFE_SCHEMES,
    SCHEMES_HINT,
    Address,
    Tag,
    scan_page,
    show,
    url_scheme,
)
from ..source import SourceFile
from .context import PageContext


def _attribute_problems(tag: Tag, src: SourceFile, path: str) -> list[dx.Diagnostic]:
    in_list = not tag.name
    where = "an attribute list" if in_list else f"'<{tag.name}>'"
    out = []
    for a in tag.attributes:
        name = a.name.lower()
        if in_list and name.startswith(("#", ".")):
            continue  # attribute-list ids and classes: {#id .class}
        line, col = src.position(a.offset)
        if name.startswith("on"):
            out.append(dx.make(path, line, col, "safety.html-attribute",
                               f"event handler '{a.name}' is not allowed in {where}",
                               "pages cannot run scripts"))
        elif name == "style" and in_list:
            out.append(dx.make(path, line, col, "safety.html-attribute",
                               "attribute 'style' is not allowed in an attribute list",
                               "use a class"))
        elif not (name in ALLOWED_ATTRIBUTES or name.startswith(ALLOWED_PREFIXES)) and tag.applied:
            out.append(dx.make(path, line, col, "safety.html-attribute",
                               f"attribute '{a.name}' is not allowed in {where}"))
    return out


def address_problem(address: Address, src: SourceFile, path: str) -> dx.Diagnostic:
    """The diagnostic for an address that is not allowed, at the place it is written."""
    line, col = src.position(address.offset)
    written = address.written.strip()
    also = f" (written '{show(written)}')" if written != address.seen else ""
    scheme = url_scheme(address.seen)
    hint = SCHEMES_HINT if scheme not in (None, *SAFE_SCHEMES) else "an address may not hold control characters"
    return dx.make(path, line, col, "safety.url-scheme", f"address '{show(address.seen)}'{also} is not allowed", hint)


def check_raw_html(page: PageContext) -> list[dx.Diagnostic]:
    """Tags, attributes and addresses outside the allow-lists. A page allowed raw HTML
    (``allow_raw_html``) may use any tag and attribute, never an unsafe address."""
    src = page.source
    scan = scan_page(page.text, page.masked_blocks)
    out = [address_problem(a, src, page.path) for a in scan.addresses if not a.safe]
    if page.src_uri in page.settings.allow_raw_html:
        return out
    for tag in scan.tags:
        if tag.name not in ALLOWED_TAGS:
            line, col = src.position(tag.offset)
            out.append(dx.make(page.path, line, col, "safety.html-tag",
                               f"HTML tag '<{tag.name}>' is not allowed in pages",
                               "pages may use simple formatting tags only; ask the web team to allow this page "
                               "with a reason (allow_raw_html)"))
            continue
        out += _attribute_problems(tag, src, page.path)
    for attribute_list in scan.attribute_lists:
        out += _attribute_problems(attribute_list, src, page.path)
    return out


def check_limits(text: str, path: str, max_bytes: int) -> list[dx.Diagnostic]:
    """Refuse pages that would make the build slow or hang, before anything parses them."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        return [dx.make(path, 1, 0, "safety.page-too-large",
                        f"page is {size // 1024} KB, more than the limit of {max_bytes // 1024} KB",
                        "split it into several pages, or raise max_page_kb")]
    for m in re.finditer(r"^[ \t]*(?:>[ \t]?){20,}|^(?:[ \t]*(?:[-*+]|\d+[.)])[ \t]+){20,}", text, re.M):
        line, col = SourceFile(path, text).position(m.start())
        return [dx.make(path, line, col, "safety.pathological-markdown",
                        "more than 20 levels of nested quotes or lists",
                        "flatten the structure")]
    for m in re.finditer(r"[\[(*_`<]{200,}", text):
        line, col = SourceFile(path, text).position(m.start())
        return [dx.make(path, line, col, "safety.pathological-markdown",
                        f"a run of {len(m.group(0))} brackets or emphasis marks",
                        "remove the run")]
    return []


def find_symlinks(docs_dir: Path, rel: Callable[[Path], str]) -> list[dx.Diagnostic]:
    out = []
    for p in sorted(docs_dir.rglob("*")):
        if p.is_symlink():
            out.append(dx.make(rel(p), 1, 0, "safety.symlink", "symbolic link inside the docs folder",
                               "copy the file in instead; a link could publish files from outside the site"))
    return out

