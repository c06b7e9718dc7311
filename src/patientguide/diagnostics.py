"""Diagnostics: the one way every check reports a problem.

A :class:`Diagnostic` is a compiler-style message with a position, a severity and a
stable code. The core never logs; it returns diagnostics and lets an adapter (the MkDocs
plugin or the CLI) decide how to show them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace

from .codes import BY_NAME, Severity, code
from .pickling import ByConstructor

__all__ = ["Diagnostic", "Severity", "make", "merge_repeats", "included_from", "found_through", "format_one",
           "format_text", "format_github", "format_json", "suggest", "did_you_mean", "SeverityPolicy"]


@dataclass(frozen=True, slots=True)
class Diagnostic(ByConstructor):
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


def make(path: str, line: int, col: int, code_name: str, message: str, hint: str | None = None,
         related: str | None = None) -> Diagnostic:
    """A diagnostic at the code's default severity."""
    return Diagnostic(path, line, col, code(code_name).default, code_name, message, hint, related)


def merge_repeats(diags: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Each problem once: a block included by several pages is checked as part of each, and the
    same problem at the same place is reported once, with every page it was found through in
    ``related`` ("included from a.md, b.md"); the first of each keeps its place in the order."""
    merged: dict[tuple, Diagnostic] = {}
    for d in diags:
        key = (d.path, d.line, d.col, d.severity, d.code, d.message, d.hint)
        first = merged.get(key)
        if first is None:
            merged[key] = d
        elif d.related and d.related != first.related:
            merged[key] = replace(first, related=_joined(first.related, d.related))
    return list(merged.values())


_VIA = "included from "  # a problem in a block: the pages it was found through, in ``related``


def included_from(page: str) -> str:
    """The ``related`` note of a problem found in a block through ``page``."""
    return _VIA + page


def found_through(d: Diagnostic, page: str) -> bool:
    """Was ``d`` found in a block that ``page`` includes (one of the pages its ``related`` note lists)?"""
    related = d.related or ""
    return related.startswith(_VIA) and page in related[len(_VIA):].split(", ")


def _joined(a: str | None, b: str) -> str:
    """Two ``related`` notes as one: pages a block was included from are listed after one "included from"."""
    if not a:
        return b
    if a.startswith(_VIA) and b.startswith(_VIA):
        pages = a[len(_VIA):].split(", ")
        return a if b[len(_VIA):] in pages else f"{a}, {b[len(_VIA):]}"
    return a if b in a.split("; ") else f"{a}; {b}"


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
    import json
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def suggest(word: str, known: Iterable[str]) -> str | None:
    """Did-you-mean: an exact case-insensitive match first, then the closest spelling."""
    known = list(known)
    lower = {k.lower(): k for k in known}
    if word.lower() in lower and lower[word.lower()] != word:
        return lower[word.lower()]
    import difflib  # imported by the first hint, not by every run
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
                known = BY_NAME.get(d.code)
                if known is not None and known.integrity and d.severity is Severity.ERROR:
                    sev = Severity.ERROR  # an integrity error is never lowered
                d = replace(d, severity=sev)
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
            if name not in BY_NAME:
                hint = did_you_mean(str(name), BY_NAME)
                problems.append(f"unknown diagnostic code '{name}'" + (f" ({hint})" if hint else ""))
                continue
            v = aliases.get(str(value).lower(), str(value).lower())
            try:
                sev = Severity(v)
            except ValueError:
                problems.append(f"severity for '{name}' must be one of error, warning, info, ignore, got '{value}'")
                continue
            if BY_NAME[name].integrity and sev is not Severity.ERROR and not BY_NAME[name].per_entry:
                problems.append(f"'{name}' is an integrity check and always stays an error")
                continue
            out[name] = sev
        return out, problems
