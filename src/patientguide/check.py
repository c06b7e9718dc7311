"""Run every check over a site: the one entry point shared by the MkDocs plugin and the CLI."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import diagnostics as dx
from .clinic import Clinic, load_clinic
from .citations import ParsedPage, body_key, parse_citations
from .diagnostics import Diagnostic, Severity
from .pages import PageMeta, check_meta, parse_front_matter
from .references import Bibliography, Reference, ReferenceCache, find_bib_files, load_references, read_bib_file, unused_summary
from .settings import Settings
from .source import SourceFile, mask_blocks, mask_inline

_H1 = re.compile(r"^#[ \t]+(.+?)[ \t#]*$", re.M)


@dataclass
class PageReport:
    """What the checks learned about one page.

    ``text`` (the whole file) is there while the checks run; :func:`check_site` then drops it
    to keep a large site's report small, and keeps ``body_key`` to recognise the same body.
    """

    src_uri: str  # relative to docs_dir, POSIX
    path: str  # relative to the project root, as diagnostics show it
    title: str
    meta: PageMeta
    parsed: ParsedPage
    text: str
    body_key: tuple[int, str] = (0, "")
    scores: object = None  # readability.Scores, when the page was scored
    source: SourceFile | None = None  # line index of ``text`` (released with it)
    masked_blocks: str = ""  # ``text`` with front matter and code blocks blanked (same length)
    masked: str = ""  # ... and inline code, comments, tags, link targets and URLs blanked too

    def parsed_for_body(self, body: str) -> ParsedPage | None:
        """The check's parse, re-based onto ``body`` if it is this page's body; else ``None``."""
        return self.parsed.for_body(self.body_key, body)

    @property
    def citations(self):
        return self.parsed.citations


@dataclass
class Report:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    pages: dict[str, PageReport] = field(default_factory=dict)
    bibliography: Bibliography = field(default_factory=Bibliography)
    cited_on: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    clinic: Clinic | None = None  # the clinic profile, when the config has a valid one
    unused: list[Reference] = field(default_factory=list)  # neither cited nor the crossref parent of a cited entry

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def summary(self) -> str:
        e, w = len(self.errors), len(self.warnings)
        return (f"{e} error{'s' if e != 1 else ''}, {w} warning{'s' if w != 1 else ''} "
                f"in {len(self.pages)} page{'s' if len(self.pages) != 1 else ''} and "
                f"{len(self.bibliography.entries)} reference{'s' if len(self.bibliography.entries) != 1 else ''}")

    def unused_json(self) -> list[dict]:
        return [{"key": r.key, "path": r.path, "line": r.line} for r in self.unused]

    def pages_json(self) -> list[dict]:
        return [{"path": p.path, "citations": [{"key": c.key, "line": c.line, "col": c.col} for c in p.citations]}
                for p in sorted(self.pages.values(), key=lambda p: p.path)]


#: Extra per-page checks registered by other core modules (readability, evidence, safety …).
PageCheck = Callable[[PageReport, Settings, Bibliography], list[Diagnostic]]
PAGE_CHECKS: list[PageCheck] = []
#: Extra site-wide checks.
SiteCheck = Callable[["Report", Settings], list[Diagnostic]]
SITE_CHECKS: list[SiteCheck] = []


def find_pages(docs_dir: Path) -> list[Path]:
    return sorted(p for p in docs_dir.rglob("*.md") if p.is_file() or p.is_symlink())


def page_title(meta: PageMeta, text: str, src_uri: str) -> str:
    title = meta.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    m = _H1.search(text, meta.body_start)
    if m:
        return m.group(1).strip()
    stem = Path(src_uri).stem
    return "Home" if stem == "index" else stem.replace("-", " ").replace("_", " ").capitalize()


def check_page_text(text: str, src_uri: str, path: str, settings: Settings, bib: Bibliography,
                    is_content_page: bool = True) -> tuple[PageReport, list[Diagnostic]]:
    """All single-page checks on one page's full text."""
    src = SourceFile(path, text)
    meta, diags = parse_front_matter(src)
    fm_end = meta.body_start if meta.has_front_matter else 0
    blocks = mask_blocks(text, fm_end)
    masked = mask_inline(blocks)
    diags += check_meta(meta, path, today=settings.today, max_years=settings.review_max_years,
                        require_review=settings.require_review, is_content_page=is_content_page,
                        reviewers=_reviewers(settings))
    parsed = parse_citations(text, path, src, masked=masked)
    known = None
    for c in parsed.citations:
        if bib.lookup(c.key) is None:
            if known is None:
                known = bib.keys()
            diags.append(dx.make(path, c.line, c.col, dx.CITATION_UNKNOWN_KEY,
                                 f"unknown citation key '{c.key}'", dx.did_you_mean(c.key, known)))
    key, stripped = body_key(text, parsed.body_start)
    parsed = ParsedPage(parsed.citations, parsed.groups, parsed.body_start, stripped)
    report = PageReport(src_uri, path, page_title(meta, text, src_uri), meta, parsed, text, key,
                        source=src, masked_blocks=blocks, masked=masked)
    for extra in PAGE_CHECKS:
        diags += extra(report, settings, bib)
    return report, diags


