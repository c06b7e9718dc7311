"""Evidence: a sentence that makes a claim (:mod:`patientguide.claims` says which kind: an effect,
a risk, a figure, how often, how long, a cause, who must not use it …) needs a citation — in it,
or later in the same paragraph (a citation at the end of a passage covers the passage; a cited
lead-in that ends with ':' covers its list). ``<!-- no-cite -->`` right after a sentence marks it
as needing none. A front-matter ``summary`` point that makes a claim must restate a cited passage
of the body (:func:`patientguide.claims.summary_supported`), or say ``# no-cite`` after it. A
patient page that cites nothing at all needs ``evidence_exempt: <reason>``."""

from __future__ import annotations

import re
from collections.abc import Iterator

from .. import diagnostics as dx
from ..diagnostics import Diagnostic
from ..prose import Block
from .context import PageContext
from .style import lints_apply

_NO_CITE = re.compile(r"\s*<!--\s*no-cite\s*-->")
_TABLE_ROW = re.compile(r"^[ \t]*\|.*$", re.M)


def check_uncited_claims(page: PageContext) -> list[Diagnostic]:
    if not lints_apply(page) or page.meta.get("evidence_exempt"):
        return []
    from .. import claims  # its rules are compiled when a page is checked (not for one from the page cache)
    words_only = page.prose.words_only
    out = []
    for a, b, covered in _sentences(page):
        kind = None if covered else claims.claim_kind(words_only[a:b])
        if kind and not _NO_CITE.match(page.text, b):
            line, col = page.source.position(a)
            out.append(dx.make(page.path, line, col, "evidence.uncited-claim",
                               f"sentence {claims.PHRASES[kind]} without a citation: "
                               f"'{claims.clean(words_only[a:b])[:50]}'",
                               "cite a source, or add <!-- no-cite --> after it if it needs none"))
    return out


def _sentences(page: PageContext) -> list[tuple[int, int, bool]]:
    """Every sentence of the page with whether a citation covers it."""
    cites = [g.start for g in page.parsed.groups]
    words_only = page.prose.words_only
    out: list[tuple[int, int, bool]] = []
    list_covered = False
    for block in page.prose.blocks:
        cited = [a for a, b in block.sentences if any(a <= c < b for c in cites)]
        covered_until = max(cited, default=-1)
        if block.kind == "para":
            list_covered = bool(cited) and _ends_with_colon(block, words_only)
        out += [(a, b, a <= covered_until or (block.kind == "item" and list_covered)) for a, b in block.sentences]
    return out


def _ends_with_colon(block: Block, words_only: str) -> bool:
    return bool(block.sentences) and words_only[:block.sentences[-1][1]].rstrip().endswith(":")


def check_uncited_summary(page: PageContext) -> list[Diagnostic]:
    """Summary points that make a claim no cited passage of the body makes (a passage: a cited
    sentence with the cited sentences next to it, or a cited table row), each at the point's own
    line:col."""
    if not lints_apply(page) or page.meta.get("evidence_exempt"):
        return []
    from .. import claims
    points = page.meta.get("summary")
    points = [points] if isinstance(points, str) else points if isinstance(points, list) else []
    passages = _CitedPassages(page)
    out = []
    for i, point in enumerate(points):
        line, col = page.meta.positions.get(f"summary[{i}]", page.meta.pos("summary"))
        if not isinstance(point, str) or re.search(r"#\s*no-cite\b", page.source.line_text(line)):
            continue
        for sentence in re.split(r"(?<=[.!?])\s+", point.strip()):
            kind = claims.claim_kind(sentence)
            if kind and not claims.summary_supported(sentence, passages):
                out.append(dx.make(page.path, line, col, "evidence.uncited-claim",
                                   f"summary point {claims.PHRASES[kind]} that no cited sentence of the page "
                                   f"says: '{claims.clean(sentence)[:50]}'",
                                   "say it with its citation in the page, or add '# no-cite' after the point"))
    return out


class _CitedPassages:
    """The page's cited passages (each cited sentence with the cited sentences next to it, then
    each cited table row) as :func:`patientguide.claims.features`, in that order: each made when a
    summary point first gets to it (a point is usually supported by one of the first ones)."""

    def __init__(self, page: PageContext) -> None:
        self.page = page
        self.texts: list[str] | None = None
        self.features: list[tuple[set[str], set[str]]] = []

    def __iter__(self) -> Iterator[tuple[set[str], set[str]]]:
        from .. import claims
        if self.texts is None:
            self.texts = _cited_passage_texts(self.page)
        for i, text in enumerate(self.texts):
            if i == len(self.features):
                self.features.append(claims.features(text))
            yield self.features[i]


def _cited_passage_texts(page: PageContext) -> list[str]:
    words_only = page.prose.words_only
    cited = [" ".join(words_only[a:b].split()) for a, b, covered in _sentences(page) if covered]
    cites = [g.start for g in page.parsed.groups]
    rows = [words_only[m.start():m.end()].replace("|", " ") for m in _TABLE_ROW.finditer(page.masked)
            if any(m.start() <= c < m.end() for c in cites)]
    return [" ".join(cited[max(0, i - 1):i + 2]) for i in range(len(cited))] + rows


def check_page_cites_something(page: PageContext) -> list[Diagnostic]:
    if not lints_apply(page) or page.parsed.citations or page.meta.get("evidence_exempt") or not page.is_patient_page:
        return []
    return [dx.make(page.path, 1, 1, "evidence.no-citations", "page cites no sources",
                    "cite the sources of its facts, or set 'evidence_exempt: <reason>' for a page without facts")]
