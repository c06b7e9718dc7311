"""What checking a site found: the :class:`Report` the CLI prints and the MkDocs plugin renders
from, with a :class:`PageReport` for each page. Results only (no page text), so a large site's
report stays small; made by :func:`patientguide.checks.site.check_site`, or kept whole by
:mod:`patientguide.sitecache` (which is why it lives outside the ``checks`` package: reading a
kept report back never imports the rules)."""

from __future__ import annotations

import pickle
from collections.abc import Iterator, MutableMapping
from typing import TYPE_CHECKING, Any

from .caches import Caches
from .diagnostics import Diagnostic, Severity
from .references import Bibliography, CitedOn, Reference

if TYPE_CHECKING:  # a page's report: imported when one is read (KeptPages) or made, not for a kept result
    from .page_report import PageReport


class KeptPages(MutableMapping[str, "PageReport"]):
    """Page reports from a kept whole result (:mod:`patientguide.sitecache`), each held pickled (as
    the memo keeps its page's outcome) until first asked for: a build whose renders are kept reads
    none (each page's key, ``keys``, is all its render needs: :meth:`Report.page_key`), and with
    :meth:`Report.page_converted` a big site's one-off build holds one page's report at a time."""

    def __init__(self, pages: dict[str, PageReport | bytes], keys: dict[str, str]) -> None:
        self._pages, self._keys = pages, keys

    def key(self, src_uri: str) -> str | None:
        """The page's key (:attr:`PageReport.key`), without reading its report; ``None``: no such page."""
        page = self._pages.get(src_uri)
        return page if page is None else self._keys[src_uri] if isinstance(page, bytes) else page.key

    @staticmethod
    def read(data: bytes) -> PageReport | None:
        """The report in a pickled page outcome, or ``None`` if it is not one."""
        from .page_report import PageOutcome
        try:
            outcome = pickle.loads(data)
        except Exception:  # damaged, or from another version
            return None
        return outcome.report if isinstance(outcome, PageOutcome) else None

    def __getitem__(self, src_uri: str) -> PageReport:
        page = self._pages[src_uri]
        if isinstance(page, bytes):
            found = self.read(page)
            if found is None:  # cannot be: its bytes are as written (pagecache checks each entry's CRC-32)
                raise RuntimeError(f"patientguide: the kept report of {src_uri} no longer reads back")
            page = self._pages[src_uri] = found
        return page

    def __setitem__(self, src_uri: str, page: PageReport) -> None:
        self._pages[src_uri] = page

    def __delitem__(self, src_uri: str) -> None:
        del self._pages[src_uri]

    def __contains__(self, src_uri: object) -> bool:  # without reading the report (Mapping's reads it)
        return src_uri in self._pages

    def __iter__(self) -> Iterator[str]:
        return iter(self._pages)

    def __len__(self) -> int:
        return len(self._pages)


class Report:  # not a dataclass: see Caches
    """What checking a site found: its diagnostics, each page's report, the bibliography, who cites what."""

    def __init__(self, diagnostics: list[Diagnostic], pages: MutableMapping[str, PageReport],
                 bibliography: Bibliography, cited_on: CitedOn,
                 reviewers: dict[str, dict[str, Any]], unused: list[Reference], caches: Caches,
                 state: str = "") -> None:
        self.diagnostics = diagnostics
        self.pages = pages
        self.bibliography = bibliography
        self.cited_on = cited_on
        self.reviewers = reviewers
        self.unused = unused  # neither cited nor the crossref parent of a cited entry
        self.caches = caches  # kept across mkdocs serve rebuilds; the renderer's
        self.state = state  # what every page's results depend on besides its text, as one digest ("" when not kept)

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.severity is Severity.WARNING]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def summary(self) -> str:
        return (f"{_count(len(self.errors), 'error')}, {_count(len(self.warnings), 'warning')} in "
                f"{_count(len(self.pages), 'page')} and {_count(len(self.bibliography.entries), 'reference')}")

    def failure(self, strict: bool, quiet: bool = False) -> str | None:
        """Why the build stops, or ``None``; ``quiet`` repeats the problems (logging shows none)."""
        if not self.failed(strict):
            return None
        why = " (warnings count as errors with --strict)" if strict and self.warnings else ""
        shown = "\n" + "\n".join(map(str, self.errors + (self.warnings if strict else []))) if quiet else ""
        return f"patientguide: {self.summary()}{why}; site not built{shown}"

    def page_key(self, src_uri: str) -> str | None:
        """The page's check key (:attr:`PageReport.key`; ``None``: the checks did not read it), a kept
        result's without reading the page's report (:class:`KeptPages`)."""
        if isinstance(self.pages, KeptPages):
            return self.pages.key(src_uri)
        rep = self.pages.get(src_uri)
        return None if rep is None else rep.key

    def page_converted(self, src_uri: str) -> None:
        """A page is converted: in the last build (:meth:`Caches.forget_checks`) its report goes, as
        writing the pages reads no page's report (a big site's would wait in memory until the last
        page is converted)."""
        if self.caches.last_build and src_uri in self.pages:
            del self.pages[src_uri]  # not pop(), which would read a kept report (KeptPages) to give it back

    def converted(self) -> None:
        """Every page is converted and none is written: keep the output caches; in the last build
        (:meth:`Caches.forget_checks`) forget what writing the pages does not read (the page reports,
        the references no page lists, the output caches' own copies)."""
        self.caches.flush_output()
        if self.caches.last_build:
            self.caches.forget_output()
            self.pages, self.bibliography, self.cited_on = {}, Bibliography(), {}

    def unused_json(self) -> list[dict]:
        return [{"key": r.key, "path": r.path, "line": r.line} for r in self.unused]

    def pages_json(self) -> list[dict]:
        return [{"path": p.path, "blocks": list(p.blocks),
                 "citations": [{"key": key, "line": line, "col": col, **({"path": path} if path != p.path else {})}
                               for key, path, line, col in p.citation_sites]}
                for p in sorted(self.pages.values(), key=lambda p: p.path)]


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'s' if n != 1 else ''}"
