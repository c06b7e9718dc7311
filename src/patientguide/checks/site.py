"""Check a whole site: every check, for the MkDocs plugin and the CLI (through
:func:`patientguide.sitecache.checked_site`, which keeps the whole result by the content of
everything it read) and the other commands.

1. load the references, the reviewers file and the clinic profile (each problem a diagnostic);
2. read every page (refusing symbolic links, unreadable and oversized pages) and run
   :data:`PAGE_CHECKS` on it;
3. index which pages cite which reference, and run :data:`SITE_CHECKS`;
4. apply the site's severity settings and sort, path by path and line by line.

The :class:`~patientguide.site_report.Report` keeps results only (no page text), so a large site's
report stays small.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import diagnostics as dx
from ..caches import Caches
from ..citations import Citation, ParsedPage, body_key, parse_citations
from ..clinic import Clinic, load_clinic
from ..diagnostics import Diagnostic, merge_repeats
from ..frontmatter import PageMeta, read_front_matter
from ..includes import Blocks, Expanded, expand, site_blocks
from ..page_report import PageOutcome, PageReport
from ..pagecache import content_key, page_key, site_key
from ..references import Bibliography, CitedOn
from ..reviewers import read_reviewers
from ..settings import Settings
from ..site_inputs import LoadedBibliography, load_bibliography, tree_digest
from ..site_report import Report
from ..source import SourceFile, mask_blocks, mask_inline
from . import PAGE_CHECKS, SITE_CHECKS
from .citations import unused_references
from .context import PageContext, SiteContext
from .safety import check_limits, find_symlinks

if TYPE_CHECKING:
    from ..readability import Scores

_H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)
ClinicLoad = tuple["Clinic | None", list[Diagnostic]]


def check_site(settings: Settings, caches: Caches | None = None, clinic: ClinicLoad | None = None,
               checks: bool = True, loaded: LoadedBibliography | None = None) -> Report:
    """Load references, check every page, cross-check citations and references.

    ``caches`` carry parsed references and readability scores between builds; ``clinic`` is
    the clinic profile when the caller has loaded it already (the plugin needs it earlier).
    ``checks=False`` only loads (references, reviewers, each page's front matter and citations),
    for a renderer whose site was checked just before (the Zensical build). ``loaded``: the
    references when the caller has read them already (:mod:`patientguide.sitecache`).
    """
    caches = (caches or Caches(settings.cache_dir)).for_dir(settings.cache_dir)
    profile, clinic_diags = clinic or load_clinic(settings.config_file, settings.rel, root=settings.root)
    diags = list(clinic_diags)
    loaded = loaded or load_bibliography(settings, caches)
    bib, bib_diags, bib_texts = loaded.bib, list(loaded.diagnostics) + loaded.bib.file_diagnostics, loaded.texts
    reviewers, reviewer_diags = _load_reviewers(settings)
    key = site_key(settings, bib_texts, reviewers, _glossary_text(settings)) if checks else None
    placeholders = profile.placeholders() if profile else None
    inputs = SiteInputs(bib, caches, reviewers, blocks(settings), placeholders, key, checks,
                        _page_state(settings, key, placeholders))
    pages, texts, page_diags = _check_pages(settings, inputs)
    diags += bib_diags + reviewer_diags + page_diags
    site = SiteContext(settings, bib, pages, texts, _cited_on(pages, bib), profile, caches.memo if checks else None)
    diags += _remap([d for site_check in (SITE_CHECKS if checks else ()) for d in site_check(site)], pages, texts)
    caches.flush()
    if checks:  # a load without checks keeps nothing in the memo, and forgets nothing in it
        caches.memo.flush()
    ordered = merge_repeats(sorted(settings.policy.apply(diags), key=lambda d: d.sort_key))
    return Report(ordered, pages, bib, site.cited_on, reviewers or {}, unused_references(site), caches,
                  inputs.page_state or "")


def prepare_for_edits() -> None:
    """Load now what checking a changed page loads when first needed (importing this module loads
    the rules; then the claim patterns, textstat, the pronouncing dictionary and the hyphenation
    rules), so that ``mkdocs serve``'s first rebuild after an edit does not wait for them."""
    from .. import claims
    from ..readability import score
    claims.claim_kind("Most people sweat less after a few weeks.")
    score("Tap-water iontophoresis helps most people. Sessions take twenty minutes.")


def _glossary_text(settings: Settings) -> str | None:
    """The glossary page as the glossary check reads it (its terms are part of every page's result)."""
    try:
        return (settings.docs_dir / settings.glossary_page).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None


def _load_reviewers(settings: Settings) -> tuple[dict[str, dict[str, Any]] | None, list[Diagnostic]]:
    if settings.reviewers_file is None:
        return None, []
    return read_reviewers(settings.reviewers_file, settings.rel(settings.reviewers_file))


def find_pages(docs_dir: Path) -> list[Path]:
    return sorted(p for p in docs_dir.rglob("*.md") if p.is_file() or p.is_symlink())


@dataclass(frozen=True, eq=False, repr=False)  # never compared or shown: fewer generated methods
class PageResult:
    """What checking one page found, kept by the page cache (``Caches.pages``): its front matter,
    citations, problems and scores."""

    meta: PageMeta
    parsed: ParsedPage
    diagnostics: tuple[Diagnostic, ...]  # in the expanded text, before :meth:`Expanded.remap`
    scores: Scores | None = None


@dataclass(frozen=True)
class SiteInputs:
    """What every page is checked against, loaded once per site."""

    bib: Bibliography
    caches: Caches
    reviewers: dict[str, dict[str, Any]] | None = None
    blocks: Blocks | None = None
    placeholders: dict[str, str] | None = None  # from the clinic profile
    site_key: str | None = None  # what besides its text a page's result depends on (None: check every page)
    checks: bool = True  # False: read the pages, run no check on them (and keep nothing in the page cache)
    page_state: str | None = None  # the site key, the blocks and the clinic's placeholders: with a page's
    # text as written, everything its outcome depends on (Caches.memo keeps the outcome by them)


def blocks(settings: Settings) -> Blocks:
    return site_blocks(settings)


def _page_state(settings: Settings, key: str | None, placeholders: dict[str, str] | None) -> str | None:
    if key is None:
        return None
    return content_key("page state", key, tree_digest(settings.blocks_dir, lambda name: True), repr(placeholders))


def _check_pages(settings: Settings, inputs: SiteInputs
                 ) -> tuple[dict[str, PageReport], PageContexts, list[Diagnostic]]:
    docs = settings.docs_dir
    diags = find_symlinks(docs, settings.rel_unresolved) if docs.is_dir() else []
    pages: dict[str, PageReport] = {}
    texts = PageContexts()
    for p in find_pages(docs):
        src_uri = p.relative_to(docs).as_posix()
        if any(Path(src_uri).match(pat) for pat in settings.exclude):
            continue
        outcome = _page_outcome(p, src_uri, settings, inputs)
        diags += outcome.diagnostics
        if outcome.report is not None:
            pages[src_uri] = outcome.report
            texts.add(src_uri, outcome.context, outcome.make_context, outcome.plain)
    return pages, texts, diags


def _page_outcome(p: Path, src_uri: str, settings: Settings, inputs: SiteInputs) -> PageOutcome:
    """One page's outcome; from ``Caches.memo`` when its text and everything it depends on are as
    they were in an earlier build (across ``mkdocs serve`` rebuilds, or from ``cache_dir``)."""
    text, read_diags = _read_text(p, settings)
    if text is None:
        return PageOutcome(None, tuple(read_diags))
    memo, key = inputs.caches.memo, None
    if inputs.page_state is not None:  # p: found under the resolved docs folder, not through a link
        key = content_key("page", inputs.page_state, src_uri, str(p), text)
        hit = memo.get(key)
        if isinstance(hit, PageOutcome) and hit.report is not None:
            inputs.caches.pages.keep(hit.cache_key or "")
            path = hit.report.path
            return replace(hit, make_context=lambda: _context_of(text, src_uri, path, settings, inputs))
    path = settings.rel(p)
    limits = check_limits(text, path, settings.max_page_kb * 1024)
    if limits:
        return PageOutcome(None, tuple(limits))
    report, diags, page = check_page(text, src_uri, path, settings, inputs)
    outcome = PageOutcome(replace(report, key=key or ""), tuple(diags), page_key_of(page, inputs),
                          _is_plain(page.expanded), page)
    if key is not None:
        memo.put(key, outcome.kept())
    return outcome


def _is_plain(expanded: Expanded | None) -> bool:
    return expanded is None or (not expanded.blocks and all(s.exact for s in expanded.segments))


def page_key_of(page: PageContext, inputs: SiteInputs) -> str | None:
    """The page's key in the page cache (its text as checked, blocks included)."""
    return page_key(inputs.site_key, page.src_uri, page.path, page.text) if inputs.site_key is not None else None


def _context_of(text: str, src_uri: str, path: str, settings: Settings, inputs: SiteInputs) -> PageContext:
    """The context of a page whose outcome came from the memo, for a site check that needs it."""
    return check_page(text, src_uri, path, settings, inputs)[2]


class PageContexts(Mapping[str, PageContext]):
    """Each page's context by ``src_uri``, in page order: those checked in this build, and those
    whose outcome was kept, made again (from the page cache) only when a site check asks."""

    def __init__(self) -> None:
        self._made: dict[str, PageContext] = {}
        self._makers: dict[str, Callable[[], PageContext] | None] = {}
        self.plain: set[str] = set()  # positions need no remapping

    def add(self, src_uri: str, context: PageContext | None, make: Callable[[], PageContext] | None,
            plain: bool) -> None:
        self._makers[src_uri] = make
        if context is not None:
            self._made[src_uri] = context
        if plain:
            self.plain.add(src_uri)

    def __getitem__(self, src_uri: str) -> PageContext:
        if src_uri not in self._made:
            make = self._makers[src_uri]
            assert make is not None, src_uri
            self._made[src_uri] = make()
        return self._made[src_uri]

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)


