"""Clinical review end to end, on scenario sites with an example reviewer (never the real guide):
evidence kinds and their labels, evidence.weak-support, sign-off, review.stale in the check and in
a real build, and the review packet's HTML."""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

import pytest

from conftest import GOOD_BIB, Site, make_site, page, run_cli

TODAY = "2026-11-24"
REVIEWERS = """\
reviewers:
  jsmith:
    name: Dr Jane Smith
    credentials: MBBS, MRCP (Dermatology)
    role: Consultant dermatologist, Example Clinic
    conflicts_of_interest: none
"""
INCOMPLETE = REVIEWERS + """\
  slee:
    name: Sam Lee
    role: Nurse specialist
    conflicts_of_interest: none
  adoe:
    name: Alex Doe
    credentials: RN
    conflicts_of_interest: none
"""
HOME = page("Home", """\
# Home

It helps most people [@karakoc2002safe].

--8<-- "blocks/stop.md"
""")
BLOCK = ('!!! danger "Stop"\n    Stop if it hurts, and call {{ clinic.emergency_number }} if you feel faint '
         '[@karakoc2002safe; @bad2021leaflet].\n')
CLINIC = """
extra:
  clinic:
    name: Example Clinic
    colors: {primary: "#00695c", accent: "#ad1457"}
    phone: 0161 496 0000
    publisher: Example Clinic
    locale: en-GB
    country: GB
"""


def review_site(tmp_path: Path, reviewers: str = REVIEWERS, options: str = "reviewers_file: reviewers.yml") -> Site:
    site = make_site(tmp_path, {"content/index.md": HOME, "blocks/stop.md": BLOCK, "reviewers.yml": reviewers},
                     options=options)
    site.write("mkdocs.yml", site.config.read_text() + CLINIC)
    return site


def sign_off(site: Site, *args: str):
    return run_cli(["sign-off", "content/index.md", "--today", TODAY, *args], cwd=site.root)


def edit(site: Site, rel: str, old: str, new: str) -> None:
    text = (site.root / rel).read_text(encoding="utf-8")
    assert old in text
    site.write(rel, text.replace(old, new))


def stale_lines(site: Site, *args: str) -> list[str]:
    return [line for line in site.check(*args).stdout.splitlines() if "[review.stale]" in line]


# --- sign-off --------------------------------------------------------------------------------

def test_sign_off_changes_only_the_review_fields(tmp_path: Path) -> None:
    site = review_site(tmp_path)
    before = (site.root / "content/index.md").read_text()
    r = sign_off(site, "--by", "Dr Jane Smith", "--date", "2026-11-20")
    assert r.returncode == 0, r.stderr
    after = (site.root / "content/index.md").read_text()
    fp = re.search(r"review_fingerprint: (sha256:[0-9a-f]{64})", after).group(1)
    assert r.stdout == (f"content/index.md: signed off by Dr Jane Smith (jsmith) on 2026-11-20; next review due "
                        f"2027-11-20; review_fingerprint: {fp}\n")
    changed = [line for line in difflib.ndiff(before.splitlines(), after.splitlines()) if line[:1] in "+-"]
    assert [line for line in changed if line[0] == "-"] == [
        "- last_reviewed: 2026-01-10", "- next_review_due: 2027-01-10", "- status: draft"]
    assert [line for line in changed if line[0] == "+"] == [
        "+ last_reviewed: 2026-11-20", "+ next_review_due: 2027-11-20", "+ status: reviewed", "+ reviewed_by: jsmith",
        f"+ review_fingerprint: {fp}"]
    assert after.replace("\nreviewed_by: jsmith", "").replace(f"\nreview_fingerprint: {fp}", "").replace(
        "2026-11-20", "2026-01-10").replace("2027-11-20", "2027-01-10").replace("status: reviewed", "status: draft") \
        == before  # every other byte as it was
    assert site.check("--strict").returncode == 0, site.check().stdout
    assert not stale_lines(site)


