"""Citations → patient-facing HTML."""

from __future__ import annotations

import html as htmllib
import re

import pytest

from patientguide.references import load_references
from patientguide.render import (compress, format_locator, page_url, relative_url, render_bibliography,
                                 render_markdown)

BIB = r"""
@article{a, author={Karako{\c{c}}, Yunus and Aydemir, E and Kalkan, M}, title={T a}, journal={J}, year=2002, doi={10.1000/a}}
@article{b, author={Solo, Han}, title={T b}, journal={J}, year=2003, pmid={123}}
@article{c, author={Two, A and Three, B}, title={T c}, journal={J}, year=2004, doi={10.1000/c}}
@misc{d, title={T d}, url={https://x.org/d}}
@misc{e, title={Star *and* under_score [x] | pipe}, url={https://x.org/e}}
"""


@pytest.fixture(scope="module")
def bib():
    b = load_references([("r.bib", BIB)])
    assert b.diagnostics == []
    return b


def visible(html: str) -> str:
    """What a reader sees inline (tags stripped, character references read; tooltips live in attributes)."""
    return htmllib.unescape(re.sub(r"<[^>]+>", "", html))


def body(md: str) -> str:
    return md.split("\n\n## References")[0]


@pytest.mark.parametrize(
    ("source", "seen"),
    [
        pytest.param("x [@a].", "x [1].", id="single"),
        pytest.param("x [@a; @b; @c].", "x [1–3].", id="range"),
        pytest.param("x [@a; @b].", "x [1, 2].", id="pair-not-range"),
        pytest.param("x [@b; @a] y [@a; @d].", "x [1, 2] y [2, 3].", id="first-use-order-and-sorting"),
        pytest.param("x [@a, p. 33].", "x [1, p. 33].", id="locator"),
        pytest.param("x [@a, pp. 33-35].", "x [1, pp. 33–35].", id="page-range-en-dash"),
        pytest.param("x [see @a, chap. 2; @b].", "x [2; see 1, chap. 2].", id="prefix-and-plain"),
        pytest.param("x [-@a].", "x [1].", id="suppress-author"),
        pytest.param("@a found it.", "Karakoç and colleagues [1] found it.", id="in-text-3-authors"),
        pytest.param("@b found it.", "Solo [1] found it.", id="in-text-1-author"),
        pytest.param("@c found it.", "Two and Three [1] found it.", id="in-text-2-authors"),
        pytest.param("@a [p. 4] found it.", "Karakoç and colleagues [1, p. 4] found it.", id="in-text-locator"),
        pytest.param("-@a found it.", "[1] found it.", id="in-text-suppress"),
    ],
)
def test_inline_rendering(bib, source: str, seen: str) -> None:
    out, _ = render_markdown(source, bib)
    assert visible(body(out)) == seen


def test_reference_list_in_order_of_first_use_with_backlinks(bib) -> None:
    out, state = render_markdown("x [@b] y [@a] z [@b].", bib)
    assert [r.key for r in state.order] == ["b", "a"]
    refs = out.split("## References\n\n", 1)[1]
    assert refs.index("Solo H.") < refs.index("Karako&#231; Y")
    assert '<li id="pg-ref-1">' in refs and 'href="#pg-cite-1-2"' in refs


def test_citation_is_described_by_its_reference_list_entry(bib) -> None:
    out, _ = render_markdown("x [@a].", bib)
    assert ('<a class="pg-cite" id="pg-cite-1-1" href="#pg-ref-1" aria-label="Reference 1" '
            'aria-describedby="pg-reftext-1">1</a>') in out
    assert '<li id="pg-ref-1"><span id="pg-reftext-1">Karako&#231; Y, Aydemir E, Kalkan M. T a.' in out


