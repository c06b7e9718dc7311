"""Security headers for the built site: a Content-Security-Policy whose inline-script hashes are
computed from the built pages, written for static hosts that read a ``_headers`` file (Netlify,
Cloudflare Pages) and as an nginx include.

No ``'unsafe-inline'`` or ``'unsafe-eval'`` for scripts: every inline script in the output gets
its own ``sha256-`` source. Content cannot add inline scripts (the safety check refuses
``<script>`` in pages), so the only inline scripts are the theme's.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import xxhash

if TYPE_CHECKING:
    from .caches import Caches
    from .pagecache import KeptResults

_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S | re.I)
_DATA_TYPES = ("application/ld+json", "application/json")

HEADERS = {
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": ("accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
                           "microphone=(), payment=(), usb=(), interest-cohort=(), browsing-topics=()"),
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def inline_script_hashes(html: str) -> set[str]:
    """``'sha256-…'`` sources for every executable inline script in one page."""
    out = set()
    for m in _SCRIPT.finditer(html):
        attrs = m.group("attrs")
        if re.search(r"\bsrc\s*=", attrs):
            continue
        t = re.search(r"\btype\s*=\s*[\"']?([^\"'\s>]+)", attrs)
        if t and t.group(1).lower() in _DATA_TYPES:
            continue  # data blocks are never run, so CSP does not apply to them
        digest = hashlib.sha256(m.group("body").encode("utf-8")).digest()
        out.add("'sha256-" + base64.b64encode(digest).decode() + "'")
    return out


#: Each page as the host wrote it, by its file's path: its size in bytes and its inline scripts' hashes
#: (:func:`page_written`); :func:`site_hashes` reads the file again only if its size is not that.
Written = dict[str, tuple[int, frozenset[str]]]


def page_written(html: str, path: str, written: Written, kept: KeptResults | None = None) -> None:
    """A page as the host writes it (MkDocs: ``on_post_page``, after every other plugin): its scripts'
    hashes, kept by its content, so that :func:`site_hashes` does not read the file back. On a big site
    every page holds the whole navigation (300 KB a page at 1000 pages), so reading them all back
    cost about as much as hashing them."""
    data = html.encode("utf-8", "xmlcharrefreplace")  # as MkDocs writes it
    written[os.path.normpath(path)] = (len(data), _hashes_of(data, html, kept))


def site_hashes(site_dir: Path, kept: KeptResults | None = None, written: Written | None = None) -> list[str]:
    """Every built page's inline-script hashes; ``kept``: each page's, by the page's content, from
    earlier builds (a page that did not change is not decoded and scanned again: its bytes are
    hashed, which costs a fraction of that on a site whose every page holds the whole navigation);
    ``written``: pages seen as they were written (:func:`page_written`), not read again unless the
    file's size changed since (another plugin rewrote it)."""
    hashes: set[str] = set()
    buffer = bytearray(1 << 18)  # each page is read into this one buffer: no new bytes for every page
    for path in _html_files(os.fspath(site_dir)):
        seen = written.get(os.path.normpath(path)) if written else None
        if seen is not None and _size(path) == seen[0]:
            hashes |= seen[1]
            continue
        buffer, size = _read_into(path, buffer)
        with memoryview(buffer)[:size] as data:
            hashes |= _hashes_of(data, None, kept)
    if kept is not None:
        kept.flush()
    return sorted(hashes)


def _hashes_of(data: bytes | memoryview, text: str | None, kept: KeptResults | None) -> frozenset[str]:
    """The inline-script hashes of one page (its bytes, and its text if at hand), kept by its bytes.

    The key is the page's 128-bit XXH3: at 1000 pages every page holds the whole navigation (321 KB), which
    XXH3 reads in about 5 us and SHA-1 in about 165 (docs/performance.md, "The page key, read faster"). It
    need not stand up to a forger: a page cannot hold a script of its own (the safety check refuses them),
    so two pages with one key could only swap sets of the theme's own script hashes, and a hash left out
    blocks a script rather than allowing one."""
    key = xxhash.xxh3_128_hexdigest(data) if kept is not None else ""
    found = kept.get(key) if kept is not None else None
    if found is None:
        found = frozenset(inline_script_hashes(text if text is not None else str(data, "utf-8", "replace")))
        if kept is not None:
            kept.put(key, found)
    return found


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return -1


def _read_into(path: str, buffer: bytearray) -> tuple[bytearray, int]:
    """The whole file at ``path`` in ``buffer`` (a bigger one if it does not fit), and its size."""
    with open(path, "rb", buffering=0) as fh:
        size = 0
        while True:
            if size == len(buffer):
                buffer = buffer + bytearray(len(buffer))
            with memoryview(buffer) as view:
                n = fh.readinto(view[size:])
            if not n:
                return buffer, size
            size += n


def _html_files(folder: str) -> Iterator[str]:
    """Every ``*.html`` file under ``folder``, as ``os.walk`` finds them (a linked folder is not
    entered; a linked file is read), walked with ``os.scandir`` alone (``rglob`` and ``os.walk``
    take several times as long)."""
    try:
        with os.scandir(folder) as it:
            entries = list(it)
    except OSError:
        return
    for entry in entries:
        if entry.is_dir():
            if not entry.is_symlink():
                yield from _html_files(entry.path)
        elif entry.name.endswith(".html"):
            yield entry.path


def content_security_policy(script_hashes: list[str]) -> str:
    script_src = " ".join(["'self'", *script_hashes])
    return "; ".join([
        "default-src 'self'",
        f"script-src {script_src}",
        "style-src 'self' 'unsafe-inline'",  # the theme sets style attributes; styles cannot run code
        "img-src 'self' data:",  # the theme's icons are inline SVG data
        "font-src 'self'",
        "connect-src 'self'",
        "worker-src 'self'",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ])


def all_headers(script_hashes: list[str]) -> dict[str, str]:
    return {"Content-Security-Policy": content_security_policy(script_hashes), **HEADERS}


def netlify_headers(headers: dict[str, str]) -> str:
    """``_headers`` for Netlify and Cloudflare Pages."""
    lines = ["# Generated by patientguide at build time; do not edit.", "/*"]
    lines += [f"  {k}: {v}" for k, v in headers.items()]
    return "\n".join(lines) + "\n"


def nginx_include(headers: dict[str, str]) -> str:
    """An nginx include: ``add_header … always`` lines for a ``server`` or ``location`` block.

    nginx drops inherited ``add_header`` lines in any block that sets its own, so include this
    file in every block that adds headers.
    """
    lines = ["# Generated by patientguide at build time; do not edit. Include it inside server { }."]
    lines += [f'add_header {k} "{v}" always;' for k, v in headers.items()]
    return "\n".join(lines) + "\n"


def write_headers(site_dir: Path, nginx_path: Path | None, caches: Caches | None = None,
                  written: Written | None = None) -> dict[str, str]:
    """``_headers`` (and the nginx include); ``caches``: each page's script hashes kept by its content;
    ``written``: pages seen as they were written (:func:`page_written`)."""
    headers = all_headers(site_hashes(site_dir, caches.script_hashes if caches else None, written))
    (site_dir / "_headers").write_text(netlify_headers(headers), encoding="utf-8")
    if nginx_path is not None:
        nginx_path.parent.mkdir(parents=True, exist_ok=True)
        nginx_path.write_text(nginx_include(headers), encoding="utf-8")
    return headers
