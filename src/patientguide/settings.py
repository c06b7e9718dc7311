"""The core's configuration, resolved: what every check and renderer reads. Adapters never build
it by hand — :func:`patientguide.options.resolve` makes it from the plugin's options."""

from __future__ import annotations

import datetime as dt
import functools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .codes import Severity
from .diagnostics import Diagnostic, SeverityPolicy


class ConfigError(Exception):
    """A configuration problem: the CLI exits with status 2, the plugin raises a config error.

    ``diagnostics`` holds each problem at its ``file:line:col`` when there are several."""

    def __init__(self, message: str, diagnostics: list[Diagnostic] | None = None) -> None:
        super().__init__(message)
        self.diagnostics = diagnostics or []


#: MkDocs' ``validation:`` settings and their defaults (MkDocs 1.6, ``config/defaults.py``).
VALIDATION_DEFAULTS: dict[str, str] = {
    "nav.omitted_files": "info", "nav.not_found": "warn", "nav.absolute_links": "info",
    "links.not_found": "warn", "links.absolute_links": "info", "links.unrecognized_links": "info",
    "links.anchors": "info",
}


@dataclass(frozen=True, eq=False)  # never compared (its repr keys the kept results): fewer generated methods
class SiteStructure:
    """What MkDocs checks about a site's pages and links, as ``mkdocs.yml`` sets it."""

    nav: Any = None  # None: MkDocs builds the navigation from every page
    validation: dict[str, str] = field(default_factory=lambda: dict(VALIDATION_DEFAULTS))
    markdown_extensions: tuple[Any, ...] = ()  # as written: names, or {name: options}
    exclude_docs: str | None = None  # gitignore-style patterns, as MkDocs reads them
    draft_docs: str | None = None
    not_in_nav: str | None = None


@dataclass(frozen=True, eq=False)  # never compared (its repr keys the kept results): fewer generated methods
class Settings:
    """Resolved options (see :data:`patientguide.options.OPTIONS` for what each one means)."""

    root: Path  # project root: diagnostics' paths are relative to it
    docs_dir: Path
    references_dir: Path
    config_file: Path | None
    use_directory_urls: bool
    bibliography_page: str  # relative to docs_dir; generated if missing
    bibliography_title: str
    references_heading: str
    severity: dict[str, Severity]
    today: dt.date
    strict: bool
    review_max_years: int
    require_review: bool
    reviewers_file: Path | None
    readability_warn: float
    readability_error: float
    exclude: tuple[str, ...]
    cache_dir: Path | None  # None: no cache
    max_sentence_words: int
    glossary_page: str
    allow_raw_html: dict[str, str]  # page → reason
    max_page_kb: int
    plain_words: dict[str, str]  # added to / overriding checks.style.PLAIN_WORDS
    about: str | None  # the condition the guide is about (structured data)
    qr_codes: bool  # print-only QR codes linking each page online
    footer_links: dict[str, str]  # label → page (src_uri)
    nginx_headers: Path | None  # where to write the nginx include of the security headers
    blocks_dir: Path  # reusable blocks that pages include
    site: SiteStructure  # what MkDocs itself checks in a strict build (checks/links.py checks the same)
    review_interval_years: int = 1  # patientguide sign-off: the next review date, in years

    def rel(self, p: Path) -> str:
        """A path relative to the project root, POSIX style (as diagnostics show it)."""
        try:
            return p.resolve().relative_to(self._resolved_root).as_posix()
        except ValueError:
            return p.as_posix()

    @functools.cached_property
    def _resolved_root(self) -> Path:  # once per Settings (made anew for each build)
        return self.root.resolve()

    def page_path(self, src_uri: str) -> str:
        """A page of the docs folder (``side-effects.md``) as diagnostics name it."""
        return self.rel(self.docs_dir / src_uri)

    def rel_unresolved(self, p: Path) -> str:
        """Like :meth:`rel`, without following symbolic links (to name the link itself)."""
        try:
            return p.relative_to(self.root).as_posix()
        except ValueError:
            return self.rel(p)

    @property
    def watched(self) -> list[Path]:
        """What ``mkdocs serve`` should watch besides the docs: references, reviewers and blocks."""
        return [p for p in (self.references_dir, self.reviewers_file, self.blocks_dir) if p is not None]

    @property
    def policy(self) -> SeverityPolicy:
        return SeverityPolicy(dict(self.severity))


def today_from_env(explicit: str | None = None) -> dt.date:
    """``--today`` wins, then ``SOURCE_DATE_EPOCH`` (reproducible builds), then the clock."""
    if explicit:
        try:
            return dt.date.fromisoformat(explicit)
        except ValueError as e:
            raise ConfigError(f"--today must be a date like 2026-03-03, got '{explicit}'") from e
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
        except (ValueError, OverflowError) as e:
            raise ConfigError(f"SOURCE_DATE_EPOCH must be a Unix time in seconds, got '{epoch}'") from e
    return dt.date.today()
