"""PDFs printed by headless Chromium: Debian's ``chromium`` package, driven by Playwright (the
``handouts`` extra), with no browser download and no request to other hosts. Shared by
``scripts/handouts`` (and ``scripts/screenshots``, through ``scripts/_browser.py``) and
``patientguide review-packet``."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

# Without the background-networking flags Chromium keeps trying to reach Google's hosts.
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
MARGINS = {"top": "15mm", "bottom": "18mm", "left": "14mm", "right": "14mm"}
NEEDED = ("printing PDFs needs Debian's chromium (scripts/system-deps installs it) and Playwright "
          "(pip install 'patientguide[handouts]')")


class BrowserMissing(Exception):
    """Chromium or Playwright is not installed."""


def chromium_path() -> str | None:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    return path if Path(path).exists() else None


def missing() -> str | None:
    """Why PDFs cannot be printed here, or ``None`` when they can."""
    if chromium_path() is None:
        return NEEDED
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return NEEDED
    return None


@contextlib.contextmanager
def browser_page(extra_args: tuple[str, ...] = ()) -> Iterator[Any]:
    """A Playwright page in headless Debian Chromium, for the ``with`` block."""
    why = missing()
    if why:
        raise BrowserMissing(why)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=[*CHROMIUM_ARGS, *extra_args])
        try:
            yield browser.new_page()
        finally:
            browser.close()


def print_pdf(page: Any, url: str, target: Path, *, paper: str, footer: str | None = None) -> None:
    """Print ``url`` to ``target`` with the print stylesheet, on A4 or Letter (``paper``), with
    ``footer`` (Chromium's footer template: ``pageNumber`` and ``totalPages`` spans) when given."""
    page.goto(url, wait_until="load")
    page.emulate_media(media="print")
    page.pdf(path=str(target), format="Letter" if paper == "letter" else "A4", margin=MARGINS,
             display_header_footer=footer is not None, header_template="<span></span>",
             footer_template=footer or "<span></span>")
