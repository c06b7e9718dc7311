"""The readability gate: a patient page's SMOG grade against ``readability_warn`` (8) and
``readability_error`` (10), unless the page says why it is exempt."""

from __future__ import annotations

from .. import diagnostics as dx
from ..diagnostics import Diagnostic
from .context import PageContext

_HINT = "use shorter sentences and words of fewer syllables"


def check_reading_grade(page: PageContext) -> list[Diagnostic]:
    settings = page.settings
    if not page.is_patient_page or page.src_uri == settings.bibliography_page:
        return []
    s = page.scores
    if page.meta.get("readability_exempt") or s.sentences < 5:
        return []
    line = page.meta.pos("title")[0] if page.meta.has_front_matter else 1
    if s.smog > settings.readability_error:
        return [dx.make(page.path, line, 1, "readability.grade-too-high",
                        f"reading grade (SMOG) {s.smog} is above the limit of {settings.readability_error:g}",
                        _HINT + ", or set 'readability_exempt: <reason>'")]
    if s.smog > settings.readability_warn:
        return [dx.make(page.path, line, 1, "readability.grade-high",
                        f"reading grade (SMOG) {s.smog} is above the target of {settings.readability_warn:g}", _HINT)]
    return []
