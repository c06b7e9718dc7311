"""Plain-language and evidence lints, each a warning with its own code and exact position.

* ``style.long-sentence``: a sentence over 25 words (configurable).
* ``style.plain-word``: a word with a plainer alternative ("utilise" → "use"); the list is
  configurable (``plain_words:`` adds or overrides entries, an empty value drops one).
* ``evidence.uncited-claim``: a sentence that makes a claim (:mod:`patientguide.claims` says which
  kind: an effect, a risk, a figure, how often, how long, a cause, who must not use it …) and has no
  citation — in it, or later in the same paragraph (a citation at the end of a passage covers the
  passage). Mark a sentence that needs none with ``<!-- no-cite -->`` right after it. A
  front-matter ``summary`` point that makes a claim must restate a cited passage of the body
  (:func:`patientguide.claims.summary_supported`), or say ``# no-cite`` after it.
* ``evidence.no-citations``: a page with no citation at all, unless its front matter says why
  with ``evidence_exempt: <reason>`` (about, privacy and accessibility pages).
"""

from __future__ import annotations

import re

from . import check as _check
from . import claims
from . import diagnostics as dx
from .source import SourceFile, mask

LONG_SENTENCE = dx.register("style.long-sentence", dx.Severity.WARNING, "a sentence is longer than the limit")
PLAIN_WORD = dx.register("style.plain-word", dx.Severity.WARNING, "a word has a plainer alternative")
UNCITED_CLAIM = dx.register("evidence.uncited-claim", dx.Severity.WARNING, "a sentence or summary point makes a claim (an effect, a risk, a figure …) without a citation")
NO_CITATIONS = dx.register("evidence.no-citations", dx.Severity.WARNING, "a page cites nothing")
GLOSSARY_TERM = dx.register("style.glossary-term", dx.Severity.WARNING,
                            "a glossary term's first use on a page is not linked (to the glossary or a page)")

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

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)\]*_]*(?=\s|$)")
_WORD = re.compile(r"[A-Za-zÀ-ÿ0-9][\w'’-]*")
_SKIP_LINE = re.compile(r"^\s*(?:#|\||!\[|[-=*_]{3,}\s*$|\[\^|<)")
_NO_CITE = re.compile(r"\s*<!--\s*no-cite\s*-->")


def _prose_spans(text: str, masked: str) -> list[tuple[str, list[tuple[int, int]]]]:
    """Sentences of the page's prose as offsets into ``text``, grouped by block: each block is
    ``("para", sentences)`` for a paragraph or ``("item", sentences)`` for a list item."""
    blocks: list[tuple[str, int, int]] = []
    kind, block_start, block_end = "para", None, 0
    pos = 0
    for line in masked.split("\n"):
        end = pos + len(line)
        structural = not line.strip() or _SKIP_LINE.match(text[pos:end]) is not None
        marker = re.match(r"^\s*(?:[-*+]|\d+[.)])\s+", line)
        admonition = re.match(r"^\s*(?:!!!|\?\?\?)", line) is not None
        if structural or marker or admonition:
            if block_start is not None:
                blocks.append((kind, block_start, block_end))
                block_start = None
            if marker and not structural:
                kind, block_start, block_end = "item", pos + marker.end(), end
        else:
            if block_start is None:
                kind, block_start = "para", pos + len(line) - len(line.lstrip())
            block_end = end
        pos = end + 1
    if block_start is not None:
        blocks.append((kind, block_start, block_end))
    out: list[tuple[str, list[tuple[int, int]]]] = []
    for kind, a, b in blocks:
        spans = []
        start = a
        for m in _SENTENCE_END.finditer(masked, a, b):
            spans.append((start, m.end()))
            start = m.end()
            while start < b and masked[start].isspace():
                start += 1
        if start < b and masked[start:b].strip():
            spans.append((start, b))
        out.append((kind, spans))
    return out


def check_lints(page: "_check.PageReport", settings, bib) -> list[dx.Diagnostic]:
    if page.src_uri == settings.bibliography_page or page.meta.invalid:
        return []
    text = page.text
    src = page.source or SourceFile(page.path, text)
    masked = page.masked or mask(text, page.parsed.body_start)
    cites = [(g.start, g.end) for g in page.parsed.groups]
    # citations count as neither words nor claims
    chars = list(masked)
    for a, b in cites:
        for i in range(a, b):
            if chars[i] != "\n":
                chars[i] = " "
    words_only = "".join(chars)
    out: list[dx.Diagnostic] = []
    limit = settings.max_sentence_words
    plain = {**PLAIN_WORDS, **settings.plain_words}
    plain = {k: v for k, v in plain.items() if v}
    plain_re = re.compile(r"\b(" + "|".join(sorted(map(re.escape, plain), key=len, reverse=True)) + r")\b", re.I) if plain else None
    exempt = bool(page.meta.get("evidence_exempt"))
    sentences = []
    list_covered = False
    for kind, paragraph in _prose_spans(text, masked):
        # A citation covers the sentences before it in the same paragraph (a passage from one
        # source cited once, at its end); a cited lead-in that ends with ':' covers its list.
        cited = [a for a, b in paragraph if any(a <= c < b for c, _ in cites)]
        covered_until = max(cited, default=-1)
        if kind == "para":
            list_covered = bool(cited) and bool(paragraph) and words_only[:paragraph[-1][1]].rstrip().endswith(":")
        for a, b in paragraph:
            sentences.append((a, b, a <= covered_until or (kind == "item" and list_covered)))
    for a, b, covered in sentences:
        sentence = words_only[a:b]
        words = _WORD.findall(sentence)
        if len(words) > limit:
            line, col = src.position(a)
            out.append(dx.make(page.path, line, col, LONG_SENTENCE,
                               f"sentence has {len(words)} words (more than {limit})", "split it in two"))
        if plain_re:
            for m in plain_re.finditer(sentence):
                line, col = src.position(a + m.start())
                out.append(dx.make(page.path, line, col, PLAIN_WORD,
                                   f"'{m.group(0)}' has a plainer alternative",
                                   f"try '{plain[m.group(0).lower()]}'"))
        kind = None if exempt or covered else claims.claim_kind(sentence)
        if kind and not _NO_CITE.match(text, b):
            line, col = src.position(a)
            snippet = claims.clean(sentence)[:50]
            out.append(dx.make(page.path, line, col, UNCITED_CLAIM,
                               f"sentence {claims.PHRASES[kind]} without a citation: '{snippet}'",
                               "cite a source, or add <!-- no-cite --> after it if it needs none"))
    if not exempt:
        cited = [" ".join(words_only[a:b].split()) for a, b, covered in sentences if covered]
        rows = [words_only[m.start():m.end()].replace("|", " ")
                for m in re.finditer(r"^[ \t]*\|.*$", masked, re.M) if any(m.start() <= c < m.end() for c, _ in cites)]
        out.extend(_uncited_summary(page, src, cited, rows))
    if not page.parsed.citations and not exempt and page.meta.get("audience", "patient") == "patient":
        out.append(dx.make(page.path, 1, 1, NO_CITATIONS, "page cites no sources",
                           "cite the sources of its facts, or set 'evidence_exempt: <reason>' for a page without facts"))
    return out


