"""What kind of source a reference is: the values, the plain labels patients see, and the errors
for values patientguide does not know."""

from __future__ import annotations

import pytest

from patientguide.evidence_kinds import KINDS, label
from patientguide.references import load_references


@pytest.mark.parametrize("fields, author, expected", [
    ({"evidence": "systematic-review"}, "", "Review of studies"),
    ({"evidence": "guideline"}, "", "Guideline"),
    ({"evidence": "trial"}, "", "Randomised trial"),
    ({"evidence": "study"}, "", "Study"),
    ({"evidence": "Study", "population": "Children"}, "", "Study in children"),
    ({"evidence": "trial", "population": "children"}, "", "Randomised trial in children"),
    ({"evidence": "expert-review"}, "", "Expert review"),
    ({"evidence": "leaflet", "url": "https://www.skinhealthinfo.org.uk/x/"}, "{{British Association of Dermatologists}}",
     "Patient leaflet"),
    ({"evidence": "leaflet", "url": "https://www.hey.nhs.uk/patient-leaflet/iontophoresis/"}, "", "NHS leaflet"),
    ({"evidence": "leaflet", "url": "https://example.org/"}, "{{South Tees Hospitals NHS Foundation Trust}}",
     "NHS leaflet"),
    ({"evidence": "leaflet", "url": "https://www2.hse.ie/conditions/chest-pain"}, "{{Health Service Executive}}",
     "Patient leaflet"),
    ({"evidence": "leaflet", "url": "https://nhs.uk.example.com/"}, "", "Patient leaflet"),
    ({"evidence": "maker"}, "", "Maker's information"),
    ({"evidence": "regulator"}, "", "Regulator's record"),
    ({}, "", None),
    ({"evidence": "rct"}, "", None),
])
def test_labels(fields: dict, author: str, expected: str | None) -> None:
    assert label(fields, author) == expected


def test_every_kind_has_a_label() -> None:
    assert [label({"evidence": k}) for k in KINDS] == list(KINDS.values())


BIB = """\
@article{a2020,
  author = {A, B},
  title = {T},
  journal = {J},
  year = {2020},
  doi = {10.1000/x},
  evidence = {RCT},
  population = {kids}
}

@misc{b2021, title = {Leaflet}, url = {https://example.org/}, evidence = {leaflett}}
"""


def test_unknown_values_are_errors_at_the_field_with_a_hint() -> None:
    bib = load_references([("references/main.bib", BIB)])
    found = [str(d) for ds in bib.entry_problems.values() for d in ds]
    assert found == [
        "references/main.bib:7:3: error: unknown evidence 'RCT' of entry 'a2020': it must be one of systematic-review, "
        "guideline, trial, study, expert-review, leaflet, maker, regulator (did you mean 'trial'?) [bib.unknown-evidence]",
        "references/main.bib:8:3: error: unknown population 'kids' of entry 'a2020': it must be 'children' or absent "
        "[bib.unknown-evidence]",
        "references/main.bib:11:63: error: unknown evidence 'leaflett' of entry 'b2021': it must be one of "
        "systematic-review, guideline, trial, study, expert-review, leaflet, maker, regulator (did you mean "
        "'leaflet'?) [bib.unknown-evidence]",
    ]


def test_the_guide_s_references_all_have_a_known_kind() -> None:
    from conftest import ROOT
    files = [(p.name, p.read_text(encoding="utf-8")) for p in sorted((ROOT / "references").glob("*.bib"))]
    bib = load_references(files)
    assert len(bib.entries) > 50
    assert not [d for ds in bib.entry_problems.values() for d in ds if d.code == "bib.unknown-evidence"]
    assert all(label(r.fields, r.author_raw) for r in bib.entries.values()), \
        [r.key for r in bib.entries.values() if not label(r.fields, r.author_raw)]