def test_the_review_interval_is_a_setting(tmp_path: Path) -> None:
    site = review_site(tmp_path, options="reviewers_file: reviewers.yml\nreview_interval_years: 2")
    assert sign_off(site, "--by", "jsmith").returncode == 0
    assert "next_review_due: 2028-11-24" in (site.root / "content/index.md").read_text()
    too_long = review_site(tmp_path / "b", options="reviewers_file: reviewers.yml\nreview_interval_years: 4")
    r = sign_off(too_long, "--by", "jsmith")
    assert r.returncode == 2
    assert "option 'review_interval_years' must be from 1 to review_max_years (3), got 4" in r.stderr


@pytest.mark.parametrize("args, message", [
    (["--by", "jsmyth"], "'jsmyth' is not a reviewer in reviewers.yml (did you mean 'jsmith'?): only a clinician "
                         "listed there may sign a page off"),
    (["--by", "slee"], "reviewer 'slee' in reviewers.yml has no 'credentials'"),
    (["--by", "Alex Doe"], "reviewer 'adoe' in reviewers.yml has no 'role'"),
    (["--by", "jsmith", "--date", "2026-12-01"], "--date 2026-12-01 is after today (2026-11-24)"),
    (["--by", "jsmith", "--date", "24/11/2026"], "--date must be a date written YYYY-MM-DD, got '24/11/2026'"),
    (["--by", "jsmith", "--fingerprint", "sha256:" + "0" * 64], "content/index.md is not the version reviewed"),
])
def test_sign_off_refuses_with_the_reason_and_writes_nothing(tmp_path: Path, args: list[str], message: str) -> None:
    site = review_site(tmp_path, reviewers=INCOMPLETE)
    before = (site.root / "content/index.md").read_bytes()
    r = sign_off(site, *args)
    assert r.returncode == 2
    assert message in r.stderr
    assert (site.root / "content/index.md").read_bytes() == before


def test_sign_off_needs_a_reviewers_file_a_known_page_and_a_page_without_errors(tmp_path: Path) -> None:
    site = review_site(tmp_path, options="")
    r = sign_off(site, "--by", "jsmith")
    assert r.returncode == 2 and "this site has no reviewers file" in r.stderr
    site = review_site(tmp_path / "b")
    r = run_cli(["sign-off", "content/indx.md", "--by", "jsmith", "--today", TODAY], cwd=site.root)
    assert r.returncode == 2 and "no page 'content/indx.md' in content/ (did you mean 'content/index.md'?)" in r.stderr
    edit(site, "content/index.md", "[@karakoc2002safe]", "[@karakoc2003safe]")
    before = (site.root / "content/index.md").read_bytes()
    r = sign_off(site, "--by", "jsmith")
    assert r.returncode == 1
    assert "unknown citation key 'karakoc2003safe'" in r.stderr and "nothing written" in r.stderr
    assert (site.root / "content/index.md").read_bytes() == before


# --- review.stale ----------------------------------------------------------------------------

STALE = ("content/index.md:{line}:21: warning: page changed since Dr Jane Smith reviewed it on 2026-11-24; ask them "
         "to review again (the page shows the draft notice until they sign it off again: patientguide sign-off PAGE "
         "--by ID) [review.stale]")


@pytest.mark.parametrize("where, old, new", [
    ("content/index.md", "It helps most people", "It helps nearly everyone"),
    ("blocks/stop.md", "if you feel faint", "if you feel dizzy"),
    ("references/main.bib", "year = {2002}", "year = {2003}"),
    ("content/index.md", "  - A key point.", "  - Another key point."),
])
def test_a_change_after_sign_off_makes_the_page_stale(tmp_path: Path, where: str, old: str, new: str) -> None:
    site = review_site(tmp_path)
    assert sign_off(site, "--by", "jsmith").returncode == 0
    edit(site, where, old, new)
    assert stale_lines(site) == [STALE.format(line=11)]
    assert site.check().returncode == 0 and site.check("--strict").returncode == 1
    assert sign_off(site, "--by", "jsmith").returncode == 0  # reviewed again: current again
    assert not stale_lines(site)


