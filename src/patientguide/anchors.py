"""The anchors a built page has, as MkDocs' link validation sees them, plus the ones our plugin
adds after MkDocs has looked.

MkDocs (``structure/pages.py``) takes a page's anchors from the converted Markdown: every
element's ``id`` (headings get theirs from the toc extension, with the site's ``slugify``;
attribute lists ``{#id}``; footnotes ``fn:1``/``fnref:1``) and ``id``/``<a name>`` in raw HTML.
A page whose headings are plain text gets its ids here without Python-Markdown (most pages, and
fast); any other page is converted with the site's own Markdown extensions, exactly as MkDocs
does. Our plugin then adds the reference list (``#pg-references``, ``#pg-ref-3``), each
citation (``#pg-cite-3-1``) and, on the bibliography page, each entry (``#ref-<key>``).
"""

from __future__ import annotations

import importlib
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

from .render import RenderedPage, render_page
from .yamlpos import PythonRef

#: Extensions that never change a plain-text heading or add ids to a page without ``{``,
#: ``[^``, raw HTML or indented headings (the fast path checks for those).
PLAIN_SAFE_EXTENSIONS = frozenset({
    "toc", "tables", "fenced_code", "admonition", "attr_list", "def_list", "footnotes", "md_in_html",
    "abbr", "sane_lists", "nl2br", "meta", "codehilite", "pymdownx.details", "pymdownx.superfences",
    "pymdownx.highlight", "pymdownx.inlinehilite",
})
MKDOCS_BUILTIN_EXTENSIONS = ("toc", "tables", "fenced_code")  # MkDocs always adds these

_HEADING_LIKE = re.compile(r"^[ \t]*(?:>[ \t]*)*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)?#", re.M)
_ATX = re.compile(r"^(#{1,6})(.*?)#*[ \t]*$", re.M)  # Python-Markdown: no space needed after '#'
_SETEXT = re.compile(r"\S[^\n]*\n[ ]{0,3}(?:=+|-+)[ \t]*$", re.M)
_HTML_BLOCK = re.compile(r"^[ ]{0,3}<", re.M)
_NOT_PLAIN = re.compile(r"[\\`*_\[\]<>&{}!~^=|]")
_CITE_ID = re.compile(r'\bid="(pg-cite-[0-9]+-[0-9]+)"')
_ID_ATTR = re.compile(r"\b(?:id|name)\s*=", re.I)
# an HTML comment alone on its line, between blank lines (the bibliography page's marker line): no id
_COMMENT_LINE = re.compile(r"[ ]{0,3}<!--[^<>\n]*-->[ \t]*")


def default_slugify(value: str, separator: str) -> str:
    """Python-Markdown's ``toc.slugify`` (tested to give the same result)."""
    value = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    value = re.sub(r"[^\w\s-]", "", value).strip().lower()
    return re.sub(rf"[{separator}\s]+", separator, value)


def unique(anchor: str, used: set[str]) -> str:
    """Python-Markdown's ``toc.unique``: a repeated id gets ``_1``, ``_2`` …"""
    if anchor in used or not anchor:
        m = re.match(r"^(.*)_([0-9]+)$", anchor)
        base, count = (m.group(1), int(m.group(2))) if m else (anchor, 0)
        count += 1
        while f"{base}_{count}" in used:
            count += 1
        anchor = f"{base}_{count}"
    used.add(anchor)
    return anchor


def resolve(value: Any) -> Any:
    """A config value with every :class:`PythonRef` imported (and called, for object/apply)."""
    if isinstance(value, PythonRef):
        module, _, attr = value.name.rpartition(".")
        obj = getattr(importlib.import_module(module), attr)
        return obj(*value.args, **dict(value.kwds)) if value.call else obj
    if isinstance(value, dict):
        return {k: resolve(v) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v) for v in value]
    return value


def extension_configs(extensions: Iterable[Any]) -> tuple[list[str], dict[str, dict]]:
    """Extension names (MkDocs' built-ins first, no repeats) and their options, as MkDocs passes them."""
    names: list[str] = list(MKDOCS_BUILTIN_EXTENSIONS)
    configs: dict[str, dict] = {}
    for item in extensions:
        if isinstance(item, dict):
            for name, options in item.items():
                names.append(str(name))
                if isinstance(options, dict):
                    configs[str(name)] = options
        elif isinstance(item, str):
            names.append(item)
    return list(dict.fromkeys(names)), configs


def plugin_anchor_ids(page: RenderedPage, cited_keys: Iterable[str] = ()) -> set[str]:
    """The ids our plugin puts on a page after MkDocs converted it (``render.py``): the reference
    list and its entries, each citation, and on the bibliography page each entry."""
    order = page.state.order
    ids = {"pg-references"} if order else set()
    for n in range(1, len(order) + 1):
        ids |= {f"pg-ref-{n}", f"pg-reftext-{n}"}
    ids.update(_CITE_ID.findall("".join(page.pieces)))
    ids.update(f"ref-{key.lower()}" for key in cited_keys)
    return {sys.intern(i) for i in ids}  # MkDocs keeps every page's ids: each page has the same ones


