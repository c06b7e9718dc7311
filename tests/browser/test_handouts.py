"""`scripts/handouts`: real PDFs printed by Debian's Chromium, read back with pypdf, pdftoppm and
zbarimg — the clinic's phone, the page's address (also in a QR code that scans), the review
dates and the references are on paper, at the clinic's paper size."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys

import pytest
from pypdf import PdfReader

from conftest import ROOT, require_browser

pytestmark = pytest.mark.browser

A4 = (595.9, 842.9)
LETTER = (612.0, 792.0)


@pytest.fixture(scope="module")
def handouts(tmp_path_factory):
    require_browser()
    out = tmp_path_factory.mktemp("handouts")
    for brand, pages in (("northfield", ["what-to-expect/", "side-effects/"]), ("lakeside", ["side-effects/"])):
        r = subprocess.run([sys.executable, "scripts/handouts", "-f", f"brands/{brand}/mkdocs.yml",
                            "--pages", *pages, "--out", str(out)], cwd=ROOT, capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
    return out


def text_of(pdf) -> str:
    return re.sub(r"\s+", " ", "\n".join(p.extract_text() for p in PdfReader(pdf).pages))


@pytest.mark.parametrize("brand,page,phone,url,size", [
    ("northfield", "what-to-expect", "0161 496 0123",
     "https://northfield-hospital.example/sweating-guide/what-to-expect/", A4),
    ("northfield", "side-effects", "0161 496 0123", "https://northfield-hospital.example/sweating-guide/side-effects/", A4),
    ("lakeside", "side-effects", "(208) 555-0147", "https://lakeside-skin.example/iontophoresis/side-effects/", LETTER),
])
def test_handout_has_phone_address_review_dates_and_references(handouts, brand, page, phone, url, size) -> None:
    pdf = handouts / brand / f"{page}.pdf"
    reader = PdfReader(pdf)
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(size, abs=1.5)
    text = text_of(pdf)
    assert phone in text
    assert url in re.sub(r"-\s+", "-", text)  # a long address may wrap after a hyphen
    assert re.search(r"Page last reviewed: \d{1,2} \w+ \d{4} · Next review due: \d{1,2} \w+ \d{4}", text)
    assert "References" in text
    # the reference list itself: numbered entries with their DOIs
    assert re.search(r"\b1\. .+?doi:10\.\d{4,}/", text)
    # no navigation or search on paper
    assert "Search" not in text and "Table of contents" not in text
    # links to other sites print their address
    assert "(https://" in text


def test_handout_qr_code_scans_to_the_page(handouts, tmp_path) -> None:
    if not shutil.which("zbarimg") or not shutil.which("pdftoppm"):
        pytest.fail("zbarimg and pdftoppm are needed: scripts/system-deps installs zbar-tools and poppler-utils")
    pdf = handouts / "lakeside" / "side-effects.pdf"
    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "p")], check=True)
    (png,) = tmp_path.glob("p-*.png")
    r = subprocess.run(["zbarimg", "--raw", "-q", str(png)], capture_output=True, text=True)
    assert r.stdout.strip() == "https://lakeside-skin.example/iontophoresis/side-effects/"


def test_body_text_is_at_least_11pt(handouts) -> None:
    sizes: list[float] = []

    def visit(text, cm, tm, font, size):
        if text.strip() and len(text.strip()) > 30:
            sizes.append(size * tm[0] * cm[0])  # font size × text and page scale = points on paper

    PdfReader(handouts / "northfield" / "what-to-expect.pdf").pages[1].extract_text(visitor_text=visit)
    body = sorted(sizes)[len(sizes) // 2]  # the median of long runs: body text
    assert 11.0 <= body <= 13.0
