"""A clean small site builds with real MkDocs and shows numbered citations."""

from __future__ import annotations


def test_clean_site_builds_and_renders_citations(site_factory) -> None:
    site = site_factory()
    r = site.build("--strict")
    assert r.returncode == 0, r.stderr
    html = site.html()
    assert 'href="#pg-ref-1"' in html and 'href="#pg-ref-2"' in html
    assert '<ol class="pg-references" id="pg-references" data-search-exclude>' in html
    assert "Karakoç Y, Aydemir EH, Kalkan MT." in html
