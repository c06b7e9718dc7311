"""HTML that the plugin adds to a page, written in ASCII: every other character as a numeric
character reference (``Ł`` → ``&#321;``, ``↩`` → ``&#8617;``).

A browser, a screen reader and search's HTML parser read the same text either way. What changes is
the page as a Python string: one character beyond Latin-1 anywhere makes the theme's output for the
whole page two bytes a character, and one beyond ASCII makes MkDocs encode it character by character
when it writes the file, where an ASCII page is copied as it is. Every page holds the whole
navigation, so on a 1000-page site that cost was about 0.5 ms a page, for an arrow in the reference
list or a name like Łukasz (docs/performance.md). Text in ``<script>`` or ``<style>`` is never passed
here: a character reference means nothing there (JSON in a page is written with ``\\u`` escapes instead).
"""

from __future__ import annotations

import html


def ascii_html(text_html: str) -> str:
    """``text_html`` (HTML text or an attribute's value) with each non-ASCII character as ``&#N;``."""
    return text_html if text_html.isascii() else text_html.encode("ascii", "xmlcharrefreplace").decode("ascii")


def escaped_ascii(text: str) -> str:
    """Plain ``text`` for HTML text or an attribute's value: escaped (quotes too), then :func:`ascii_html`."""
    return ascii_html(html.escape(text, quote=True))
