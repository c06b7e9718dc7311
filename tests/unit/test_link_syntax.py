"""Finding links in Markdown as Python-Markdown finds them, with the address's own offset."""

from __future__ import annotations

import time

import markdown
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patientguide.link_syntax import html_links, markdown_links, unreferenced_footnotes, visible_text

EXTENSIONS = ["toc", "tables", "fenced_code", "admonition", "attr_list", "def_list", "footnotes",
              "pymdownx.details", "pymdownx.superfences", "md_in_html"]


def tree_addresses(text: str) -> set[str]:
    """The ``href`` of every ``<a>`` and ``src`` of every ``<img>`` Python-Markdown builds (what
    MkDocs checks); footnote links left out."""
    md = markdown.Markdown(extensions=EXTENSIONS)
    found: set[str] = set()

    class Collect(markdown.treeprocessors.Treeprocessor):
        def run(self, root):
            for el in root.iter():
                if el.tag == "a" and el.get("href") is not None and not el.get("href").startswith("#fn"):
                    found.add(el.get("href"))
                elif el.tag == "img":
                    found.add(el.get("src"))

    md.treeprocessors.register(Collect(md), "collect", 0)
    md.convert(text)
    return found


def ours(text: str) -> list:
    return markdown_links(text, visible_text(text, 0))


CASES = [
    "[a](b.md)", "[a]( b.md )", '[a](b.md "t")', "[a](b.md 't')", "[a](<b c.md>)", '[a](<b c.md> "t")',
    "[a](b(c).md)", "[a](b.md#x)", "![i](p.png)", "[![i](p.png)](b.md)", "[a][r]\n\n[r]: x.md",
    "[a][]\n\n[a]: x.md", "[a]\n\n[a]: x.md", "[A b][]\n\n[a  B]: <x.md>", '[a] [r]\n\n[r]: x.md "t"',
    "[a][nope]", "`[a](b.md)`", "    [a](b.md)", "```\n[a](b.md)\n```", "<!-- [a](b.md) -->", "\\[a](b.md)",
    "[a\\](b.md)", "[a](b\\_c.md)", "[a](b.md)[c](d.md)", "- [a](b.md)\n- [c](d.md)", "!!! note\n    [a](b.md)",
    "| x | [a](b.md) |\n|---|---|\n| [c](d.md) | y |", "[a\nb](c.md)", "[a](\nb.md)", '[a](b.md\n"t")',
    "[a](my file.md)", '[a](b.md"t")', "Text[^1].\n\n[^1]: note [a](b.md)", "[a]: x.md\n[b]: y.md\n\n[a] and [b][]",
    "[x](#top)", "# H [a](b.md)", "> [a](b.md)", "[*a*](b.md)", "[a](b.md){: .c}", "[[a]](b.md)",
    "[a [b](c.md)](d.md)", "[r]: \n    x.md\n\n[r]", "  [r]: x.md\n\n[r]", "[a](b.md 'title (paren)')",
    '<div markdown="1">\n[a](b.md)\n</div>', "Term\n:   [a](b.md)", "> [r]: q.md\n\n[r]", "- [r]: l.md\n\n[r]",
    "Say [r]: it\n\n[r]: x.md", "[a](`b.md`)", "`x` [a](b.md) `y`", "[a `b`](c.md)", "[a](b.md) `[c](d.md)`",
    "[r]: c.md\n    [r]\n", "[a](b.md 'x\" y)", "[]((\"t\")", '[a](<b.md> "t") [c](d.md "x (y")',
]


@pytest.mark.parametrize("text", CASES)
def test_same_addresses_as_python_markdown(text: str) -> None:
    assert {link.url for link in ours(text)} == tree_addresses(text)


WORDS = st.sampled_from(["text", "a", "p.md", "Side effects", "x (y)", "1.5", "@", "#", "*em*", "`code`", "!"])
ADDRESSES = st.sampled_from(["a.md", "sub/b.md", "../c.md", "d.md#part", "#top", "img.png", "e.md?x=1",
                             "https://example.org/", "f g.md", "h(i).md", "mailto:x@y.org", ""])


