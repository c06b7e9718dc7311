"""Safe content by default: raw HTML allow-list, dangerous addresses, symlinks, size limits,
and front matter escaped before it reaches the page's <head>."""

from __future__ import annotations

import os
import re

import pytest

from conftest import page


def safety_lines(site) -> list[str]:
    return [x for x in site.check().stdout.splitlines() if "[safety." in x]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param("<script>alert(1)</script>\n",
                     "content/a.md:14:1: error: HTML tag '<script>' is not allowed in pages (pages may use simple "
                     "formatting tags only; ask the web team to allow this page with a reason (allow_raw_html)) "
                     "[safety.html-tag]", id="script"),
        pytest.param('Text <iframe src="https://x.example"></iframe>\n',
                     "content/a.md:14:6: error: HTML tag '<iframe>' is not allowed", id="iframe"),
        pytest.param('<form action="/x"><input></form>\n', "content/a.md:14:1: error: HTML tag '<form>'", id="form"),
        pytest.param('<meta http-equiv="refresh" content="0">\n', "content/a.md:14:1: error: HTML tag '<meta>'", id="meta"),
        pytest.param('<base href="https://evil.example/">\n', "content/a.md:14:1: error: HTML tag '<base>'", id="base"),
        pytest.param('<span onclick="steal()">hi</span>\n',
                     "content/a.md:14:7: error: event handler 'onclick' is not allowed in '<span>' (pages cannot run "
                     "scripts) [safety.html-attribute]", id="event-handler"),
        pytest.param('A paragraph.\n{: onmouseover="x()" }\n',
                     "content/a.md:15:4: error: event handler 'onmouseover' is not allowed in an attribute list",
                     id="attr-list-handler"),
        pytest.param('<a href="javascript:alert(1)">x</a>\n',
                     "content/a.md:14:10: error: address 'javascript:alert(1)' is not allowed (a link may only use "
                     "http, https, mailto, tel or a relative address) [safety.url-scheme]", id="js-href"),
        pytest.param('[a link](other.md){: target="_blank" }\n',
                     "content/a.md:14:22: error: attribute 'target' is not allowed in an attribute list "
                     "[safety.html-attribute]", id="attr-list-attribute"),
        pytest.param("[click](javascript:alert(1))\n",
                     "content/a.md:14:9: error: address 'javascript:alert(1)' is not allowed", id="md-link"),
        pytest.param("![x](data:image/svg+xml;base64,PHN2Zz4=)\n",
                     "content/a.md:14:6: error: address 'data:image/svg+xml;base64,PHN2Zz4=' is not allowed",
                     id="data-image"),
    ],
)
def test_unsafe_content_is_an_error(site_factory, body: str, expected: str) -> None:
    site = site_factory({"content/a.md": page("A", "# A\n\n" + body + "\nCited [@karakoc2002safe].\n")})
    lines = safety_lines(site)
    assert any(x.startswith(expected) for x in lines), lines


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("Use `<script>` in code spans.\n", id="code-span"),
        pytest.param("```html\n<script>alert(1)</script>\n```\n", id="fenced-code"),
        pytest.param("<!-- <script>alert(1)</script> -->\n", id="comment"),
        pytest.param('<span class="note" title="x">ok</span> and <abbr title="hyperhidrosis">HH</abbr>\n', id="allowed"),
        pytest.param("A paragraph.\n{: .note #anchor }\n", id="attr-list-class"),
    ],
)
def test_safe_content_passes(site_factory, body: str) -> None:
    site = site_factory({"content/a.md": page("A", "# A\n\n" + body + "\nCited [@karakoc2002safe].\n")})
    assert safety_lines(site) == []


def test_page_can_be_allowed_with_a_reason(site_factory) -> None:
    site = site_factory({"content/a.md": page("A", "# A\n\n<iframe src='/v'></iframe> [@karakoc2002safe]\n")},
                        options="allow_raw_html:\n  a.md: video approved by the web team")
    assert safety_lines(site) == []


def test_symlink_in_docs_is_an_error(site_factory, tmp_path) -> None:
    secret = tmp_path / "secret.md"
    secret.write_text("# Secret\n")
    site = site_factory()
    os.symlink(secret, site.root / "content" / "linked.md")
    assert ("content/linked.md:1: error: symbolic link inside the docs folder (copy the file in instead; a link "
            "could publish files from outside the site) [safety.symlink]") in safety_lines(site)


def test_oversized_and_pathological_pages_fail_fast(site_factory) -> None:
    site = site_factory({"content/big.md": "# Big\n\n" + ("word " * 120_000),
                         "content/deep.md": "# Deep\n\n" + "> " * 30 + "quote\n",
                         "content/runs.md": "# Runs\n\n" + "[" * 5000 + "\n"}, options="max_page_kb: 100")
    lines = safety_lines(site)
    assert "content/big.md:1: error: page is 585 KB, more than the limit of 100 KB (split it into several pages, " \
           "or raise max_page_kb) [safety.page-too-large]" in lines
    assert any(x.startswith("content/deep.md:3:1: error: more than 20 levels of nested quotes or lists") for x in lines)
    assert any(x.startswith("content/runs.md:3:1: error: a run of 5000 brackets") for x in lines)


@pytest.mark.build
def test_front_matter_is_escaped_in_head(site_factory) -> None:
    evil = page("A", "# A\n\nText [@karakoc2002safe; @bad2021leaflet].\n").replace(
        "title: A", 'title: "</title><script>alert(1)</script>"').replace(
        "description: A test page.", 'description: "\\"><script>alert(2)</script>"')
    site = site_factory({"content/index.md": evil})
    r = site.build()
    assert r.returncode == 0, r.stderr
    head = site.html().split("</head>")[0]
    assert "<script>alert" not in head
    assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in head
    assert re.search(r'<meta name="description" content="&#34;&gt;&lt;script&gt;|content="&quot;&gt;&lt;script&gt;', head)
