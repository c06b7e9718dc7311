"""`patientguide check --strict` fails exactly when `mkdocs build --strict` fails on links and nav.

A strict build fails on any warning, so "fails iff" for each problem means: MkDocs' own
validation (as the site's `validation:` configures it) warns about a problem exactly when our
check warns about it. One site holds one of each problem; its MkDocs messages (with our link
codes switched off, so MkDocs checks alone) are matched one by one against our diagnostics.
Four real builds in all.
"""

from __future__ import annotations

import json
import re

import pytest

from conftest import page

pytestmark = pytest.mark.build

OPTIONS = "severity: {evidence.uncited-claim: ignore, evidence.no-citations: ignore, bib.unused-entry: ignore}"
OURS_OFF = OPTIONS[:-1] + ", " + ", ".join(
    f"{c}: ignore" for c in ("links.not-in-nav", "links.missing-file", "links.broken-anchor", "links.absolute",
                             "links.unrecognized", "links.excluded-page", "links.conflicting-page", "nav.not-found",
                             "nav.absolute", "nav.excluded")) + "}"
CONFIG = """\
validation:
  omitted_files: {level}
  not_found: {level}
  absolute_links: {level}
  unrecognized_links: {level}
  anchors: {level}
exclude_docs: |
  excluded.md
nav:
  - index.md
  - a.md
  - sub/index.md
  - references.md
  - Gone: missing.md
  - Old: /old/page.md
  - Hidden: excluded.md
"""
PROBLEMS = {
    "content/index.md": page("Home", """\
        # Home

        It helps [@karakoc2002safe; @bad2021leaflet].
        [miss](missing.md) ![photo](photo.png) [anchor](a.md#nope) [self](#nowhere)
        [dir](sub/) [abs](/a.md) [html](a.html) [ref][r] [excluded](excluded.md)
        Fine: [a](a.md#part-two) [refs](#pg-references) [entry](references.md#ref-karakoc2002safe) [up](#home).
        Note[^1].

        [^1]: Used.
        [^2]: Never used.

        [r]: gone.md
        """),
    "content/a.md": page("A", "# A\n\n## Part two\n\nText [@karakoc2002safe].\n"),
    "content/orphan.md": page("Orphan", "# Orphan\n\nText [@karakoc2002safe].\n"),
    "content/sub/index.md": page("Sub", "# Sub\n\nText [@karakoc2002safe].\n"),
    "content/sub/README.md": page("Readme", "# Readme\n\nText [@karakoc2002safe].\n"),
    "content/excluded.md": page("Excluded", "# Excluded\n\nText [@karakoc2002safe].\n"),
}

_MKDOCS = [  # MkDocs 1.6's messages → (file as our diagnostics name it, the link or entry)
    (re.compile(r"Doc file '(.+?)' contains (?:a link|an absolute link|an unrecognized relative link) '(.*?)', "),
     lambda m: (f"content/{m[1]}", m[2])),
    (re.compile(r"Doc file '(.+?)' contains a link to '(.*?)' which is excluded"), lambda m: (f"content/{m[1]}", m[2])),
    (re.compile(r"(?:A reference|An absolute path) to '(.*?)' is included in the 'nav'"), lambda m: ("mkdocs.yml", m[1])),
    (re.compile(r"Excluding '(.+?)' from the site"), lambda m: (f"content/{m[1]}", "")),
]


def mkdocs_keys(stderr: str) -> dict[str, set[tuple[str, str]]]:
    """MkDocs' own link and nav messages, by level (WARNING, INFO)."""
    keys: dict[str, set[tuple[str, str]]] = {"WARNING": set(), "INFO": set()}
    for record in re.split(r"\n(?=[A-Z]+ +- )", stderr):
        m = re.match(r"([A-Z]+) +-  (.*)", record, re.S)
        if not m or m[1] not in keys:
            continue
        level, message = m[1], m[2]
        if message.startswith("The following pages exist in the docs directory"):
            keys[level] |= {(f"content/{p.strip()[2:]}", "") for p in message.splitlines()[1:]}
        for rx, key in _MKDOCS:
            if found := rx.match(message):
                keys[level].add(key(found))
    return keys


def our_keys(diagnostics: list[dict]) -> dict[str, set[tuple[str, str]]]:
    """Our link and nav diagnostics in the same terms: the page, and the link or entry."""
    keys: dict[str, set[tuple[str, str]]] = {"WARNING": set(), "INFO": set()}
    for d in diagnostics:
        if not d["code"].startswith(("links.", "nav.")) or "in raw HTML" in d["message"]:
            continue
        level = {"warning": "WARNING", "info": "INFO"}[d["severity"]]
        if d["code"] in ("links.not-in-nav", "links.conflicting-page"):
            path = d["path"] if d["path"] != "mkdocs.yml" else "content/" + re.search(r"'(.+?)'", d["message"])[1]
            keys[level].add((path, ""))
        elif d["code"] == "links.excluded-page":
            keys[level].add((d["path"], re.search(r"leads to '(.*?)'", d["message"])[1]))
        elif "back-link" in d["message"]:
            keys[level].add((d["path"], re.search(r"back-link '(.*?)'", d["message"])[1]))
        else:
            keys[level].add((d["path"], re.search(r"'(.*?)'", d["message"])[1]))
    return keys


