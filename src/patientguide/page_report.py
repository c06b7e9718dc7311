"""What the checks learned about one page (:class:`PageReport`) and what checking it gave
(:class:`PageOutcome`, which ``Caches.memo`` keeps). Imported when a page is checked or its kept report
is read (:class:`patientguide.site_report.KeptPages`): a build whose pages are all unchanged needs
neither."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .checks.context import PageContext
    from .citations import ParsedPage
    from .diagnostics import Diagnostic
    from .frontmatter import PageMeta
    from .readability import Scores


@dataclass
class PageReport:
    """What the checks learned about one page: its title, typed front matter and citations."""

    src_uri: str  # relative to docs_dir, POSIX
    path: str  # relative to the project root, as diagnostics show it
    title: str
    meta: PageMeta
    parsed: ParsedPage
    body_key: tuple[int, str] = (0, "")  # recognises the same body when MkDocs hands it back
    scores: Scores | None = None  # readability, when the page was scored
    blocks: tuple[str, ...] = ()  # the blocks it includes
    citation_sites: tuple[tuple[str, str, int, int], ...] = ()  # (key, path, line, col) as written
    review_stale: bool = False  # marked reviewed, but changed since the sign-off (review_state.py)
    key: str = ""  # everything the page's results depend on, as one digest ("" when not kept)

    def parsed_for_body(self, body: str) -> ParsedPage | None:
        """The check's parse, re-based onto ``body`` if it is this page's body; else ``None``."""
        return self.parsed.for_body(self.body_key, body)

    @property
    def citations(self) -> tuple:
        return self.parsed.citations


@dataclass
class PageOutcome:
    """What checking one page gave: its report (``None`` if it could not be read), its
    diagnostics, and its context, or how to make it (:class:`PageContexts`)."""

    report: PageReport | None
    diagnostics: tuple[Diagnostic, ...]
    cache_key: str | None = None  # its entry in the page cache
    plain: bool = False  # no blocks and no placeholders: every position is where it was written
    context: PageContext | None = field(default=None, compare=False)
    make_context: Callable[[], PageContext] | None = field(default=None, compare=False)

    def kept(self) -> PageOutcome:
        """What ``Caches.memo`` keeps, by the page's text and all it depends on: no page text."""
        return PageOutcome(self.report, self.diagnostics, self.cache_key, self.plain)
