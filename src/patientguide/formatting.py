"""References → text in a medical style (AMA 11th edition by default).

A focused formatter, checked in the tests against citeproc-py's output for the CSL style
``american-medical-association``: citeproc-py is too slow for the build budget (thousands of
references), and a reference list needs only a handful of entry types.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from .dates import MONTHS
from .references import Name, Reference


def _initials(given: str) -> str:
    out = []
    for part in re.split(r"\s+", given.strip()):
        if not part:
            continue
        sub = [p for p in part.split("-") if p]
        letters = [s.lstrip(".")[:1].upper() for s in sub if s.lstrip(".")]
        if len(sub) > 1:
            out.append("-".join(letters))
        else:
            out.extend(letters)
    return "".join(out)


def format_name(n: Name) -> str:
    if n.literal:
        return n.literal
    ini = _initials(n.given)
    return f"{n.family} {ini}" if ini else n.family


def format_authors(names: tuple[Name, ...], max_names: int = 6, keep: int = 3) -> str:
    """AMA: up to six authors; more (or BibTeX's ``and others``) shows the first three, et al."""
    others = any(n.literal == "others" for n in names)
    names = tuple(n for n in names if n.literal != "others")
    shown = names[:keep] if len(names) > max_names else names
    text = ", ".join(format_name(n) for n in shown)
    return text + ", et al" if others or len(names) > max_names else text


def short_authors(ref: Reference) -> str:
    """How a patient-facing sentence names the authors: 'Karakoç and colleagues'."""
    names = [n for n in ref.authors or ref.editors if n.literal != "others"]
    if not names:
        org = ref.get("organization") or ref.get("institution") or ref.get("publisher")
        return org or ref.get("title")
    first = names[0].display_family
    if len(names) == 1 and not any(n.literal == "others" for n in ref.authors):
        return first
    if len(names) == 2:
        return f"{first} and {names[1].display_family}"
    return f"{first} and colleagues"


_MINOR = {"a", "an", "and", "as", "at", "but", "by", "for", "from", "in", "into", "nor", "of", "on", "or",
          "per", "the", "to", "vs", "via", "with"}


def title_case(text: str) -> str:
    """AMA title case for book titles: major words capitalised, short minor words not."""
    words = text.split(" ")
    out = []
    for i, w in enumerate(words):
        if not w or any(ch.isupper() for ch in w[1:]) or not w[0].isalpha():
            out.append(w)  # acronyms, mixed case (iPhone), numbers stay as written
        elif i and w.lower() in _MINOR and not out[-1].endswith(":"):
            out.append(w.lower())
        else:
            out.append(w[0].upper() + w[1:])
    return " ".join(out)


def _accessed(value: str) -> str:
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value or "")
    if not m:
        return ""
    y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
    if not 1 <= mo <= 12:
        return ""
    return f"Accessed {MONTHS[mo - 1]} {d}, {y}."


def _pages(p: str) -> str:
    return re.sub(r"\s*[-–—]+\s*", "-", p.strip())


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".?!" else text + "."


def _join(pieces: list[str]) -> str:
    return " ".join(p for p in pieces if p)


@lru_cache(maxsize=16384)
def format_reference(ref: Reference) -> tuple[str, str]:
    """(plain text, HTML) of one reference; cached per entry (references hash by identity)."""
    return _format(ref)


class _Parts:
    """A reference's pieces in order: text, whether it is italic, and its HTML if it is a link."""

    def __init__(self) -> None:
        self.items: list[tuple[str, bool, str | None]] = []

    def add(self, text: str, italic: bool = False, raw: str | None = None) -> None:
        if text:
            self.items.append((text, italic, raw))

    def stop(self) -> None:
        """A full stop right after the previous piece (after an italic journal or book title)."""
        self.items.append((".", False, None))

    def render(self) -> tuple[str, str]:
        plain: list[str] = []
        rich: list[str] = []
        for text, italic, raw in self.items:
            if text == ".":
                plain[-1:] = [plain[-1] + "."] if plain else []
                rich[-1:] = [rich[-1] + "."] if rich else []
                continue
            plain.append(text)
            rich.append(raw if raw is not None else
                        f"<i>{html.escape(text, quote=False)}</i>" if italic else html.escape(text, quote=False))
        return _join(plain), _join(rich)


_WEB_TYPES = ("misc", "online", "webpage", "manual", "report", "techreport")


def _format(ref: Reference) -> tuple[str, str]:
    parts = _Parts()
    f = ref.fields
    org = f.get("organization") or f.get("institution") or ""
    if ref.authors:
        parts.add(_sentence(format_authors(ref.authors)))
    elif ref.type in _WEB_TYPES and org:
        parts.add(_sentence(org))
    if ref.type == "article":
        _article(ref, parts)
    elif ref.type in ("book", "proceedings"):
        _book(ref, parts)
    elif ref.type in ("incollection", "inbook", "inproceedings"):
        _chapter(ref, parts)
    else:  # misc, online, webpage, report and the rest: a web document
        parts.add(_sentence(f.get("title", "")))
        parts.add(_sentence(ref.year))
    _identifiers(ref, parts)
    return parts.render()


def _article(ref: Reference, parts: _Parts) -> None:
    f = ref.fields
    parts.add(_sentence(f.get("title", "")))
    parts.add(f.get("journal") or f.get("journaltitle", ""), italic=True)
    parts.stop()
    tail = ref.year
    vol, num, pages = f.get("volume", ""), f.get("number") or f.get("issue", ""), f.get("pages", "")
    if vol:
        tail += f";{vol}" + (f"({num})" if num else "")
    if pages:
        tail += f":{_pages(pages)}"
    parts.add(_sentence(tail))


def _book(ref: Reference, parts: _Parts) -> None:
    f = ref.fields
    parts.add(_sentence(title_case(f.get("title", ""))), italic=True)
    if f.get("edition"):
        parts.add(_sentence(f"{f['edition']} ed"))
    pub, year = f.get("publisher", ""), ref.year
    parts.add(_sentence(f"{pub}; {year}" if pub and year else pub or year))


def _chapter(ref: Reference, parts: _Parts) -> None:
    f = ref.fields
    parts.add(_sentence(f.get("title", "")))
    parts.add("In:")
    if ref.editors:
        parts.add(f"{format_authors(ref.editors)}, {'eds' if len(ref.editors) > 1 else 'ed'}.")
    parts.add(title_case(f.get("booktitle", "")), italic=True)
    parts.stop()
    pub, year = f.get("publisher", ""), ref.year
    tail = f"{pub}; {year}" if pub and year else pub or year
    if f.get("pages"):
        tail += f":{_pages(f['pages'])}"
    parts.add(_sentence(tail))


def _identifiers(ref: Reference, parts: _Parts) -> None:
    """DOI (or the web address, with the date it was read), then the PubMed id, as links."""
    f = ref.fields
    doi, pmid, url = f.get("doi", ""), f.get("pmid", ""), f.get("url", "")
    if doi:
        link = f'<a href="https://doi.org/{html.escape(doi)}">{html.escape(doi, quote=False)}</a>'
        parts.add(f"doi:{doi}", raw=f"doi:{link}")
    elif url:
        if ref.type != "article":
            parts.add(_accessed(f.get("urldate", "")))
        parts.add(url, raw=f'<a href="{html.escape(url)}">{html.escape(url, quote=False)}</a>')
    if pmid:
        parts.add(f"PMID: {pmid}",
                  raw=f'PMID: <a href="https://pubmed.ncbi.nlm.nih.gov/{html.escape(pmid)}/">{html.escape(pmid)}</a>')