def test_what_we_write_is_ascii_and_reads_the_same(bib) -> None:
    """Names, dashes and the back arrow as character references (charrefs.py): the page stays an ASCII
    string for the host, and a browser reads the same text."""
    out, _ = render_markdown("Karakoç [@a, pp. 3-5] and [@a; @b; @c] found it [@b].", bib)
    assert out.replace("Karakoç [", "").isascii()  # all but the page's own text, which is left as it is
    assert "Karako&#231; Y" in out and "pp. 3&#8211;5" in out and "&#8617;&#65038;</a>" in out
    assert '1</a>&#8211;<a class="pg-cite"' in out  # [1–3]
    assert "Karakoç [" in htmllib.unescape(out) and "Karakoç Y" in htmllib.unescape(out)
    page = render_bibliography({"a": [("index.md", "Café")]}, bib, bibliography_src="references.md")
    assert page.isascii() and ">Caf&#233;</a>" in page and "Karakoç Y" in htmllib.unescape(page)


def test_markdown_special_characters_are_neutralised(bib) -> None:
    out, _ = render_markdown("| a |\n|---|\n| [@e] |\n", bib)
    entry = re.search(r'<span id="pg-reftext-1">(.*?)</span>', out).group(1)
    assert "*" not in entry and "_" not in entry and "|" not in entry and "[" not in entry


def test_citation_in_heading_has_no_tooltip(bib) -> None:
    out, _ = render_markdown("## Results [@a]\n\ntext [@a]\n", bib)
    heading = out.split("\n")[0]
    assert "aria-describedby" not in heading and 'href="#pg-ref-1"' in heading


def test_page_without_citations_is_unchanged(bib) -> None:
    text = "# Title\n\nNo citations `@a` here.\n"
    assert render_markdown(text, bib)[0] == text


@pytest.mark.parametrize(("nums", "text"), [([1], "1"), ([1, 2], "1, 2"), ([1, 2, 3], "1–3"),
                                            ([5, 1, 2, 3, 7, 8], "1–3, 5, 7, 8"), ([], "")])
def test_compress(nums, text) -> None:
    assert compress(nums) == text


@pytest.mark.parametrize(("label", "value", "text"), [("page", "3", "p. 3"), ("page", "3-5", "pp. 3–5"),
                                                      ("chapter", "2", "chap. 2"), ("section", "2.1", "sec. 2.1")])
def test_format_locator(label, value, text) -> None:
    assert format_locator(label, value) == text


@pytest.mark.parametrize(
    ("src", "dir_urls", "url"),
    [("index.md", True, ""), ("a.md", True, "a/"), ("sub/index.md", True, "sub/"), ("sub/b.md", True, "sub/b/"),
     ("a.md", False, "a.html"), ("index.md", False, "index.html")],
)
def test_page_url(src, dir_urls, url) -> None:
    assert page_url(src, dir_urls) == url


@pytest.mark.parametrize(
    ("frm", "to", "rel"),
    [("references/", "side-effects/", "../side-effects/"), ("references/", "", "../"),
     ("", "a/", "a/"), ("references.html", "a.html", "a.html"), ("sub/x/", "sub/y/", "../y/")],
)
def test_relative_url(frm, to, rel) -> None:
    assert relative_url(frm, to) == rel


def test_bibliography_lists_cited_references_with_pages(bib) -> None:
    html = render_bibliography({"b": [("side-effects.md", "Side effects")], "a": [("index.md", "Home"),
                                ("faq.md", "FAQ")]}, bib, bibliography_src="references.md")
    assert html.index("Karako&#231; Y") < html.index("Solo H")  # alphabetical by first author
    assert '<a href="../#pg-references">Home</a>, <a href="../faq/#pg-references">FAQ</a>' in html
    assert "T d" not in html  # never cited, not listed


def test_deferred_tokens_are_filled_and_lookalikes_left_alone(bib) -> None:
    from patientguide.render import render_page
    page = render_page("Write PGCITE0X or PGCITE0123456789N0X here [@a].\n", bib, deferred=True)
    html = f"<p>{page.markdown.split(chr(10))[0]}</p>"
    filled = page.fill(html)
    assert "PGCITE0X" in filled and "PGCITE0123456789N0X" in filled
    assert 'href="#pg-ref-1"' in filled and page.nonce not in filled