def _remap(diags: list[Diagnostic], pages: dict[str, PageReport], texts: PageContexts) -> list[Diagnostic]:
    """Site-check diagnostics found in a page's expanded text, moved to where it was written."""
    by_path = {report.path: src_uri for src_uri, report in pages.items()}
    out = []
    for d in diags:
        src_uri = by_path.get(d.path)
        page = texts[src_uri] if src_uri is not None and src_uri not in texts.plain else None
        out.append(page.expanded.remap(d, page.source) if page is not None and page.expanded is not None else d)
    return out


def _read_text(p: Path, settings: Settings) -> tuple[str | None, list[Diagnostic]]:
    """The page's text, or ``None`` with the reason (never read through a symbolic link).
    :func:`check_limits` comes next."""
    try:
        text = p.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as e:
        return None, [dx.make(settings.rel(p), 1, 0, "page.unreadable", f"page is not UTF-8 text (byte {e.start})")]
    except OSError as e:
        return None, [dx.make(settings.rel(p), 1, 0, "page.unreadable", f"cannot read page: {e.strerror}")]
    if p.is_symlink():
        return None, []  # reported by find_symlinks
    return text, []


def check_page(text: str, src_uri: str, path: str, settings: Settings,
               inputs: SiteInputs) -> tuple[PageReport, list[Diagnostic], PageContext]:
    """Every page check on one page as the patient reads it (blocks included); each problem is
    reported where its text was written."""
    expanded = expand(text, path, inputs.blocks, inputs.placeholders)
    result, page = _checked(expanded, src_uri, path, settings, inputs)
    diags = [expanded.remap(d, page.source) for d in result.diagnostics] + expanded.diagnostics
    key, stripped = body_key(page.text, page.parsed.body_start)
    parsed = replace(page.parsed, body_start_stripped=stripped)
    scores = result.scores
    sites = tuple(_citation_site(c, expanded, page.source) for c in parsed.citations)
    stale = page.review is not None and page.review.stale
    return PageReport(src_uri, path, page_title(page.meta, text, src_uri), page.meta, parsed, key, scores,
                      tuple(expanded.blocks), sites, stale), diags, page


