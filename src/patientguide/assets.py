"""Which files the plugin adds to a site: its own CSS and script, the clinic's generated
stylesheet, logo and favicon, and the bibliography page when the site has none.
Plain data for the adapter: ``(uri, source path or generated text)``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .clinic import Clinic
from .presentation import bibliography_page_source
from .settings import Settings

PACKAGE_ASSETS = Path(__file__).parent / "assets"
STYLESHEETS = ("assets/patientguide/patientguide.css",)
SCRIPTS = ("assets/patientguide/patientguide.js",)
CLINIC_STYLESHEET = "assets/patientguide/clinic.css"


@dataclass(frozen=True)
class SiteFile:
    uri: str
    source: Path | None = None  # a file to copy ...
    content: str | None = None  # ... or text to write


def stylesheets(clinic: Clinic | None) -> tuple[str, ...]:
    return STYLESHEETS + ((CLINIC_STYLESHEET,) if clinic else ())


def favicon(clinic: Clinic | None) -> str | None:
    """The site's favicon: the clinic's favicon, else its logo."""
    return (clinic.favicon_uri or clinic.logo_uri) if clinic else None


def site_files(clinic: Clinic | None, settings: Settings, has_bibliography_page: bool) -> list[SiteFile]:
    files = [SiteFile(uri, PACKAGE_ASSETS / Path(uri).name) for uri in STYLESHEETS + SCRIPTS]
    if clinic is not None:
        files.append(SiteFile(CLINIC_STYLESHEET, content=clinic.stylesheet()))
        for uri, path in ((clinic.logo_uri, clinic.logo), (clinic.favicon_uri, clinic.favicon)):
            if uri and path:
                files.append(SiteFile(uri, path))
    if not has_bibliography_page:
        files.append(SiteFile(settings.bibliography_page, content=bibliography_page_source(settings.bibliography_title)))
    return files
