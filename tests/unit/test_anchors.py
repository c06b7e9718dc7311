"""A page's anchors, as MkDocs' link validation sees them, plus the ones our plugin adds."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import markdown.extensions.toc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patientguide.anchors import HeadingIds, default_slugify, plugin_anchor_ids, rendered_page
from patientguide.references import load_references
from patientguide.render import render_bibliography, render_page
from patientguide.options import load_site_config, site_structure
from patientguide.yamlpos import config_chain, merged
from patientguide.source import mask_blocks

ROOT = Path(__file__).resolve().parents[2]
GUIDE_EXTENSIONS = tuple(merged(config_chain(ROOT / "mkdocs.yml"))["markdown_extensions"])
BIB = load_references([("refs.bib", """
@article{a2020, author = {Doe, Jane}, title = {A}, journal = {J}, year = {2020}, doi = {10.1/a}}
@article{b2021, author = {Roe, Ann}, title = {B}, journal = {J}, year = {2021}, doi = {10.1/b}}
@article{c2022, author = {Poe, Edgar}, title = {C}, journal = {J}, year = {2022}, doi = {10.1/c}}
""")])


def exact_ids(extensions, text: str) -> set[str]:
    """Python-Markdown with MkDocs' two anchor collectors, however plain the page is."""
    return HeadingIds(extensions)._converted(text)


@given(st.text(max_size=40))
def test_default_slugify_is_python_markdowns(value: str) -> None:
    assert default_slugify(value, "-") == markdown.extensions.toc.slugify(value, "-")
    assert default_slugify(value, "_") == markdown.extensions.toc.slugify(value, "_")


@pytest.mark.parametrize("page", sorted(p.name for p in (ROOT / "content").glob("*.md")))
def test_the_guides_pages_get_python_markdowns_ids_without_converting(page: str, monkeypatch) -> None:
    from patientguide.caches import Caches
    from patientguide.checks.site import SiteInputs, blocks, check_page
    from patientguide.clinic import load_clinic
    settings = load_site_config(ROOT / "mkdocs.yml").settings
    clinic, _ = load_clinic(settings.config_file, settings.rel, root=settings.root)
    inputs = SiteInputs(BIB, Caches(), blocks=blocks(settings), placeholders=clinic.placeholders())
    text = (ROOT / "content" / page).read_text(encoding="utf-8")
    report, _, page_context = check_page(text, page, page, settings, inputs)
    body = page_context.text[report.parsed.body_start_stripped:]  # as patients read it: blocks included
    rendered = rendered_page(body, BIB, "References", report.parsed_for_body(body)).markdown
    expected = exact_ids(GUIDE_EXTENSIONS, rendered)
    monkeypatch.setattr(HeadingIds, "_converted", lambda self, t: pytest.fail("converted a plain page"))
    assert HeadingIds(GUIDE_EXTENSIONS).ids(rendered, mask_blocks(rendered)) == expected


HEADINGS = st.lists(st.sampled_from(["Risks", "Risks", "Side effects", "What is it?", "Step 1: wash",
                                     "Risks 1", "Pros & cons", "C'est la vie", "Über Größe", "10 % less",
                                     "Results (2020)", "x_y", "A *b*", "`code`", "[@a2020]", "Risks_1"]),
                    min_size=1, max_size=8)


@settings(max_examples=150, deadline=None)
@given(HEADINGS, st.sampled_from(["#", "##", "###"]))
def test_any_headings_get_python_markdowns_ids(headings: list[str], level: str) -> None:
    text = "\n\n".join(f"{level} {h}\n\nText [@b2021]." for h in headings) + "\n"
    rendered = rendered_page(text, BIB, "References", None).markdown
    assert HeadingIds(GUIDE_EXTENSIONS).ids(rendered, mask_blocks(rendered)) == exact_ids(GUIDE_EXTENSIONS, rendered)


def test_ids_of_headings_with_markup_attribute_lists_raw_html_and_footnotes() -> None:
    text = ("# Title\n\n## Risks [@a2020]\n\n## Risks\n\n## The `code` word {#custom}\n\n"
            "<p id=\"raw\">x</p>\n\nA note[^n].\n\n[^n]: The note.\n")
    rendered = rendered_page(text, BIB, "References", None).markdown
    ids = HeadingIds(GUIDE_EXTENSIONS).ids(rendered, mask_blocks(rendered))
    assert {"title", "risks-1", "risks", "custom", "raw", "fn:n", "fnref:n", "references"} <= ids
    assert "the-code-word" not in ids


def test_the_sites_slugify_is_honoured(tmp_path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nmarkdown_extensions:\n  - toc:\n      slugify: !!python/object/apply:pymdownx.slugs.slugify\n"
        "        kwds: {case: lower}\n      separator: _\n")
    site = site_structure(merged(config_chain(tmp_path / "mkdocs.yml")), tmp_path / "mkdocs.yml")
    assert HeadingIds(site.markdown_extensions).ids("# Über Größe\n", "# Über Größe\n") == {"über_größe"}
    (tmp_path / "mkdocs.yml").write_text("site_name: x\nmarkdown_extensions:\n  - toc:\n"
                                         "      slugify: !!python/name:markdown.extensions.toc.slugify_unicode\n")
    site = site_structure(merged(config_chain(tmp_path / "mkdocs.yml")), tmp_path / "mkdocs.yml")
    assert HeadingIds(site.markdown_extensions).ids("# Über Größe\n", "# Über Größe\n") == {"über-größe"}
    assert HeadingIds(()).ids("# Über Größe\n", "# Über Größe\n") == {"uber-groe"}


def test_the_ids_the_plugin_adds_are_the_ids_in_the_page_it_writes() -> None:
    text = "# T\n\nOne [@a2020; @b2021; @c2022] and again [@a2020, p. 3] and @b2021 said.\n"
    page = render_page(text, BIB, deferred=True)
    html = page.finish(page.fill(markdown.markdown(page.markdown), late_blocks=True))
    assert "PGCITE" not in html and 'id="pg-references"' in html
    written = set(re.findall(r'\bid="([^"]+)"', html))
    assert plugin_anchor_ids(page) == written
    bibliography = render_bibliography({"a2020": [("x.md", "X")], "c2022": [("x.md", "X")]}, BIB,
                                       bibliography_src="references.md")
    assert plugin_anchor_ids(render_page("# R\n", BIB, deferred=True), ["a2020", "c2022"]) == \
        set(re.findall(r'\bid="([^"]+)"', bibliography))


@pytest.mark.parametrize(("text", "fast"), [
    ("# A\n\n<!-- patientguide: bibliography -->\n", True),
    ("<!-- x -->\n\n# A\n\nText.\n\n   <!-- y: z -->  \n\n## A\n", True),
    ("# A\n<!-- x -->\n# B\n", False),  # not a paragraph of its own: Python-Markdown decides
    ("# A\n\n<!-- <a id=\"b\"> -->\n\n# B\n", False),  # markup inside: Python-Markdown decides
])
def test_a_comment_paragraph_adds_no_id_and_keeps_the_fast_path(text: str, fast: bool, monkeypatch) -> None:
    """The bibliography page's marker line (an HTML comment, which Zensical needs) leaves its page plain."""
    expected = exact_ids(GUIDE_EXTENSIONS, text)
    if fast:
        monkeypatch.setattr(HeadingIds, "_converted", lambda self, t: pytest.fail("converted a plain page"))
    assert HeadingIds(GUIDE_EXTENSIONS).ids(text, mask_blocks(text)) == expected
