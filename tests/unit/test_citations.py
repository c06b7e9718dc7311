"""Pandoc citation syntax, pinned case by case (Pandoc's manual, "Citation syntax")."""

from __future__ import annotations

import pytest

from patientguide.citations import Mode, parse_citations, parse_locator


def keys(text: str) -> list[str]:
    return [c.key for c in parse_citations(text).citations]


def one(text: str):
    cites = parse_citations(text).citations
    assert len(cites) == 1, cites
    return cites[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("[@a]", ["a"], id="bracketed"),
        pytest.param("[@a; @b]", ["a", "b"], id="group"),
        pytest.param("[see @a, pp. 33-35; also @b, chap. 1]", ["a", "b"], id="prefix-locator"),
        pytest.param("[-@a]", ["a"], id="suppress-author"),
        pytest.param("@a says so.", ["a"], id="in-text"),
        pytest.param("@a [p. 33] says so.", ["a"], id="in-text-locator"),
        pytest.param("@{weird key!} here", ["weird key!"], id="braced-key"),
        pytest.param("[@doe:2004.x]", ["doe:2004.x"], id="internal-punctuation"),
        pytest.param("Done by @doe2004.", ["doe2004"], id="final-period-not-in-key"),
        pytest.param("see @doe2004: it", ["doe2004"], id="final-colon-not-in-key"),
        pytest.param("@a--b", ["a"], id="double-dash-ends-key"),
        pytest.param("@a-b+c?d:e.f~g/h#i$j%k&l", ["a-b+c?d:e.f~g/h#i$j%k&l"], id="all-internal-punct"),
        pytest.param("@_under", ["_under"], id="underscore-start"),
        pytest.param("@2004smith", ["2004smith"], id="digit-start"),
        pytest.param("@Karakoç2002", ["Karakoç2002"], id="unicode-letters"),
        pytest.param("mail joe@example.com now", [], id="email-not-citation"),
        pytest.param("<joe@example.com>", [], id="email-autolink"),
        pytest.param("<https://x.org/@a>", [], id="url-autolink"),
        pytest.param("see https://x.org/@a here", [], id="bare-url"),
        pytest.param("[text](https://x.org/@a)", [], id="link-url"),
        pytest.param("[text @a](https://x.org)", ["a"], id="link-text-counts"),
        pytest.param("[ref]: https://x.org/@a", [], id="reference-definition"),
        pytest.param("`@a` and ``x @b x``", [], id="code-spans"),
        pytest.param("```\n@a\n```\n", [], id="fenced-code"),
        pytest.param("~~~~python\n@a\n~~~~\n", [], id="tilde-fence"),
        pytest.param("para\n\n    @a\n", [], id="indented-code"),
        pytest.param("<!-- @a -->", [], id="html-comment"),
        pytest.param("<!--\n@a\n-->\n[@b]", ["b"], id="multiline-comment"),
        pytest.param(r"\@a", [], id="escaped-at"),
        pytest.param(r"\[@b]", ["b"], id="escaped-bracket-leaves-in-text"),
        pytest.param('<span title="@a">x</span>', [], id="html-attribute"),
        pytest.param("!!! note\n    Inside [@a].\n", ["a"], id="admonition"),
        pytest.param("- item [@a]\n\n    more [@b]\n", ["a", "b"], id="list-continuation"),
        pytest.param("- item\n\n        @code\n", [], id="code-in-list"),
        pytest.param("| a | b |\n|---|---|\n| [@a] | @b |\n", ["a", "b"], id="table"),
        pytest.param("> quoted [@a]\n", ["a"], id="blockquote"),
        pytest.param("Text[^1]\n\n[^1]: Note [@a].\n", ["a"], id="footnote"),
        pytest.param("## Heading [@a]\n", ["a"], id="heading"),
        pytest.param("[@a](http://x)", ["a"], id="citation-wins-over-link-like-pandoc"),
        pytest.param("[see @a; no key here]", ["a"], id="invalid-group-falls-back-to-in-text"),
        pytest.param("@", [], id="lone-at"),
        pytest.param("@ a", [], id="at-space"),
        pytest.param("[@]", [], id="empty-key"),
    ],
)
def test_which_keys_are_citations(text: str, expected: list[str]) -> None:
    assert keys(text) == expected


def test_modes() -> None:
    p = parse_citations("[@a] [-@b] @c")
    assert [c.mode for c in p.citations] == [Mode.NORMAL, Mode.SUPPRESS_AUTHOR, Mode.IN_TEXT]


def test_group_items_share_a_group_and_keep_prefix_and_locators() -> None:
    p = parse_citations("[see @a, pp. 33-35; also @b, chap. 1]")
    a, b = p.citations
    assert (a.group, b.group) == (0, 0)
    assert (a.prefix, a.locator_label, a.locator) == ("see", "page", "33-35")
    assert (b.prefix, b.locator_label, b.locator) == ("also", "chapter", "1")
    assert len(p.groups) == 1


def test_in_text_locator() -> None:
    c = one("@a [p. 33] says")
    assert (c.mode, c.locator_label, c.locator) == (Mode.IN_TEXT, "page", "33")


@pytest.mark.parametrize(
    ("suffix", "expected"),
    [
        pytest.param(", p. 33", ("page", "33", ""), id="page"),
        pytest.param(", pp. 33-35, emphasis added", ("page", "33-35", "emphasis added"), id="pages-and-suffix"),
        pytest.param(", pp. 33, 35-37, and nowhere else", ("page", "33, 35-37", "and nowhere else"), id="page-list"),
        pytest.param(", chap. 1", ("chapter", "1", ""), id="chapter"),
        pytest.param(", sec. 2.3", ("section", "2.3", ""), id="section"),
        pytest.param(", 33", ("page", "33", ""), id="bare-number-is-page"),
        pytest.param(", {ii, A, D-Z}", ("page", "ii, A, D-Z", ""), id="braced-locator"),
        pytest.param(", and elsewhere", (None, None, ", and elsewhere"), id="suffix-only"),
        pytest.param("", (None, None, ""), id="empty"),
    ],
)
def test_parse_locator(suffix: str, expected: tuple) -> None:
    assert parse_locator(suffix) == expected


def test_positions_count_front_matter_lines() -> None:
    text = "---\ntitle: x\n---\n\nText here [@key].\n"
    c = one(text)
    assert (c.line, c.col) == (5, 12)
    assert text[c.start:c.end] == "@key"


def test_positions_use_characters_not_bytes() -> None:
    c = one("Ärger über ß: [@k]")
    assert c.col == 16


def test_front_matter_is_never_scanned() -> None:
    assert keys("---\ntitle: '@notacite'\n---\nbody\n") == []


def test_fence_inside_list_is_code() -> None:
    assert keys("- item\n\n    ```\n    @a\n    ```\n") == []


@pytest.mark.parametrize("text", ["---\ntitle: x\n---\n\n\nBody [@a] and @b.\n", "No front matter [@a].\n",
                                  "---\na: 1\n---\n[@a; @b, p. 3]\n"])
def test_check_parse_is_reused_for_the_body_mkdocs_passes_on(text: str) -> None:
    from patientguide.citations import ParsedPage, body_key

    full = parse_citations(text)
    key, start = body_key(text, full.body_start)
    body = text[start:]
    rebased = ParsedPage(full.citations, full.groups, full.body_start, start).for_body(key, body)
    fresh = parse_citations(body)
    assert [(g.start, g.end) for g in rebased.groups] == [(g.start, g.end) for g in fresh.groups]
    assert ParsedPage(full.citations, full.groups, full.body_start, start).for_body(key, body + "x") is None
