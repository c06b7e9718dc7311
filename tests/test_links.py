"""`patientguide check` reports what MkDocs' strict build rejects about links and navigation, at
the link's own position, at the level the site's `validation:` sets (no MkDocs build here; the
parity with real builds is tests/test_link_parity.py)."""

from __future__ import annotations

from conftest import page

I = "content/index.md"

ALL_WARN = """\
validation:
  omitted_files: warn
  absolute_links: warn
  unrecognized_links: warn
  anchors: warn
"""

QUIET = "severity: {evidence.uncited-claim: ignore, evidence.no-citations: ignore, bib.unused-entry: ignore}"


def _site(site_factory, files: dict, extra_config: str = ALL_WARN, options: str = QUIET):
    site = site_factory(files, options=options)
    site.write("mkdocs.yml", site.config.read_text() + extra_config)
    return site


def _at(site, rel: str, needle: str, nth: int = 1) -> str:
    """``rel:line:col`` of the ``nth`` occurrence of ``needle`` in the file (where the address is)."""
    text = (site.root / rel).read_text(encoding="utf-8")
    at = -1
    for _ in range(nth):
        at = text.index(needle, at + 1)
    line = text.count("\n", 0, at) + 1
    return f"{rel}:{line}:{at - (text.rfind(chr(10), 0, at) + 1) + 1}"


def _lines(r) -> list[str]:
    return [line for line in r.stdout.splitlines() if "[links." in line or "[nav." in line]


def test_each_broken_link_at_its_own_position(site_factory) -> None:
    site = _site(site_factory, {
        "content/index.md": page("Home", """\
            # Home

            It helps [@karakoc2002safe; @bad2021leaflet]. Read [side effects](side-efects.md),
            ![a photo](photo.png) and [the glossary](glossary.md#blistr).
            See [above](#hom) and [the list](sub/). Also [root](/glossary.md).
            Many readers ask [a question][faq].

            [faq]: questions.md "Questions"
            """),
        "content/side-effects.md": page("Side effects", "# Side effects\n\nIt tingles [@karakoc2002safe].\n"),
        "content/glossary.md": page("Glossary", "# Glossary\n\n## Blister\n\nA bubble [@karakoc2002safe].\n"),
        "content/sub/index.md": page("Sub", "# Sub\n\nSee [home](../index.md#home) [@karakoc2002safe].\n"),
    })
    r = site.check()
    assert _lines(r) == [
        f"{_at(site, I, 'side-efects.md')}: warning: link 'side-efects.md': there is no 'content/side-efects.md' "
        "(did you mean 'side-effects.md'?) [links.missing-file]",
        f"{_at(site, I, 'photo.png')}: warning: image 'photo.png': there is no 'content/photo.png' [links.missing-file]",
        f"{_at(site, I, 'glossary.md#blistr')}: warning: link 'glossary.md#blistr': 'content/glossary.md' has no anchor "
        "'#blistr' (did you mean '#blister'?) [links.broken-anchor]",
        f"{_at(site, I, '#hom')}: warning: link '#hom': this page has no anchor '#hom' (did you mean '#home'?) "
        "[links.broken-anchor]",
        f"{_at(site, I, 'sub/')}: warning: link 'sub/' names no file, so it is left as it is "
        "(did you mean 'sub/index.md'?) [links.unrecognized]",
        f"{_at(site, I, '/glossary.md')}: warning: absolute link '/glossary.md' is left as it is: it only works on a "
        "site at the root of its domain (did you mean 'glossary.md'?) [links.absolute]",
        f"{_at(site, I, 'questions.md')}: warning: link 'questions.md': there is no 'content/questions.md' [links.missing-file]",
    ]
    assert r.returncode == 0 and site.check("--strict").returncode == 1


def test_nav_problems_at_their_line_in_mkdocs_yml_and_pages_missing_from_it(site_factory) -> None:
    site = _site(site_factory, {
        "content/a.md": page("A", "# A\n\nText [@karakoc2002safe].\n"),
        "content/orphan.md": page("Orphan", "# Orphan\n\nText [@karakoc2002safe].\n"),
    }, ALL_WARN + "nav:\n  - Home: index.md\n  - A: a.md\n  - Gone: gone.md\n  - Old: /old/page.md\n"
       "  - Elsewhere: https://example.org/\n  - References: references.md\n")
    r = site.check()
    assert _lines(r) == [
        "content/orphan.md:1: warning: page 'orphan.md' is not in the nav of mkdocs.yml "
        "(add it to nav, or list it under not_in_nav in mkdocs.yml) [links.not-in-nav]",
        f"{_at(site, 'mkdocs.yml', 'gone.md')}: warning: nav entry 'gone.md' is not a page of the site (there is no 'content/gone.md') "
        "[nav.not-found]",
        f"{_at(site, 'mkdocs.yml', '/old/page.md')}: warning: nav entry '/old/page.md' is an absolute path, so it is left as an external "
        "link [nav.absolute]",
    ]


