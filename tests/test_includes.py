"""Reusable blocks: included with pymdownx.snippets' syntax, checked as part of each page that
includes them, with every problem at the block's own position."""

from __future__ import annotations

import re

import pytest

from conftest import page

BLOCK = """\
!!! danger "Who must not use it"
    Do not use it if you have a pacemaker [@bad2021leaflet].
"""


def _diags(site) -> list[str]:
    return [line for line in site.check().stdout.splitlines() if line]


def test_block_citations_are_numbered_per_page_and_listed(site_factory) -> None:
    site = site_factory({
        "blocks/do-not-use.md": BLOCK,
        "content/a.md": page("A", """\
            # A

            It helps most people [@karakoc2002safe].

            --8<-- "blocks/do-not-use.md"
            """),
        "content/b.md": page("B", '# B\n\n--8<-- "blocks/do-not-use.md"\n\nIt helps [@karakoc2002safe].\n'),
    })
    code, report = site.check_json()
    assert code == 0, report["diagnostics"]
    pages = {p["path"]: p for p in report["pages"]}
    assert pages["content/a.md"]["blocks"] == ["blocks/do-not-use.md"]
    assert pages["content/index.md"]["blocks"] == []
    block_cite = {"key": "bad2021leaflet", "line": 2, "col": 44, "path": "blocks/do-not-use.md"}
    assert block_cite in pages["content/a.md"]["citations"] and block_cite in pages["content/b.md"]["citations"]
    r = site.build("--strict")
    assert r.returncode == 0, r.stderr
    a, b = site.html("a/index.html"), site.html("b/index.html")
    # the block's citation is number 2 on page A (after the page's own) and number 1 on page B
    assert re.search(r'pacemaker \[<a class="pg-cite"[^>]*href="#pg-ref-2"', a)
    assert re.search(r'pacemaker \[<a class="pg-cite"[^>]*href="#pg-ref-1"', b)
    for html in (a, b):
        assert "Iontophoresis for hyperhidrosis" in html  # the block's reference is in the page's list
        assert "--8&lt;--" not in html and "--8<--" not in html


def test_problem_in_a_block_is_reported_at_the_block(site_factory) -> None:
    site = site_factory({
        "blocks/stop.md": "Stop if it hurts.\n\nCall for help [@nosuchkey].\n",
        "content/a.md": page("A", '# A\n\nIt helps [@karakoc2002safe].\n\n--8<-- "blocks/stop.md"\n\nIt works [@nokey2].\n'),
    })
    lines = _diags(site)
    assert ("blocks/stop.md:3:16: error: unknown citation key 'nosuchkey' [citation.unknown-key]") in lines
    # the page's own lines after the include keep their own numbers
    assert "content/a.md:18:11: error: unknown citation key 'nokey2' [citation.unknown-key]" in lines
    _, report = site.check_json()
    d = next(d for d in report["diagnostics"] if d["path"] == "blocks/stop.md")
    assert d["related"] == "included from content/a.md"


def test_problem_in_a_block_is_reported_once_with_every_page_that_includes_it(site_factory) -> None:
    site = site_factory({
        "blocks/stop.md": "Call {{ clinic.emergency_number }} now [@nosuchkey].\n",
        "content/a.md": page("A", '# A\n\nIt helps [@karakoc2002safe].\n\n--8<-- "blocks/stop.md"\n'),
        "content/b.md": page("B", '# B\n\nIt helps [@karakoc2002safe].\n\n--8<-- "blocks/stop.md"\n'),
    })
    lines = _diags(site)
    for expected in ("blocks/stop.md:1:41: error: unknown citation key 'nosuchkey' [citation.unknown-key]",
                     "blocks/stop.md:1:6: error: '{{ clinic.emergency_number }}' cannot be filled: the site has no "
                     "clinic profile that loads ('extra.clinic' in mkdocs.yml) [include.placeholder]"):
        assert lines.count(expected) == 1, lines
    _, report = site.check_json()
    for d in (d for d in report["diagnostics"] if d["path"] == "blocks/stop.md"):
        assert d["related"] == "included from content/a.md, content/b.md", d


@pytest.mark.parametrize(("files", "expected"), [
    pytest.param({"content/a.md": page("A", '# A\n\nIt helps [@karakoc2002safe].\n\n--8<-- "blocks/nope.md"\n')},
                 "content/a.md:16:1: error: cannot include 'blocks/nope.md': no such file [include.missing]",
                 id="missing"),
    pytest.param({"content/a.md": page("A", '# A\n\nIt helps [@karakoc2002safe].\n\n  --8<-- "content/index.md"\n')},
                 "content/a.md:16:3: error: cannot include 'content/index.md': it is outside the blocks folder 'blocks/' "
                 "[include.outside-blocks]", id="outside"),
    pytest.param({"content/a.md": page("A", '# A\n\nIt helps [@karakoc2002safe].\n\n--8<-- "blocks/../../etc/passwd"\n')},
                 "content/a.md:16:1: error: cannot include 'blocks/../../etc/passwd': it is outside the blocks folder "
                 "'blocks/' [include.outside-blocks]", id="dot-dot"),
    pytest.param({"blocks/x.md": 'X.\n\n--8<-- "blocks/y.md"\n', "blocks/y.md": '--8<-- "blocks/x.md"\n',
                  "content/a.md": page("A", '# A\n\nIt helps [@karakoc2002safe].\n\n--8<-- "blocks/x.md"\n')},
                 "blocks/y.md:1:1: error: 'blocks/x.md' includes itself (through blocks/x.md → blocks/y.md → "
                 "blocks/x.md) [include.cycle]", id="cycle"),
    pytest.param({"content/a.md": page("A", '# A\n\nCall {{ clinic.emergency_number }} [@karakoc2002safe].\n')},
                 "content/a.md:14:6: error: '{{ clinic.emergency_number }}' cannot be filled: the site has no clinic "
                 "profile that loads ('extra.clinic' in mkdocs.yml) [include.placeholder]", id="placeholder-without-clinic"),
])
def test_bad_includes_are_errors_at_the_include(site_factory, files, expected) -> None:
    site = site_factory(files)
    r = site.check()
    assert expected in r.stdout.splitlines(), r.stdout
    assert r.returncode == 1


def test_escaped_include_is_shown_as_text(site_factory) -> None:
    site = site_factory({"content/a.md": page("A", '# A\n\nIt helps [@karakoc2002safe].\n\n    ;--8<-- "blocks/x.md"\n')})
    assert site.check().returncode == 0


def test_readability_and_lints_read_the_blocks(site_factory) -> None:
    long_sentence = " ".join(["word"] * 30) + " [@karakoc2002safe]."
    site = site_factory({"blocks/long.md": long_sentence + "\n",
                         "content/a.md": page("A", '# A\n\nShort [@karakoc2002safe].\n\n--8<-- "blocks/long.md"\n')})
    lines = _diags(site)
    assert "blocks/long.md:1:1: warning: sentence has 30 words (more than 25) (split it in two) [style.long-sentence]" \
        in lines
    r = site.check("--report")
    row = next(x for x in r.stdout.splitlines() if x.startswith("| content/a.md"))
    assert int(row.split("|")[2]) >= 31  # the block's words count
