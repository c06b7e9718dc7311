"""Addresses are judged as the browser will run them, not as the file spells them (issue 11, §1).

Every bypass class is written once in raw HTML and once in each Markdown form that allows it.
All pages live in one site, checked once (``patientguide check``) and built once. For the build,
each page holds only a marker line that a small Markdown extension of the test site replaces with
the unsafe text while Markdown converts the page (as a third-party extension might add raw HTML):
the source check sees nothing, and the output sanitizer alone must still stop the build.
"""

from __future__ import annotations

import re

import pytest

from conftest import page

# What the build's HTML holds when the text reaches Markdown through the test's extension (after
# Markdown's whitespace clean-up, so a tab stays a tab): the bypass, or an address Markdown made harmless
CAUGHT, DEFUSED = "caught", "defused"

# (id, page body from line 14, line and column of the address, the address as shown, built output)
UNSAFE = [
    # raw HTML: character references, with and without ';', with leading zeros
    ("html-decimal", '<a href="&#106;avascript:alert(1)">x</a>', 14, 10, "javascript:alert(1)", CAUGHT),
    ("html-decimal-no-semicolon", '<a href="&#106avascript:alert(1)">x</a>', 14, 10, "javascript:alert(1)", CAUGHT),
    ("html-decimal-zeros", '<a href="&#0000106;avascript:alert(1)">x</a>', 14, 10, "javascript:alert(1)", CAUGHT),
    ("html-decimal-zeros-no-semicolon", '<a href="&#000106avascript:alert(1)">x</a>', 14, 10, "javascript:alert(1)",
     CAUGHT),
    ("html-hex", '<a href="&#x6A;avascript:alert(1)">x</a>', 14, 10, "javascript:alert(1)", CAUGHT),
    ("html-hex-no-semicolon", '<a href="j&#x61vascript:alert(1)">x</a>', 14, 10, "javascript:alert(1)", CAUGHT),
    ("html-hex-zeros", '<a href="&#X00006a;avascript:alert(1)">x</a>', 14, 10, "javascript:alert(1)", CAUGHT),
    ("html-named-colon", '<a href="javascript&colon;alert(1)">x</a>', 14, 10, "javascript:alert(1)", CAUGHT),
    ("html-named-tab", '<a href="java&Tab;script:alert(1)">x</a>', 14, 10, "javascript:alert(1)", CAUGHT),
    ("html-named-newline", '<a href="java&NewLine;script:alert(1)">x</a>', 14, 10, "javascript:alert(1)", CAUGHT),
    # raw HTML: literal tab, newline, CR and other control characters; leading spaces; case
    ("html-tab", '<a href="java\tscript:alert(1)">x</a>', 14, 10, "javascript:alert(1)", CAUGHT),
    ("html-newline", '<a href="java\nscript:alert(1)">x</a>', 14, 10, "javascript:alert(1)", CAUGHT),
    ("html-cr", '<a href="java\rscript:alert(1)">x</a>', 14, 10, "javascript:alert(1)", CAUGHT),
    ("html-control-inside", '<a href="java\x01script:alert(1)">x</a>', 14, 10, "java\\x01script:alert(1)", CAUGHT),
    ("html-leading-controls", '<a href="  \x01\x02javascript:alert(1)">x</a>', 14, 14, "javascript:alert(1)", CAUGHT),
    ("html-leading-references", '<a href="&#32;&#1;javascript:alert(1)">x</a>', 14, 19, "javascript:alert(1)", CAUGHT),
    ("html-mixed-case", '<a href="JaVaScRiPt:alert(1)">x</a>', 14, 10, "JaVaScRiPt:alert(1)", CAUGHT),
    ("html-vbscript", '<a href="vbscript:msgbox(1)">x</a>', 14, 10, "vbscript:msgbox(1)", CAUGHT),
    ("html-data", '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>', 14, 10,
     "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", CAUGHT),
    ("html-file", '<a href="file:///etc/passwd">x</a>', 14, 10, "file:///etc/passwd", CAUGHT),
    ("html-unknown-scheme", '<a href="foo:bar">x</a>', 14, 10, "foo:bar", CAUGHT),
    # raw HTML: quoting, and every attribute that takes an address
    ("html-unquoted", "<a href=javascript:alert(1)>x</a>", 14, 9, "javascript:alert(1)", CAUGHT),
    ("html-single-quoted", "<a href='&#106;avascript:alert(1)'>x</a>", 14, 10, "javascript:alert(1)", CAUGHT),
    ("html-srcset", '<img alt="x" srcset="a.png 1x, javascript:alert(1) 2x">', 14, 32, "javascript:alert(1)", CAUGHT),
    ("html-srcset-source", '<picture><source srcset="&#106;avascript:alert(1)"><img alt="" src="a.png"></picture>',
     14, 26, "javascript:alert(1)", CAUGHT),
    ("html-svg-xlink-href", '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>', 14, 21,
     "javascript:alert(1)", CAUGHT),
    ("html-form-action", '<form action="javascript:alert(1)"><button>x</button></form>', 14, 15,
     "javascript:alert(1)", CAUGHT),
    ("html-formaction", '<button formaction="javascript:alert(1)">x</button>', 14, 21, "javascript:alert(1)", CAUGHT),
    ("html-poster", '<video poster="javascript:alert(1)"></video>', 14, 16, "javascript:alert(1)", CAUGHT),
    ("html-cite", '<blockquote cite="javascript:alert(1)">x</blockquote>', 14, 19, "javascript:alert(1)", CAUGHT),
    ("html-object-data", '<object data="javascript:alert(1)"></object>', 14, 15, "javascript:alert(1)", CAUGHT),
    # Markdown links and images
    ("md-decimal", "[x](&#106;avascript:alert(1))", 14, 5, "javascript:alert(1)", CAUGHT),
    ("md-decimal-no-semicolon", "[x](&#106avascript:alert(1))", 14, 5, "javascript:alert(1)", DEFUSED),
    ("md-decimal-zeros", "[x](&#0000106;avascript:alert(1))", 14, 5, "javascript:alert(1)", CAUGHT),
    ("md-hex", "[x](&#x6A;avascript:alert(1))", 14, 5, "javascript:alert(1)", CAUGHT),
    ("md-hex-no-semicolon", "[x](j&#x61vascript:alert(1))", 14, 5, "javascript:alert(1)", CAUGHT),  # Markdown adds the ;
    ("md-named-colon", "[x](javascript&colon;alert(1))", 14, 5, "javascript:alert(1)", CAUGHT),
    ("md-named-tab", "[x](java&Tab;script:alert(1))", 14, 5, "javascript:alert(1)", CAUGHT),
    ("md-named-newline", "[x](java&NewLine;script:alert(1))", 14, 5, "javascript:alert(1)", CAUGHT),
    ("md-newline", "[x](java\nscript:alert(1))", 14, 5, "javascript:alert(1)", CAUGHT),
    ("md-cr", "[x](java\rscript:alert(1))", 14, 5, "javascript:alert(1)", CAUGHT),
    ("md-tab", "[x](java\tscript:alert(1))", 14, 5, "javascript:alert(1)", CAUGHT),
    ("md-leading-control", "[x](\x01javascript:alert(1))", 14, 5, "javascript:alert(1)", CAUGHT),
    ("md-leading-spaces", "[x](   javascript:alert(1))", 14, 8, "javascript:alert(1)", CAUGHT),
    ("md-angle", "[x](<javascript:alert(1)>)", 14, 6, "javascript:alert(1)", CAUGHT),
    ("md-mixed-case", "[x](JaVaScRiPt:alert(1))", 14, 5, "JaVaScRiPt:alert(1)", CAUGHT),
    ("md-vbscript", "[x](vbscript:msgbox(1))", 14, 5, "vbscript:msgbox(1)", CAUGHT),
    ("md-data-image", "![x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", 14, 6,
     "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", CAUGHT),
    ("md-title", '[x](javascript:alert(1) "A title")', 14, 5, "javascript:alert(1)", CAUGHT),
    # reference definitions and autolinks
    ("md-ref-def", "[x][r]\n\n[r]: &#106;avascript:alert(1)", 16, 6, "javascript:alert(1)", CAUGHT),
    ("md-ref-def-angle", '[x][r]\n\n[r]: <javascript:alert(1)> "t"', 16, 7, "javascript:alert(1)", CAUGHT),
    ("md-ref-def-next-line", "[x][r]\n\n[r]:\n    JaVaScRiPt:alert(1)", 17, 5, "JaVaScRiPt:alert(1)", CAUGHT),
    ("md-autolink", "<javascript://x%0Aalert(1)>", 14, 2, "javascript://x%0Aalert(1)", CAUGHT),
    ("md-autolink-mixed-case", "<JaVaScRiPt://x%0Aalert(1)>", 14, 2, "JaVaScRiPt://x%0Aalert(1)", CAUGHT),
    # attribute lists
    ("attr-list", '[x](/ok){: href="javascript:alert(1)" }', 14, 18, "javascript:alert(1)", CAUGHT),
    ("attr-list-unquoted", "[x](/ok){: href=javascript:alert(1) }", 14, 17, "javascript:alert(1)", CAUGHT),
    ("attr-list-single-quoted", "[x](/ok){: href='&#106;avascript:alert(1)' }", 14, 18, "javascript:alert(1)", CAUGHT),
    ("attr-list-named", '[x](/ok){: href="java&Tab;script:alert(1)" }', 14, 18, "javascript:alert(1)", CAUGHT),
    ("attr-list-no-colon", '[x](/ok){ href="JaVaScRiPt:alert(1)" }', 14, 17, "JaVaScRiPt:alert(1)", CAUGHT),
    ("attr-list-image-src", '![x](a.png){: src="data:text/html,x" }', 14, 20, "data:text/html,x", CAUGHT),
]