def _checked(expanded: Expanded, src_uri: str, path: str, settings: Settings,
             inputs: SiteInputs) -> tuple[PageResult, PageContext]:
    """Every page check on the ``expanded`` page, or their result from the page cache."""
    text, pages = expanded.text, inputs.caches.pages
    key = page_key(inputs.site_key, src_uri, path, text) if inputs.site_key is not None else None
    hit = pages.get(key) if key is not None else None
    if hit is not None:
        page = _page_context(text, src_uri, path, settings, inputs, (hit.meta, hit.parsed))[0]
        page.expanded = expanded
        return hit, page
    page, diags = _page_context(text, src_uri, path, settings, inputs)
    page.expanded = expanded  # before the checks: the review check reads the page as written
    for page_check in PAGE_CHECKS if inputs.checks else ():
        diags += page_check(page)
    result = PageResult(page.meta, page.parsed, tuple(diags), page.__dict__.get("scores"))  # scores if asked for
    if key is not None:
        pages.put(key, result)
    return result, page


def _citation_site(c: Citation, expanded: Expanded, source: SourceFile) -> tuple[str, str, int, int]:
    """``(key, path, line, col)`` of a citation where it was written (the page or a block)."""
    path, line, col = expanded.origin(source.line_start(c.line) + c.col - 1)
    return c.key, path, line, col


