"""A clean small site builds with real MkDocs and shows numbered citations, key points and
a reference list; search indexes the page text but not each page's copy of its references."""

from __future__ import annotations

import json
import re


def test_clean_site_builds_and_renders_citations(site_factory) -> None:
    site = site_factory()
    r = site.build("--strict")
    assert r.returncode == 0, r.stderr
    html = site.html()
    assert re.search(r'It can help \[<a class="pg-cite" id="pg-cite-1-1" href="#pg-ref-1" aria-label="Reference 1" '
                     r'aria-describedby="pg-reftext-1">1</a>, <a class="pg-cite" id="pg-cite-2-1" href="#pg-ref-2"', html)
    assert '<h2 id="references">References</h2>' in html
    assert '<ol class="pg-references" id="pg-references" data-search-exclude>' in html
    assert '<li id="pg-ref-1"><span id="pg-reftext-1">Karako&#231; Y, Aydemir EH, Kalkan MT.' in html
    # key points come right after the title
    assert re.search(r'<h1 id="home">Home</h1>\s*<section class="pg-keypoints" aria-label="Key points">', html)
    assert "<li>A key point.</li>" in html
    assert "PGCITE" not in html and "PGBLOCK" not in html and "<!--pg:" not in html
    # the page's own text is ASCII, so the page is: every name, dash and arrow we add is a character
    # reference (charrefs.py), and the theme's output stays one byte a character (docs/performance.md)
    assert html.isascii(), sorted({c for c in html if not c.isascii()})
    index = json.loads((site.root / "site" / "search" / "search_index.json").read_text())
    home = " ".join(d["text"] for d in index["docs"] if not d["location"].startswith("references/"))
    bibliography = " ".join(d["text"] for d in index["docs"] if d["location"].startswith("references/"))
    assert "It can help" in home and "Aydemir" not in home
    assert "Aydemir" in bibliography
    assert "Karakoç" in bibliography and "&#231;" not in bibliography  # search reads the name, not its reference


def test_assets_are_served_from_the_site(site_factory) -> None:
    site = site_factory()
    assert site.build().returncode == 0
    html = site.html()
    assert '<link rel="stylesheet" href="assets/patientguide/patientguide.css">' in html
    assert '<script defer src="assets/patientguide/patientguide.js"></script>' in html  # the page template defers it
    assert (site.root / "site" / "assets" / "patientguide" / "patientguide.js").exists()


def test_the_built_sites_headers_hash_the_scripts_of_the_files_as_written(site_factory) -> None:
    """The CSP's script hashes come from each page as MkDocs writes it (on_post_page), and are the
    hashes of the built files as they are on disk (read whole, nothing kept)."""
    from patientguide import security_headers
    site = site_factory()
    assert site.build().returncode == 0
    out = site.root / "site"
    expected = security_headers.netlify_headers(security_headers.all_headers(security_headers.site_hashes(out)))
    assert (out / "_headers").read_text(encoding="utf-8") == expected
    assert "'sha256-" in expected  # the theme's inline scripts are there to be hashed
