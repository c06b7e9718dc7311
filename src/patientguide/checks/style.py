"""Plain language: sentences over ``max_sentence_words`` (25) and words with a plainer
alternative ("utilise" → "use"; ``plain_words:`` adds to or overrides the list, an empty value
drops an entry)."""

from __future__ import annotations

import re

from .. import diagnostics as dx
from ..diagnostics import Diagnostic
from .context import PageContext

PLAIN_WORDS: dict[str, str] = {
    "utilise": "use", "utilize": "use", "utilisation": "use", "commence": "start", "commences": "starts",
    "approximately": "about", "assist": "help", "administer": "give", "terminate": "end", "sufficient": "enough",
    "numerous": "many", "prior to": "before", "in order to": "to", "demonstrate": "show",
    "demonstrates": "shows", "obtain": "get", "purchase": "buy", "require": "need", "requires": "needs",
    "individuals": "people", "physician": "doctor", "subsequently": "later", "in the event that": "if",
    "ascertain": "find out", "facilitate": "help", "endeavour": "try", "regarding": "about",
    "in excess of": "more than", "a majority of": "most", "at this point in time": "now", "discontinue": "stop",
    "adverse event": "side effect", "efficacy": "how well it works",
}
WORD = re.compile(r"[A-Za-zÀ-ÿ0-9][\w'’-]*")


def lints_apply(page: PageContext) -> bool:
    """The style and evidence lints read every page but the bibliography and unreadable ones."""
    return page.src_uri != page.settings.bibliography_page and not page.meta.invalid


def check_long_sentences(page: PageContext) -> list[Diagnostic]:
    if not lints_apply(page):
        return []
    limit, words_only = page.settings.max_sentence_words, page.prose.words_only
    out = []
    for block in page.prose.blocks:
        for a, b in block.sentences:
            n = len(WORD.findall(words_only, a, b))
            if n > limit:
                line, col = page.source.position(a)
                out.append(dx.make(page.path, line, col, "style.long-sentence",
                                   f"sentence has {n} words (more than {limit})", "split it in two"))
    return out


def check_plain_words(page: PageContext) -> list[Diagnostic]:
    plain = {k: v for k, v in {**PLAIN_WORDS, **page.settings.plain_words}.items() if v}
    if not plain or not lints_apply(page):
        return []
    rx = re.compile(r"\b(" + "|".join(sorted(map(re.escape, plain), key=len, reverse=True)) + r")\b", re.I)
    words_only = page.prose.words_only
    out = []
    for block in page.prose.blocks:
        for a, b in block.sentences:
            for m in rx.finditer(words_only, a, b):
                line, col = page.source.position(m.start())
                out.append(dx.make(page.path, line, col, "style.plain-word",
                                   f"'{m.group(0)}' has a plainer alternative", f"try '{plain[m.group(0).lower()]}'"))
    return out
