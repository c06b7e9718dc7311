"""The fingerprint of what a clinician reviewed: ``sha256:<64 hex digits>`` over the page's
patient-facing text, the blocks it includes and the references it cites.

What counts (changing any of it changes the fingerprint):

- the front-matter fields patients read: ``title``, ``description`` and the ``summary`` points;
- the body with every block it includes expanded (``--8<--``), and clinic placeholders left as
  written (``{{ clinic.emergency_number }}``), so that one sign-off holds for every clinic brand;
- each cited reference: its key, entry type, authors, editors and every field the build keeps
  (title, journal, year, DOI, ``evidence`` …).

What does not count: whitespace (runs of spaces, tabs and line endings compare as one space, so
re-wrapping a paragraph or saving with Windows line endings changes nothing), and every other
front-matter field (status, dates, reviewer, the fingerprint itself …).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from typing import Any

from .citations import parse_citations
from .includes import Blocks, expand
from .references import Bibliography, Reference
from .source import split_front_matter
from .textdecode import normalise_newlines

PREFIX = "sha256:"
PATTERN = re.compile(r"^sha256:[0-9a-f]{64}$")
#: Bump when what the fingerprint covers changes (every sign-off then goes stale, visibly).
VERSION = 1
CONTENT_FIELDS = ("title", "description", "summary")


def normalise(text: str) -> str:
    """Whitespace-insensitive text: every run of whitespace becomes one space."""
    return " ".join(text.split())


def reviewed_text(text: str, path: str, blocks: Blocks | None) -> str:
    """The page's body as patients read it, blocks included, placeholders as written (line endings
    as the site reads them: an include line ending in CR is still an include)."""
    text = normalise_newlines(text)
    fm = split_front_matter(text)
    body_start = fm.body_start if fm and fm.closed else 0
    return expand(text, path, blocks, None).text[body_start:]


def page_fingerprint(text: str, path: str, meta: dict[str, Any], blocks: Blocks | None, bib: Bibliography) -> str:
    """The fingerprint of a page's source ``text`` (front matter included) as it stands now."""
    body = reviewed_text(text, path, blocks)
    keys = [c.key for c in parse_citations(body).citations]
    content = {
        "version": VERSION,
        "front_matter": {k: _value(meta.get(k)) for k in CONTENT_FIELDS},
        "body": normalise(body),
        "references": [_reference(key, bib.lookup(key)) for key in _unique(keys)],
    }
    data = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return PREFIX + hashlib.sha256(data.encode("utf-8", "surrogatepass")).hexdigest()


def _value(value: Any) -> Any:
    if isinstance(value, str):
        return normalise(value)
    if isinstance(value, list):
        return [_value(v) for v in value]
    return None if value is None else normalise(str(value))


def _unique(keys: Iterable[str]) -> list[str]:
    seen: dict[str, None] = {}
    for k in keys:
        seen.setdefault(k.lower(), None)
    return sorted(seen)


def _reference(key: str, ref: Reference | None) -> dict[str, Any]:
    if ref is None:
        return {"key": key, "missing": True}
    return {"key": ref.key.lower(), "type": ref.type, "author": normalise(ref.author_raw),
            "editor": normalise(ref.editor_raw), "fields": {k: normalise(v) for k, v in sorted(ref.fields.items())}}