def _reviewers(settings: Settings) -> dict | None:
    from .reviewers import load_reviewers  # local: optional feature
    return load_reviewers(settings.reviewers_file) if settings.reviewers_file else None


def check_site(settings: Settings, cache: ReferenceCache | None = None) -> Report:
    """Load references, check every page, cross-check citations and references."""
    report = Report()
    diags: list[Diagnostic] = []
    bib_files = find_bib_files(settings.references_dir) if settings.references_dir.is_dir() else []
    if not bib_files:
        diags.append(dx.make(settings.rel(settings.references_dir), 1, 0, dx.BIB_NO_FILES,
                             f"no .bib files found in '{settings.rel(settings.references_dir)}'"))
    texts = []
    for p in bib_files:
        rel = settings.rel(p)
        text, problems = read_bib_file(p, rel)
        diags += problems
        if text is not None:
            texts.append((rel, text))
    if cache is None and settings.cache_dir is not None:
        cache = ReferenceCache(settings.cache_dir)
    elif cache is not None and cache.disk_dir is None:
        cache.disk_dir = settings.cache_dir
    bib = load_references(texts, cache)
    report.bibliography = bib
    diags += bib.file_diagnostics

    docs = settings.docs_dir
    from .safety import check_limits, find_symlinks
    diags += find_symlinks(docs, settings.rel_unresolved) if docs.is_dir() else []
    for p in find_pages(docs):
        src_uri = p.relative_to(docs).as_posix()
        if any(Path(src_uri).match(pat) for pat in settings.exclude):
            continue
        rel = settings.rel(p)
        try:
            text = p.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as e:
            diags.append(dx.make(rel, 1, 0, dx.PAGE_READ_ERROR, f"page is not UTF-8 text (byte {e.start})"))
            continue
        except OSError as e:
            diags.append(dx.make(rel, 1, 0, dx.PAGE_READ_ERROR, f"cannot read page: {e.strerror}"))
            continue
        if p.is_symlink():
            continue  # reported above; never read through a link
        limits = check_limits(text, rel, settings.max_page_kb * 1024)
        if limits:
            diags += limits
            continue
        is_content = src_uri != settings.bibliography_page
        page, page_diags = check_page_text(text, src_uri, rel, settings, bib, is_content)
        report.pages[src_uri] = page
        diags += page_diags
        for c in page.citations:
            ref = bib.lookup(c.key)
            if ref is not None:
                pages = report.cited_on.setdefault(ref.key.lower(), [])
                if not pages or pages[-1][0] != src_uri:
                    pages.append((src_uri, page.title))
    diags += bib.entry_diagnostics(report.cited_on)  # problems of entries that no page cites are warnings
    report.unused = bib.unused(bib.used_keys(report.cited_on))  # a cited entry's crossref parent is used
    diags += unused_summary(report.unused, settings.rel(settings.references_dir))
    if settings.reviewers_file is not None:
        from .reviewers import check_reviewers
        rel = settings.rel(settings.reviewers_file)
        diags += [dx.Diagnostic(rel, d.line, d.col, d.severity, d.code, d.message, d.hint)
                  for d in check_reviewers(settings.reviewers_file, rel)]
    report.clinic, clinic_diags = load_clinic(settings.config_file, settings.rel)
    diags += clinic_diags
    for extra in SITE_CHECKS:
        diags += extra(report, settings)
    report.diagnostics = sorted(settings.policy.apply(diags), key=lambda d: d.sort_key)
    for page in report.pages.values():
        page.text = page.masked = page.masked_blocks = ""  # released: the checks are done (see PageReport)
        page.source = None
        page.meta.positions.clear()
    return report


# Checks that register themselves in PAGE_CHECKS / SITE_CHECKS (imported last: they use this module).
from . import lints as _lints  # noqa: E402,F401
from . import safety as _safety  # noqa: E402,F401
from . import readability as _readability  # noqa: E402,F401
