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
    names = tuple(n for n in names if n.literal != "others") if names else ()
    truncated = len(names) > max_names or any(n.literal == "others" for n in names)
    shown = names[:keep] if len(names) > max_names else names
    text = ", ".join(format_name(n) for n in shown)
    if truncated or len(names) > max_names:
        text += ", et al"
    return text


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


def _format(ref: Reference) -> tuple[str, str]:
    f = ref.fields
    t = ref.type
    parts: list[tuple[str, bool, str | None]] = []  # (text, italic, raw html)

    def add(text: str, italic: bool = False, raw: str | None = None) -> None:
        if text:
            parts.append((text, italic, raw))

    names = ref.authors
    authors = format_authors(names) if names else ""
    org = f.get("organization") or f.get("institution") or ""
    if authors:
        add(_sentence(authors))
    elif t in ("misc", "online", "webpage", "manual", "report", "techreport") and org:
        add(_sentence(org))
    title = f.get("title", "")
    year = ref.year
    if t == "article":
        add(_sentence(title))
        journal = f.get("journal") or f.get("journaltitle", "")
        add(journal, italic=True)
        parts.append((".", False, None))
        tail = year
        vol, num, pages = f.get("volume", ""), f.get("number") or f.get("issue", ""), f.get("pages", "")
        if vol:
            tail += f";{vol}"
            if num:
                tail += f"({num})"
        if pages:
            tail += f":{_pages(pages)}"
        add(_sentence(tail))
    elif t in ("book", "proceedings"):
        add(_sentence(title_case(title)), italic=True)
        if f.get("edition"):
            add(_sentence(f"{f['edition']} ed"))
        pub = f.get("publisher", "")
        add(_sentence(f"{pub}; {year}" if pub and year else pub or year))
    elif t in ("incollection", "inbook", "inproceedings"):
        add(_sentence(title))
        eds = format_authors(ref.editors) if ref.editors else ""
        book = f.get("booktitle", "")
        add("In:")
        if eds:
            add(f"{eds}, {'eds' if len(ref.editors) > 1 else 'ed'}.")
        add(title_case(book), italic=True)
        parts.append((".", False, None))
        pub = f.get("publisher", "")
        tail = f"{pub}; {year}" if pub and year else pub or year
        if f.get("pages"):
            tail += f":{_pages(f['pages'])}"
        add(_sentence(tail))
    else:  # misc, online, webpage, report and the rest: a web document
        add(_sentence(title))
        if year:
            add(_sentence(year))
    doi, pmid, url = f.get("doi", ""), f.get("pmid", ""), f.get("url", "")
    if doi:
        add(f"doi:{doi}", raw=f'doi:<a href="https://doi.org/{html.escape(doi)}">{html.escape(doi, quote=False)}</a>')
    elif url:
        acc = _accessed(f.get("urldate", ""))
        if acc and t not in ("article",):
            add(acc)
        add(url, raw=f'<a href="{html.escape(url)}">{html.escape(url, quote=False)}</a>')
    if pmid:
        add(f"PMID: {pmid}", raw=f'PMID: <a href="https://pubmed.ncbi.nlm.nih.gov/{html.escape(pmid)}/">{html.escape(pmid)}</a>')
    plain: list[str] = []
    rich: list[str] = []
    for text, italic, raw in parts:
        if text == ".":
            plain[-1:] = [plain[-1] + "."] if plain else []
            rich[-1:] = [rich[-1] + "."] if rich else []
            continue
        plain.append(text)
        if raw is not None:
            rich.append(raw)
        elif italic:
            rich.append(f"<i>{html.escape(text, quote=False)}</i>")
        else:
            rich.append(html.escape(text, quote=False))
    return _join(plain), _join(rich)
