"""What kind of source each reference is, and who a study was done in: the BibTeX fields
``evidence`` and ``population``, their allowed values, and the plain labels patients see.

```bibtex
@article{dagash2017tap, …, evidence = {study}, population = {children}}
```

``evidence`` is one of :data:`KINDS`; ``population`` is ``children`` (a study done only in
children) or absent. Values are read case-insensitively. An unknown value is a problem of the
entry (``bib.unknown-evidence``: an error when a page cites it, with a "did you mean"); a cited
entry without ``evidence`` is a warning (``bib.missing-evidence``, see
:func:`patientguide.checks.sources.check_evidence_kinds`).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from . import diagnostics as dx
from . import lazyre
from .diagnostics import Diagnostic

#: evidence value → the label patients see after the reference.
KINDS: dict[str, str] = {
    "systematic-review": "Review of studies",
    "guideline": "Guideline",
    "trial": "Randomised trial",
    "study": "Study",
    "expert-review": "Expert review",
    "leaflet": "Patient leaflet",
    "maker": "Maker's information",
    "regulator": "Regulator's record",
}
#: What each kind is, for editors (README, hints).
MEANINGS: dict[str, str] = {
    "systematic-review": "a systematic review or meta-analysis of studies",
    "guideline": "a clinical guideline or consensus recommendations",
    "trial": "a randomised controlled trial",
    "study": "any other study: cohort, case series, audit, survey",
    "expert-review": "a narrative review, textbook chapter or expert summary",
    "leaflet": "a patient leaflet from a health service, hospital or patient society",
    "maker": "a maker's information, manual or product leaflet",
    "regulator": "a regulator's record (a clearance, an approval)",
}
#: population value → the words after the label.
POPULATIONS: dict[str, str] = {"children": "children"}
#: Kinds that cannot carry a claim of how well a treatment works or how safe it is on their own.
WEAK: frozenset[str] = frozenset({"maker", "leaflet"})
_RESEARCH = frozenset({"systematic-review", "trial", "study"})

#: Words editors reach for, and the value they mean (hints only: never accepted as values).
_ALIASES: dict[str, str] = {
    "rct": "trial", "randomised-trial": "trial", "randomized-trial": "trial", "meta-analysis": "systematic-review",
    "review": "expert-review or systematic-review", "cohort": "study", "case-series": "study", "audit": "study",
    "observational": "study", "manufacturer": "maker", "device": "maker", "patient-leaflet": "leaflet",
    "nhs": "leaflet", "fda": "regulator", "consensus": "guideline", "child": "children", "paediatric": "children",
    "pediatric": "children",
}
_NHS_HOSTS = ("nhs.uk", "nhs.scot", "nhs.wales")
_NHS_WORD = lazyre.compile(r"\bNHS\b")


def normalise(value: str) -> str:
    return " ".join(value.split()).lower()


def kind_of(fields: dict[str, str]) -> str | None:
    """The entry's evidence kind, if it has a valid one."""
    value = normalise(fields.get("evidence", ""))
    return value if value in KINDS else None


def is_nhs(fields: dict[str, str], author_raw: str = "") -> bool:
    """Published by the NHS: its address is on an NHS domain, or the author or organisation
    names the NHS (``South Tees Hospitals NHS Foundation Trust``)."""
    host = (urlsplit(fields.get("url", "")).hostname or "").lower()
    if any(host == h or host.endswith("." + h) for h in _NHS_HOSTS):
        return True
    return any(_NHS_WORD.search(text) for text in (author_raw, fields.get("organization", "")))


def label(fields: dict[str, str], author_raw: str = "") -> str | None:
    """The plain label patients see ("Randomised trial", "NHS leaflet", "Study in children"), or
    ``None`` when the entry does not say what kind of source it is."""
    kind = kind_of(fields)
    if kind is None:
        return None
    text = "NHS leaflet" if kind == "leaflet" and is_nhs(fields, author_raw) else KINDS[kind]
    population = POPULATIONS.get(normalise(fields.get("population", "")))
    if population:
        text += (" in " if kind in _RESEARCH else " for ") + population
    return text


def field_problems(key: str, fields: dict[str, str], place: Callable[[str], tuple[int, int]],
                   make: Callable[[int, int, str, str, str | None], Diagnostic]) -> list[Diagnostic]:
    """Unknown ``evidence`` or ``population`` values of one entry, each at its field's line:col."""
    out = []
    for name, allowed in (("evidence", KINDS), ("population", POPULATIONS)):
        raw = fields.get(name)
        if raw is None or normalise(raw) in allowed:
            continue
        shown = " ".join(raw.split())
        what = f"one of {', '.join(allowed)}" if len(allowed) > 1 else f"'{next(iter(allowed))}' or absent"
        message = (f"{name} of entry '{key}' is empty" if not shown else
                   f"unknown {name} '{shown}' of entry '{key}'") + f": it must be {what}"
        out.append(make(*place(name), "bib.unknown-evidence", message, _hint(shown, allowed)))
    return out


def _hint(value: str, allowed: dict[str, str]) -> str | None:
    alias = _ALIASES.get(normalise(value).replace(" ", "-"))
    if alias is not None:
        return "did you mean " + " or ".join(f"'{a}'" for a in alias.split(" or ")) + "?"
    return dx.did_you_mean(normalise(value), allowed)