def _uncited_summary(page: "_check.PageReport", src: SourceFile, cited: list[str],
                     rows: list[str]) -> list[dx.Diagnostic]:
    """Summary points that make a claim no cited passage of the body makes (a passage: a cited
    sentence with the cited sentences next to it, or a cited table row), each at the point's own
    line:col."""
    points = page.meta.get("summary")
    points = [points] if isinstance(points, str) else points if isinstance(points, list) else []
    passages = [claims.features(" ".join(cited[max(0, i - 1):i + 2])) for i in range(len(cited))]
    passages += [claims.features(row) for row in rows]
    out = []
    for i, point in enumerate(points):
        line, col = page.meta.positions.get(f"summary[{i}]", page.meta.pos("summary"))
        if not isinstance(point, str) or re.search(r"#\s*no-cite\b", src.line_text(line)):
            continue
        for sentence in re.split(r"(?<=[.!?])\s+", point.strip()):
            kind = claims.claim_kind(sentence)
            if kind and not claims.summary_supported(sentence, passages):
                out.append(dx.make(page.path, line, col, UNCITED_CLAIM,
                                   f"summary point {claims.PHRASES[kind]} that no cited sentence of the page "
                                   f"says: '{claims.clean(sentence)[:50]}'",
                                   "say it with its citation in the page, or add '# no-cite' after the point"))
    return out


_GLOSSARY_HEADING = re.compile(r"^##[ \t]+(.+?)[ \t#]*$", re.M)
_LINK_TEXT = re.compile(r"\[([^\[\]]+)\]\(([^()\s]*)\)")
_TERMS: dict[tuple[str, float], list[str]] = {}


def glossary_terms(settings) -> list[str]:
    """The glossary's terms (its ``## Term`` headings), cached by file modification time."""
    path = settings.docs_dir / settings.glossary_page
    try:
        key = (str(path), path.stat().st_mtime)
    except OSError:
        return []
    if key not in _TERMS:
        text = path.read_text(encoding="utf-8-sig")
        terms = []
        for m in _GLOSSARY_HEADING.finditer(text):
            name = re.sub(r"\s*\(.*?\)\s*", " ", m.group(1)).strip()
            if name:
                terms.append(name)
        _TERMS[key] = terms
    return _TERMS[key]


def check_glossary_terms(page: "_check.PageReport", settings, bib) -> list[dx.Diagnostic]:
    """The first use of each glossary term on a page should link to the glossary."""
    if page.src_uri in (settings.glossary_page, settings.bibliography_page) or page.meta.invalid:
        return []
    terms = glossary_terms(settings)
    if not terms:
        return []
    text = page.text
    masked = mask(text, page.parsed.body_start)
    # inside any link counts: a link to the glossary or to the page about the term explains it
    linked = [(m.start(1), m.end(1)) for m in _LINK_TEXT.finditer(text)]
    headings = [(m.start(), m.end()) for m in re.finditer(r"^[ ]{0,3}#.*$", text, re.M)]
    src = page.source or SourceFile(page.path, text)
    out = []
    for term in terms:
        pattern = re.compile(r"(?<![\w-])" + re.escape(term) + r"(?:s|es)?(?![\w-])", re.I)
        for m in pattern.finditer(masked):
            if any(a <= m.start() < b for a, b in headings):
                continue  # a heading is not where a term is explained
            if not any(a <= m.start() < b for a, b in linked):
                line, col = src.position(m.start())
                out.append(dx.make(page.path, line, col, GLOSSARY_TERM,
                                   f"'{m.group(0)}' is in the glossary but its first use here is not linked",
                                   f"link it: [{m.group(0)}]({posix_rel(page.src_uri, settings.glossary_page)}#{slug(term)})"))
            break
    return out


def slug(term: str) -> str:
    return re.sub(r"[^\w]+", "-", term.lower()).strip("-")


def posix_rel(from_src: str, to_src: str) -> str:
    import posixpath
    return posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")


_check.PAGE_CHECKS.append(check_lints)
_check.PAGE_CHECKS.append(check_glossary_terms)
