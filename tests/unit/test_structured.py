"""schema.org MedicalWebPage JSON-LD and Open Graph tags."""

from __future__ import annotations

import json

from patientguide.references import Reference
from patientguide.structured import json_ld, medical_webpage, open_graph


def ref(key: str, **fields: str) -> Reference:
    return Reference(key=key, type=fields.pop("type", "article"), fields=fields, author_raw="", editor_raw="",
                     path="refs.bib", line=1)


def test_medical_webpage_fields() -> None:
    data = medical_webpage(
        title="Side effects", description="What can go wrong.", url="https://x.example/side-effects/",
        about="Hyperhidrosis", audience="patient", last_reviewed="2026-03-01",
        reviewer={"name": "Dr Jane Smith", "role": "Consultant dermatologist", "credentials": "MRCP"},
        clinic=None, language="en-GB",
        references=[ref("a", title="Safe control", doi="10.1046/j.1365-4362.2002.01473.x", year="2002"),
                    ref("b", type="misc", title="Leaflet", url="https://leaflet.example/")])
    assert data["@type"] == "MedicalWebPage" and data["@context"] == "https://schema.org"
    assert data["about"] == {"@type": "MedicalCondition", "name": "Hyperhidrosis"}
    assert data["audience"] == "https://schema.org/Patient"
    assert data["lastReviewed"] == "2026-03-01"
    assert data["reviewedBy"]["name"] == "Dr Jane Smith"
    assert data["inLanguage"] == "en-GB"
    first, second = data["citation"]
    assert first["identifier"]["value"] == "10.1046/j.1365-4362.2002.01473.x"
    assert first["url"] == "https://doi.org/10.1046/j.1365-4362.2002.01473.x"
    assert second == {"@type": "CreativeWork", "name": "Leaflet", "url": "https://leaflet.example/"}


def test_draft_page_has_no_review_claims() -> None:
    data = medical_webpage(title="T", description=None, url=None, about=None, audience=None, last_reviewed=None,
                           reviewer=None, clinic=None, language="en", references=[])
    assert "lastReviewed" not in data and "reviewedBy" not in data and "citation" not in data


def test_json_ld_cannot_close_its_script_element() -> None:
    text = json_ld({"name": "</script><script>alert(1)</script> & more"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"] == "</script><script>alert(1)</script> & more"


def test_open_graph() -> None:
    tags = dict(open_graph(title="T", description="D", url="https://x.example/t/", site_name="Clinic",
                           locale="en-GB"))
    assert tags == {"og:type": "article", "og:title": "T", "og:site_name": "Clinic", "og:description": "D",
                    "og:url": "https://x.example/t/", "og:locale": "en_GB"}
