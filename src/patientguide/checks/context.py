"""What a check reads: one page parsed once (:class:`PageContext`), or the whole site
(:class:`SiteContext`). Checks return diagnostics; they never change a context."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, Protocol

from ..citations import ParsedPage
from ..diagnostics import Diagnostic
from ..frontmatter import PageMeta
from ..prose import Prose, read_prose
from ..references import Bibliography, CitedOn
from ..settings import Settings
from ..source import SourceFile

if TYPE_CHECKING:
    from collections.abc import Mapping

    from ..caches import Caches
    from ..clinic import Clinic
    from ..includes import Expanded
    from ..pagecache import KeptResults
    from ..readability import Scores
    from ..review_state import ReviewState
    from .site import PageReport


@dataclass(eq=False)
class PageContext:
    """One page, as every page check sees it.

    ``masked_blocks`` is ``text`` with front matter and code blocks blanked; ``masked`` also
    blanks inline code, comments, tags, link targets and URLs (both keep every offset).
    """

    src_uri: str  # relative to docs_dir, POSIX
    path: str  # relative to the project root, as diagnostics show it
    text: str
    source: SourceFile
    meta: PageMeta
    parsed: ParsedPage
    masked_blocks: str
    masked: str
    settings: Settings
    bib: Bibliography
    caches: Caches
    is_content_page: bool = True
    reviewers: dict[str, dict[str, Any]] | None = None  # the reviewers file, when the site has one
    expanded: Expanded | None = None  # where each character of ``text`` was written (blocks)

    @cached_property
    def prose(self) -> Prose:
        """The page's prose blocks and sentences (shared by the style and evidence checks)."""
        return read_prose(self.text, self.masked, self.parsed)

    @cached_property
    def scores(self) -> Scores:
        """Readability scores (cached by page text across builds)."""
        return self.caches.readability.get(self.text, self.parsed, self.masked_blocks)

    @cached_property
    def review(self) -> ReviewState | None:
        """Whether a reviewed page is still as its clinician signed it off (``None``: not reviewed)."""
        from ..includes import Blocks
        from ..review_state import review_state
        raw = self.expanded.sources[self.path].text if self.expanded is not None else self.text
        blocks = Blocks(self.settings.root, self.settings.blocks_dir, self.settings.rel)
        return review_state(raw, self.path, self.meta, blocks, self.bib)

    @property
    def is_patient_page(self) -> bool:
        return self.meta.get("audience", "patient") == "patient"


class PageCheck(Protocol):
    def __call__(self, page: PageContext) -> list[Diagnostic]: ...


@dataclass(eq=False)
class SiteContext:
    """The whole site once every page is checked: what site checks read. ``texts`` holds each
    page's context (its text as patients read it) until the site checks are done."""

    settings: Settings
    bib: Bibliography
    pages: dict[str, PageReport]
    texts: Mapping[str, PageContext] = field(default_factory=dict)  # made when a check first asks for one
    cited_on: CitedOn = field(default_factory=dict)
    clinic: Clinic | None = None
    memo: KeptResults | None = None  # what site checks found in each page, kept by the page's key


class SiteCheck(Protocol):
    def __call__(self, site: SiteContext) -> list[Diagnostic]: ...
