"""Evidence: a sentence that states a figure, or a claim of effect or risk, needs a citation —
in it, or later in the same paragraph (a citation at the end of a passage covers the passage; a
cited lead-in that ends with ':' covers its list). ``<!-- no-cite -->`` right after a sentence
marks it as needing none. A patient page that cites nothing at all needs ``evidence_exempt:
<reason>``."""

from __future__ import annotations

import re

from .. import diagnostics as dx
from ..diagnostics import Diagnostic
from ..prose import Block
from .context import PageContext
from .style import lints_apply

_CLAIM = re.compile(
    r"\d|\b(?:percent|per cent|once|twice|daily|weekly|monthly|hours?|minutes?|days?|weeks?|months?|years?|"
    r"reduc\w*|effective\w*|efficacy|improv\w*|safe|safety|unsafe|risks?|"
    r"harm\w*|dangerous|cures?|prevents?|causes?|caused)\b", re.I)
_NO_CITE = re.compile(r"\s*<!--\s*no-cite\s*-->")


def check_uncited_claims(page: PageContext) -> list[Diagnostic]:
    if not lints_apply(page) or page.meta.get("evidence_exempt"):
        return []
    words_only = page.prose.words_only
    out = []
    for a, b in _uncovered_sentences(page):
        sentence = words_only[a:b]
        if _CLAIM.search(sentence) and not _NO_CITE.match(page.text, b):
            line, col = page.source.position(a)
            snippet = " ".join(sentence.split())[:50]
            out.append(dx.make(page.path, line, col, "evidence.uncited-claim",
                               f"sentence states a figure, effect or risk without a citation: '{snippet}'",
                               "cite a source, or add <!-- no-cite --> after it if it needs none"))
    return out


def _uncovered_sentences(page: PageContext) -> list[tuple[int, int]]:
    cites = [g.start for g in page.parsed.groups]
    words_only = page.prose.words_only
    out: list[tuple[int, int]] = []
    list_covered = False
    for block in page.prose.blocks:
        cited = [a for a, b in block.sentences if any(a <= c < b for c in cites)]
        covered_until = max(cited, default=-1)
        if block.kind == "para":
            list_covered = bool(cited) and _ends_with_colon(block, words_only)
        for a, b in block.sentences:
            if not (a <= covered_until or (block.kind == "item" and list_covered)):
                out.append((a, b))
    return out


def _ends_with_colon(block: Block, words_only: str) -> bool:
    return bool(block.sentences) and words_only[:block.sentences[-1][1]].rstrip().endswith(":")


def check_page_cites_something(page: PageContext) -> list[Diagnostic]:
    if not lints_apply(page) or page.parsed.citations or page.meta.get("evidence_exempt") or not page.is_patient_page:
        return []
    return [dx.make(page.path, 1, 1, "evidence.no-citations", "page cites no sources",
                    "cite the sources of its facts, or set 'evidence_exempt: <reason>' for a page without facts")]
