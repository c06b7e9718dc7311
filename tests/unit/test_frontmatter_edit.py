"""Front-matter fields set in place: every other byte of the file stays as it was."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from patientguide.frontmatter_edit import EditError, scalar, set_fields

PAGE = """\
---
title: "Side effects"   # shown in the tab
summary:
  - Most are mild.
last_reviewed: 2026-01-10
next_review_due: 2027-01-10
status: draft                  # "reviewed" only after a clinician has checked it
---

# Side effects

status: draft is not front matter here.
"""
VALUES = {"status": "reviewed", "reviewed_by": "jsmith", "last_reviewed": dt.date(2026, 11, 24),
          "next_review_due": dt.date(2027, 11, 24), "review_fingerprint": "sha256:" + "ab" * 32}
AFTER = {"reviewed_by": "status", "review_fingerprint": "reviewed_by"}


def test_only_the_values_change_and_comments_stay() -> None:
    out = set_fields(PAGE, VALUES, AFTER)
    assert out.splitlines() == [
        "---", 'title: "Side effects"   # shown in the tab', "summary:", "  - Most are mild.",
        "last_reviewed: 2026-11-24", "next_review_due: 2027-11-24",
        'status: reviewed                  # "reviewed" only after a clinician has checked it',
        "reviewed_by: jsmith", "review_fingerprint: sha256:" + "ab" * 32, "---", "",
        "# Side effects", "", "status: draft is not front matter here."]


def test_crlf_file_keeps_its_line_endings_and_reads_back() -> None:
    crlf = PAGE.replace("\n", "\r\n")
    out = set_fields(crlf, VALUES, AFTER)
    assert "\n" not in out.replace("\r\n", "")  # every new line ends the way the file's lines do
    assert out.endswith("# Side effects\r\n\r\nstatus: draft is not front matter here.\r\n")
    data = yaml.safe_load(out.split("---")[1])
    assert data["reviewed_by"] == "jsmith" and data["next_review_due"] == dt.date(2027, 11, 24)


def test_an_empty_value_and_a_block_value_are_replaced() -> None:
    text = "---\ntitle: A\nreviewed_by:\nstatus: >\n  draft\nsummary: [x]\n---\nBody\n"
    out = set_fields(text, {"status": "reviewed", "reviewed_by": "jsmith"})
    assert out == "---\ntitle: A\nreviewed_by: jsmith\nstatus: reviewed\nsummary: [x]\n---\nBody\n"


def test_values_that_yaml_would_misread_are_quoted() -> None:
    assert scalar("jsmith") == "jsmith"
    assert scalar("yes") == '"yes"' and scalar("2026-01-10") == '"2026-01-10"' and scalar("12") == '"12"'
    assert scalar("Dr Smith: consultant") == '"Dr Smith: consultant"'
    assert scalar("sha256:" + "0" * 64) == "sha256:" + "0" * 64
    for value in ("yes", "null", "a # b", "x: y", "'quoted'"):
        assert yaml.safe_load(f"k: {scalar(value)}")["k"] == value


@pytest.mark.parametrize("text, reason", [
    ("# No front matter\n", "no front matter"),
    ("---\ntitle: A\n", "never closed"),
    ("---\n- a list\n---\n", "not a mapping"),
    ("---\ntitle: [unclosed\n---\n", "not valid YAML"),
])
def test_refuses_what_it_cannot_edit_safely(text: str, reason: str) -> None:
    with pytest.raises(EditError, match=reason):
        set_fields(text, {"status": "reviewed"})