def _site(site_factory, files, level="warn", options=OPTIONS, config=CONFIG):
    site = site_factory(files, options=options)
    site.write("mkdocs.yml", site.config.read_text() + config.format(level=level))
    return site


def test_mkdocs_own_strict_build_and_our_check_reject_the_same_problems(site_factory) -> None:
    site = _site(site_factory, PROBLEMS)
    code, report = site.check_json("--strict")
    ours = our_keys(report["diagnostics"])
    assert code == 1
    assert ours["WARNING"] == {
        ("content/index.md", "missing.md"), ("content/index.md", "photo.png"), ("content/index.md", "a.md#nope"),
        ("content/index.md", "#nowhere"), ("content/index.md", "sub/"), ("content/index.md", "/a.md"),
        ("content/index.md", "a.html"), ("content/index.md", "gone.md"), ("content/index.md", "#fnref:2"),
        ("content/orphan.md", ""), ("content/sub/README.md", ""), ("mkdocs.yml", "missing.md"),
        ("mkdocs.yml", "/old/page.md")}
    assert ours["INFO"] == {("content/index.md", "excluded.md"), ("mkdocs.yml", "excluded.md")}

    # MkDocs alone (our link codes off): the strict build fails, and on exactly these problems
    alone = _site(site_factory, PROBLEMS, options=OURS_OFF)
    r = alone.build("--strict")
    assert r.returncode == 1 and "Aborted with 13 warnings in strict mode!" in r.stdout + r.stderr, r.stderr
    assert mkdocs_keys(r.stderr) == ours


def test_with_our_check_each_problem_shows_once_at_its_position(site_factory) -> None:
    site = _site(site_factory, PROBLEMS)
    expected = [line for line in site.check().stdout.splitlines() if re.search(r"\[(links|nav)\.", line)]
    assert len(expected) == 13
    r = site.build()  # not strict, so that MkDocs' own checks run too
    assert r.returncode == 0, r.stderr
    logged = [re.sub(r"^[A-Z]+ +-  ", "", line) for line in r.stderr.splitlines() if re.search(r"\[(links|nav)\.", line)]
    assert [line for line in logged if ": warning: " in line] == expected
    assert mkdocs_keys(r.stderr) == {"WARNING": set(), "INFO": set()}  # MkDocs' repeats were dropped
    r = site.build("--strict")
    assert r.returncode == 1 and "site not built" in r.stderr


CLEAN = {
    "content/index.md": page("Home", """\
        # Home

        It helps [@karakoc2002safe; @bad2021leaflet]. [Sources](#pg-references), [first](#pg-ref-1),
        [its text](#pg-reftext-2), [cited here](#pg-cite-1-1), [entry](references.md#ref-karakoc2002safe).
        [Risks](more.md#risks-1) [again](more.md#risks) [code](more.md#the-code-word) [attr](more.md#custom)
        [raw](more.md#rawid) [note](more.md#fn:1) ![pic](img/pic.png) [sub](sub/index.md) [q](more.md?x=1#risks)
        [reference][r] <a href="more/#custom">raw link</a> [top](#home)

        [r]: more.md#custom "Title"
        """),
    "content/more.md": page("More", """\
        # More

        ## Risks [@karakoc2002safe]

        ## Risks

        ## The `code` word

        ## Fancy {#custom}

        <p id="rawid">Raw.</p>

        A note[^1] [@bad2021leaflet].

        [^1]: The note.
        """),
    "content/sub/index.md": page("Sub", "# Sub\n\n[Up](../index.md#home) [more](../more.md) [@karakoc2002safe]\n"),
    "content/img/pic.png": "not really a picture",
}
CLEAN_CONFIG = "validation:\n  omitted_files: warn\n  absolute_links: warn\n  unrecognized_links: warn\n  anchors: warn\n"


def test_a_site_whose_links_are_all_good_passes_both(site_factory) -> None:
    """Before, MkDocs rejected links to the anchors our plugin adds (the reference list, citations,
    bibliography entries), which the built pages have: the strict build failed a site the check passed."""
    site = _site(site_factory, CLEAN, config=CLEAN_CONFIG)
    r = site.check("--strict")
    assert r.returncode == 0, r.stdout
    r = site.build("--strict")
    assert r.returncode == 0, r.stderr
    html = site.html("more/index.html")
    assert all(f'id="{i}"' in html for i in ("risks-1", "risks", "custom", "rawid", "fn:1"))


def test_notes_pass_both(site_factory) -> None:
    files = {k: v for k, v in PROBLEMS.items() if k != "content/sub/README.md"}  # MkDocs always warns about that
    site = _site(site_factory, files, level="info")
    code, report = site.check_json("--strict")
    notes = our_keys(report["diagnostics"])
    assert code == 0 and notes["WARNING"] == set() and len(notes["INFO"]) == 14
    assert site.build("--strict").returncode == 0
