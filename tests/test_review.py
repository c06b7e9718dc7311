"""Review dates and reviewers: rules, messages, and what the built page shows."""

from __future__ import annotations

import pytest

from conftest import page

REVIEWERS = """\
reviewers:
  jsmith:
    name: Dr Jane Smith
    credentials: MBBS, MRCP
    role: Consultant dermatologist
    conflicts_of_interest: none
  nurse:
    name: Sam Lee
    role: Nurse specialist
"""
REVIEWERS_OK = REVIEWERS.split("  nurse:")[0]
OPTIONS = "reviewers_file: reviewers.yml"


def reviewed(title: str = "A") -> str:
    text = page(title, f"# {title}\n\nIt helps [@karakoc2002safe; @bad2021leaflet].\n")
    return text.replace("status: draft", "status: reviewed\nreviewed_by: jsmith")


def test_reviewed_page_shows_dates_and_reviewer(site_factory) -> None:
    site = site_factory({"reviewers.yml": REVIEWERS_OK}, options=OPTIONS)  # the home page is a draft
    from conftest import run_cli
    r = run_cli(["sign-off", "content/index.md", "--by", "jsmith", "--date", "2026-01-10", "--today", "2026-11-24"],
                cwd=site.root)
    assert r.returncode == 0, r.stderr
    site.write("mkdocs.yml", site.config.read_text().replace("theme:\n  name: material",
                                                               "theme:\n  name: material\n  custom_dir: overrides"))
    import shutil
    from conftest import ROOT
    shutil.copytree(ROOT / "theme_overrides", site.root / "overrides")
    r = site.build()
    assert r.returncode == 0, r.stderr
    html = site.html()
    assert 'Page last reviewed: <time datetime="2026-01-10">10 January 2026</time> &middot; Next review due: ' \
           '<time datetime="2027-01-10">10 January 2027</time>' in html
    assert "Reviewed by Dr Jane Smith, MBBS, MRCP (Consultant dermatologist)." in html
    assert "Draft &mdash; not yet reviewed" not in html


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(reviewed().replace("reviewed_by: jsmith", "reviewed_by: jsmyth"),
                     "content/a.md:10:14: error: reviewed_by 'jsmyth' is not in the reviewers file "
                     "(did you mean 'jsmith'?) [review.unknown-reviewer]", id="unknown-reviewer"),
        pytest.param(reviewed().replace("reviewed_by: jsmith\n", ""),
                     "content/a.md:9:9: error: status 'reviewed' needs 'reviewed_by' [review.incomplete]",
                     id="reviewed-without-reviewer"),
        pytest.param(reviewed().replace("next_review_due: 2027-01-10", "next_review_due: 2026-06-01"),
                     "content/a.md:8:18: warning: next_review_due 2026-06-01 has passed (reviewed 2026-01-10 by "
                     "'jsmith') [review.overdue]", id="overdue"),
        pytest.param(reviewed().replace("last_reviewed: 2026-01-10", "last_reviewed: 2026-12-01"),
                     "content/a.md:7:16: error: last_reviewed 2026-12-01 is after today (2026-11-24) [review.in-future]",
                     id="in-future"),
        pytest.param(reviewed().replace("next_review_due: 2027-01-10", "next_review_due: 2030-01-11"),
                     "content/a.md:8:18: error: next_review_due 2030-01-11 is more than 3 years after last_reviewed "
                     "2026-01-10 (review by 2029-01-10 at the latest) [review.bad-interval]", id="too-far"),
        pytest.param(reviewed().replace("next_review_due: 2027-01-10", "next_review_due: 2025-01-10"),
                     "content/a.md:8:18: error: next_review_due 2025-01-10 is not after last_reviewed 2026-01-10 "
                     "[review.bad-interval]", id="before-last-review"),
        pytest.param(reviewed().replace("audience: patient", "audience: patient\nreviewd: yes"),
                     "content/a.md:7:1: warning: unknown front-matter field 'reviewd' (did you mean 'reviewed_by'?) "
                     "[frontmatter.unknown-field]", id="unknown-field"),
        pytest.param(reviewed().replace("status: reviewed", "status: reviewd"),
                     "content/a.md:9:9: error: 'status' must be one of draft, reviewed, got 'reviewd' (did you mean "
                     "'reviewed'?) [frontmatter.bad-type]", id="bad-status"),
    ],
)
def test_review_rules(site_factory, text: str, expected: str) -> None:
    site = site_factory({"content/a.md": text, "reviewers.yml": REVIEWERS}, options=OPTIONS)
    assert expected in site.check().stdout.splitlines(), site.check().stdout


def test_reviewers_file_problems_have_positions(site_factory) -> None:
    site = site_factory({"reviewers.yml": REVIEWERS}, options=OPTIONS)
    assert ("reviewers.yml:7:3: error: reviewer 'nurse' lacks 'credentials', 'conflicts_of_interest' "
            "[reviewers.invalid]") in site.check().stdout


def test_require_review_turns_drafts_into_errors(site_factory) -> None:
    site = site_factory(options="require_review: true")
    r = site.check()
    assert r.returncode == 1
    assert ("content/index.md:9:9: error: page is a draft, and this build requires every page to be reviewed "
            "[review.draft]") in r.stdout


def test_today_comes_from_source_date_epoch(site_factory) -> None:
    import os
    import subprocess
    from conftest import BIN
    site = site_factory({"content/a.md": reviewed().replace("next_review_due: 2027-01-10", "next_review_due: 2026-06-01"),
                         "reviewers.yml": REVIEWERS}, options=OPTIONS)
    env = dict(os.environ, SOURCE_DATE_EPOCH="1767225600")  # 2026-01-01: not yet overdue
    r = subprocess.run([str(BIN / "patientguide"), "check"], cwd=site.root, capture_output=True, text=True, env=env)
    assert "review.overdue" not in r.stdout
    env["SOURCE_DATE_EPOCH"] = "1795478400"  # 2026-11-24
    r = subprocess.run([str(BIN / "patientguide"), "check"], cwd=site.root, capture_output=True, text=True, env=env)
    assert "review.overdue" in r.stdout


@pytest.mark.build
def test_broken_internal_link_fails_strict_build(site_factory) -> None:
    site = site_factory({"content/a.md": page("A", "# A\n\nSee [the missing page](missing.md) [@karakoc2002safe].\n")})
    site.write("mkdocs.yml", site.config.read_text() + "validation:\n  links:\n    not_found: warn\n")
    r = site.build("--strict")
    assert r.returncode != 0
    # reported by our check, at the link, before MkDocs builds anything (tests/test_link_parity.py)
    assert "content/a.md:14:24: warning: link 'missing.md': there is no 'content/missing.md' [links.missing-file]" in r.stderr