def test_generated_bibliography_page_missing_from_nav_points_at_nav(site_factory) -> None:
    site = _site(site_factory, {}, ALL_WARN + "nav:\n  - index.md\n")
    assert _lines(site.check()) == [
        f"{_at(site, 'mkdocs.yml', 'nav:')[:-2]}:1: warning: the generated page 'references.md' is not in the nav "
        "(add it to nav, or list it under not_in_nav in mkdocs.yml) [links.not-in-nav]"]


def test_severity_follows_the_sites_validation_settings(site_factory) -> None:
    files = {"content/index.md": page("Home", "# Home\n\nSee [x](#nowhere) and [y](gone.md) [@karakoc2002safe; "
                                      "@bad2021leaflet].\n")}
    # MkDocs' defaults: a missing file warns, a broken anchor is only a note
    r = site_factory(files).check("-v")
    assert "warning: link 'gone.md'" in r.stdout and "info: link '#nowhere'" in r.stdout
    # settings under links: win over the same key at the top, as in MkDocs
    site = _site(site_factory, files, "validation:\n  anchors: warn\n  not_found: warn\n  links:\n    not_found: ignore\n")
    r = site.check("-v")
    assert "warning: link '#nowhere'" in r.stdout and "gone.md" not in r.stdout
    site = _site(site_factory, files, "validation:\n  anchors: ignore\n  links:\n    not_found: info\n")
    r = site.check("--strict", "-v")
    assert r.returncode == 0 and "#nowhere" not in r.stdout and "info: link 'gone.md'" in r.stdout


def test_a_bad_validation_value_is_a_configuration_error(site_factory) -> None:
    site = _site(site_factory, {}, "validation:\n  links:\n    anchors: loud\n")
    r = site.check()
    assert r.returncode == 2
    assert "'validation.links.anchors' must be one of warn, info, ignore, got 'loud'" in r.stderr


def test_anchors_the_plugin_adds_are_anchors(site_factory) -> None:
    """The reference list, each citation and each bibliography entry: in the built page, so valid."""
    site = _site(site_factory, {"content/index.md": page("Home", """\
        # Home

        It helps [@karakoc2002safe; @bad2021leaflet]. [Sources](#pg-references), [the first](#pg-ref-1),
        [its text](#pg-reftext-2), [where cited](#pg-cite-1-1), [heading](#references),
        [entry](references.md#ref-karakoc2002safe), [title](references.md#references).
        Not there: [no third](#pg-ref-3), [no entry](references.md#ref-nobody).
        """)})
    lines = _lines(site.check())
    assert [line.split(" warning: ")[1].split(":")[0] for line in lines] == [
        "link '#pg-ref-3'", "link 'references.md#ref-nobody'"]


def test_headings_with_markup_get_the_ids_python_markdown_gives_them(site_factory) -> None:
    site = _site(site_factory, {
        "content/index.md": page("Home", """\
            # Home

            [a](more.md#risks-1) [b](more.md#risks) [c](more.md#the-code-word) [d](more.md#custom)
            [e](more.md#rawid) [f](more.md#fn:1) [g](more.md#references_1) [h](more.md#risks_1)
            [@karakoc2002safe; @bad2021leaflet]
            """),
        "content/more.md": page("More", """\
            # More

            ## Risks [@karakoc2002safe]

            ## Risks

            ## The `code` word

            ## Fancy {#custom}

            ## References

            <p id="rawid">Raw.</p>

            A note[^1].

            [^1]: The note.
            """),
    })
    assert _lines(site.check()) == [
        f"{_at(site, I, 'more.md#risks_1')}: warning: link 'more.md#risks_1': 'content/more.md' has no anchor '#risks_1' "
        "(did you mean '#risks-1'?) [links.broken-anchor]"]


