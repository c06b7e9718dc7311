"""`patientguide review-packet`: the PDF printed by Debian's Chromium (the handouts' printing),
read back with pypdf — the page, its references with their kinds and DOIs, what the checks
flagged, and the checklist, on the clinic's paper."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import BIN, ROOT, _env, make_site, page, require_browser


def review_packet(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """``patientguide review-packet`` as a reviewer runs it: its own process, so its Chromium
    session does not meet the browser tests' own Playwright session in this one."""
    return subprocess.run([str(BIN / "patientguide"), "review-packet", *args], cwd=cwd, capture_output=True,
                          text=True, env=_env())


pytestmark = pytest.mark.browser

A4 = (595.9, 842.9)
LETTER = (612.0, 792.0)
BIB = """\
@article{trial2020, author = {Trial, Ann and Second, Bob}, title = {A randomised trial of tap water iontophoresis},
  journal = {Journal of Trials}, year = {2020}, doi = {10.1000/trial.2020}, pmid = {12345678}, evidence = {trial}}
@misc{maker2021, author = {{Example Devices}}, title = {Questions and answers}, url = {https://example.org/faq},
  evidence = {maker}}
"""
HOME = page("Iontophoresis at home", """\
# Iontophoresis at home

It reduced sweating in most people in one trial [@trial2020].

The machine cuts sweating by half [@maker2021].

It works for nearly everyone.
""")


def text_of(pdf: Path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(pdf).pages))


@pytest.fixture(scope="module")
def packet(tmp_path_factory) -> Path:
    require_browser()
    tmp = tmp_path_factory.mktemp("packet")
    site = make_site(tmp, {"content/index.md": HOME}, bib=BIB)
    site.write("mkdocs.yml", site.config.read_text() + 'extra:\n  clinic:\n    name: Lakeside Demo\n    colors: '
               '{primary: "#00695c", accent: "#ad1457"}\n    phone: (208) 555-0100\n    publisher: Lakeside Demo\n'
               "    locale: en-US\n    country: US\n")
    r = review_packet("--out", str(tmp / "out"), "--today", "2026-11-24", cwd=site.root)
    assert r.returncode == 0, r.stderr
    assert sorted(p.name for p in (tmp / "out").iterdir()) == ["home.html", "home.pdf"]
    return tmp / "out" / "home.pdf"


def test_the_pdf_holds_the_page_its_evidence_and_the_checklist(packet: Path) -> None:
    reader = PdfReader(packet)
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(LETTER, abs=1.5)  # the clinic's paper (US)
    text = text_of(packet)
    assert "CLINICAL REVIEW PACKET" in text and "Iontophoresis at home" in text
    assert "It reduced sweating in most people in one trial [1]" in text  # the page as patients read it
    assert "A randomised trial of tap water iontophoresis" in text and "10.1000/trial.2020" in text
    assert "12345678" in text and "Randomised trial" in text and "Maker's information" in text
    assert "It works for nearly everyone" in text and "evidence.uncited-claim" in text
    assert "The machine cuts sweating by half" in text and "evidence.weak-support" in text
    assert "Reviewer's name" in text and "Role and credentials" in text
    assert re.search(r"--fingerprint sha256:[0-9a-f ]{64,}", text)
    assert re.search(r"Page 1 of \d+", text)


def test_the_guide_s_packet_prints_on_a4(tmp_path: Path) -> None:
    require_browser()
    r = review_packet("side-effects", "--out", str(tmp_path), "--today", "2026-11-24", cwd=ROOT)
    assert r.returncode == 0, r.stderr
    pdf = tmp_path / "side-effects.pdf"
    box = PdfReader(pdf).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4, abs=1.5)
    text = text_of(pdf)
    assert "Side effects" in text and "Study in children" in text and "NHS leaflet" in text
    assert "Who must not use it" in text or "Stop and get help" in text  # a safety block it includes
