"""Structured data for search engines and link previews: schema.org ``MedicalWebPage`` as JSON-LD,
and Open Graph tags. Plain data in, text out; no MkDocs import."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .references import Reference

if TYPE_CHECKING:
    from .clinic import Clinic

#: schema.org audience for patient-facing pages (front matter ``audience``).
AUDIENCES = {
    "patient": "https://schema.org/Patient",
    "carer": "https://schema.org/Patient",
    "general": "https://schema.org/Patient",
    "professional": "https://schema.org/Clinician",
}


def _citation(ref: Reference) -> dict[str, Any]:
    kind = "ScholarlyArticle" if ref.type == "article" else "CreativeWork"
    item: dict[str, Any] = {"@type": kind, "name": ref.get("title").strip("{} ")}
    if ref.doi:
        item["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": ref.doi}
        item["url"] = "https://doi.org/" + ref.doi
    elif ref.pmid:
        item["identifier"] = {"@type": "PropertyValue", "propertyID": "PMID", "value": ref.pmid}
        item["url"] = f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/"
    elif ref.get("url"):
        item["url"] = ref.get("url")
    if ref.year:
        item["datePublished"] = ref.year
    return item


def medical_webpage(*, title: str, description: str | None, url: str | None, about: str | None,
                    audience: str | None, last_reviewed: str | None, reviewer: dict | None,
                    clinic: Clinic | None, language: str, references: Iterable[Reference],
                    site_url: str | None = None) -> dict[str, Any]:
    """A schema.org ``MedicalWebPage`` for one page."""
    data: dict[str, Any] = {"@context": "https://schema.org", "@type": "MedicalWebPage", "name": title}
    if description:
        data["description"] = description
    if url:
        data["url"] = url
    if about:
        data["about"] = {"@type": "MedicalCondition", "name": about}
    data["audience"] = AUDIENCES.get(audience or "patient", AUDIENCES["patient"])
    if last_reviewed:
        data["lastReviewed"] = last_reviewed
    if reviewer and reviewer.get("name"):
        person: dict[str, Any] = {"@type": "Person", "name": reviewer["name"]}
        if reviewer.get("role"):
            person["jobTitle"] = reviewer["role"]
        if reviewer.get("credentials"):
            person["hasCredential"] = reviewer["credentials"]
        data["reviewedBy"] = person
    if clinic is not None:
        org: dict[str, Any] = {"@type": "MedicalOrganization", "name": clinic.publisher}
        if clinic.phone:
            org["telephone"] = clinic.phone
        if clinic.email:
            org["email"] = clinic.email
        if clinic.address:
            org["address"] = ", ".join(clinic.address)
        if site_url:
            org["url"] = site_url
            if clinic.logo_uri:
                org["logo"] = site_url.rstrip("/") + "/" + clinic.logo_uri
        data["publisher"] = org
    data["inLanguage"] = language
    cites = [_citation(r) for r in references]
    if cites:
        data["citation"] = cites
    return data


def json_ld(data: dict[str, Any]) -> str:
    """JSON for a ``<script type="application/ld+json">`` element: ``<``, ``>`` and ``&`` are
    escaped so no text in it can close the element, and it is ASCII (``\\u`` escapes: :mod:`charrefs`)."""
    text = json.dumps(data, ensure_ascii=True, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def open_graph(*, title: str, description: str | None, url: str | None, site_name: str, locale: str | None,
               image: str | None = None) -> list[tuple[str, str]]:
    """``(property, content)`` pairs for Open Graph ``<meta>`` tags (values not yet escaped)."""
    tags = [("og:type", "article"), ("og:title", title), ("og:site_name", site_name)]
    if description:
        tags.append(("og:description", description))
    if url:
        tags.append(("og:url", url))
    if locale:
        tags.append(("og:locale", locale.replace("-", "_")))
    if image:
        tags.append(("og:image", image))
    return tags
