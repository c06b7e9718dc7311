"""``patientguide review-packet [PAGE …] --out DIR``: a review packet per page (see
:mod:`patientguide.review_packet`), as ``DIR/<page>.html`` and, printed by headless Chromium
(:mod:`patientguide.browser`), ``DIR/<page>.pdf``. Without Chromium the HTML is written and the
command says what the PDF needs. Every file is written to a temporary folder first and moved
into ``DIR`` only when all of them are complete."""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from collections.abc import Mapping
from pathlib import Path

from . import browser
from .checks.site import check_site
from .clinic import load_clinic
from .options import load_site_config
from .page_args import resolve_page
from .review_packet import Packet, build_packet
from .settings import ConfigError, Settings, today_from_env

FOOTER = ('<div style="font-size:8pt;width:100%;padding:0 14mm;display:flex;justify-content:space-between;'
          'font-family:sans-serif;color:#000"><span>Review packet: {page}</span>'
          '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>')


def review_packets(args: argparse.Namespace) -> int:
    cfg = Path(args.config_file)
    if not cfg.is_file():
        raise ConfigError(f"config file '{cfg}' not found (use -f to name it)")
    site = load_site_config(cfg, today=today_from_env(args.today))
    settings = site.settings
    out = _out_dir(args.out, settings)
    clinic = load_clinic(settings.config_file, settings.rel, root=settings.root)
    report = check_site(settings, clinic=clinic)
    pages = [resolve_page(p, settings, report) for p in args.pages] or every_page(settings, report.pages)
    packets = [build_packet(src, settings, report, clinic[0], str(site.data.get("site_name") or ""),
                            site.data.get("site_url") or None) for src in pages]
    why = None if args.no_pdf else browser.missing()
    paper = clinic[0].paper if clinic[0] else "a4"
    written = _write(packets, out, pdf=not args.no_pdf and why is None, paper=paper)
    print(f"review-packet: {len(packets)} packet{'s' if len(packets) != 1 else ''} in {out} "
          f"({', '.join(sorted({p.suffix[1:].upper() for p in written}))})")
    if why:
        print(f"review-packet: no PDF written: {why}", file=sys.stderr)
    if report.errors:
        print(f"review-packet: the check found {len(report.errors)} errors in the site; each packet lists those "
              "on its page", file=sys.stderr)
    return 0


def _out_dir(out: Path, settings: Settings) -> Path:
    if out.exists() and not out.is_dir():
        raise ConfigError(f"--out '{out}' is a file, not a folder")
    docs = settings.docs_dir.resolve()
    target = out.resolve()
    if target == docs or docs in target.parents:
        raise ConfigError(f"--out '{out}' is inside the docs folder, which is published: write packets elsewhere")
    return out


def every_page(settings: Settings, pages: Mapping[str, object]) -> list[str]:
    """Every content page, the home page first."""
    found = [src for src in pages if src != settings.bibliography_page]
    return sorted(found, key=lambda s: (s != "index.md", s))


def file_stem(src_uri: str) -> str:
    stem = src_uri.removesuffix(".md").replace("/", "-")
    return "home" if stem == "index" else stem


def _write(packets: list[Packet], out: Path, *, pdf: bool, paper: str) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".review-packets-", dir=out))
    try:
        files = []
        for p in packets:
            target = tmp / f"{file_stem(p.src_uri)}.html"
            target.write_text(p.html, encoding="utf-8")
            files.append(target)
        if pdf:
            files += _print(packets, tmp, paper)
        moved = [out / f.name for f in files]
        for f, dest in zip(files, moved, strict=True):
            f.replace(dest)
        return moved
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _print(packets: list[Packet], folder: Path, paper: str) -> list[Path]:
    printed = []
    with browser.browser_page() as page:
        for p in packets:
            html_file = folder / f"{file_stem(p.src_uri)}.html"
            target = html_file.with_suffix(".pdf")
            browser.print_pdf(page, html_file.resolve().as_uri(), target, paper=paper,
                              footer=FOOTER.format(page=p.path.replace("&", "&amp;").replace("<", "&lt;")))
            printed.append(target)
    return printed