@st.composite
def links(draw) -> str:
    text = " ".join(draw(st.lists(WORDS, min_size=0, max_size=3)))
    address = draw(ADDRESSES)
    title = draw(st.sampled_from(["", ' "A title"', " 'Its title'", ' "Title (with) parens"']))
    form = draw(st.sampled_from(["inline", "angle", "image", "reference", "collapsed", "shortcut"]))
    if form in ("inline", "image"):
        return f"{'!' if form == 'image' else ''}[{text}]({address}{title})"
    if form == "angle":
        return f"[{text}](<{address}>{title})"
    label = draw(st.sampled_from(["one", "Two words", "x"]))
    usage = {"reference": f"[{text}][{label}]", "collapsed": f"[{label}][]", "shortcut": f"[{label}]"}[form]
    return usage + f"\n\n[{label}]: {address or 'z.md'}{title}\n"


@st.composite
def pages(draw) -> str:
    blocks = []
    for _ in range(draw(st.integers(1, 4))):
        line = " ".join(draw(st.lists(st.one_of(WORDS, links()), min_size=1, max_size=4)))
        prefix = draw(st.sampled_from(["", "# ", "## ", "- ", "1. ", "> ", "!!! note\n    "]))
        blocks.append(prefix + line)
    return "\n\n".join(blocks) + "\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(pages())
def test_same_addresses_as_python_markdown_for_generated_pages(text: str) -> None:
    assert {link.url for link in ours(text)} == tree_addresses(text)


SOUP = ["[", "]", "(", ")", "text", "p.md", " ", "\n", "\n\n", "!", "`", '"', "'", "#", "*", "[r]: c.md\n",
        "- ", "> ", "    ", "<", ">", "<!--", "-->", "\\", "<a href=x>", "[^1]", "{#i}"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SOUP), max_size=30))
def test_any_text_is_read_without_error(tokens: list[str]) -> None:
    text = "".join(tokens)
    visible = visible_text(text, 0)
    for link in markdown_links(text, visible) + html_links(text, visible):
        assert 0 <= link.offset <= len(text)
    unreferenced_footnotes(visible)


def test_offsets_point_at_the_address() -> None:
    text = ('# T\n\nSee [a](one.md "t") and ![i](<two words.png>).\nThen [r][x] and [y].\n\n'
            '[x]: three.md\n[y]:\n  four.md\n\n<a href="five.md">f</a> <img alt="" src=\'six.png\'>\n')
    found = ours(text) + html_links(text, visible_text(text, 0))
    assert [(link.url, link.kind, text[link.offset:link.offset + len(link.url)]) for link in found] == [
        ("one.md", "link", "one.md"), ("two words.png", "image", "two words.png"),
        ("three.md", "reference", "three.md"), ("four.md", "reference", "four.md"),
        ("five.md", "html", "five.md"), ("six.png", "html", "six.png")]


def test_raw_html_addresses_are_decoded_as_a_browser_decodes_them() -> None:
    text = '<a href="a&amp;b.md">x</a> <a href=&#x66;.md>y</a> <A HREF="C.md">z</A> <abbr title="n">n</abbr>'
    assert [link.url for link in html_links(text, visible_text(text, 0))] == ["a&b.md", "f.md", "C.md"]


def test_citations_and_front_matter_are_not_links() -> None:
    text = "---\ntitle: '[a](fm.md)'\n---\n[@key](cite.md) and [b](real.md)\n"
    start = text.index("[@key]")
    visible = visible_text(text, text.index("[@key]"), spans=[(start, start + 6)])
    assert [link.url for link in markdown_links(text, visible)] == ["real.md"]


def test_unreferenced_footnotes() -> None:
    text = "One[^a] and a colon ref[^c]: fine.\n\n[^a]: used\n[^b]: never\n[^c]: used too\n"
    visible = visible_text(text, 0)
    assert [(label, text[offset:offset + 5]) for label, offset in unreferenced_footnotes(visible)] == [("b", "[^b]:")]


@pytest.mark.parametrize("hostile", [
    "[x " * 40000, "[y](" * 20000, "[a](" * 20000 + ")" * 20000, '[y]("' * 20000, "[a](b)" * 40000,
    "]" * 40000 + "[" * 40000, "[r]: a.md\n" * 20000 + "[r]" * 20000, "[r]: a.md\n    x\n" * 20000,
])
def test_linear_time_on_hostile_pages(hostile: str) -> None:
    started = time.monotonic()
    visible = visible_text(hostile, 0)
    markdown_links(hostile, visible)
    html_links(hostile, visible)
    assert time.monotonic() - started < 10
