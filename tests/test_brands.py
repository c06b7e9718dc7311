"""Clinic brands: every brands/<id>/mkdocs.yml INHERITs the one site, shows its own name, colours,
phone and structured data, and otherwise the same pages; a bad profile stops the build."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT, _env, make_site, run_cli, run_mkdocs_build

pytestmark = pytest.mark.build

BRANDS = sorted(p.parent.name for p in (ROOT / "brands").glob("*/mkdocs.yml"))
PAGES = ["index.html", "what-to-expect/index.html", "side-effects/index.html", "references/index.html"]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    out = {}
    for brand in BRANDS:
        site = tmp_path_factory.mktemp(brand) / "site"
        r = run_mkdocs_build(["--strict", "-q", "-f", f"brands/{brand}/mkdocs.yml", "-d", str(site)], cwd=ROOT,
                             env=dict(_env(), SOURCE_DATE_EPOCH="1795996800"))
        assert r.returncode == 0, r.stderr
        out[brand] = site
    return out


def profile(brand: str) -> dict:
    sys.path.insert(0, str(ROOT / "src"))
    from patientguide.clinic import load_clinic
    clinic, diags = load_clinic(ROOT / "brands" / brand / "mkdocs.yml", root=ROOT)
    assert diags == [] and clinic is not None
    return clinic


def test_there_are_a_neutral_default_and_two_example_brands() -> None:
    assert {"neutral", "northfield", "lakeside"} <= set(BRANDS)
    names = {profile(b).name for b in BRANDS}
    colours = {profile(b).primary for b in BRANDS}
    logos = {profile(b).logo.read_bytes() for b in BRANDS}
    assert len(names) == len(colours) == len(logos) == len(BRANDS)  # all different


@pytest.mark.parametrize("brand", BRANDS)
def test_brand_shows_its_name_colours_and_phone(built, brand: str) -> None:
    clinic = profile(brand)
    site = built[brand]
    css = (site / "assets/patientguide/clinic.css").read_text()
    assert f"--md-primary-fg-color: {clinic.primary};" in css
    assert f"--md-accent-fg-color: {clinic.accent};" in css
    assert (site / clinic.logo_uri).read_bytes() == clinic.logo.read_bytes()
    for rel in PAGES:
        html = (site / rel).read_text()
        assert 'href="' in html and "assets/patientguide/clinic.css" in html
        brandbar = re.search(r'<section class="pg-brandbar".*?</section>', html, re.S).group(0)
        assert clinic.name in brandbar
        contact = re.search(r'<section class="pg-contact".*?</section>', html, re.S).group(0)
        assert "Contact the clinic" in contact and clinic.emergency in contact
        footer = re.search(r'<section class="pg-site-footer".*?</section>', html, re.S).group(0)
        assert f"Published by {clinic.publisher}." in footer and clinic.disclaimer in footer
        for label in ("About this guide", "Privacy", "Accessibility"):
            assert f">{label}</a>" in footer
        if clinic.phone:
            assert f'href="{clinic.phone_href}"' in contact and clinic.phone in brandbar
        for other in BRANDS:
            if other != brand:
                assert profile(other).name not in html


def test_brands_differ_in_phone_and_colours(built) -> None:
    phones = {b: profile(b).phone for b in BRANDS if profile(b).phone}
    assert len(set(phones.values())) == len(phones) >= 2
    for brand, phone in phones.items():
        for other in BRANDS:
            if other != brand:
                assert phone not in (built[other] / "index.html").read_text()


def article(html: str, brand: str | None = None) -> str:
    """A page's <article> as HTML, without the brand's own blocks (contact, print header); with
    ``brand``, its emergency number and text put back as the placeholders the pages write."""
    body = re.search(r"<article\b.*?</article>", html, re.S).group(0)
    body = re.sub(r'<section class="pg-contact".*?</section>', "", body, flags=re.S)
    body = re.sub(r'<div class="pg-print-only pg-handout-head">.*?<!--/pg-handout-head-->', "", body, flags=re.S)
    if brand is not None:
        clinic = _clinic(brand)
        body = body.replace(clinic.emergency, "{{ clinic.emergency }}")
        body = re.sub(rf"\bCall {re.escape(clinic.emergency_number)}\b", "Call {{ clinic.emergency_number }}", body)
    return body


def _clinic(brand: str):
    from patientguide.clinic import load_clinic
    clinic, _ = load_clinic(ROOT / "brands" / brand / "mkdocs.yml", lambda p: p.as_posix(), root=ROOT)
    assert clinic is not None
    return clinic


def test_page_content_is_identical_across_brands_but_the_emergency_number(built) -> None:
    first = BRANDS[0]
    pages = sorted(p.relative_to(built[first]).as_posix() for p in built[first].rglob("index.html"))
    assert len(pages) >= 15
    for rel in pages:
        reference = article((built[first] / rel).read_text(), first)
        assert len(reference) > 200, rel
        for brand in BRANDS[1:]:
            assert article((built[brand] / rel).read_text(), brand) == reference, f"{brand}: {rel}"


def test_each_brand_shows_its_own_emergency_number(built) -> None:
    """The safety blocks' emergency advice comes from each clinic's profile, never another's."""
    for brand in BRANDS:
        clinic = _clinic(brand)
        others = {_clinic(b).emergency_number for b in BRANDS} - {clinic.emergency_number}
        for rel in ("side-effects/index.html", "home-use/index.html"):
            text = article((built[brand] / rel).read_text())
            assert f"Call {clinic.emergency_number} straight away" in text, (brand, rel)
            assert not any(f"Call {n} " in text for n in others), (brand, rel)


