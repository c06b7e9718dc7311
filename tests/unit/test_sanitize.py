"""The address judge (safe_html.url_is_safe) and the output sanitizer (sanitize.output_findings):
what a browser would run is refused, and harmless serialisation differences never are."""

from __future__ import annotations

import markdown
import pytest

from patientguide import safe_html as safety
from patientguide import sanitize
from patientguide.template_data import keypoints_html
from patientguide.references import load_references
from patientguide.render import render_bibliography, render_page


@pytest.mark.parametrize(
    ("raw", "seen"),
    [
        ("&#106;avascript:alert(1)", "javascript:alert(1)"),
        ("&#106avascript:alert(1)", "javascript:alert(1)"),
        ("&#0000106;avascript:alert(1)", "javascript:alert(1)"),
        ("&#x6A;avascript:alert(1)", "javascript:alert(1)"),
        ("j&#x61vascript:alert(1)", "javascript:alert(1)"),
        ("javascript&colon;alert(1)", "javascript:alert(1)"),
        ("java&Tab;script:alert(1)", "javascript:alert(1)"),
        ("java&NewLine;script:alert(1)", "javascript:alert(1)"),
        ("java\tscript:alert(1)", "javascript:alert(1)"),
        ("java\nscript:alert(1)", "javascript:alert(1)"),
        ("java\rscript:alert(1)", "javascript:alert(1)"),
        (" \x01\x1f javascript:alert(1) \x00", "javascript:alert(1)"),
        ("java\x01script:alert(1)", "java\x01script:alert(1)"),  # a control character left inside
        ("JaVaScRiPt:alert(1)", "JaVaScRiPt:alert(1)"),
        ("vbscript:msgbox(1)", "vbscript:msgbox(1)"),
        ("data:text/html,<script>alert(1)</script>", "data:text/html,<script>alert(1)</script>"),
        ("file:///etc/passwd", "file:///etc/passwd"),
        ("foo:bar", "foo:bar"),
    ],
)
def test_unsafe_addresses(raw: str, seen: str) -> None:
    assert safety.url_is_safe(raw) == (False, seen)


@pytest.mark.parametrize(
    "raw",
    ["http://example.org/", "HTTPS://example.org/", "mailto:a@example.org", "tel:+441234567890", "page.md",
     "#anchor", "/abs/path", "?q=1", "page.md?a=b:c", "other.md#x:y", "./a:b", "//example.org/x", "",
     "\u212aavascript:alert(1)"],  # KELVIN SIGN: not an ASCII letter, so no scheme at all
)
def test_safe_addresses(raw: str) -> None:
    assert safety.url_is_safe(raw) == (True, raw)


def test_srcset_candidates_are_each_an_address() -> None:
    assert safety.attribute_urls("img", "srcset", "a.png 1x, data:x,y 2x,javascript:z") == [
        (0, "a.png"), (10, "data:x,y"), (22, "javascript:z")]
    assert safety.attribute_urls("a", "ping", "/a  javascript:x") == [(0, "/a"), (4, "javascript:x")]
    assert safety.attribute_urls("animate", "values", "#a;javascript:x") == [(0, "#a"), (3, "javascript:x")]
    assert safety.attribute_urls("p", "title", "javascript:x") == []


def test_addresses_are_shown_whole_and_cut_only_when_long() -> None:
    assert safety.show("javascript:alert(1)") == "javascript:alert(1)"
    assert safety.show("java\tscript:\x01") == "java\\tscript:\\x01"
    long = "data:text/html;base64," + "A" * 200
    assert safety.show(long) == long[:79] + "…"


# --- the output sanitizer -------------------------------------------------------------

MARKDOWN = """\
# Title

Text with a footnote[^1], *an abbreviation* HTML, `code` and a [link](other.md "Title").

*[HTML]: Hyper Text Markup Language

| Left | Centre | Right |
|:-----|:------:|------:|
| a    | b      | c     |

!!! note "A note"
    Body with [a link](https://example.org/) and <abbr title="x">y</abbr>.

??? warning "Closed"
    Body

Term
:   Definition

- [x] done
- [ ] to do

=== "Tab 1"
    One

=== "Tab 2"
    Two

```python
print("hi")
```

![A picture](a.png "Title"){ width="300" loading=lazy }

<figure markdown>
  ![A picture](b.png)
  <figcaption>Caption</figcaption>
</figure>

Call [0123](tel:+441234567890) or [write](mailto:a@example.org).

[^1]: The note.
"""
EXTENSIONS = ["admonition", "tables", "footnotes", "attr_list", "def_list", "abbr", "md_in_html", "toc",
              "pymdownx.superfences", "pymdownx.details", "pymdownx.tabbed", "pymdownx.tasklist", "pymdownx.highlight"]


def test_markdown_and_extension_output_passes() -> None:
    html = markdown.markdown(MARKDOWN, extensions=EXTENSIONS, extension_configs={"toc": {"permalink": True}})
    for piece in ('class="footnote-ref"', 'style="text-align: center;"', '<details class="warning">',
                  'type="checkbox"', '<label for="__tabbed_1_1">', 'class="headerlink"', 'href="tel:+441234567890"'):
        assert piece in html  # the output really has what the allow-list must let through
    assert sanitize.output_findings(html) == []


