"""What goes into a page's ``<head>`` besides the theme's: Open Graph tags and the schema.org
JSON-LD, and the print-only QR code. Decisions only; the adapter hands in plain values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import structured
from .lazytext import Lazy
from .qr_codes import qr_svg
from .references import Reference
from .settings import Settings

if TYPE_CHECKING:
    from .clinic import Clinic


@dataclass(frozen=True)
class PageFacts:
    """What the head needs to know about one page."""

    title: str
    description: str | None
    audience: str | None
    url: str | None  # the page's canonical address, absolute when site_url is set
    site_url: str | None
    site_name: str
    theme_language: str | None

    @classmethod
    def of(cls, meta: dict[str, Any], title: str, url: str | None, site_url: str | None, site_name: str,
           theme_language: str | None) -> PageFacts:
        def text(key: str) -> str | None:
            value = meta.get(key)
            return value if isinstance(value, str) else None
        return cls(title, text("description"), text("audience"), url, site_url, site_name, theme_language)


def head_context(facts: PageFacts, ctx: dict[str, Any], references: list[Reference], clinic: Clinic | None,
                 settings: Settings) -> dict[str, Any]:
    """``jsonld``, ``og``, ``url`` and (for handouts) ``qr`` for the page's template context."""
    absolute = facts.url if facts.url and facts.url.startswith(("http://", "https://")) else None
    reviewed = not ctx.get("draft")
    language = clinic.locale if clinic else (facts.theme_language or "en")

    def jsonld() -> str:
        return structured.json_ld(structured.medical_webpage(
            title=facts.title, description=facts.description, url=absolute, about=settings.about,
            audience=facts.audience, last_reviewed=ctx.get("last_reviewed_iso") if reviewed else None,
            reviewer=ctx.get("reviewer") if reviewed else None, clinic=clinic, language=language,
            references=references, site_url=facts.site_url))

    out: dict[str, Any] = {"jsonld": Lazy(jsonld), "og": _open_graph(facts, absolute, clinic), "url": absolute}
    if absolute and settings.qr_codes:
        out["qr"] = qr_svg(absolute)
    return out


def _open_graph(facts: PageFacts, absolute: str | None, clinic: Clinic | None) -> str:
    image = None  # Open Graph readers do not show SVG
    if clinic and clinic.logo_uri and facts.site_url and not clinic.logo_uri.endswith(".svg"):
        image = facts.site_url.rstrip("/") + "/" + clinic.logo_uri
    tags = structured.open_graph(title=facts.title, description=facts.description, url=absolute,
                                 site_name=clinic.name if clinic else facts.site_name,
                                 locale=clinic.locale if clinic else None, image=image)
    from .charrefs import escaped_ascii
    return "\n".join(f'<meta property="{p}" content="{escaped_ascii(v)}">' for p, v in tags)
