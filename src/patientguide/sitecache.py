"""The whole result of checking a site, kept under one digest of everything the checks read
(:func:`patientguide.site_inputs.inputs_digest`): a build or ``patientguide check`` in which
nothing they read has changed gets the report and its diagnostics back from one cache entry,
without importing the rules or running a check, site checks (links, anchors) included.

Anything else runs :func:`patientguide.checks.site.check_site`, where the page cache still
spares the pages that did not change. With no cache (``cache_dir: false``,
``PATIENTGUIDE_NO_CACHE=1``) or an empty one every check runs. The entry lives in memory across
``mkdocs serve`` rebuilds and in ``cache_dir`` between processes (``site-1.pickle``), and only the
latest is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .caches import Caches
from .clinic import Clinic, load_clinic
from .diagnostics import Diagnostic
from .settings import Settings
from .site_inputs import LoadedBibliography, inputs_digest, load_bibliography
from .site_report import PageReport, Report

ClinicLoad = tuple["Clinic | None", list[Diagnostic]]


@dataclass(frozen=True)
class KeptReport:
    """A :class:`Report` without what other caches keep: the bibliography (the reference cache)
    and the caches themselves; unused entries by key."""

    diagnostics: tuple[Diagnostic, ...]
    pages: dict[str, PageReport]
    cited_on: dict[str, list[tuple[str, str]]]
    reviewers: dict[str, dict[str, Any]]
    unused: tuple[str, ...]  # lower-cased keys, in the report's order

    @classmethod
    def of(cls, report: Report) -> KeptReport:
        return cls(tuple(report.diagnostics), dict(report.pages), report.cited_on, report.reviewers,
                   tuple(r.key.lower() for r in report.unused))

    def report(self, loaded: LoadedBibliography, caches: Caches) -> Report | None:
        """The report again, with this build's bibliography; ``None`` if an unused entry is gone."""
        bib = loaded.bib
        if any(k not in bib.entries for k in self.unused):
            return None  # cannot happen while the .bib texts are unchanged; checked, never assumed
        return Report(list(self.diagnostics), dict(self.pages), bib, {k: list(v) for k, v in self.cited_on.items()},
                      self.reviewers, [bib.entries[k] for k in self.unused], caches)


def checked_site(settings: Settings, caches: Caches | None = None, clinic: ClinicLoad | None = None) -> Report:
    """:func:`patientguide.checks.site.check_site`, or its whole result when nothing it reads has
    changed since it was kept."""
    caches = (caches or Caches(settings.cache_dir)).for_dir(settings.cache_dir)
    clinic = clinic or load_clinic(settings.config_file, settings.rel, root=settings.root)
    loaded = load_bibliography(settings, caches)
    key = inputs_digest(settings, clinic, loaded)
    kept = caches.site.get(key)
    report = kept.report(loaded, caches) if isinstance(kept, KeptReport) else None
    if report is None:
        from .checks.site import check_site  # the rules: imported only when something is checked
        report = check_site(settings, caches, clinic, loaded=loaded)
        caches.site.put(key, KeptReport.of(report))
    caches.site.flush()
    return report