def _page_context(text: str, src_uri: str, path: str, settings: Settings, inputs: SiteInputs,
                  known: tuple[PageMeta, ParsedPage] | None = None) -> tuple[PageContext, list[Diagnostic]]:
    """The page as checks read it; ``known``: its front matter and citations from the page cache."""
    src = SourceFile(path, text)
    is_content_page = src_uri != settings.bibliography_page
    if known is None:
        meta, diags = read_front_matter(src, is_content_page=is_content_page)
    else:
        meta, diags = known[0], []
    blocks_masked = mask_blocks(text, meta.body_start if meta.has_front_matter else 0)
    masked = mask_inline(blocks_masked)
    parsed = known[1] if known else parse_citations(text, path, src, masked=masked)
    return PageContext(src_uri, path, text, src, meta, parsed, blocks_masked, masked, settings, inputs.bib,
                       inputs.caches, is_content_page, inputs.reviewers), diags


def page_title(meta: PageMeta, text: str, src_uri: str) -> str:
    title = meta.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    m = _H1.search(text, meta.body_start)
    if m:
        return m.group(1).strip()
    stem = Path(src_uri).stem
    return "Home" if stem == "index" else stem.replace("-", " ").replace("_", " ").capitalize()


def _cited_on(pages: dict[str, PageReport], bib: Bibliography) -> CitedOn:
    """Lower-case key → ``((src_uri, title), ...)`` of the pages that cite it, in page order."""
    cited_on: dict[str, list[tuple[str, str]]] = {}
    for src_uri, page in pages.items():
        for c in page.citations:
            ref = bib.lookup(c.key)
            if ref is not None:
                on = cited_on.setdefault(ref.key.lower(), [])
                if not on or on[-1][0] != src_uri:
                    on.append((src_uri, page.title))
    return {k: tuple(v) for k, v in cited_on.items()}