SAFE = {
    "http": "[a](http://example.org/) and <a href=\"https://example.org/?a=1&amp;b=2\">b</a>",
    "mailto-tel": "[mail](mailto:editors@example.org), [call](tel:+441234567890), <someone@example.org>",
    "relative": "[a](other.md), [b](#anchor), [c](/abs/path), [d](?q=1), [e](other.md#part)",
    "colon-later": "[a](page.md?a=b:c) and [b](other.md#x:y) and <a href=\"./a:b\">c</a>",
    "parentheses": "[a](https://example.org/a_(b)) and [b](https://example.org \"Title: with a colon\")",
    "autolink": "<https://example.org/path> and <HTTPS://EXAMPLE.ORG>",
    "srcset": '<img alt="x" src="a.png" srcset="a.png 1x, b.png 2x, https://example.org/c.png 3x">',
    "attr-list": "[a](other.md){: title=\"Read: more\" } and ![b](a.png){: width=\"300\" }",
    "footnote": "Text.[^1]\n\n[^1]: Note: this footnote starts with a word and a colon.",
    "ref-def": "[a][r] and [b][s]\n\n[r]: https://example.org/ \"Title\"\n[s]: <other.md>",
}


def _lines(output: str, code: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for line in output.splitlines():
        m = re.search(r"(content/[\w.-]+\.md):\d+.*\[" + re.escape(code) + r"\]$", line)
        if m:
            found.setdefault(m.group(1), []).append(line[line.index(m.group(1)):])
    return found


def _bodies() -> dict[str, str]:
    return {f"unsafe-{c[0]}": c[1] for c in UNSAFE} | {f"safe-{k}": v for k, v in SAFE.items()}


def _files() -> dict[str, str]:
    return {f"content/{name}.md": page(name, f"# T\n\n{body}\n\nCited [@karakoc2002safe].\n")
            for name, body in _bodies().items()}


@pytest.fixture(scope="module")
def checked(tmp_path_factory) -> dict[str, list[str]]:
    from conftest import make_site
    site = make_site(tmp_path_factory.mktemp("check"), _files())
    return _lines(site.check().stdout, "safety.url-scheme")


INJECT = """\
import json
from markdown import Extension
from markdown.preprocessors import Preprocessor

BODIES = json.loads({bodies!r})


class Inject(Preprocessor):
    def run(self, lines):
        return [out for line in lines for out in BODIES.get(line.strip(), line).split("\\n")]


class InjectExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(Inject(md), "pg_test_inject", 25)  # before raw HTML is read (20)


def makeExtension(**kwargs):
    return InjectExtension(**kwargs)
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """A real build in which the unsafe text reaches Markdown past the source check."""
    from conftest import make_site
    files = _files()
    bodies = {f"PGTESTINJECT{i}": body for i, (rel, body) in enumerate(sorted(_bodies().items()))}
    markers = {rel: marker for marker, rel in zip(bodies, sorted(_bodies()))}
    pages = {f"content/{rel}.md": page(rel, f"# T\n\n{markers[rel]}\n\nCited [@karakoc2002safe].\n") for rel in markers}
    site = make_site(tmp_path_factory.mktemp("build"), {**files, **pages})
    _add_injection(site, bodies)
    r = site.build(env={"PYTHONPATH": str(site.root)})
    return site, r, _lines(r.stderr, "safety.output-sanitizer")


def _add_injection(site, bodies: dict[str, str]) -> None:
    """The test site's Markdown extension that replaces each marker line with its text."""
    import json
    site.write("pg_test_inject.py", INJECT.format(bodies=json.dumps(bodies)))
    config = site.config.read_text(encoding="utf-8")
    site.write("mkdocs.yml", config.replace("markdown_extensions: [", "markdown_extensions: [pg_test_inject, "))


@pytest.mark.parametrize(("name", "body", "line", "col", "shown", "output"), UNSAFE, ids=[c[0] for c in UNSAFE])
def test_unsafe_address_is_an_error_at_its_place(checked, name, body, line, col, shown, output) -> None:
    lines = checked.get(f"content/unsafe-{name}.md", [])
    assert len(lines) == 1, lines  # one problem, reported once
    assert lines[0].startswith(f"content/unsafe-{name}.md:{line}:{col}: error: address '{shown}'"), lines
    assert lines[0].endswith("is not allowed (a link may only use http, https, mailto, tel or a relative address) "
                             "[safety.url-scheme]") or "control characters" in lines[0], lines


@pytest.mark.parametrize("name", sorted(SAFE))
def test_safe_addresses_pass(checked, name: str) -> None:
    assert checked.get(f"content/safe-{name}.md", []) == []


@pytest.mark.build
@pytest.mark.parametrize(("name", "body", "line", "col", "shown", "output"), UNSAFE, ids=[c[0] for c in UNSAFE])
def test_output_sanitizer_stops_the_build(built, name, body, line, col, shown, output) -> None:
    site, r, lines = built
    assert r.returncode != 0 and "Traceback" not in r.stderr
    found = lines.get(f"content/unsafe-{name}.md", [])
    if output == DEFUSED:  # Markdown itself wrote a harmless address: nothing to remove
        assert found == []
        return
    # the marker line holds no address, so the finding names the page, not a line in it
    assert any(x.startswith(f"content/unsafe-{name}.md:1: error: the output sanitizer removes the "
                            f"address '{shown}'") for x in found), found


@pytest.mark.build
def test_output_sanitizer_failure_writes_no_page_and_leaves_safe_pages_alone(built) -> None:
    site, r, lines = built
    assert "patientguide: " in r.stderr and "the output sanitizer would change them; site not built" in r.stderr
    assert not any(name.startswith("content/safe-") for name in lines), lines
    assert not list((site.root / "site").rglob("*.html"))  # nothing written


@pytest.mark.build
def test_the_guide_passes_the_output_sanitizer(tmp_path, monkeypatch) -> None:
    """The repository's own guide, built strictly: every page goes through the sanitizer, with its
    citations, reference list and key points filled in, and nothing is found."""
    from mkdocs.commands import build
    from mkdocs.config import load_config

    from conftest import ROOT
    from patientguide import sanitize

    checked: dict[str, tuple[str, list]] = {}
    real = sanitize.check_page_output

    def spy(article_html: str, **kwargs):
        checked[kwargs["path"]] = (article_html, found := real(article_html, **kwargs))
        return found

    monkeypatch.setattr(sanitize, "check_page_output", spy)
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    build.build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(tmp_path / "site"), strict=True))
    assert len(checked) >= 15 and "content/side-effects.md" in checked
    assert {path: found for path, (_, found) in checked.items() if found} == {}
    side_effects = checked["content/side-effects.md"][0]
    assert 'class="pg-cite"' in side_effects and 'id="pg-references"' in side_effects
    assert 'class="pg-keypoints"' in side_effects