def test_whitespace_and_review_fields_do_not_make_it_stale(tmp_path: Path) -> None:
    site = review_site(tmp_path)
    assert sign_off(site, "--by", "jsmith").returncode == 0
    edit(site, "content/index.md", "It helps most people", "It helps\n  most   people")
    text = (site.root / "content/index.md").read_text().replace("\n", "\r\n")
    (site.root / "content/index.md").write_bytes(text.replace("audience: patient", "audience: patient\ntags: [x]")
                                                 .encode())
    edit(site, "blocks/stop.md", "Stop if it hurts,", "Stop if it hurts,\n   ")
    assert not stale_lines(site)


@pytest.mark.parametrize("tamper, message", [
    (lambda t: re.sub(r"sha256:[0-9a-f]{64}", "sha256:abc", t),
     "content/index.md:11:21: warning: 'review_fingerprint' is not a fingerprint patientguide wrote, so no one can "
     "tell whether the page changed since Dr Jane Smith reviewed it on 2026-11-24; ask them to review again"),
    (lambda t: re.sub(r"review_fingerprint: .*\n", "", t),
     "content/index.md:9:9: warning: page is marked reviewed by Dr Jane Smith on 2026-11-24 but has no "
     "'review_fingerprint', so no one can tell whether it changed since; ask them to review again"),
])
def test_a_tampered_or_missing_fingerprint_is_stale(tmp_path: Path, tamper, message: str) -> None:
    site = review_site(tmp_path)
    assert sign_off(site, "--by", "jsmith").returncode == 0
    site.write("content/index.md", tamper((site.root / "content/index.md").read_text()))
    (line,) = stale_lines(site)
    assert line.startswith(message)


def test_require_review_makes_a_stale_page_an_error(tmp_path: Path) -> None:
    site = review_site(tmp_path, options="reviewers_file: reviewers.yml\nrequire_review: true")
    assert sign_off(site, "--by", "jsmith").returncode == 0
    assert site.check().returncode == 0
    edit(site, "content/index.md", "It helps most people", "It helps nearly everyone")
    r = site.check()
    assert r.returncode == 1
    assert STALE.format(line=11).replace(": warning:", ": error:") in r.stdout.splitlines()


def _json_ld(html: str) -> dict:
    return json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S).group(1))


@pytest.mark.build
def test_a_real_build_shows_the_draft_notice_again_after_an_edit(tmp_path: Path) -> None:
    site = review_site(tmp_path)
    assert sign_off(site, "--by", "jsmith").returncode == 0
    r = site.build("--strict")
    assert r.returncode == 0, r.stderr
    html = site.html()
    assert "Reviewed by Dr Jane Smith, MBBS, MRCP (Dermatology) (Consultant dermatologist, Example Clinic)." in html
    assert "Draft &mdash; not yet reviewed" not in html
    assert _json_ld(html)["lastReviewed"] == "2026-11-24" and _json_ld(html)["reviewedBy"]["name"] == "Dr Jane Smith"

    edit(site, "content/index.md", "It helps most people", "It helps nearly everyone")
    r = site.build()
    assert r.returncode == 0, r.stderr
    assert "[review.stale]" in r.stderr and "page changed since Dr Jane Smith reviewed it on 2026-11-24" in r.stderr
    html = site.html()
    assert "Draft &mdash; not yet reviewed by a clinician." in html
    assert "Reviewed by Dr Jane Smith" not in html
    assert "lastReviewed" not in _json_ld(html) and "reviewedBy" not in _json_ld(html)
    assert site.build("--strict").returncode == 1  # a strict build stops on it


# --- evidence kinds and evidence.weak-support ---------------------------------------------------

