"""Does a ``@misc`` or ``@online`` entry describe a journal article?

Reference managers file an article as ``@misc`` when it was saved from a web page, and the
reference list then shows it without journal, volume or pages. The signs, strongest first:

- a ``journal``/``journaltitle`` field;
- ``note`` or ``howpublished`` naming a journal (the word "journal", "journal article") or
  giving a citation such as ``2004;45(4):208-212``;
- a DOI of the shape publishers give journal articles (an ISSN or a journal code inside it,
  Elsevier's ``S…``/``j.jaad…`` and Springer's ``s00105-…`` forms, Cochrane reviews) or from a
  publisher that registers only journal articles (JAMA, NEJM, BMJ, PLOS, BMC, MDPI, …), and
  not a book, chapter, preprint or data DOI (an ISBN ``978-…`` inside it; arXiv, bioRxiv,
  Zenodo …). Crossref knows each DOI's type, but the check never goes online, so this is
  the offline approximation;
- weaker, and needing two together: ``volume`` with ``pages``, a ``pmid``, or a ``url`` of an
  article page (PubMed, PMC, a publisher's ``/doi/`` or ``/article/`` address).

Leaflets, web pages, device records and policies have none of these, so they are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from . import lazyre

LOOSE_TYPES = frozenset({"misc", "online", "electronic", "www", "webpage"})

_JOURNAL_WORDS = lazyre.compile(r"\b(?:journal|zeitschrift|revue|tijdschrift|tidsskrift)\b", re.I)
_CITATION = lazyre.compile(r"\b(?:1[89]|20)\d\d\b[^;]{0,12};\s*\d+\s*(?:\([^)]{1,12}\))?\s*:\s*[eE]?\d+")
_DOI_IN_TEXT = lazyre.compile(r"\b(10\.\d{4,9}/[^\s\"<>]+)")
_BOOKISH = lazyre.compile(r"97[89]-?\d|^b97[89]|\bchapter\b|\bbook\b|/ch\d", re.I)
_NOT_ARTICLE_PREFIXES = frozenset({
    "10.5281", "10.6084", "10.48550", "10.1101", "10.17605", "10.21203", "10.20944", "10.3886", "10.4324",
})
_JOURNAL_PREFIXES = frozenset({
    "10.1001", "10.1056", "10.1136", "10.1371", "10.1186", "10.3390", "10.2340", "10.4103", "10.1046",
    "10.2147", "10.7759", "10.1155", "10.3310", "10.1684", "10.1126", "10.1038", "10.1089", "10.1097",
})
_JOURNAL_SUFFIX = lazyre.compile(
    r"\b\d{4}-\d{3}[\dX]\b"  # an ISSN (Wiley's j.1365-4362.…, Karger, T&F …)
    r"|^S\d{4}-?\d{3}[\dX]"  # an Elsevier PII
    r"|^j\.[a-z]{2,}\.\d{4}\."  # Elsevier: j.jaad.2010.03.013
    r"|^s\d{5}-\d{3}-\d{4,5}-[\dxz]$"  # Springer: s00105-012-2332-0
    r"|^14651858\.(?:CD|MR)\d+",  # the Cochrane Database of Systematic Reviews
    re.I)
_ARTICLE_URL = lazyre.compile(
    r"pubmed\.ncbi\.nlm\.nih\.gov/\d|ncbi\.nlm\.nih\.gov/(?:pubmed|pmc/articles)|pmc\.ncbi\.nlm\.nih\.gov/articles"
    r"|/doi/(?:abs/|full/|pdf/|epdf/)?10\.|/article/|/articles/|/fulltext", re.I)


def article_signs(etype: str, fields: Mapping[str, str]) -> list[str]:
    """Why a loosely typed entry looks like a journal article; empty if it does not."""
    if etype not in LOOSE_TYPES:
        return []
    strong = _strong_signs(fields)
    if strong:
        return strong
    weak = _weak_signs(fields)
    return weak if len(weak) >= 2 else []


def missing_article_fields(fields: Mapping[str, str], has_author: bool) -> list[str]:
    """The fields an ``@article`` should have that this entry lacks, in citation order."""
    have = {k for k, v in fields.items() if v.strip()}
    if has_author:
        have.add("author")
    if "journaltitle" in have:
        have.add("journal")
    if "date" in have:
        have.add("year")
    return [f for f in ("author", "journal", "year", "volume", "pages") if f not in have]


def journal_doi(doi: str) -> bool:
    """True for a DOI that publishers give journal articles (see the module's docstring)."""
    prefix, _, suffix = doi.partition("/")
    if not suffix or prefix in _NOT_ARTICLE_PREFIXES or _BOOKISH.search(suffix):
        return False
    return prefix in _JOURNAL_PREFIXES or _JOURNAL_SUFFIX.search(suffix) is not None


def _strong_signs(fields: Mapping[str, str]) -> list[str]:
    signs = []
    journal = fields.get("journal") or fields.get("journaltitle")
    if journal:
        signs.append(f"journal '{journal}'")
    for name in ("howpublished", "note"):
        text = fields.get(name, "")
        if text and (_JOURNAL_WORDS.search(text) or _CITATION.search(text)):
            signs.append(f"{name} '{text}'")
    doi = fields.get("doi") or _doi_in(fields.get("url", ""))
    if doi and journal_doi(doi):
        signs.append(f"DOI {doi} of the form journals use")
    return signs


def _weak_signs(fields: Mapping[str, str]) -> list[str]:
    signs = []
    if fields.get("volume") and fields.get("pages"):
        signs.append("a volume and pages")
    if fields.get("pmid"):
        signs.append(f"PubMed id {fields['pmid']}")
    if _ARTICLE_URL.search(fields.get("url", "")):
        signs.append("a url of an article page")
    return signs


def _doi_in(url: str) -> str:
    m = _DOI_IN_TEXT.search(url)
    return m.group(1).rstrip(".,;)") if m else ""
