"""Which files the plugin adds to a site: its own stylesheets and scripts (the theme's look and
print layout, citations, keyboard fixes), the clinic's generated stylesheet, logo and favicon,
and the bibliography page when the site has none.
Plain data for the adapter: ``(uri, source path or generated text)``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .settings import Settings
from .template_data import bibliography_page_source
from .theme import template_dirs

if TYPE_CHECKING:
    from .clinic import Clinic

PACKAGE_ASSETS = Path(__file__).parent / "assets"
STYLESHEETS = ("assets/patientguide/theme.css", "assets/patientguide/patientguide.css")
SCRIPTS = ("assets/patientguide/keyboard.js", "assets/patientguide/patientguide.js")
CLINIC_STYLESHEET = "assets/patientguide/clinic.css"


class SiteFile(NamedTuple):  # not a frozen dataclass: see sitecache.KeptReport
    """A file the plugin adds to the site: copied from ``source`` or written from ``content``."""

    uri: str
    source: Path | None = None  # a file to copy ...
    content: str | None = None  # ... or text to write


def stylesheets(clinic: Clinic | None) -> tuple[str, ...]:
    return STYLESHEETS + ((CLINIC_STYLESHEET,) if clinic else ())


def favicon(clinic: Clinic | None) -> str | None:
    """The site's favicon: the clinic's favicon, else its logo."""
    return (clinic.favicon_uri or clinic.logo_uri) if clinic else None


def extend_theme(config: Any, clinic: Clinic | None) -> None:
    """Add our templates (:mod:`patientguide.theme`), the favicon, and the stylesheets and scripts
    the site does not list yet, to a site's config (as MkDocs has it: ``theme`` with ``dirs`` and
    ``custom_dir``, ``extra_css``, ``extra_javascript``)."""
    theme = config["theme"]
    theme.dirs[:] = template_dirs(theme.dirs, theme.custom_dir)
    if favicon(clinic):
        theme["favicon"] = favicon(clinic)
    for key, wanted in (("extra_css", stylesheets(clinic)), ("extra_javascript", SCRIPTS)):
        have = {str(u) for u in config[key]}
        config[key].extend(u for u in wanted if u not in have)


def footer_links(settings: Settings, url_of: Callable[[str], str | None]) -> list[dict[str, str]]:
    """The footer's links (label → page) whose pages exist, with their URLs."""
    return [{"label": label, "url": url} for label, src in settings.footer_links.items()
            if (url := url_of(src)) is not None]


def site_files(clinic: Clinic | None, settings: Settings, existing: Callable[[str], object]) -> list[SiteFile]:
    """The files to add, leaving out any the site already has (``existing(uri)`` is truthy)."""
    files = [SiteFile(uri, PACKAGE_ASSETS / Path(uri).name) for uri in STYLESHEETS + SCRIPTS]
    if clinic is not None:
        files.append(SiteFile(CLINIC_STYLESHEET, content=clinic.stylesheet()))
        for uri, path in ((clinic.logo_uri, clinic.logo), (clinic.favicon_uri, clinic.favicon)):
            if uri and path:
                files.append(SiteFile(uri, path))
    files.append(SiteFile(settings.bibliography_page, content=bibliography_page_source(settings.bibliography_title)))
    return [f for f in files if not existing(f.uri)]
