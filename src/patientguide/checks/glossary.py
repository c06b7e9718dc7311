"""Glossary links: the first use of a glossary term on a page should link to where it is
explained (the glossary, or the page about it). Terms are the glossary's ``## Term`` headings."""

from __future__ import annotations

import posixpath
import re

from .. import diagnostics as dx
from ..caches import Caches, digest
from ..diagnostics import Diagnostic
from .context import PageContext

_GLOSSARY_HEADING = re.compile(r"^##[ \t]+(.+?)[ \t#]*$", re.M)
_LINK_TEXT = re.compile(r"\[([^\[\]]+)\]\(([^()\s]*)\)")
_HEADING_LINE = re.compile(r"^[ ]{0,3}#.*$", re.M)
#: The only characters outside ASCII that a case-insensitive pattern matches to an ASCII letter.
_ASCII_LOOKALIKES = re.compile("[\u0130\u0131\u017f\u212a]")


def glossary_terms(text: str, caches: Caches) -> tuple[str, ...]:
    """The terms of a glossary page's text (``## Term (abbreviation)`` → ``Term``)."""
    key = digest(text)
    terms = caches.glossary.get(key)
    if terms is None:
        found = (re.sub(r"\s*\(.*?\)\s*", " ", m.group(1)).strip() for m in _GLOSSARY_HEADING.finditer(text))
        terms = caches.glossary[key] = tuple(t for t in found if t)
    return terms


def check_glossary_links(page: PageContext) -> list[Diagnostic]:
    settings = page.settings
    if page.src_uri in (settings.glossary_page, settings.bibliography_page) or page.meta.invalid:
        return []
    terms = _site_terms(page)
    if not terms:
        return []
    # inside any link counts: a link to the glossary or to the page about the term explains it
    linked = [(m.start(1), m.end(1)) for m in _LINK_TEXT.finditer(page.text)]
    headings = [(m.start(), m.end()) for m in _HEADING_LINE.finditer(page.text)]
    out = []
    lowered = _lowered(page.masked)
    for term in terms:
        if _absent(term, lowered):
            continue
        m = _first_use(term, page.masked, headings)
        if m is not None and not any(a <= m.start() < b for a, b in linked):
            line, col = page.source.position(m.start())
            target = f"{posix_rel(page.src_uri, settings.glossary_page)}#{slug(term)}"
            out.append(dx.make(page.path, line, col, "style.glossary-term",
                               f"'{m.group(0)}' is in the glossary but its first use here is not linked",
                               f"link it: [{m.group(0)}]({target})"))
    return out


def _site_terms(page: PageContext) -> tuple[str, ...]:
    try:
        text = (page.settings.docs_dir / page.settings.glossary_page).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ()
    return glossary_terms(text, page.caches)


def _lowered(masked: str) -> str | None:
    """The page in lower case, to rule terms out quickly; ``None`` if it has a character that a
    case-insensitive pattern matches to an ASCII letter (``ſ``, ``K``, ``ı``, ``İ``)."""
    return None if _ASCII_LOOKALIKES.search(masked) else masked.lower()


def _absent(term: str, lowered: str | None) -> bool:
    """Surely not on the page: an ASCII term whose letters, in any case, are nowhere in it (what
    :func:`_first_use` would find is then not there either)."""
    return lowered is not None and term.isascii() and term.lower() not in lowered


def _first_use(term: str, masked: str, headings: list[tuple[int, int]]) -> re.Match | None:
    """The first use of ``term`` (or its plural) outside headings, where a term is explained."""
    pattern = re.compile(r"(?<![\w-])" + re.escape(term) + r"(?:s|es)?(?![\w-])", re.I)
    for m in pattern.finditer(masked):
        if not any(a <= m.start() < b for a, b in headings):
            return m
    return None


def slug(term: str) -> str:
    return re.sub(r"[^\w]+", "-", term.lower()).strip("-")


def posix_rel(from_src: str, to_src: str) -> str:
    return posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")
