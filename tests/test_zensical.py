"""The Zensical build (`patientguide zensical-build`, `make site ENGINE=zensical`): the guide built
with Zensical shows patients what the MkDocs build shows, and nothing the MkDocs build refuses
gets through it."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import BIN, ROOT, _env, page, run_cli, run_mkdocs_build

pytestmark = pytest.mark.build


@pytest.fixture(autouse=True)
def _zensical_installed() -> None:
    """`make test` installs it (the `zensical` extra); CI (PG_REQUIRE_BROWSER=1) fails without it."""
    if not (BIN / "zensical").exists():
        if os.environ.get("PG_REQUIRE_BROWSER") == "1":
            pytest.fail("zensical is required here: pip install -e '.[zensical]'")
        pytest.skip("zensical not installed (pip install -e '.[zensical]')")

GUIDE_TODAY = "1795996800"  # 2026-11-30, as the other builds of the real guide

# What the two engines legitimately do differently inside the article, each with its reason. The
# comparison reads both articles with Python's HTML parser (so character references are decoded,
# attributes compared as a set and `<img />` equals `<img>`) and then applies these:
NORMALISED = {
    "comments": "HTML comments are dropped: the Zensical build marks each page's content with "
                "<!--pg:content:…--> so that the output sanitizer can check it again as published",
    "whitespace": "runs of white space are one space and blank text is dropped: Jinja2 (MkDocs) and minijinja "
                  "(Zensical) lay out the template's lines differently",
    "skip-target": "Zensical's base template puts the skip link's target <a id=\"__skip\"> inside the article; "
                   "Material's puts it before",
    "data-search-exclude": "Zensical's search honours data-search-exclude on the reference list (it is not "
                           "indexed, as with MkDocs) and removes the attribute from the page",
}


class _Tokens(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        kept = sorted((k, v or "") for k, v in attrs if k != "data-search-exclude")  # data-search-exclude
        if tag == "a" and dict(kept).get("id") == "__skip":  # skip-target
            self.out.append("SKIP-TARGET")
            return
        self.out.append(f"<{tag} {kept}>")

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if self.out and self.out[-1] == "SKIP-TARGET" and tag == "a":
            self.out.pop()
            return
        self.out.append(f"</{tag}>")

    def handle_data(self, data: str) -> None:  # whitespace
        text = " ".join(data.split())
        if text:
            self.out.append(text)
    # comments: HTMLParser.handle_comment does nothing


def article(page_html: str) -> str:
    m = re.search(r'<article class="md-content__inner md-typeset">(.*?)</article>', page_html, re.S)
    assert m, "no article in the page"
    return m.group(1)


def tokens(page_html: str) -> list[str]:
    p = _Tokens()
    p.feed(article(page_html))
    return p.out


def zensical_build(config: str, out: Path, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    env = {**_env(), "SOURCE_DATE_EPOCH": GUIDE_TODAY, **(env or {})}
    return run_cli(["zensical-build", "-f", config, "-d", str(out)], cwd=cwd, env=env)  # zensical: its own process


@pytest.fixture(scope="module")
def guide_both_ways(tmp_path_factory):
    out = tmp_path_factory.mktemp("guide")
    env = {**_env(), "SOURCE_DATE_EPOCH": GUIDE_TODAY}
    mk = run_mkdocs_build(["--strict", "-q", "-d", str(out / "mkdocs")], cwd=ROOT, env=env)
    assert mk.returncode == 0, mk.stderr
    zz = zensical_build("mkdocs.yml", out / "zensical")
    assert zz.returncode == 0, zz.stderr
    return out / "mkdocs", out / "zensical"


def test_every_page_of_the_guide_matches_the_mkdocs_build(guide_both_ways) -> None:
    mk, zz = guide_both_ways
    pages = sorted(p.relative_to(mk) for p in mk.rglob("index.html"))
    assert len(pages) == 15 and sorted(p.relative_to(zz) for p in zz.rglob("index.html")) == pages
    for rel in pages:
        a, b = (mk / rel).read_text(encoding="utf-8"), (zz / rel).read_text(encoding="utf-8")
        assert tokens(a) == tokens(b), f"{rel} differs beyond {sorted(NORMALISED)}"


def test_what_the_comparison_compares_is_there(guide_both_ways) -> None:
    """The articles hold citations, reference lists, key points, the notices and the bibliography."""
    _, zz = guide_both_ways
    side = article((zz / "side-effects/index.html").read_text(encoding="utf-8"))
    assert side.count('class="pg-cite"') >= 30 and 'aria-describedby="pg-reftext-1"' in side
    assert '<ol class="pg-references" id="pg-references">' in side and 'class="pg-keypoints"' in side
    assert "Draft &mdash; not yet reviewed by a clinician." in side
    assert re.search(r"Page last reviewed: <time datetime=\"2026-11-30\">30 November 2026</time>", side)
    assert "[@" not in side
    refs = article((zz / "references/index.html").read_text(encoding="utf-8"))
    assert '<ol class="pg-bibliography">' in refs and 'href="../side-effects/#pg-references"' in refs
    assert "<!--" not in html.unescape(re.sub(r"<!--.*?-->", "", refs))  # the marker line is gone


def test_zensical_build_has_the_plugins_files_and_headers(guide_both_ways) -> None:
    _, zz = guide_both_ways
    for f in ("assets/patientguide/patientguide.css", "assets/patientguide/patientguide.js",
              "assets/patientguide/theme.css", "assets/patientguide/keyboard.js",
              "assets/patientguide/clinic.css", "assets/clinic/logo.svg"):
        assert (zz / f).is_file(), f
    index = (zz / "index.html").read_text(encoding="utf-8")
    assert 'href="./assets/patientguide/clinic.css"' in index and 'rel="icon" href="./assets/clinic/logo.svg"' in index
    assert '<section class="pg-brandbar"' in index and "Published by the patientguide project." in index
    assert 'href="./assets/patientguide/theme.css"' in index and 'src="./assets/patientguide/keyboard.js"' in index
    assert not (zz / "README.md").exists()  # theme_overrides/README.md, which MkDocs does not publish
    assert 'property="og:title"' in index and '"@type":"MedicalWebPage"' in index
    headers = (zz / "_headers").read_text(encoding="utf-8")
    script_src = headers.split("script-src")[1].split(";")[0]
    assert "'self' 'sha256-" in script_src and "unsafe-inline" not in script_src


def test_a_sites_custom_dir_wins_over_the_package_templates(site_factory) -> None:
    """Zensical takes one custom_dir: the build gives it the package's templates with the site's own
    custom_dir over them, as the plugin orders the two for MkDocs (patientguide.theme)."""
    site = _with_bibliography(site_factory())
    site.write("mkdocs.yml", site.config.read_text().replace("  font: false\n", "  font: false\n  custom_dir: over\n"))
    site.write("over/main.html", '{% extends "patientguide/main.html" %}\n'
               '{% block content %}<p class="mine">Ours first.</p>{{ super() }}{% endblock %}\n')
    site.write("over/README.md", "What this folder is for.\n")
    site.write("over/assets/extra.txt", "published\n")
    r = _zensical(site)
    assert r.returncode == 0, r.stderr
    index = (site.root / "zsite/index.html").read_text(encoding="utf-8")
    assert index.index('<p class="mine">Ours first.</p>') < index.index("Draft &mdash; not yet reviewed by a clinician.")
    assert "Page last reviewed" in index and '<section class="pg-brandbar"' not in index  # no clinic profile
    assert (site.root / "zsite/assets/extra.txt").is_file()
    assert not (site.root / "zsite/README.md").exists()  # MkDocs never publishes a theme folder's README either


def test_a_custom_dir_that_is_not_a_folder_is_a_clear_error(site_factory) -> None:
    site = _with_bibliography(site_factory())
    site.write("mkdocs.yml", site.config.read_text().replace("  font: false\n", "  font: false\n  custom_dir: gone\n"))
    r = _zensical(site)
    assert r.returncode == 2 and "patientguide: error: theme.custom_dir 'gone' cannot be read as a folder" in r.stderr
    assert "Traceback" not in r.stderr and not (site.root / "zsite").exists()
    assert not [p for p in site.root.iterdir() if p.name.startswith(".zensical-")]


def test_a_brand_builds_with_its_own_profile(tmp_path) -> None:
    r = zensical_build("brands/northfield/mkdocs.yml", tmp_path / "north")
    assert r.returncode == 0, r.stderr
    index = (tmp_path / "north" / "what-to-expect/index.html").read_text(encoding="utf-8")
    assert "Northfield Sweat Clinic" in index and "0161 496 0123" in index
    assert "#00695c" in (tmp_path / "north" / "assets/patientguide/clinic.css").read_text(encoding="utf-8")
    assert "https://northfield-hospital.example/sweating-guide/what-to-expect/" in index
    assert (ROOT / "deploy/northfield/nginx-headers.conf").read_text().startswith("# Generated by patientguide")


# --------------------------------------------------------------------------- what must not get through

def _zensical(site, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return zensical_build("mkdocs.yml", site.root / "zsite", cwd=site.root, env=env)


def _with_bibliography(site):
    from patientguide.template_data import bibliography_page_source
    site.write("content/references.md", bibliography_page_source("References"))
    return site


REFUSED = [
    pytest.param({"content/index.md": page("Home", "# Home\n\nBroken [@nosuchkey].\n")}, "",
                 "content/index.md:14:9: error: unknown citation key 'nosuchkey'", id="check-error"),
    pytest.param({"content/index.md": page("Home", "# Home\n\nIt helps [@karakoc2002safe; @bad2021leaflet]. "
                                                   "Please utilise the tray.\n")}, "",
                 "warning: 'utilise' has a plainer alternative", id="strict-warning"),
    pytest.param({}, "max_page_kb: lots", "option 'max_page_kb' must be an integer, got text 'lots'",
                 id="config-error"),
    pytest.param({"content/index.md": page("Home", "# Home\n\nSee [more](missing.md) [@karakoc2002safe; "
                                                   "@bad2021leaflet].\n")}, "",
                 "content/index.md:14:12: warning: link 'missing.md': there is no 'content/missing.md' "
                 "[links.missing-file]", id="broken-link"),
    pytest.param({"content/index.md": page("Home", "# Home\n\n![A tray](tray.png)\n\nIt helps [@karakoc2002safe; "
                                                   "@bad2021leaflet].\n")}, "",
                 "content/index.md:14:11: warning: image 'tray.png': there is no 'content/tray.png' "
                 "[links.missing-file]", id="missing-image"),
]


@pytest.mark.parametrize(("files", "options", "message"), REFUSED)
def test_what_mkdocs_refuses_zensical_build_refuses(site_factory, files, options, message) -> None:
    site = _with_bibliography(site_factory(files, options=options))
    assert site.build("--strict").returncode != 0  # the MkDocs build refuses it ...
    r = _zensical(site)
    assert r.returncode != 0 and message in r.stderr, r.stderr  # ... and so does this one
    assert "Traceback" not in r.stderr and not (site.root / "zsite").exists()
    assert not [p for p in site.root.iterdir() if p.name.startswith(".zensical-")]  # nothing left behind


def test_nav_and_absolute_links_as_validation_says(site_factory) -> None:
    """The gate's check is the one `patientguide check --strict` runs (checks/links.py): the same
    problems, at the same positions, as the MkDocs build reports."""
    extra = page("Extra", "# Extra\n\nSee [home](/) [@karakoc2002safe; @bad2021leaflet].\n")
    site = _with_bibliography(site_factory({"content/extra.md": extra}))
    config = site.config.read_text() + ("nav: [index.md, references.md, gone.md]\n"
                                         "validation: {nav: {omitted_files: warn}, links: {absolute_links: warn}}\n")
    site.write("mkdocs.yml", config)
    assert site.build("--strict").returncode != 0
    r = _zensical(site)
    assert r.returncode != 0
    assert "content/extra.md:1: warning: page 'extra.md' is not in the nav of mkdocs.yml" in r.stderr
    assert "warning: nav entry 'gone.md' is not a page of the site (there is no 'content/gone.md') [nav.not-found]" \
        in r.stderr
    assert "content/extra.md:14:12: warning: absolute link '/' is left as it is" in r.stderr
    assert "patientguide: 0 errors, 3 warnings" in r.stderr


def test_the_output_sanitizer_checks_every_page_as_published(site_factory) -> None:
    """Unsafe HTML that reaches Markdown past the source check (a third-party extension) stops the build."""
    from test_url_safety import _add_injection
    site = _with_bibliography(site_factory({"content/embed.md": page("Embed", "# Embed\n\nPGTESTINJECT\n\n"
                                                                              "It helps [@karakoc2002safe].\n")}))
    _add_injection(site, {"PGTESTINJECT": '<a href="&#106;avascript:alert(1)">Play</a>'})
    r = _zensical(site, env={"PYTHONPATH": str(site.root)})
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert ("content/embed.md:1: error: the output sanitizer removes the address 'javascript:alert(1)' in "
            "'<a href>' from the built page") in r.stderr and "[safety.output-sanitizer]" in r.stderr
    assert not (site.root / "zsite").exists()


def test_the_bibliography_page_must_be_written(site_factory) -> None:
    site = site_factory()
    assert site.build("--strict").returncode == 0  # MkDocs generates it
    r = _zensical(site)
    assert r.returncode != 0
    assert "error: the bibliography page 'content/references.md' does not exist, and Zensical cannot generate it" \
        in r.stderr


def test_a_page_the_extension_did_not_convert_is_an_error(site_factory, tmp_path) -> None:
    from patientguide.options import load_site_config
    from patientguide.zensical_build import check_built_pages
    site = site_factory()
    (tmp_path / "index.html").write_text("<article>It helps [@karakoc2002safe].</article>")
    settings = load_site_config(site.config).settings
    diags = check_built_pages(settings, tmp_path)
    assert [(d.path, d.code) for d in diags] == [("content/index.md", "zensical.not-converted")]


def test_a_changed_reference_is_seen_by_the_next_build(site_factory) -> None:
    """Zensical keeps converted pages in a cache keyed by the page and the config; the references
    are neither, so the build must not reuse a page converted before they changed."""
    site = _with_bibliography(site_factory())
    assert _zensical(site).returncode == 0
    assert "Safe control of palmoplantar" in (site.root / "zsite/index.html").read_text()
    bib = site.root / "references/main.bib"
    bib.write_text(bib.read_text().replace("Safe control of palmoplantar", "Safer control of palmoplantar"))
    r = zensical_build("mkdocs.yml", site.root / "zsite2", cwd=site.root)
    assert r.returncode == 0, r.stderr
    assert "Safer control of palmoplantar" in (site.root / "zsite2/index.html").read_text()


def test_make_site_engine_zensical_swaps_in_only_on_success(site_factory) -> None:
    site = _with_bibliography(site_factory())

    def build_site() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(ROOT / "scripts" / "build-site"), "--engine", "zensical",
                               "mkdocs.yml", "site"], cwd=site.root, capture_output=True, text=True,
                              env={**_env(), "SOURCE_DATE_EPOCH": GUIDE_TODAY})
    assert build_site().returncode == 0
    before = (site.root / "site/index.html").read_text()
    assert 'class="pg-cite"' in before
    site.write("content/index.md", page("Home", "# Home\n\nBroken [@nosuchkey].\n"))
    bad = build_site()
    assert bad.returncode != 0 and "left as it was" in bad.stderr
    assert (site.root / "site/index.html").read_text() == before


def test_markdown_extension_outside_zensical_says_why(site_factory) -> None:
    import markdown

    from patientguide.markdown_ext import PatientGuideError
    site = site_factory()
    with pytest.raises(PatientGuideError, match="cannot tell which page is being converted"):
        markdown.markdown("Text [@karakoc2002safe].", extensions=["patientguide"],
                          extension_configs={"patientguide": {"config_file": str(site.config)}})


def test_run_in_process_reports_a_missing_zensical(site_factory, monkeypatch) -> None:
    site = _with_bibliography(site_factory())
    monkeypatch.setattr(sys, "executable", "/nonexistent/python")  # no zensical beside it, none on PATH
    r = run_cli(["zensical-build", "-d", str(site.root / "zsite")], cwd=site.root,
                env={**_env(), "PATH": "/nonexistent", "SOURCE_DATE_EPOCH": GUIDE_TODAY})
    assert r.returncode == 2 and "zensical is not installed: pip install -e '.[zensical]'" in r.stderr
    assert not [p for p in site.root.iterdir() if p.name.startswith(".zensical-")]


def test_mkdocs_fills_the_marker_line_of_a_written_bibliography_page(site_factory) -> None:
    """The plugin accepts the page Zensical needs: the list goes where the marker line is."""
    site = site_factory({"content/references.md": "---\ntitle: Sources\n---\n\n# Sources\n\nBefore.\n\n"
                                                  "<!-- patientguide: bibliography -->\n\nAfter the list.\n"})
    r = site.build("--strict")
    assert r.returncode == 0, r.stderr
    body = article(site.html("references/index.html"))
    assert body.index("Before.") < body.index('<ol class="pg-bibliography">') < body.index("After the list.")
    assert body.count('<ol class="pg-bibliography">') == 1
