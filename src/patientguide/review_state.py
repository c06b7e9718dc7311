"""Is a reviewed page still the page its clinician signed off? Its recorded
``review_fingerprint`` (written by ``patientguide sign-off``) against the fingerprint of the page
as it is now (:mod:`patientguide.fingerprint`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import fingerprint
from .frontmatter import PageMeta
from .includes import Blocks
from .references import Bibliography

FIELD = "review_fingerprint"


@dataclass(frozen=True)
class ReviewState:
    """``problem`` is ``None`` when the page is as reviewed; else ``"changed"``, ``"missing"``
    (no fingerprint) or ``"malformed"`` (not ``sha256:`` and 64 hex digits)."""

    current: str
    recorded: str | None
    problem: str | None

    @property
    def stale(self) -> bool:
        return self.problem is not None


def review_state(text: str, path: str, meta: PageMeta, blocks: Blocks | None, bib: Bibliography) -> ReviewState | None:
    """The state of a page marked ``status: reviewed``; ``None`` for any other page."""
    if meta.get("status") != "reviewed":
        return None
    current = fingerprint.page_fingerprint(text, path, meta.values, blocks, bib)
    recorded = meta.get(FIELD)
    if not isinstance(recorded, str) or not recorded.strip():
        return ReviewState(current, None, "missing")
    recorded = recorded.strip()
    if not fingerprint.PATTERN.match(recorded):
        return ReviewState(current, recorded, "malformed")
    return ReviewState(current, recorded, None if recorded == current else "changed")


def reviewer_name(reviewer_id: Any, reviewers: dict[str, dict[str, Any]] | None) -> str:
    """How a message names the reviewer: their name from the reviewers file, else the id."""
    person = (reviewers or {}).get(str(reviewer_id)) if reviewer_id else None
    name = person.get("name") if isinstance(person, dict) else None
    return str(name or reviewer_id or "the reviewer")
