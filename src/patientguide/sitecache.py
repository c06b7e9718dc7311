"""The whole result of checking a site, kept under one digest of everything the checks read
(:func:`patientguide.site_inputs.inputs_digest`): a build or ``patientguide check`` in which
nothing they read has changed gets the report and its diagnostics back from the cache, without
importing the rules or running a check, site checks (links, anchors) included.

Anything else runs :func:`patientguide.checks.site.check_site`, which takes from ``Caches.memo``
each page whose text and inputs are unchanged, with what the site checks found in it, and from
the page cache each page whose text as checked is unchanged. With no cache (``cache_dir:
false``, ``PATIENTGUIDE_NO_CACHE=1``) or an empty one every check runs. The entry lives in
memory across ``mkdocs serve`` rebuilds and in ``cache_dir`` between processes
(``site-2.pickle``, with the pages' outcomes in ``memo-1.pickle``); only the latest is kept.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NamedTuple

from . import diskcache
from .caches import Caches
from .diagnostics import Diagnostic
from .settings import Settings
from .site_inputs import LoadedBibliography, inputs_digest, load_bibliography
from .site_report import KeptPages, Report

if TYPE_CHECKING:
    from .clinic import Clinic
    from .page_report import PageReport
    from .references import CitedOn

ClinicLoad = tuple["Clinic | None", list[Diagnostic]]


class KeptReport(NamedTuple):  # not a frozen dataclass, whose generated methods take 3 times as long to make
    """A :class:`Report` by reference to what other caches keep: each page's outcome (``Caches.memo``,
    by its key), the bibliography (the reference cache); unused entries by key."""

    diagnostics: tuple[Diagnostic, ...]
    pages: tuple[tuple[str, str], ...]  # (src_uri, its outcome's key in the memo), in page order
    memo: tuple[str, ...]  # every memo entry the result was made from (links and anchors too)
    cited_on: CitedOn
    reviewers: dict[str, dict[str, Any]]
    unused: tuple[str, ...]  # lower-cased keys, in the report's order
    state: str = ""  # Report.state

    @classmethod
    def of(cls, report: Report) -> KeptReport | None:
        if any(not p.key for p in report.pages.values()):
            return None
        return cls(tuple(report.diagnostics), tuple((s, p.key) for s, p in report.pages.items()),
                   tuple(report.caches.memo.entries), report.cited_on, report.reviewers,
                   tuple(r.key.lower() for r in report.unused), report.state)

    def report(self, loaded: LoadedBibliography, caches: Caches) -> Report | None:
        """The report again, with this build's bibliography; ``None`` if a part is missing (a
        damaged cache file; an unused entry gone, which cannot happen while the .bib texts are
        unchanged: checked, never assumed). Each page's report stays pickled until first asked for
        (:class:`KeptPages`): a build whose renders are kept reads none."""
        bib, pages = loaded.bib, {}
        for src_uri, key in self.pages:
            held = caches.memo.peek(key)  # bytes as written (their CRC-32 checked), or this process's outcome
            page = held if isinstance(held, bytes) else _report(held)
            if page is None:
                return None
            pages[src_uri] = page
        if any(k not in bib.entries for k in self.unused):
            return None
        for key in self.memo:
            caches.memo.keep(key)
        return Report(list(self.diagnostics), KeptPages(pages, dict(self.pages)), bib,
                      dict(self.cited_on), self.reviewers,
                      [bib.entries[k] for k in self.unused], caches, self.state)


def _report(outcome: object) -> PageReport | None:
    """The report of a page outcome this process holds (mkdocs serve), if it is one."""
    from .page_report import PageOutcome
    return outcome.report if isinstance(outcome, PageOutcome) else None


def checked_site(settings: Settings, caches: Caches | None = None, clinic: ClinicLoad | None = None, *,
                 last_build: bool = False, for_build: bool = False) -> Report:
    """:func:`patientguide.checks.site.check_site`, or its whole result when nothing it reads has
    changed since it was kept; ``last_build``: no build follows in this process (``mkdocs build``),
    so what only checking reads is forgotten once written (:meth:`Caches.forget_checks`); ``for_build``: a
    build follows, which reads each page as the site key read it (:meth:`Caches.page_source`)."""
    reused = caches is not None or settings.cache_dir is not None  # else nothing is kept: no key needed
    if caches is None:  # a process's first check reads the kept results from disk: all asked for at once
        diskcache.prefetch(settings.cache_dir)
    caches = (caches or Caches(settings.cache_dir)).for_dir(settings.cache_dir)
    if not clinic:  # the plugin loads it (or knows there is none) before it asks
        from .clinic import load_clinic
        clinic = load_clinic(settings.config_file, settings.rel, root=settings.root)
    loaded = load_bibliography(settings, caches)
    caches.page_sources = {}
    key = inputs_digest(settings, clinic, loaded, caches.page_sources if for_build else None) if reused else None
    kept = caches.site.get(key) if key is not None else None
    report = kept.report(loaded, caches) if isinstance(kept, KeptReport) else None
    if report is None:
        from .checks.site import check_site  # the rules: imported only when something is checked
        report = check_site(settings, caches, clinic, loaded=loaded)
        new = KeptReport.of(report)
        if new is not None and key is not None:
            caches.site.put(key, new)
    caches.site.flush()
    if last_build:
        caches.forget_checks()
    return report