@pytest.mark.build
def test_make_site_keeps_the_previous_site_when_the_output_check_fails(site_factory) -> None:
    import subprocess
    import sys

    from conftest import ROOT, _env

    def build_site():
        return subprocess.run([sys.executable, str(ROOT / "scripts" / "build-site"), "mkdocs.yml", "site"],
                              cwd=site.root, capture_output=True, text=True, env={**_env(), "PYTHONPATH": str(site.root)})

    site = site_factory()
    _add_injection(site, {"PGTESTINJECT": '<a href="&#106;avascript:alert(1)">Play</a>'})
    assert build_site().returncode == 0
    before = site.html()
    site.write("content/embed.md", page("Embed", "# Embed\n\nPGTESTINJECT\n\nIt helps [@karakoc2002safe].\n"))
    bad = build_site()
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert ("content/embed.md:1: error: the output sanitizer removes the address 'javascript:alert(1)' in "
            "'<a href>' from the built page") in bad.stderr
    assert "left as it was" in bad.stderr and site.html() == before
    assert not (site.root / "site" / "embed").exists()


def test_allowed_page_still_gets_its_addresses_checked(site_factory) -> None:
    """allow_raw_html relaxes tags and attributes, never the address rule: check reports it too."""
    site = site_factory({"content/embed.md": page("Embed", '# Embed\n\n<iframe src="javascript:alert(1)"></iframe> '
                                                            "[@karakoc2002safe]\n")},
                        options="allow_raw_html:\n  embed.md: a video player approved by the web team")
    lines = [x for x in site.check().stdout.splitlines() if "embed.md" in x]
    assert lines == ["content/embed.md:14:14: error: address 'javascript:alert(1)' is not allowed (a link may only "
                     "use http, https, mailto, tel or a relative address) [safety.url-scheme]"]
