"""Shared by scripts/handouts and scripts/screenshots: Debian's Chromium (patientguide.browser,
which patientguide review-packet prints with too) and a quiet local server."""

from __future__ import annotations

import contextlib
import functools
import http.server
import threading
from pathlib import Path
from typing import Iterator

from patientguide.browser import CHROMIUM_ARGS, chromium_path

__all__ = ["CHROMIUM_ARGS", "chromium", "serve"]


def chromium() -> str:
    path = chromium_path()
    if path is None:
        raise SystemExit("Debian's chromium is needed: run scripts/system-deps (apt-get install chromium)")
    return path


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


@contextlib.contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve ``site`` on 127.0.0.1 (a free port) for the ``with`` block; yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