def test_a_footnote_never_referenced_is_a_broken_back_link(site_factory) -> None:
    site = _site(site_factory, {"content/index.md": page("Home", """\
        # Home

        Used[^1] [@karakoc2002safe; @bad2021leaflet].

        [^1]: Used note.
        [^2]: Unused note.
        """)})
    assert _lines(site.check()) == [
        f"{_at(site, I, '[^2]: Unused')}: warning: footnote '[^2]' is never referenced, so its back-link '#fnref:2' "
        "leads nowhere (refer to it with [^2] in the text, or delete it) [links.broken-anchor]"]


def test_links_in_raw_html_are_checked_against_the_built_sites_addresses(site_factory) -> None:
    site = _site(site_factory, {
        "content/index.md": page("Home", """\
            # Home

            <a href="faq/">fine</a> <a href="faq.md">as written</a> <a href="faq/#yes">fine</a>
            <a href="faq/#nope">no anchor</a> <img src="gone.png" alt="x"> [@karakoc2002safe; @bad2021leaflet]
            """),
        "content/faq.md": page("Questions", "# Questions\n\n## Yes\n\nYes [@karakoc2002safe].\n"),
    })
    assert _lines(site.check()) == [
        f"{_at(site, I, 'faq.md')}: warning: link 'faq.md' in raw HTML leads to no page or file of the built site "
        "(MkDocs does not rewrite links in raw HTML: write a Markdown link [text](faq.md), or href=\"faq/\") "
        "[links.missing-file]",
        f"{_at(site, I, 'faq/#nope')}: warning: link 'faq/#nope': 'content/faq.md' has no anchor '#nope' [links.broken-anchor]",
        f"{_at(site, I, 'gone.png')}: warning: link 'gone.png' in raw HTML leads to no page or file of the built site "
        "[links.missing-file]",
    ]


def test_readme_next_to_index_is_left_out(site_factory) -> None:
    site = _site(site_factory, {"content/sub/index.md": page("Sub", "# Sub\n\nText [@karakoc2002safe].\n"),
                                "content/sub/README.md": page("Readme", "# Readme\n\nText [@karakoc2002safe].\n")})
    assert _lines(site.check()) == [
        "content/sub/README.md:1: warning: 'sub/README.md' is left out of the site: 'sub/index.md' in the same "
        "folder has the same address (keep one of the two files) [links.conflicting-page]"]


def test_excluded_and_draft_pages(site_factory) -> None:
    site = _site(site_factory, {
        "content/index.md": page("Home", "# Home\n\n[old](old.md) [draft](draft.md) [@karakoc2002safe; @bad2021leaflet]\n"),
        "content/old.md": page("Old", "# Old\n\n[broken](nowhere.md) [@karakoc2002safe]\n"),
        "content/draft.md": page("Draft", "# Draft\n\nText [@karakoc2002safe].\n"),
        "content/.hidden.md": page("Hidden", "# Hidden\n\n[broken](nowhere.md) [@karakoc2002safe]\n"),
    }, ALL_WARN + "exclude_docs: |\n  old.md\ndraft_docs: |\n  draft.md\nnav:\n  - index.md\n  - old.md\n"
       "  - references.md\nnot_in_nav: |\n  /draft.md\n")
    r = site.check("-v")
    assert _lines(r) == [
        f"{_at(site, I, 'old.md')}: info: link 'old.md' leads to 'old.md', which is excluded from the built site "
        "[links.excluded-page]",
        f"{_at(site, I, 'draft.md')}: info: link 'draft.md' leads to 'draft.md', which is excluded from the built site "
        "[links.excluded-page]",
        f"{_at(site, 'mkdocs.yml', 'old.md', nth=2)}: info: nav entry 'old.md' is the page 'old.md', which is excluded from the built site "
        "[nav.excluded]",
    ]
    assert site.check("--strict").returncode == 0  # notes only: the strict build passes too


def test_not_a_link_code_comments_escapes_and_citations(site_factory) -> None:
    site = _site(site_factory, {"content/index.md": page("Home", """\
        # Home

        `[a](gone1.md)` <!-- [b](gone2.md) --> \\[c](gone3.md) [@karakoc2002safe](gone4.md)
        [@bad2021leaflet] but [this one](gone7.md)

            [d](gone5.md)

        ```
        [e](gone6.md)
        ```
        """)})
    assert [line.split(": warning: ")[1] for line in _lines(site.check())] == [
        "link 'gone7.md': there is no 'content/gone7.md' [links.missing-file]"]


