"""MkDocs' own messages about links and navigation that repeat a problem our check has already
reported, with its position: during a build the plugin drops them, so each problem shows once.

Why a filter and not ``validation: ignore`` for what we check: a message is dropped only when
one of our diagnostics names the same page and the same link (or nav entry, or file). Anything
our check did not report, whatever the reason, still reaches MkDocs' log at MkDocs' level and
still fails a strict build, so this can never let through a problem the strict build rejected
before. The message formats are MkDocs 1.6's (``structure/pages.py``, ``nav.py``, ``files.py``);
a message that no longer matches is simply kept.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from . import lazyre
from .diagnostics import Diagnostic

LOGGERS = ("mkdocs.structure.pages", "mkdocs.structure.nav", "mkdocs.structure.files")

_DOC_LINK = lazyre.compile(r"^Doc file '(?P<src>.*?)' contains (?:a link|an absolute link|an unrecognized "
                       r"relative link) '(?P<url>.*?)', (?:but |it was left)")
_DOC_EXCLUDED = lazyre.compile(r"^Doc file '(?P<src>.*?)' contains a link to '(?P<url>.*?)' which is excluded")
_NAV = lazyre.compile(r"^(?:A reference|An absolute path) to '(?P<url>.*?)' is included in the 'nav' configuration")
_OMITTED = lazyre.compile(r"^The following pages exist in the docs directory, but are not included in the "
                      r"\"nav\" configuration:\n")
_CONFLICT = lazyre.compile(r"^Excluding '(?P<src>.*?)' from the site because it conflicts with")


class EchoFilter(logging.Filter):
    """Drops a MkDocs record that repeats one of ``diagnostics`` (see the module docstring)."""

    def __init__(self, diagnostics: Iterable[Diagnostic], doc_path: Callable[[str], str]) -> None:
        super().__init__()
        self.doc_path = doc_path  # a page's path in the docs folder → its path in our diagnostics
        self.ours = [d for d in diagnostics if d.code.startswith(("links.", "nav."))]

    def filter(self, record: logging.LogRecord) -> bool:
        return not self.repeats(record.getMessage())

    def repeats(self, message: str) -> bool:
        if m := _DOC_LINK.match(message) or _DOC_EXCLUDED.match(message):
            return self._has(f"'{m['url']}'", self.doc_path(m["src"]), "links.")
        if m := _NAV.match(message):
            return self._has(f"'{m['url']}'", None, "nav.")
        if m := _CONFLICT.match(message):
            return self._has("", self.doc_path(m["src"]), "links.conflicting-page")
        if _OMITTED.match(message):
            pages = [line.strip()[2:] for line in message.splitlines()[1:] if line.strip().startswith("- ")]
            return bool(pages) and all(self._has("", self.doc_path(p), "links.not-in-nav")
                                       or self._has(f"'{p}'", None, "links.not-in-nav") for p in pages)
        return False

    def _has(self, text: str, path: str | None, code: str) -> bool:
        return any(d.code.startswith(code) and text in d.message and (path is None or d.path == path)
                   for d in self.ours)


def attach(diagnostics: Iterable[Diagnostic], doc_path: Callable[[str], str]) -> EchoFilter:
    """Start dropping MkDocs' repeats of ``diagnostics`` (replacing an earlier build's filter, so
    one build's filter lasts until the next build, or the end of the process)."""
    detach()
    echo = EchoFilter(diagnostics, doc_path)
    for name in LOGGERS:
        logging.getLogger(name).addFilter(echo)
    return echo


def detach() -> None:
    for name in LOGGERS:
        logger = logging.getLogger(name)
        for f in [f for f in logger.filters if isinstance(f, EchoFilter)]:
            logger.removeFilter(f)