WEAK_BIB = GOOD_BIB + """
@misc{maker2020, author = {{Example Devices}}, title = {FAQ}, url = {https://example.org/faq}, evidence = {maker}}
@misc{trust2021, author = {{Example Hospitals NHS Foundation Trust}}, title = {Leaflet},
  url = {https://example.org/leaflet}, evidence = {leaflet}}
@article{kid2017, author = {Kid, A}, title = {In children}, journal = {J Pediatr}, year = {2017},
  doi = {10.1000/kid}, evidence = {study}, population = {children}}
@misc{nokind, title = {No kind}, url = {https://example.org/nokind}}
@misc{badkind, title = {Bad kind}, url = {https://example.org/badkind}, evidence = {leafelt}}
"""
WEAK_PAGE = page("Home", """\
# Home

The machine cuts sweating by half [@maker2020].

It cuts sweating [@maker2020; @karakoc2002safe].

One maker says it cuts sweating [@maker2020].

It can burn the skin [@trust2021].

It can burn cut skin [@trust2021]. <!-- leaflet-ok -->

Stop the treatment if [@trust2021]:

- it hurts, even with the current turned down

Children feel it too [@kid2017]. See [the leaflet](#) [@nokind].
""")


def test_weak_support_flags_effects_and_risks_backed_only_by_makers_or_leaflets(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/index.md": WEAK_PAGE}, bib=WEAK_BIB)
    out = site.check().stdout.splitlines()
    weak = [line for line in out if "[evidence.weak-support]" in line]
    assert weak == [
        "content/index.md:14:1: warning: sentence states an effect, and only makers' information support it: 'The "
        "machine cuts sweating by half .' (cite a study, review or guideline that says it too) [evidence.weak-support]",
        "content/index.md:20:1: warning: sentence states a risk, and only patient leaflets support it: 'It can burn the "
        "skin .' (cite a study, review or guideline that says it too) [evidence.weak-support]",
    ]
    assert [line for line in out if "evidence" in line.rsplit("[", 1)[-1] and "bib." in line] == [
        "references/main.bib:25:1: warning: entry 'nokind' does not say what kind of source it is (add evidence = "
        "{…}: systematic-review, guideline, trial, study, expert-review, leaflet, maker or regulator) "
        "[bib.missing-evidence]",
        "references/main.bib:26:73: warning: unknown evidence 'leafelt' of entry 'badkind': it must be one of "
        "systematic-review, guideline, trial, study, expert-review, leaflet, maker, regulator (did you mean "
        "'leaflet'?; a warning because no page cites 'badkind') [bib.unknown-evidence]",
    ]


def test_an_unknown_kind_of_a_cited_entry_is_an_error(tmp_path: Path) -> None:
    site = make_site(tmp_path, bib=GOOD_BIB.replace("evidence = {study}", "evidence = {studdy}"))
    r = site.check()
    assert r.returncode == 1
    assert ("references/main.bib:5:18: error: unknown evidence 'studdy' of entry 'karakoc2002safe': it must be one "
            "of systematic-review, guideline, trial, study, expert-review, leaflet, maker, regulator (did you mean "
            "'study'?) [bib.unknown-evidence]") in r.stdout.splitlines()


@pytest.mark.build
def test_patients_see_the_kind_of_each_source(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/index.md": WEAK_PAGE}, bib=WEAK_BIB)
    r = site.build()
    assert r.returncode == 0, r.stderr
    labels = re.findall(r'<li id="pg-ref-\d+"><span id="pg-reftext-\d+">.*?</span>'
                        r'(?: <span class="pg-evidence">([^<]*)</span>)?', site.html(), re.S)
    assert labels == ["Maker's information", "Study", "NHS leaflet", "Study in children", ""]
    bibliography = site.html("references/index.html")
    assert bibliography.count('class="pg-evidence"') == 4 and "Study in children</span>" in bibliography


# --- the review packet -----------------------------------------------------------------------

def test_review_packet_holds_every_cited_reference_and_every_flagged_sentence(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/index.md": WEAK_PAGE + "\nIt works for most people.\n"}, bib=WEAK_BIB)
    out = tmp_path / "packets"
    r = run_cli(["review-packet", "index", "--out", str(out), "--no-pdf", "--today", TODAY], cwd=site.root)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["home.html"]
    html = (out / "home.html").read_text(encoding="utf-8")
    for title, link in (("Safe control of palmoplantar hyperhidrosis with direct electrical current",
                         "https://doi.org/10.1046/j.1365-4362.2002.01473.x"), ("FAQ", "https://example.org/faq"),
                        ("Leaflet", "https://example.org/leaflet"), ("In children", "https://doi.org/10.1000/kid"),
                        ("No kind", "https://example.org/nokind")):
        assert f"<th>Title</th><td>{title}</td>" in html and f'href="{link}"' in html
    assert "Karakoç Y, Aydemir EH, Kalkan MT" in html and "children only" in html and "Randomised trial" not in html
    assert "not given (no evidence field)" in html
    for flagged in ("It works for most people.", "The machine cuts sweating by half", "It can burn the skin"):
        assert re.search(r"<li>.*?" + re.escape(flagged), html), flagged
    assert "Reviewer's name" in html and "Role and credentials" in html and "<th>Date</th>" in html
    assert not re.search(r"<script|<link|<img[^>]+src=\"(?!data:)|@import|url\(", html)  # nothing fetched


def test_the_packet_fingerprint_is_what_sign_off_checks(tmp_path: Path) -> None:
    site = review_site(tmp_path)
    out = tmp_path / "packets"
    assert run_cli(["review-packet", "--out", str(out), "--no-pdf", "--today", TODAY], cwd=site.root).returncode == 0
    html = (out / "home.html").read_text(encoding="utf-8")
    fp = re.search(r"--fingerprint (sha256:[0-9a-f]{64})", html).group(1)
    assert "call 999 if you feel faint [1, 2]" in html  # the block, with the clinic's number and the page's numbering
    edit(site, "blocks/stop.md", "if you feel faint", "if you feel dizzy")
    assert sign_off(site, "--by", "jsmith", "--fingerprint", fp).returncode == 2  # the block changed since
    edit(site, "blocks/stop.md", "if you feel dizzy", "if you feel faint")
    r = sign_off(site, "--by", "jsmith", "--fingerprint", fp)
    assert r.returncode == 0 and fp in r.stdout


def test_without_chromium_the_packet_is_html_and_says_what_the_pdf_needs(tmp_path: Path, monkeypatch) -> None:
    from patientguide import browser
    monkeypatch.setattr(browser, "chromium_path", lambda: None)
    site = review_site(tmp_path)
    out = tmp_path / "packets"
    r = run_cli(["review-packet", "--out", str(out), "--today", TODAY], cwd=site.root)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in out.iterdir()) == ["home.html"]
    assert "review-packet: no PDF written: printing PDFs needs Debian's chromium (scripts/system-deps installs it)" \
        in r.stderr


def test_packets_are_never_written_into_the_docs_folder(tmp_path: Path) -> None:
    site = review_site(tmp_path)
    r = run_cli(["review-packet", "--out", "content/packets", "--no-pdf"], cwd=site.root)
    assert r.returncode == 2 and "is inside the docs folder, which is published" in r.stderr
    assert not (site.root / "content" / "packets").exists()


def test_packets_build_for_every_page_of_the_guide(tmp_path: Path) -> None:
    from conftest import ROOT
    out = tmp_path / "packets"
    r = run_cli(["review-packet", "--out", str(out), "--no-pdf", "--today", TODAY], cwd=ROOT)
    assert r.returncode == 0, r.stderr
    pages = sorted(p.relative_to(ROOT / "content").as_posix() for p in (ROOT / "content").rglob("*.md")
                   if p.name != "references.md")  # the bibliography page (written, for Zensical) gets no packet
    assert len(list(out.glob("*.html"))) == len(pages) >= 14
    for packet in out.glob("*.html"):
        html = packet.read_text(encoding="utf-8")
        assert "7. Checklist and sign-off" in html and "Draft — not yet reviewed by a clinician." in html