def test_brand_nav_positions_are_in_the_file_that_sets_nav(site_factory) -> None:
    site = _site(site_factory, {"content/a.md": page("A", "# A\n\n[x](gone.md) [@karakoc2002safe]\n")},
                 ALL_WARN + "nav:\n  - index.md\n  - a.md\n  - b.md\n  - references.md\n")
    site.write("brands/x/mkdocs.yml", "INHERIT: ../../mkdocs.yml\ndocs_dir: ../../content\n"
               "plugins:\n  - patientguide:\n      project_root: ../..\n")
    r = site.check("-f", "brands/x/mkdocs.yml")
    assert _lines(r) == [
        f"{_at(site, 'content/a.md', 'gone.md')}: warning: link 'gone.md': there is no 'content/gone.md' [links.missing-file]",
        f"{_at(site, 'mkdocs.yml', 'b.md')}: warning: nav entry 'b.md' is not a page of the site (there is no 'content/b.md') "
        "(did you mean 'a.md'?) [nav.not-found]",
    ], r.stdout + r.stderr


def test_hostile_addresses_never_crash(site_factory) -> None:
    body = ("[a](http://[::1) [b](%zz.md) [c](\u00e9t\u00e9.md) [d](<>) [e]() [f](a%2Fb.md) "
            "[g](../../../../etc/passwd) [h](C:\\x.md) <a href='&#x2F;x'>i</a> <a href>j</a> [k](#) [l](?q=1)\n")
    site = _site(site_factory, {"content/index.md": page("Home", "# Home\n\n" + body)})
    r = site.check()
    assert "Traceback" not in r.stderr, r.stderr
    # the only error: a browser reads 'C:' as a scheme, which the address rule refuses
    assert [x for x in r.stdout.splitlines() if ": error:" in x] == [
        "content/index.md:14:102: error: address 'C:x.md' (written 'C:\\x.md') is not allowed (a link may only use "
        "http, https, mailto, tel or a relative address) [safety.url-scheme]"], r.stdout
    found = "\n".join(_lines(r))
    for url in ("%zz.md", "\u00e9t\u00e9.md", "a%2Fb.md", "../../../../etc/passwd"):
        assert f"link '{url}'" in found, url
    assert "[::1" not in found and "link '#'" not in found and "?q=1" not in found and "C:" not in found
    assert "absolute link '/x' in raw HTML" in found  # the entity is decoded, as a browser does


def test_omitted_files_level(site_factory) -> None:
    for value, severity in (("warn", "warning"), ("info", "info"), ("ignore", None)):
        site = _site(site_factory, {"content/a.md": page("A", "# A\n\nText [@karakoc2002safe].\n")},
                     f"validation:\n  nav:\n    omitted_files: {value}\nnav:\n  - index.md\n  - references.md\n")
        r = site.check("-v", "--strict")
        assert _lines(r) == ([f"content/a.md:1: {severity}: page 'a.md' is not in the nav of mkdocs.yml "
                              "(add it to nav, or list it under not_in_nav in mkdocs.yml) [links.not-in-nav]"]
                             if severity else [])
        assert r.returncode == (1 if value == "warn" else 0)


def test_make_check_is_as_strict_as_ci_and_the_build() -> None:
    """`make check` fails on warnings, as CI's `patientguide check --strict` and `make site`'s
    strict build do: a green local check means a green CI."""
    import subprocess
    from pathlib import Path
    root = Path(__file__).resolve().parent.parent
    r = subprocess.run(["make", "-n", "check"], cwd=root, capture_output=True, text=True)
    assert "patientguide check --strict" in r.stdout
    assert "--strict" in (root / "scripts" / "build-site").read_text()
    assert "patientguide check --format github --strict" in (root / ".github/workflows/check.yml").read_text()


def test_absolute_links_relative_to_docs(site_factory) -> None:
    """`absolute_links: relative_to_docs`: '/page.md' is a page of the docs folder (MkDocs 1.6)."""
    site = _site(site_factory, {
        "content/sub/a.md": page("A", "# A\n\n[ok](/index.md#home) [gone](/gone.md) [dir](/sub) [@karakoc2002safe]\n"),
    }, "validation:\n  absolute_links: relative_to_docs\n  unrecognized_links: warn\n  anchors: warn\n")
    assert [line.split(": warning: ")[1] for line in _lines(site.check())] == [
        "link '/gone.md': there is no 'content/gone.md' [links.missing-file]",
        "link '/sub': there is no 'content/sub' [links.missing-file]"]
