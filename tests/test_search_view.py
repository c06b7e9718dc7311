"""The search indexer reads citations and the bibliography in their lean form (search_view.py): the
same search index and the same pages as with the full HTML, and far fewer tags for the indexer."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from material.plugins.search.plugin import SearchIndex

from conftest import GOOD_BIB, page
from patientguide import render, search_view
from patientguide.references import load_references
from patientguide.render import render_bibliography, render_page

TRICKY_BIB = GOOD_BIB + r"""
@article{odd2020,
  author = {O'Brien, Seán and {\O}stergaard, Ann-Sofie},
  title = {Sweat \& tears: <b>not</b> a "tag", it's *bold* _under_ [x] | y {\'e}t{\'e}},
  journal = {J \& J},
  year = {2020}, evidence = {trial},
  pages = {1--9},
  doi = {10.1000/a<b>&c}
}
"""

PAGES = {
    "content/index.md": page("Home", """
        # Home

        It can help [@karakoc2002safe; @bad2021leaflet]. *Some* say more[@odd2020].
        **Bold**[see @karakoc2002safe, p. 3; @odd2020, pp. 4-6 and more].

        @karakoc2002safe found it; others [-@bad2021leaflet] did not.
        A line ends here
        [@odd2020] and goes on.

        ## Why it works [@odd2020]

        - In a list [@karakoc2002safe].
        - *Two* <em> </em> [@bad2021leaflet]

        | a | b |
        |---|---|
        | cell [@odd2020] | x |

        !!! note "A note"
            Inside [@karakoc2002safe, chap. 2].

        > Quoted [@bad2021leaflet; @odd2020; @karakoc2002safe].

        A footnote.[^1]

        [^1]: Noted [@odd2020].
        """),
    "content/q-and-a.md": page("Q&A <and> more", """
        # Questions & answers

        Ask [@odd2020; @karakoc2002safe].
        """),
}


def _indexed(content: str) -> list[dict]:
    class Page:
        meta: dict = {}
        toc: list = []
        url = "p/"
        title = "P"

    index = SearchIndex(lang=["en"], separator="", pipeline=[], fields={})
    Page.content = content  # type: ignore[attr-defined]
    index.add_entry_from_context(Page())
    return index.entries


def _site_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_site_and_its_search_index_are_the_same_as_with_the_full_html(site_factory, monkeypatch) -> None:
    """Every built file (pages, search index) is byte for byte what the full HTML gives, while the
    indexer reads citations and the bibliography without their tags."""
    site = site_factory(PAGES, bib=TRICKY_BIB)
    seen: dict[str, str] = {}
    real = SearchIndex.add_entry_from_context
    monkeypatch.setattr(SearchIndex, "add_entry_from_context",
                        lambda self, p: seen.__setitem__(p.file.src_uri, p.content) or real(self, p))
    r = site.build(site_dir="lean")
    assert r.returncode == 0, r.stderr
    assert seen["index.md"].count('class="pg-cite"') == 1  # in the heading only: the table of contents has it
    assert site.html(site_dir="lean").count('class="pg-cite"') > 10
    listed = seen["references.md"].split("<ol>", 1)[1]
    assert "<a " not in listed and "<span" not in listed and "Cited on: Home, Q&amp;A &lt;and&gt; more" in listed
    assert 'href="../q-and-a/#pg-references">Q&amp;A &lt;and&gt; more</a>' in site.html("references/index.html", "lean")

    monkeypatch.setattr(search_view, "lean_inline", lambda fragment: None)  # the full HTML, as before
    monkeypatch.setattr(search_view, "kept_lean_block", lambda fragment, kept: None)
    r = site.build(site_dir="full")
    assert r.returncode == 0, r.stderr
    assert seen["index.md"].count('class="pg-cite"') > 10
    lean, full = _site_files(site.root / "lean"), _site_files(site.root / "full")
    assert lean.keys() == full.keys() and "search/search_index.json" in lean
    assert [name for name in lean if lean[name] != full[name]] == []
    assert not any(b"<!--pg" in data for name, data in lean.items() if name.endswith(".html"))


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(["", "*x* ", "a\n", "<em> </em> ", "**b**"]), st.sampled_from(["", " ", ".", "\n\nNext."]))
def test_citations_index_the_same_in_any_setting(before: str, after: str) -> None:
    bib = load_references([("r.bib", TRICKY_BIB)])
    text = (f"# T\n\n{before}[@odd2020; @karakoc2002safe]{after}\n\n- {before}[see @odd2020, p. 3 &amp; 4]{after}\n\n"
            f"| a |\n|---|\n| {before}@bad2021leaflet [p. 2]{after} |\n\n## H [@odd2020]\n\n> x [-@odd2020; @x]\n")
    rendered = render_page(text, bib, deferred=True)
    html = markdown.markdown(rendered.markdown, extensions=["tables"])
    full, lean = rendered.fill(html, late_blocks=True), rendered.fill(html, late_blocks=True, lean=True)
    assert lean != full and 'class="pg-cite"' not in lean.split("<h2", 1)[0]
    assert _indexed(lean) == _indexed(full)
    assert rendered.finish(lean) == rendered.finish(full)


def test_the_bibliography_indexes_the_same() -> None:
    bib = load_references([("r.bib", TRICKY_BIB)])
    cited_on = {k: [("index.md", "Home"), ("q.md", "Q&A <and>\n more")] for k in bib.entries}
    block = render_bibliography(cited_on, bib, bibliography_src="references.md")
    lean = search_view.lean_block(block)
    assert lean is not None and lean.count("<li>") == len(bib.entries) and "<a" not in lean
    page_html = f"<h1 id='r'>R</h1>\n<p>Intro.</p>\n{block}\n<p>After.</p>"
    assert _indexed(page_html.replace(block, "<!--pg0123456789:bibliography-->" + lean)) == _indexed(page_html)


# --- the rules, against the indexer itself ---------------------------------------------------

GOOD_PAIRS = [("<i>", "</i>"), ('<a href="x">', "</a>"), ('<span class="s">', "</span>"), ("<b>", "</b>")]
PAIRS = GOOD_PAIRS * 4 + [("<sup>", "</sup>"), ("<a title='x'>", "</a>"), ("<code>", "</code>")]
WORDS = ["a", "b c", "x\ny", "&amp;", "&lt;", "&", "é", ",", "–", "[", "]", " a ", "\nb"]
SPACES = [" ", "  ", "\n", " \n ", "&#32;", "&#x20;"]
TEXTS = WORDS * 3 + SPACES
inline = st.recursive(st.sampled_from([*TEXTS, "<br>", "<!-- c -->"]),
                      lambda inner: st.builds(lambda pair, body: pair[0] + "".join(body) + pair[1],
                                              st.sampled_from(PAIRS), st.lists(inner, max_size=3)), max_leaves=8)
fragments = st.lists(inline, max_size=4).map("".join)
FAST = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(st.sampled_from(TEXTS), fragments, st.sampled_from(TEXTS), st.sampled_from(["", " ", "text ", "<b>x</b> "]),
       st.sampled_from(["", " ", " text"]), st.sampled_from(["p", "li", "h2", "pre"]))
def test_a_lean_inline_form_indexes_as_the_fragment_does(first: str, middle: str, last: str, before: str, after: str,
                                                         where: str) -> None:
    fragment = first + middle + last
    lean = search_view.lean_inline(fragment)
    if lean is None:
        return
    head, rest = lean
    wrap = "<ul>{}</ul>" if where == "li" else "{}"
    page_html = "<h1 id='t'>T</h1>\n" + wrap.format(f"<{where} id='w'>{before}{{}}{after}</{where}>") + "\n<p>z</p>"
    assert _indexed(page_html.format(f"{head}<!--m-->{rest}")) == _indexed(page_html.format(fragment))


@FAST
@given(st.lists(fragments, min_size=1, max_size=4), st.sampled_from(["", "\n", " "]))
def test_a_lean_list_indexes_as_the_list_does(items: list[str], gap: str) -> None:
    block = "<ol class=\"o\">" + gap + gap.join(f"<li id=\"i\">{item}</li>" for item in items) + gap + "</ol>"
    lean = search_view.lean_block(block)
    if lean is None:
        return
    page_html = "<h1 id='t'>T</h1>\n<p>Intro <b>x</b></p>\n<ul><li>a</li></ul>{}\n<p>After.</p>"
    assert _indexed(page_html.format("<!--m-->" + lean)) == _indexed(page_html.format(block))


def test_what_a_lean_form_leaves_alone() -> None:
    assert search_view.lean_inline("[<a href=\"#r\">1</a>]") == ("[", "1]")
    assert search_view.lean_inline("[<a href='#r'>1</a>]") is None  # quotes the indexer might read otherwise
    assert search_view.lean_inline("[<a href=\"#r\"> </a>]") is None  # whitespace: the indexer would merge it
    assert search_view.lean_inline("[<sup>1</sup>]") is None  # a tag the indexer keeps
    assert search_view.lean_inline("[<a href=\"#r\">1]") is None  # unbalanced
    assert search_view.lean_inline("plain text") is None
    assert search_view.lean_block("<ol><li>a</li><li> <i> </i></li></ol>") is None  # an empty element
    assert search_view.lean_block("<ol><li>a<!-- c --></li></ol>") is None
    assert search_view.lean_block("<ol data-search-exclude><li>a</li></ol>") is None
    spaced = "<ol><li>a <i> </i> <b> </b>b\nc</li></ol>"  # "a ", " ", " " (dropped), " " (dropped), "b c"
    assert search_view.lean_block(spaced) == "<ol><li>a  b c</li></ol>"
    assert _indexed(search_view.lean_block(spaced) or "") == _indexed(spaced)


def test_a_page_changed_after_fill_keeps_its_text() -> None:
    """If something rewrote the lean text before the page is finished, the full HTML does not go in
    at the wrong place: the text stays as it is and the marker goes."""
    bib = load_references([("r.bib", GOOD_BIB)])
    rendered = render_page("# T\n\nIt helps [@karakoc2002safe].\n", bib, deferred=True)
    lean = rendered.fill(markdown.markdown(rendered.markdown), late_blocks=True, lean=True)
    assert re.search(r"\[<!--pg[0-9a-f]{10}:0-->1\]", lean)
    changed = lean.replace("-->1]", "-->1 ]")
    out = rendered.finish(changed)
    assert "It helps [1 ]." in out and "<!--pg" not in out and 'class="pg-references"' in out
    assert 'class="pg-cite"' in rendered.finish(lean)


def test_tokens_and_markers_of_another_page_are_left_alone() -> None:
    bib = load_references([("r.bib", GOOD_BIB)])
    one = render_page("It helps [@karakoc2002safe].\n", bib, deferred=True)
    other = render_page("Also [@karakoc2002safe].\n", bib, deferred=True)
    lean = other.fill(markdown.markdown(other.markdown), late_blocks=True, lean=True)
    assert one.finish(lean) == lean
    assert render.RenderedPage("x", render.PageCitations()).finish(lean) == lean
