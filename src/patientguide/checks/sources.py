"""What kind of source supports what: every cited reference says what kind of source it is
(``bib.missing-evidence``), and a sentence that says how well a treatment works or how safe it
is needs more than makers' information and leaflets (``evidence.weak-support``).

A sentence's sources are the citations in it; a sentence without any takes those of the next
cited sentence of its paragraph (a citation at the end of a passage covers the passage), and a
list item without any takes those of a cited lead-in that ends with ':' — the same rule as
``evidence.uncited-claim``.

Not flagged: a sentence that says who says it ("One maker says …", "NHS leaflets list …"), since
the patient is told what kind of source it is; a list item under a lead-in that ends "… if:" ("See
a doctor if:", "Stop the treatment if:"), which is the condition of that advice, not a claim of its
own; and a sentence followed by ``<!-- leaflet-ok -->``, an editor's word that it needs no
stronger source (it is not about how well the treatment works or how safe it is).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import diagnostics as dx
from .. import evidence_kinds
from ..citations import Group
from ..diagnostics import Diagnostic
from ..prose import Block
from ..references import Reference
from .context import PageContext, SiteContext
from .style import lints_apply

#: The claim kinds (patientguide.claims) that say how well a treatment works or how safe it is.
STRENGTH_KINDS = frozenset({"effect", "risk"})
LEAFLET_OK = re.compile(r"\s*<!--\s*leaflet-ok\s*-->")
_CONDITIONAL_LEAD_IN = re.compile(r"\bif\b[^.!?]*:\s*$", re.I)


@dataclass(frozen=True)
class Supported:
    """One sentence (``start``–``end`` in the page text) and the citation groups that support it."""

    start: int
    end: int
    groups: tuple[Group, ...]
    own: bool  # the groups are in the sentence itself (not those of its passage)
    condition: bool = False  # a list item under a lead-in that ends "… if:": the advice's condition


def sentence_support(page: PageContext) -> list[Supported]:
    """Every prose sentence of the page with the citations that support it (maybe none)."""
    out: list[Supported] = []
    lead_in: tuple[Group, ...] = ()
    conditional = False
    words_only = page.prose.words_only
    for block in page.prose.blocks:
        spans = [(a, b, tuple(g for g in page.parsed.groups if a <= g.start < b)) for a, b in block.sentences]
        item = block.kind == "item"
        out += _passage_support(spans, lead_in if item else (), conditional and item)
        if block.kind == "para":
            colon = bool(spans) and _ends_with_colon(block, words_only)
            lead_in = spans[-1][2] if colon else ()
            conditional = colon and bool(_CONDITIONAL_LEAD_IN.search(words_only[spans[-1][0]:spans[-1][1]]))
    return out


def _passage_support(spans: list[tuple[int, int, tuple[Group, ...]]], lead_in: tuple[Group, ...],
                     condition: bool) -> list[Supported]:
    out: list[Supported] = []
    following: tuple[Group, ...] = lead_in
    for a, b, groups in reversed(spans):
        if groups:
            following = groups
        out.append(Supported(a, b, groups or following, bool(groups), condition))
    return out[::-1]


def _ends_with_colon(block: Block, words_only: str) -> bool:
    return bool(block.sentences) and words_only[:block.sentences[-1][1]].rstrip().endswith(":")


def references_of(page: PageContext, groups: tuple[Group, ...]) -> list[Reference]:
    """The known references of some citation groups, each once, in order."""
    seen: dict[str, Reference] = {}
    for g in groups:
        for c in g.items:
            ref = page.bib.lookup(c.key)
            if ref is not None:
                seen.setdefault(ref.key.lower(), ref)
    return list(seen.values())


def weak_support(page: PageContext, s: Supported) -> tuple[str, set[str | None]] | None:
    """``(claim kind, kinds of its sources)`` when the sentence says how well a treatment works or
    how safe it is, does not say who says so ("One maker says …"), and only makers' information or
    leaflets support it; else ``None``."""
    kinds = {evidence_kinds.kind_of(r.fields) for r in references_of(page, s.groups)}
    if not kinds or not kinds <= evidence_kinds.WEAK or s.condition or LEAFLET_OK.match(page.text, s.end):
        return None
    from .. import claims  # its rules are compiled when a page is checked (not for one from the page cache)
    sentence = page.prose.words_only[s.start:s.end]
    kind = claims.claim_kind(sentence)
    if kind in STRENGTH_KINDS and not claims.reports_a_source(sentence):
        return kind, kinds
    return None


def check_weak_support(page: PageContext) -> list[Diagnostic]:
    """``evidence.weak-support``: an effect or a risk whose only sources are makers' information
    or leaflets."""
    if not lints_apply(page) or page.meta.get("evidence_exempt"):
        return []
    out = []
    for s in sentence_support(page):
        found = weak_support(page, s)
        if found is None:
            continue
        kind, kinds = found
        from .. import claims
        line, col = page.source.position(s.start)
        out.append(dx.make(page.path, line, col, "evidence.weak-support",
                           f"sentence {claims.PHRASES[kind]}, and only {_weak_names(kinds)} support it: "
                           f"'{claims.clean(page.prose.words_only[s.start:s.end])[:50]}'",
                           "cite a study, review or guideline that says it too"))
    return out


def _weak_names(kinds: set[str | None]) -> str:
    names = {"maker": "makers' information", "leaflet": "patient leaflets"}
    return " and ".join(names[k] for k in sorted(k for k in kinds if k))


def check_evidence_kinds(site: SiteContext) -> list[Diagnostic]:
    """``bib.missing-evidence``: a cited entry without an ``evidence`` field (a warning)."""
    out = []
    for lk in site.cited_on:
        ref = site.bib.entries.get(lk)
        if ref is not None and "evidence" not in ref.fields:
            out.append(dx.make(ref.path, ref.line, 1, "bib.missing-evidence",
                               f"entry '{ref.key}' does not say what kind of source it is",
                               "add evidence = {…}: " + ", ".join(list(evidence_kinds.KINDS)[:-1]) + " or regulator"))
    return out
