"""Diagnostics: the one way every check reports a problem.

A :class:`Diagnostic` is a compiler-style message with a position, a severity and a
stable code. The core never logs; it returns diagnostics and lets an adapter (the MkDocs
plugin or the CLI) decide how to show them.
"""

from __future__ import annotations

import difflib
import enum
import json
from dataclasses import asdict, dataclass, field
from typing import Iterable, Sequence


class Severity(str, enum.Enum):
    """How serious a diagnostic is. ``ignore`` drops it."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    IGNORE = "ignore"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1, "ignore": 0}[self.value]


@dataclass(frozen=True, slots=True)
class Code:
    """A registered diagnostic code."""

    name: str
    default: Severity
    summary: str
    integrity: bool = False  # integrity codes can never be lowered below error
    per_entry: bool = False  # a problem inside one reference entry: a warning while no page cites the entry


_CODES: dict[str, Code] = {}


def _code(name: str, default: Severity, summary: str, integrity: bool = False, per_entry: bool = False) -> str:
    _CODES[name] = Code(name, default, summary, integrity, per_entry)
    return name


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

# Citations
CITATION_UNKNOWN_KEY = _code("citation.unknown-key", E, "a citation names a key that no reference file defines", True)
CITATION_EMPTY_KEY = _code("citation.malformed", E, "an '@' that starts a citation has no valid key", True)
# References
BIB_PARSE_ERROR = _code("bib.parse-error", E, "a BibTeX block could not be parsed", True, per_entry=True)
BIB_DUPLICATE_KEY = _code("bib.duplicate-key", E, "two entries share a key (compared case-insensitively)", True, per_entry=True)
BIB_DUPLICATE_FIELD = _code("bib.duplicate-field", E, "an entry sets the same field twice", True, per_entry=True)
BIB_MISSING_FIELD = _code("bib.missing-field", E, "an entry lacks a field its type requires", True, per_entry=True)
BIB_MISSING_IDENTIFIER = _code("bib.missing-identifier", E, "an entry has none of doi, pmid or url", True, per_entry=True)
BIB_BAD_DOI = _code("bib.bad-doi", E, "a doi field is not a DOI", True, per_entry=True)
BIB_BAD_PMID = _code("bib.bad-pmid", E, "a pmid field is not a PubMed id", True, per_entry=True)
BIB_BAD_URL = _code("bib.bad-url", E, "a url field is not an http(s) address", True, per_entry=True)
BIB_NO_FILES = _code("bib.no-files", E, "the references folder holds no .bib file", True)
BIB_UNUSED_ENTRY = _code("bib.unused-entry", W, "an entry that no page cites")
# Front matter
FRONTMATTER_INVALID = _code("frontmatter.invalid", E, "front matter is not valid YAML or not a mapping")
FRONTMATTER_UNCLOSED = _code("frontmatter.unclosed", E, "front matter opened with '---' is never closed")
FRONTMATTER_BAD_TYPE = _code("frontmatter.bad-type", E, "a front-matter field has the wrong type")
FRONTMATTER_BAD_DATE = _code("frontmatter.bad-date", E, "a front-matter date is not a valid YYYY-MM-DD date")
FRONTMATTER_UNKNOWN_FIELD = _code("frontmatter.unknown-field", W, "a front-matter field that patientguide does not know")
FRONTMATTER_MISSING_FIELD = _code("frontmatter.missing-field", W, "a page lacks a recommended front-matter field")
# Files and site
PAGE_READ_ERROR = _code("page.unreadable", E, "a page could not be read as UTF-8 text", True)
CONFIG_ERROR = _code("config.invalid", E, "the configuration is invalid", True)


def codes() -> dict[str, Code]:
    """Every registered code, by name."""
    return dict(_CODES)


def register(name: str, default: Severity, summary: str, integrity: bool = False, per_entry: bool = False) -> str:
    """Register a code from another core module (used by later checks)."""
    return _code(name, default, summary, integrity, per_entry)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem at one place.

    ``path`` is POSIX and relative to the project root; ``line`` and ``col`` are 1-based
    (col counts characters, 0 means "the whole line/file").
    """

    path: str
    line: int
    col: int
    severity: Severity
    code: str
    message: str
    hint: str | None = None
    related: str | None = None

    def __str__(self) -> str:
        return format_one(self)

    @property
    def sort_key(self) -> tuple:
        return (self.path, self.line, self.col, self.code, self.message)

    def to_dict(self) -> dict:
        d = asdict(self)
        d["severity"] = self.severity.value
        return d


