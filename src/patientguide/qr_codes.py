"""Printed handouts: a QR code that leads from the paper back to the page online.

The code is inline SVG (no image request, nothing from another site) and only shows in print.
Making one takes a few milliseconds, so builds make them only when asked (``qr_codes: true``
or ``PATIENTGUIDE_QR_CODES=1``, which ``make handouts`` sets).
"""

from __future__ import annotations

import html
from functools import lru_cache


@lru_cache(maxsize=4096)
def qr_svg(url: str, *, scale: int = 3) -> str:
    """An inline SVG QR code for ``url``, labelled for screen readers."""
    import segno  # only when a build makes QR codes

    qr = segno.make(url, error="m", micro=False)
    svg = qr.svg_inline(scale=scale, border=4, svgclass="pg-qr", lineclass=None, omitsize=True)
    label = html.escape(f"QR code: scan it to open this page online at {url}", quote=True)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
