"""A whole site, loaded for an engine that converts page by page and runs no plugin (Zensical,
through :mod:`patientguide.markdown_ext`): its settings, the check's report (references,
reviewers, every page's front matter and citations), the clinic profile, the page order of its
navigation and the footer links. What the MkDocs plugin learns from MkDocs events, this reads from
``mkdocs.yml`` itself, with the same core functions.

A Markdown extension is made anew for every page, so the loaded site is kept for the process in
one :class:`SiteCache`, and loaded again when an input file changes (looked at no more than
once a second) or "today" does.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

from .caches import Caches
from .checks.site import Report, check_site
from .clinic import Clinic, load_clinic
from .head import PageFacts
from .options import SiteConfig, load_site_config
from .render import page_url
from .settings import ConfigError, Settings, today_from_env


@dataclass(frozen=True)
class LoadedSite:
    config: SiteConfig
    report: Report
    clinic: Clinic | None
    page_order: list[str] | None  # the navigation's pages, in order (None: no nav in the config)

    @property
    def settings(self) -> Settings:
        return self.config.settings

    def facts(self, src_uri: str, fallback_title: str) -> PageFacts:
        """What the page's ``<head>`` needs, as MkDocs' page object would give it."""
        data, rep = self.config.data, self.report.pages.get(src_uri)
        site_url = data.get("site_url") or None
        url = urljoin(site_url.rstrip("/") + "/", page_url(src_uri, self.settings.use_directory_urls)) \
            if site_url else None
        theme = data.get("theme")
        language = theme.get("language") if isinstance(theme, dict) else None
        return PageFacts.of(rep.meta.values if rep else {}, rep.title if rep else fallback_title, url, site_url,
                            str(data.get("site_name") or ""), language)

    def failure(self) -> str | None:
        """Why no page may be converted (the check found errors), or ``None``."""
        return self.report.failure(strict=False, quiet=True)


def load_site(config_file: Path, checks: bool = True) -> LoadedSite:
    """Read ``mkdocs.yml`` and check the site, as ``patientguide check`` does (``checks=False``: only
    load it, when it was checked just before). Raises :class:`ConfigError`."""
    config = load_site_config(config_file, today=today_from_env())
    settings = config.settings
    clinic = load_clinic(settings.config_file, settings.rel, root=settings.root)
    report = check_site(settings, Caches(settings.cache_dir), clinic, checks=checks)
    return LoadedSite(config, report, clinic[0], nav_pages(config.data.get("nav")))


def nav_pages(nav: Any) -> list[str] | None:
    """The Markdown pages a MkDocs ``nav`` names, in order (links to other sites left out)."""
    if not isinstance(nav, list):
        return None
    return [p for p in _walk_nav(nav) if not p.startswith(("http://", "https://", "/"))]


def _walk_nav(items: list) -> Iterator[str]:
    for item in items:
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            for value in item.values():
                yield from (_walk_nav(value) if isinstance(value, list) else [value] if isinstance(value, str) else [])


class SiteCache:
    """The one loaded site of this process, loaded again when its inputs change."""

    RECHECK_SECONDS = 1.0

    def __init__(self, checks: bool = True) -> None:
        self.checks = checks
        self._lock = threading.Lock()  # a host may convert pages on several threads
        self._site: LoadedSite | None = None
        self._file: Path | None = None
        self._inputs: tuple = ()
        self._checked = 0.0

    def get(self, config_file: Path) -> LoadedSite:
        config_file = config_file.resolve()
        with self._lock:
            if self._site is None or self._file != config_file or self._stale():
                self._site, self._file = load_site(config_file, self.checks), config_file
                self._inputs = self._current_inputs()
            self._checked = time.monotonic()
            return self._site

    def _stale(self) -> bool:
        if time.monotonic() - self._checked < self.RECHECK_SECONDS:
            return False
        return self._current_inputs() != self._inputs

    def _current_inputs(self) -> tuple:
        return (today_from_env(), _fingerprint(self._site))


def _fingerprint(site: LoadedSite | None) -> tuple:
    """Every input file of the site, with its size and modification time."""
    if site is None:
        return ()
    s = site.settings
    roots = [c.path for c in site.config.chain] + [s.references_dir, s.blocks_dir, s.docs_dir]
    roots += [s.reviewers_file] if s.reviewers_file else []
    return tuple(_stats(Path(r)) for r in roots)


def _stats(path: Path) -> tuple:
    try:
        if not path.is_dir():
            st = path.stat()
            return ((str(path), st.st_mtime_ns, st.st_size),)
        out = []
        for dirpath, _, files in os.walk(path):
            for name in files:
                st = os.stat(os.path.join(dirpath, name))
                out.append((dirpath, name, st.st_mtime_ns, st.st_size))
        return tuple(sorted(out))
    except OSError:
        return ((str(path), None),)


__all__ = ["ConfigError", "LoadedSite", "SiteCache", "load_site", "nav_pages"]