def make(path: str, line: int, col: int, code: str, message: str, hint: str | None = None,
         related: str | None = None) -> Diagnostic:
    """A diagnostic at the code's default severity."""
    return Diagnostic(path, line, col, _CODES[code].default, code, message, hint, related)


def format_one(d: Diagnostic) -> str:
    loc = f"{d.path}:{d.line}:{d.col}" if d.col else f"{d.path}:{d.line}" if d.line else d.path
    text = f"{loc}: {d.severity.value}: {d.message}"
    if d.hint:
        text += f" ({d.hint})"
    return f"{text} [{d.code}]"


def format_text(diags: Iterable[Diagnostic]) -> str:
    return "".join(format_one(d) + "\n" for d in diags)


def format_github(diags: Iterable[Diagnostic]) -> str:
    """GitHub Actions workflow commands, which show as annotations on pull requests."""
    out = []
    for d in diags:
        kind = {"error": "error", "warning": "warning"}.get(d.severity.value, "notice")
        msg = d.message + (f" ({d.hint})" if d.hint else "")
        msg = msg.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        props = f"file={d.path}" + (f",line={d.line}" if d.line else "")
        if d.col:
            props += f",col={d.col}"
        props += f",title={d.code}"
        out.append(f"::{kind} {props}::{msg}\n")
    return "".join(out)


def format_json(diags: Sequence[Diagnostic], pages: list[dict] | None = None, extra: dict | None = None) -> str:
    report: dict = {"diagnostics": [d.to_dict() for d in diags], "pages": pages or []}
    if extra:
        report.update(extra)
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def suggest(word: str, known: Iterable[str]) -> str | None:
    """Did-you-mean: an exact case-insensitive match first, then the closest spelling."""
    known = list(known)
    lower = {k.lower(): k for k in known}
    if word.lower() in lower and lower[word.lower()] != word:
        return lower[word.lower()]
    matches = difflib.get_close_matches(word.lower(), list(lower), n=1, cutoff=0.75)
    return lower[matches[0]] if matches else None


def did_you_mean(word: str, known: Iterable[str]) -> str | None:
    s = suggest(word, known)
    return f"did you mean '{s}'?" if s else None


@dataclass
class SeverityPolicy:
    """Per-code severity overrides; an integrity error is never lowered.

    A ``per_entry`` integrity code is reported as a warning for a reference entry that no page
    cites; there, and only there, an override may lower it (``ignore`` hides those warnings) or
    raise it back to an error. Where it is an error, it stays one."""

    overrides: dict[str, Severity] = field(default_factory=dict)

    def apply(self, diags: Iterable[Diagnostic]) -> list[Diagnostic]:
        out = []
        for d in diags:
            sev = self.overrides.get(d.code)
            if sev is not None and sev != d.severity:
                code = _CODES.get(d.code)
                if code is not None and code.integrity and d.severity is Severity.ERROR:
                    sev = Severity.ERROR
                d = Diagnostic(d.path, d.line, d.col, sev, d.code, d.message, d.hint, d.related)
            if d.severity is not Severity.IGNORE:
                out.append(d)
        return out

    @staticmethod
    def validate(raw: dict) -> tuple[dict[str, Severity], list[str]]:
        """Turn ``{code: 'warn'}`` into severities; return problems as messages."""
        aliases = {"warn": "warning", "err": "error", "off": "ignore"}
        out: dict[str, Severity] = {}
        problems: list[str] = []
        for name, value in (raw or {}).items():
            if name not in _CODES:
                hint = did_you_mean(str(name), _CODES)
                problems.append(f"unknown diagnostic code '{name}'" + (f" ({hint})" if hint else ""))
                continue
            v = aliases.get(str(value).lower(), str(value).lower())
            try:
                sev = Severity(v)
            except ValueError:
                problems.append(f"severity for '{name}' must be one of error, warning, info, ignore, got '{value}'")
                continue
            if _CODES[name].integrity and sev is not Severity.ERROR and not _CODES[name].per_entry:
                problems.append(f"'{name}' is an integrity check and always stays an error")
                continue
            out[name] = sev
        return out, problems