class _JsonLd(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.blocks: list[str] = []
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        if tag == "script" and a.get("type") == "application/ld+json":
            self.inside = True
            self.blocks.append("")
        if tag == "meta" and (a.get("property") or "").startswith("og:"):
            self.meta[a["property"]] = a.get("content") or ""

    def handle_endtag(self, tag) -> None:
        self.inside = False if tag == "script" else self.inside

    def handle_data(self, data) -> None:
        if self.inside:
            self.blocks[-1] += data


@pytest.mark.parametrize("brand", ["northfield", "lakeside"])
def test_structured_data_and_open_graph(built, brand: str) -> None:
    clinic = profile(brand)
    site_url = {"northfield": "https://northfield-hospital.example/sweating-guide/",
                "lakeside": "https://lakeside-skin.example/iontophoresis/"}[brand]
    p = _JsonLd()
    p.feed((built[brand] / "what-to-expect/index.html").read_text())
    (block,) = p.blocks
    data = json.loads(block)  # valid JSON
    assert data["@type"] == "MedicalWebPage" and data["@context"] == "https://schema.org"
    assert data["name"] == "What to expect from iontophoresis"
    assert data["description"] and data["url"] == site_url + "what-to-expect/"
    assert data["about"] == {"@type": "MedicalCondition", "name": "Hyperhidrosis"}
    assert data["audience"] == "https://schema.org/Patient"
    assert data["publisher"]["name"] == clinic.publisher and data["publisher"]["telephone"] == clinic.phone
    assert data["inLanguage"] == clinic.locale
    dois = [c["identifier"]["value"] for c in data["citation"] if c.get("identifier", {}).get("propertyID") == "DOI"]
    assert dois and all(d.startswith("10.") for d in dois)
    # the pages are drafts: no review is claimed
    assert "lastReviewed" not in data and "reviewedBy" not in data
    assert p.meta["og:title"] == data["name"] and p.meta["og:url"] == data["url"]
    assert p.meta["og:site_name"] == clinic.name and p.meta["og:locale"] == clinic.og_locale


def test_reviewed_page_claims_its_review(site_factory) -> None:
    site = site_factory(options="reviewers_file: reviewers.yml")
    site.write("reviewers.yml", "reviewers:\n  jsmith:\n    name: Dr Jane Smith\n    credentials: MRCP\n"
                                "    role: Consultant dermatologist\n    conflicts_of_interest: none\n")
    r = run_cli(["sign-off", "index", "--by", "jsmith", "--date", "2026-01-10", "--today", "2026-11-24"], cwd=site.root)
    assert r.returncode == 0, r.stderr
    cfg = site.config.read_text().replace("  font: false\n", f"  font: false\n  custom_dir: {ROOT / 'theme_overrides'}\n")
    site.write("mkdocs.yml", cfg + "site_url: https://x.example/\n")
    r = site.build()
    assert r.returncode == 0, r.stderr
    p = _JsonLd()
    p.feed(site.html())
    data = json.loads(p.blocks[0])
    assert data["lastReviewed"] == "2026-01-10"
    assert data["reviewedBy"] == {"@type": "Person", "name": "Dr Jane Smith", "jobTitle": "Consultant dermatologist",
                                  "hasCredential": "MRCP"}


def test_bad_profile_stops_the_build_with_its_position(site_factory) -> None:
    site = site_factory()
    site.write("mkdocs.yml", site.config.read_text() + 'extra:\n  clinic:\n    name: X\n    colors: {primary: "#9ccc65", '
               'accent: "#ad1457"}\n    phone: "12"\n    publisher: X\n    locale: en-GB\n    country: GB\n')
    (site.root / "site").mkdir()
    (site.root / "site" / "keep.html").write_text("old site")
    r = site.build()
    assert r.returncode != 0
    assert "mkdocs.yml:13:23: error: text on the primary colour has contrast 1.87:1 (#ffffff on #9ccc65); WCAG AA " \
           "needs 4.5:1 (nearest passing shade for 'colors.primary': \"#5a822b\" (4.50:1)) [clinic.contrast]" in r.stderr
    assert "mkdocs.yml:14:12: error: 'phone' must be a phone number" in r.stderr
    assert "patientguide: 2 errors" in r.stderr  # nothing reported twice
    assert "Traceback" not in r.stderr
    assert (site.root / "site" / "keep.html").read_text() == "old site"  # nothing lost
    c = site.check()
    assert c.returncode == 1 and "mkdocs.yml:13:23" in c.stdout


def test_brand_check_and_cli_agree() -> None:
    for brand in ("northfield", "lakeside"):
        r = run_cli(["check", "-f", f"brands/{brand}/mkdocs.yml"], cwd=ROOT, env=_env())
        assert r.returncode == 0, r.stdout + r.stderr


# --- make site / serve / check BRAND=<id> -------------------------------------------------------

def make_n(*args: str) -> subprocess.CompletedProcess:
    """``make -n``: what make would run, without running it."""
    return subprocess.run(["make", "-n", *args], cwd=ROOT, capture_output=True, text=True, env=_env())


@pytest.mark.parametrize("brand", BRANDS)
def test_make_brand_builds_serves_and_checks_that_brand(brand: str) -> None:
    cfg = f"brands/{brand}/mkdocs.yml"
    site = make_n("site", f"BRAND={brand}")
    assert site.returncode == 0 and f"scripts/build-site {cfg} build/brands/{brand}\n" in site.stdout
    assert f"--config-file {cfg}" in make_n("serve", f"BRAND={brand}").stdout
    assert f"patientguide check --strict --config-file {cfg}" in make_n("check", f"BRAND={brand}").stdout
    # every brand file's comment that suggests a make command names the brand itself
    comments = "".join(line for line in (ROOT / cfg).read_text().splitlines(True) if line.startswith("#"))
    assert set(re.findall(r"make (?:site|serve) BRAND=([\w-]+)", comments)) <= {brand}


def test_make_without_brand_builds_the_root_site_and_an_unknown_brand_is_an_error() -> None:
    assert "scripts/build-site mkdocs.yml site\n" in make_n("site").stdout
    for bad in ("nope", "../../tmp", "%", "northfield lakeside"):
        r = make_n("site", f"BRAND={bad}")
        assert r.returncode == 2 and "build-site" not in r.stdout, bad
    r = make_n("serve", "BRAND=nope")
    assert "unknown brand 'nope': the brands are " + " ".join(BRANDS) in r.stderr


# --- patientguide new-brand -----------------------------------------------------------------------

ROOT_CLINIC = """\
site_url: https://guide.example/
theme:
  name: material
  font: false
  custom_dir: theme_overrides
plugins:
  search: {}
  patientguide: {}
extra:
  clinic:
    name: Iontophoresis Patient Guide
    logo: logo.svg
    colors: {primary: "#1f5f8b", accent: "#a3410f"}
    email: editors@guide.example
    contact_note: For questions about this guide, e-mail its editors.
    country: GB
    publisher: the patientguide project
    locale: en-GB
"""


def run(root: Path, *args: str) -> subprocess.CompletedProcess:
    """``patientguide ...`` or ``mkdocs build ...`` in this process, as the command line runs them."""
    env = dict(_env(), SOURCE_DATE_EPOCH="1795996800")
    if args[0] == "patientguide":
        return run_cli(list(args[1:]), cwd=root, env=env)
    assert args[:2] == ("mkdocs", "build"), args
    return run_mkdocs_build(list(args[2:]), cwd=root, env=env)


def test_new_brand_refuses_bad_ids_and_existing_folders(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    site.write("mkdocs.yml", site.config.read_text().replace("  - search\n  - patientguide\n",
                                                             "  search: {}\n  patientguide: {}\n"))
    for bad in ("../evil", "Evil", "_x", "a/b", "x-", "", "a" * 60, "a\nb"):
        r = run(site.root, "patientguide", "new-brand", bad)
        assert r.returncode == 2 and f"brand id '{bad}' must be lower-case letters" in r.stderr, bad
    assert not (site.root / "brands").exists() and not (tmp_path / "evil").exists()
    (site.root / "brands" / "taken").mkdir(parents=True)
    r = run(site.root, "patientguide", "new-brand", "taken")
    assert r.returncode == 1 and "brands/taken already exists; nothing written" in r.stderr
    assert list((site.root / "brands").iterdir()) == [site.root / "brands" / "taken"]


def test_new_brand_placeholders_block_the_build_until_filled_in(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    site.write("mkdocs.yml", site.config.read_text().split("plugins:")[0].replace("theme:\n  name: material\n"
                                                                                  "  font: false\n", "")
               + ROOT_CLINIC + "markdown_extensions: [attr_list]\n")
    shutil.copytree(ROOT / "theme_overrides", site.root / "theme_overrides")
    (site.root / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><circle r="3"/></svg>')
    r = run(site.root, "patientguide", "new-brand", "us-demo")
    assert r.returncode == 0, r.stderr
    brand = site.root / "brands/us-demo/mkdocs.yml"
    text = brand.read_text()
    assert text.count("#") > 40 and "INHERIT: ../../mkdocs.yml" in text and "project_root: ../.." in text
    assert "custom_dir: ../../theme_overrides" in text and "nginx_headers: deploy/us-demo/nginx-headers.conf" in text

    r = run(site.root, "patientguide", "check", "-f", "brands/us-demo/mkdocs.yml", "--format", "json",
            "--today", "2026-11-24")
    code, data = r.returncode, json.loads(r.stdout)
    fields = {re.match(r"'(\w+)'", d["message"]).group(1) for d in data["diagnostics"]
              if d["code"] == "clinic.placeholder"}
    assert code == 1 and fields == {"site_url", "name", "logo", "phone", "email", "booking_url", "address",
                                    "opening_hours", "country", "publisher", "locale"}
    assert {d["path"] for d in data["diagnostics"] if d["severity"] == "error"} == {"brands/us-demo/mkdocs.yml"}
    out = site.root / "out"
    r = run(site.root, "mkdocs", "build", "--strict", "-f", "brands/us-demo/mkdocs.yml", "-d", str(out))
    assert r.returncode != 0 and "[clinic.placeholder]" in r.stderr and not out.exists()

    # a clinic that gives only its name, phone, country, publisher, locale and address
    text = re.sub(r"\n    (logo|email|booking_url|opening_hours):[^\n]*", "", text)
    text = re.sub(r"\n    address:[^\n]*(\n      - [^\n]*)*", "", text)
    for old, new in (("https://FILL-IN.example/guide/", "https://us-demo.example/guide/"),
                     ('"FILL-IN: the clinic\'s name"', "Demo US Clinic"), ('"FILL-IN: the clinic\'s phone number"',
                     '"(208) 555-0199"'), ('"FILL-IN: two-letter code such as GB or US"', "US"),
                     ('"FILL-IN: the organisation that publishes this guide"', "Demo US Clinic Inc."),
                     ('"FILL-IN: language tag such as en-GB or en-US"', "en-US")):
        text = text.replace(old, new)
    assert not [line for line in text.splitlines() if "FILL-IN" in line.split("#")[0]]
    brand.write_text(text)
    r = run(site.root, "mkdocs", "build", "--strict", "-f", "brands/us-demo/mkdocs.yml", "-d", str(out))
    assert r.returncode == 0, r.stderr
    html = (out / "index.html").read_text()
    assert "Demo US Clinic" in html and "(208) 555-0199" in html and "In an emergency, call 911." in html
    for other in ("editors@guide.example", "For questions about this guide", "Iontophoresis Patient Guide",
                  "pg-brandbar__logo", "en-GB", "en_GB", "https://guide.example/"):
        assert other not in html, other
    assert not (out / "assets/clinic").exists()
    p = _JsonLd()
    p.feed(html)
    assert json.loads(p.blocks[0])["inLanguage"] == "en-US" and p.meta["og:locale"] == "en_US"
    assert p.meta["og:url"] == "https://us-demo.example/guide/"
