"""One small complete site per scenario, checked by the CLI and built by real MkDocs.

Each scenario asserts the exact message an editor sees, that the MkDocs build reports the same
diagnostics as the CLI, and that a failed build leaves the previous site untouched.
"""

from __future__ import annotations

import pytest

from conftest import GOOD_BIB, page

SCENARIOS = {
    "unknown-key": (
        {"content/side-effects.md": page("Side effects", """\
            # Side effects

            Tingling is common [@karakoc2003safe].
            """)},
        "content/side-effects.md:14:21: error: unknown citation key 'karakoc2003safe' "
        "(did you mean 'karakoc2002safe'?) [citation.unknown-key]",
    ),
    "unknown-key-in-admonition": (
        {"content/a.md": page("A", """\
            # A

            !!! warning "Stop"
                Stop if it hurts [@nosuchkey].
            """)},
        "content/a.md:15:23: error: unknown citation key 'nosuchkey' [citation.unknown-key]",
    ),
    "duplicate-key": (
        {"references/more.bib": "\n" + GOOD_BIB.split("\n\n")[0].replace("karakoc2002safe", "Karakoc2002Safe") + "\n"},
        "references/more.bib:2:1: error: duplicate key 'Karakoc2002Safe' (first defined as 'karakoc2002safe' "
        "at references/main.bib:1) [bib.duplicate-key]",
    ),
    "malformed-entry": (
        {"references/more.bib": "@article{broken,\n  title = {No closing brace\n\n@misc{x, title={T}, url={https://x.org}}\n"},
        "references/more.bib:1:1: error: cannot parse BibTeX block '@article{broken,': unexpected block start: "
        "`@misc`. Was still looking for field-value closing `}` [bib.parse-error]",
    ),
    "missing-identifier": (
        {"references/more.bib": "@article{noid2020,\n  author = {Doe, Jane},\n  title = {T},\n  journal = {J},\n  year = {2020}\n}\n",
         "content/a.md": page("A", "# A\n\nIt works [@noid2020].\n")},
        "references/more.bib:1:1: error: entry 'noid2020' has no doi, pmid or url (add the DOI or PubMed id you "
        "saw on the source, or its web address) [bib.missing-identifier]",
    ),
    "bad-front-matter-yaml": (
        {"content/a.md": "---\ntitle: [unclosed\ndescription: x\n---\n# A\n"},
        "content/a.md:3:12: error: front matter is not valid YAML: did not find expected ',' or ']' [frontmatter.invalid]",
    ),
    "front-matter-not-mapping": (
        {"content/a.md": "---\n- just\n- a list\n---\n# A\n"},
        "content/a.md:2:1: error: front matter must be a mapping of 'key: value' lines [frontmatter.invalid]",
    ),
    "front-matter-unclosed": (
        {"content/a.md": "---\ntitle: A\n\n# A\n"},
        "content/a.md:1:1: error: front matter starts with '---' but has no closing '---' [frontmatter.unclosed]",
    ),
    "bad-date": (
        {"content/a.md": page("A", "# A\n").replace("last_reviewed: 2026-01-10", "last_reviewed: 2026-13-45")},
        "content/a.md:7:16: error: 'last_reviewed' must be a date written YYYY-MM-DD, got '2026-13-45' [frontmatter.bad-date]",
    ),
}


@pytest.mark.parametrize("name", SCENARIOS)
def test_cli_reports_scenario(site_factory, name: str) -> None:
    files, expected = SCENARIOS[name]
    site = site_factory(files)
    r = site.check()
    assert r.returncode == 1, r.stdout + r.stderr
    assert expected in r.stdout.splitlines(), r.stdout


@pytest.mark.build
@pytest.mark.parametrize("name", ["unknown-key", "duplicate-key", "malformed-entry", "missing-identifier",
                                  "bad-front-matter-yaml"])
def test_failed_build_reports_same_and_keeps_previous_site(site_factory, name: str) -> None:
    site = site_factory()
    first = site.build()
    assert first.returncode == 0, first.stderr
    before = site.html()
    files, expected = SCENARIOS[name]
    for rel, text in files.items():
        site.write(rel, text)
    r = site.build()
    assert r.returncode != 0
    assert expected in r.stderr
    assert "site not built" in r.stderr
    assert "Cleaning site directory" not in r.stderr
    assert site.html() == before  # the previous site is whole
    # the plugin logs exactly the CLI's diagnostics (same core, same text)
    cli_lines = [line for line in site.check().stdout.splitlines() if line]
    for line in cli_lines:
        if ": info: " in line:
            continue
        assert line in r.stderr, line


def test_clean_site_passes_check(site_factory) -> None:
    site = site_factory()
    r = site.check("--strict")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "error" not in r.stdout and "warning" not in r.stdout


def test_citations_in_code_are_ignored(site_factory) -> None:
    site = site_factory({"content/code.md": page("Code", """\
        # Code

        Write `[@notakey]` to cite; e-mail help@clinic.example.

        ```markdown
        [@alsonot]
        ```

            [@indented]

        <!-- [@commented] -->
        Real one [@karakoc2002safe].
        """)})
    code, report = site.check_json()
    assert code == 0, report["diagnostics"]
    pages = {p["path"]: p for p in report["pages"]}
    assert pages["content/code.md"]["citations"] == [{"key": "karakoc2002safe", "line": 23, "col": 11}]
    r = site.build("--strict")
    assert r.returncode == 0, r.stderr
    html = site.html("code/index.html")
    assert "[@notakey]" in html and "[@alsonot]" in html and "[@indented]" in html
    assert html.count('class="pg-cite"') == 1


