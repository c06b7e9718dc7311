from __future__ import annotations

import json

import pytest

from patientguide import diagnostics as dx
from patientguide.diagnostics import Diagnostic, Severity, SeverityPolicy, did_you_mean, suggest


def test_text_format_is_compiler_style() -> None:
    d = dx.make("content/side-effects.md", 14, 22, "citation.unknown-key",
                "unknown citation key 'karakoc2003'", "did you mean 'karakoc2002'?")
    assert str(d) == ("content/side-effects.md:14:22: error: unknown citation key 'karakoc2003' "
                      "(did you mean 'karakoc2002'?) [citation.unknown-key]")


def test_github_format() -> None:
    d = dx.make("content/a.md", 3, 4, "bib.unused-entry", "reference 'x' is not cited on any page")
    assert dx.format_github([d]) == ("::warning file=content/a.md,line=3,col=4,title=bib.unused-entry::"
                                     "reference 'x' is not cited on any page\n")


def test_json_format_fields() -> None:
    d = dx.make("a.md", 1, 2, "citation.unknown-key", "m", "h")
    data = json.loads(dx.format_json([d], [{"path": "a.md", "citations": []}]))
    assert data["diagnostics"][0] == {"path": "a.md", "line": 1, "col": 2, "severity": "error",
                                      "code": "citation.unknown-key", "message": "m", "hint": "h", "related": None}


@pytest.mark.parametrize(
    ("word", "known", "expected"),
    [("karakoc2003", ["karakoc2002", "sato1989"], "karakoc2002"), ("KARAKOC2002", ["karakoc2002"], "karakoc2002"),
     ("zzz", ["karakoc2002"], None), ("titel", ["title", "status"], "title")],
)
def test_suggest(word, known, expected) -> None:
    assert suggest(word, known) == expected


def test_did_you_mean_text() -> None:
    assert did_you_mean("karakoc2003", ["karakoc2002"]) == "did you mean 'karakoc2002'?"


def test_policy_overrides_severity_and_ignores() -> None:
    warn = dx.make("a", 1, 1, "bib.unused-entry", "m")
    assert SeverityPolicy({"bib.unused-entry": Severity.ERROR}).apply([warn])[0].severity is Severity.ERROR
    assert SeverityPolicy({"bib.unused-entry": Severity.IGNORE}).apply([warn]) == []


def test_integrity_codes_cannot_be_lowered() -> None:
    err = dx.make("a", 1, 1, "citation.unknown-key", "m")
    assert SeverityPolicy({"citation.unknown-key": Severity.WARNING}).apply([err])[0].severity is Severity.ERROR
    _, problems = SeverityPolicy.validate({"citation.unknown-key": "warn"})
    assert problems == ["'citation.unknown-key' is an integrity check and always stays an error"]


def test_validate_unknown_code_and_bad_level() -> None:
    sev, problems = SeverityPolicy.validate({"bib.unused-entri": "warn", "bib.unused-entry": "loud"})
    assert sev == {}
    assert problems == ["unknown diagnostic code 'bib.unused-entri' (did you mean 'bib.unused-entry'?)",
                        "severity for 'bib.unused-entry' must be one of error, warning, info, ignore, got 'loud'"]


def test_merge_repeats_reports_a_problem_once_with_every_page_it_came_through() -> None:
    def d(related: str | None, message: str = "unknown citation key 'x'", line: int = 3) -> dx.Diagnostic:
        return dx.make("blocks/stop.md", line, 5, "citation.unknown-key", message, related=related)
    merged = dx.merge_repeats([d("included from content/a.md"), d("included from content/b.md", line=4),
                               d("included from content/b.md"), d("included from content/a.md"),
                               d(None, "unknown citation key 'y'")])
    assert [(m.line, m.message, m.related) for m in merged] == [
        (3, "unknown citation key 'x'", "included from content/a.md, content/b.md"),
        (4, "unknown citation key 'x'", "included from content/b.md"),
        (3, "unknown citation key 'y'", None),
    ]
    # a different hint or severity is a different problem, never merged away
    assert len(dx.merge_repeats([d(None), dx.make("blocks/stop.md", 3, 5, "citation.unknown-key",
                                                  "unknown citation key 'x'", "cite another")])) == 2


def test_a_merged_block_problem_stays_on_the_review_of_every_page_that_includes_it() -> None:
    from types import SimpleNamespace

    from patientguide.review_packet import page_diagnostics
    block = dx.merge_repeats([dx.make("blocks/stop.md", 3, 5, "citation.unknown-key", "unknown citation key 'x'",
                                      related=dx.included_from(page)) for page in ("content/a.md", "content/b.md")])
    report = SimpleNamespace(diagnostics=block + [dx.make("content/c.md", 1, 1, "evidence.no-citations", "none")])
    for page in ("content/a.md", "content/b.md"):
        assert page_diagnostics(report, SimpleNamespace(path=page)) == block  # type: ignore[arg-type]
    assert page_diagnostics(report, SimpleNamespace(path="content/a")) == []  # type: ignore[arg-type]
    assert [d.code for d in page_diagnostics(report, SimpleNamespace(path="content/c.md"))] == [  # type: ignore[arg-type]
        "evidence.no-citations"]