def test_our_citations_reference_lists_and_key_points_pass() -> None:
    bib = load_references([("r.bib", "@article{a, author={Karako{\\c{c}}, Yunus}, title={T}, journal={J}, "
                                      "year=2002, doi={10.1000/a}}\n@misc{d, title={D}, url={https://x.org/d?a=1&b=2}}")])
    page = render_page("# T\n\nIt helps [@a, p. 3; @d].\n", bib, deferred=True)
    html = page.fill("<h1>T</h1>\n<p>It helps " + page.token(0) + f".</p>\n<p>{page.add_block('x', '')}</p>")
    html += page.block_html("references") + keypoints_html(["A key point", "Another <one> & more"])
    html += render_bibliography({"a": [("index.md", "Home")], "d": [("index.md", "Home")]}, bib,
                                bibliography_src="references.md")
    assert 'class="pg-cite"' in html and "pg-references" in html and "pg-keypoints" in html
    assert sanitize.output_findings(html) == []


@pytest.mark.parametrize(
    "html",
    [
        "<p title='a &amp; b' class=x id=\"y\">caf&eacute; &#233; <br/><img src=a.png alt=''><hr></p>",
        "<p>one<p>two<ul><li>a<li>b</ul>",  # implied end tags
        "<table><tr><td style='text-align: left'>x</td></tr></table>",  # implied tbody
        "<pre>\n\ncode</pre><!-- a comment --><!--pg:references-->",
        '<a href="https://x.example/?a=1&amp;b=2" title="&quot;q&quot;">x</a><img alt="" srcset="a.png 1x, b.png 2x">',
    ],
)
def test_serialisation_differences_never_count(html: str) -> None:
    assert sanitize.output_findings(html) == []


@pytest.mark.parametrize(
    ("html", "finding"),
    [
        ('<p><iframe src="https://x"></iframe></p>', sanitize.Finding("tag", "iframe")),
        ("<script>alert(1)</script>", sanitize.Finding("tag", "script")),
        ('<p onclick="x()">a</p>', sanitize.Finding("attribute", "p", "onclick", "x()")),
        ('<p style="color: red">a</p>', sanitize.Finding("attribute", "p", "style", "color: red")),
        ('<a href="&#106;avascript:alert(1)">x</a>', sanitize.Finding("address", "a", "href", "javascript:alert(1)")),
        ('<a href="java\tscript:alert(1)">x</a>', sanitize.Finding("address", "a", "href", "javascript:alert(1)")),
        ('<img alt="" srcset="a.png 1x, javascript:alert(1) 2x">',
         sanitize.Finding("address", "img", "srcset", "javascript:alert(1)")),
        ('<blockquote cite="vbscript:x">q</blockquote>', sanitize.Finding("address", "blockquote", "cite", "vbscript:x")),
    ],
)
def test_the_allow_list_removes(html: str, finding: sanitize.Finding) -> None:
    assert finding in sanitize.output_findings(html)


@pytest.mark.parametrize(
    ("html", "value"),
    [
        ('<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', "javascript:alert(1)"),
        ('<svg><style><a href="javascript:alert(1)">x</a></style></svg>', "javascript:alert(1)"),  # not raw text in SVG
        ('<iframe src="data:text/html,x"></iframe>', "data:text/html,x"),
        ('<form action=" \x01JaVaScRiPt:x"><button formaction="file:///x">b</button></form>', "JaVaScRiPt:x"),
        ('<svg><a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a></svg>',
         "javascript:alert(1)"),
    ],
)
def test_allowed_pages_keep_their_tags_but_never_an_unsafe_address(html: str, value: str) -> None:
    found = sanitize.output_findings(html, relaxed=True)
    assert all(f.kind == "address" for f in found) and value in [f.value for f in found], found
    assert sanitize.output_findings('<iframe src="https://x"></iframe><p onclick="x()">a</p>', relaxed=True) == []


def test_a_finding_is_reported_where_the_source_writes_it() -> None:
    source = "---\ntitle: T\n---\n# T\n\nSee <a href='&#106;avascript:alert(1)'>this</a>.\n\n<p onclick=\"x()\">a</p>\n"
    html = '<h1>T</h1><p>See <a href="&#106;avascript:alert(1)">this</a>.</p><p onclick="x()">a</p>'
    found = [str(d) for d in sanitize.check_page_output(html, path="content/a.md", source=lambda: source)]
    assert found == [
        "content/a.md:6:14: error: the output sanitizer removes the address 'javascript:alert(1)' in '<a href>' from "
        "the built page (a link may only use http, https, mailto, tel or a relative address) [safety.output-sanitizer]",
        "content/a.md:8:4: error: the output sanitizer removes the attribute 'onclick' of '<p>' from the built page "
        "(pages may use simple formatting tags only; ask the web team to allow this page with a reason "
        "(allow_raw_html)) [safety.output-sanitizer]"]
    assert sanitize.check_page_output("<p>fine</p>", path="x", source=lambda: 1 / 0) == []  # source read only on need


def test_the_html5_parser_sees_what_pythons_tokenizer_misses() -> None:
    html = '<p><a\x00 href="javascript:alert(1)">x</a></p>'  # Python's tokenizer reads no tag here
    assert [t for t in sanitize._Tokens(html).items if t[0] == "start"] == [("start", "p", ())]
    assert sanitize.Finding("address", "a\ufffd", "href", "javascript:alert(1)") in sanitize.output_findings(
        html, relaxed=True)


def test_markup_that_pythons_tokenizer_rejects_is_read_as_a_browser_reads_it() -> None:
    text = "<![foo[ x ]]> <![if !supportLists]> <a href='javascript:alert(1)'>x</a>"  # AssertionError before
    assert [(a.seen, a.safe) for a in safety.scan_page(text, text).addresses] == [("javascript:alert(1)", False)]
    assert sanitize.Finding("address", "a", "href", "javascript:alert(1)") in sanitize.output_findings(text)