class HeadingIds:
    """Ids of a converted page, with the site's Markdown extensions and toc settings."""

    def __init__(self, extensions: tuple[Any, ...]) -> None:
        self.names, self.configs = extension_configs(extensions)
        toc = self.configs.get("toc") or self.configs.get("markdown.extensions.toc") or {}
        self.separator = str(toc.get("separator", "-"))
        self._slugify_ref = toc.get("slugify")
        self._slugify: Callable[[str, str], str] | None = None
        self._fast = all(n.removeprefix("markdown.extensions.") in PLAIN_SAFE_EXTENSIONS for n in self.names)
        self._md: Any = None

    def slugify(self, text: str) -> str:
        if self._slugify is None:
            self._slugify = resolve(self._slugify_ref) if self._slugify_ref else default_slugify
        return self._slugify(text, self.separator)

    def ids(self, markdown_text: str, visible: str) -> set[str]:
        """All ids of a page's Markdown (as MkDocs renders it); ``visible`` has code blanked."""
        fast = self._plain_headings(visible) if self._fast else None
        if fast is not None:
            used: set[str] = set()
            for text in fast:
                unique(self.slugify(text), used)
            return used
        return self._converted(markdown_text)

    @staticmethod
    def _plain_headings(visible: str) -> list[str] | None:
        """Heading texts, when every heading is a plain ``#`` line and nothing else adds an id."""
        visible = _without_comment_paragraphs(visible)
        if "{" in visible or "[^" in visible or _ID_ATTR.search(visible) or _HTML_BLOCK.search(visible):
            return None
        if _SETEXT.search(visible):
            return None
        heads = [m.start() for m in _HEADING_LIKE.finditer(visible)]
        if any(visible[at] != "#" for at in heads):
            return None  # indented, quoted or in a list: leave it to Python-Markdown
        texts = []
        for at in heads:
            m = _ATX.match(visible, at)
            text = m.group(2).strip() if m else ""
            if _NOT_PLAIN.search(text):
                return None
            texts.append(" ".join(text.split()))
        return texts

    def _converted(self, markdown_text: str) -> set[str]:
        if self._md is None:
            self._md = _IdMarkdown(self.names, resolve(self.configs))
        return self._md.ids(markdown_text)


def _without_comment_paragraphs(visible: str) -> str:
    """``visible`` with each HTML comment that is a paragraph of its own blanked (same length)."""
    if "<!--" not in visible:
        return visible
    lines = visible.split("\n")
    for i, line in enumerate(lines):
        alone = (i == 0 or not lines[i - 1].strip()) and (i + 1 == len(lines) or not lines[i + 1].strip())
        if alone and _COMMENT_LINE.fullmatch(line):
            lines[i] = " " * len(line)
    return "\n".join(lines)


class _IdMarkdown:
    """Python-Markdown with the two collectors MkDocs registers: ``_RawHTMLPreprocessor`` (21)
    and ``_ExtractAnchorsTreeprocessor`` (5, after the toc)."""

    def __init__(self, names: list[str], configs: dict) -> None:
        import markdown

        self.found: set[str] = set()
        self.md = markdown.Markdown(extensions=names, extension_configs=configs)
        pre, tree = _collectors(self.found)
        self.md.preprocessors.register(pre(self.md), "pg_raw_ids", 21)
        self.md.treeprocessors.register(tree(self.md), "pg_ids", 5)

    def ids(self, text: str) -> set[str]:
        self.found.clear()
        self.md.reset()
        self.md.convert(text)
        return set(self.found)


def _collectors(found: set[str]) -> tuple[type, type]:
    """MkDocs' two anchor collectors (``structure/pages.py``), adding to ``found``."""
    import markdown
    from markdown.htmlparser import htmlparser

    class RawIds(htmlparser.HTMLParser):
        def handle_starttag(self, tag: str, attrs: list) -> None:
            found.update(v for k, v in attrs if v and (k == "id" or (k == "name" and tag == "a")))
            super().handle_starttag(tag, attrs)

    class Pre(markdown.preprocessors.Preprocessor):
        def run(self, lines: list[str]) -> list[str]:
            parser = RawIds()
            parser.feed("\n".join(lines))
            parser.close()
            return lines

    class Tree(markdown.treeprocessors.Treeprocessor):
        def run(self, root: Any) -> None:
            for el in root.iter():
                if el.get("id"):
                    found.add(el.get("id"))
                if el.tag == "a" and el.get("name"):
                    found.add(el.get("name"))

    return Pre, Tree


def rendered_page(body: str, bib: Any, heading: str, parsed: Any) -> RenderedPage:
    """The page as our plugin hands it to MkDocs (``markdown``), and the HTML it fills in later."""
    return render_page(body, bib, heading=heading, parsed=parsed, deferred=True)