def test_unused_entry_is_a_warning_that_strict_turns_into_failure(site_factory) -> None:
    site = site_factory({"content/index.md": page("Home", "# Home\n\nOnly one [@karakoc2002safe].\n")})
    r = site.check()
    assert r.returncode == 0
    assert ("references/: warning: 1 entry ('bad2021leaflet') is not cited on any page (listed in "
            "'patientguide check --report' and --format json) [bib.unused-entry]") in r.stdout
    assert site.check("--strict").returncode == 1


@pytest.mark.build
def test_strict_build_fails_on_our_warnings_even_when_quiet(site_factory) -> None:
    site = site_factory({"content/index.md": page("Home", "# Home\n\nOnly one [@karakoc2002safe].\n")})
    assert site.build("-q").returncode == 0
    r = site.build("--strict", "-q")
    assert r.returncode != 0
    assert "bib.unused-entry" in r.stderr and "site not built" in r.stderr


def test_severity_setting_changes_a_warning(site_factory) -> None:
    site = site_factory({"content/index.md": page("Home", "# Home\n\nOnly one [@karakoc2002safe].\n")},
                        options="severity:\n  bib.unused-entry: error")
    r = site.check()
    assert r.returncode == 1 and "references/: error: 1 entry ('bad2021leaflet') is not cited" in r.stdout


def test_integrity_codes_cannot_be_lowered_in_config(site_factory) -> None:
    site = site_factory(options="severity:\n  citation.unknown-key: warning")
    r = site.check()
    assert r.returncode == 2
    assert "'citation.unknown-key' is an integrity check and always stays an error" in r.stderr


def test_exit_code_2_for_missing_config(tmp_path) -> None:
    from conftest import Site
    r = Site(tmp_path).check()
    assert r.returncode == 2 and "config file 'mkdocs.yml' not found" in r.stderr


def test_json_report_shape(site_factory) -> None:
    site = site_factory({"content/a.md": page("A", "# A\n\nSee [@nokey; @karakoc2002safe, p. 3].\n")})
    code, report = site.check_json()
    assert code == 1
    (d,) = [d for d in report["diagnostics"] if d["code"] == "citation.unknown-key"]
    assert d == {"path": "content/a.md", "line": 14, "col": 6, "severity": "error", "code": "citation.unknown-key",
                 "message": "unknown citation key 'nokey'", "hint": None, "related": None}
    pages = {p["path"]: p["citations"] for p in report["pages"]}
    assert pages["content/a.md"] == [{"key": "nokey", "line": 14, "col": 6},
                                     {"key": "karakoc2002safe", "line": 14, "col": 14}]


def test_github_format(site_factory) -> None:
    site = site_factory({"content/a.md": page("A", "# A\n\n[@nokey]\n")})
    r = site.check("--format", "github")
    assert "::error file=content/a.md,line=14,col=2,title=citation.unknown-key::unknown citation key 'nokey'" in r.stdout


@pytest.mark.build
def test_first_line_that_looks_like_metadata_is_kept(site_factory) -> None:
    site = site_factory({"content/note.md": "Note: keep this line.\n\nBody [@bad2021leaflet].\n"})
    r = site.build()
    assert r.returncode == 0, r.stderr
    assert "Note: keep this line." in site.html("note/index.html")


@pytest.mark.build
def test_bibliography_page_is_generated_and_links_back(site_factory) -> None:
    site = site_factory({"content/faq.md": page("Questions", "# Questions\n\nYes [@karakoc2002safe].\n")})
    r = site.build("--strict")
    assert r.returncode == 0, r.stderr
    html = site.html("references/index.html")
    assert '<ol class="pg-bibliography">' in html
    assert '<a href="../#pg-references">Home</a>, <a href="../faq/#pg-references">Questions</a>' in html
    assert 'id="pg-references"' in site.html("faq/index.html")


@pytest.mark.build
def test_plugin_disabled_leaves_citations_as_text(site_factory) -> None:
    site = site_factory(options="enabled: false")
    assert site.build().returncode == 0
    assert "[@karakoc2002safe; @bad2021leaflet]" in site.html()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param("severity: nope", "plugin 'patientguide' option 'severity' must be a mapping, got text 'nope'",
                     id="wrong-type"),
        pytest.param("references_dri: refs",
                     "unknown option 'references_dri' for plugin 'patientguide' (did you mean 'references_dir'?)",
                     id="unknown-option"),
        pytest.param("max_page_kb: lots", "option 'max_page_kb' must be an integer, got text 'lots'", id="not-a-number"),
    ],
)
def test_bad_plugin_options_are_config_errors(site_factory, options: str, message: str) -> None:
    r = site_factory(options=options).check()
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert message in r.stderr


BAD_OPTIONS = "max_page_kb: lots\nreferences_dri: refs\nrequire_review: maybe\nseverity: {style.long-sentence: loud}"
BAD_OPTION_LINES = [
    "mkdocs.yml:9:7: error: plugin 'patientguide' option 'max_page_kb' must be an integer, got text 'lots' [config.invalid]",
    "mkdocs.yml:10:7: error: unknown option 'references_dri' for plugin 'patientguide' (did you mean 'references_dir'?) "
    "[config.invalid]",
    "mkdocs.yml:11:7: error: plugin 'patientguide' option 'require_review' must be true or false, got text 'maybe' "
    "[config.invalid]",
]


def test_every_bad_option_is_reported_at_once_by_cli_and_build(site_factory) -> None:
    site = site_factory(options=BAD_OPTIONS)
    r = site.check()
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.splitlines() == BAD_OPTION_LINES  # the severity value is checked once the types are right
    b = site.build()
    assert b.returncode != 0 and "Traceback" not in b.stderr
    for line in BAD_OPTION_LINES:
        assert line in b.stderr
