"""MkDocs' own link and nav messages are dropped only when our check reported the same problem."""

from __future__ import annotations

import logging

from patientguide import link_echo
from patientguide.diagnostics import Diagnostic, Severity

W = Severity.WARNING


def _ours() -> list[Diagnostic]:
    return [
        Diagnostic("content/index.md", 3, 8, W, "links.missing-file", "link 'missing.md': there is no 'content/missing.md'"),
        Diagnostic("content/index.md", 4, 8, W, "links.broken-anchor", "link 'a.md#nope': 'content/a.md' has no anchor '#nope'"),
        Diagnostic("content/index.md", 4, 21, Severity.INFO, "links.excluded-page",
                   "link 'x/../excluded.md' leads to 'excluded.md', which is excluded from the built site"),
        Diagnostic("content/orphan.md", 1, 0, W, "links.not-in-nav", "page 'orphan.md' is not in the nav of mkdocs.yml"),
        Diagnostic("mkdocs.yml", 14, 5, W, "nav.not-found", "nav entry 'missing.md' is not a page of the site"),
        Diagnostic("content/sub/README.md", 1, 0, W, "links.conflicting-page", "'sub/README.md' is left out"),
        Diagnostic("content/index.md", 9, 1, W, "bib.unused-entry", "link 'other.md' (not a link code)"),
    ]


def _echo() -> link_echo.EchoFilter:
    return link_echo.EchoFilter(_ours(), lambda uri: f"content/{uri}")


def test_repeats_of_our_problems_are_dropped() -> None:
    echo = _echo()
    for message in [
        "Doc file 'index.md' contains a link 'missing.md', but the target is not found among documentation files.",
        "Doc file 'index.md' contains a link 'a.md#nope', but the doc 'a.md' does not contain an anchor '#nope'.",
        "Doc file 'index.md' contains a link to 'excluded.md' which is excluded from the built site.",
        "The following pages exist in the docs directory, but are not included in the \"nav\" configuration:\n  - orphan.md",
        "A reference to 'missing.md' is included in the 'nav' configuration, which is not found in the documentation files.",
        "Excluding 'sub/README.md' from the site because it conflicts with 'sub/index.md'.",
    ]:
        assert echo.repeats(message), message


def test_everything_else_is_kept() -> None:
    echo = _echo()
    for message in [
        "Doc file 'index.md' contains a link 'other.md', but the target is not found among documentation files.",
        "Doc file 'a.md' contains a link 'missing.md', but the target is not found among documentation files.",
        "Doc file 'index.md' contains an absolute link '/missing.md', it was left as is.",
        "The following pages exist in the docs directory, but are not included in the \"nav\" configuration:\n"
        "  - orphan.md\n  - second.md",
        "An absolute path to '/x.md' is included in the 'nav' configuration, which presumably points to an external resource.",
        "Excluding 'README.md' from the site because it conflicts with 'index.md'.",
        "Building documentation to directory: site",
    ]:
        assert not echo.repeats(message), message


def test_attached_to_mkdocs_loggers_until_detached(caplog) -> None:
    logger = logging.getLogger("mkdocs.structure.pages")
    repeat = "Doc file 'index.md' contains a link 'missing.md', but the target is not found among documentation files."
    link_echo.attach(_ours(), lambda uri: f"content/{uri}")
    link_echo.attach(_ours(), lambda uri: f"content/{uri}")  # a second build replaces the first filter
    try:
        assert sum(isinstance(f, link_echo.EchoFilter) for f in logger.filters) == 1
        with caplog.at_level(logging.INFO, logger="mkdocs"):
            logger.warning(repeat)
            logger.warning("Doc file 'index.md' contains a link 'other.md', but the target is not found.")
        assert [r.getMessage() for r in caplog.records] == [
            "Doc file 'index.md' contains a link 'other.md', but the target is not found."]
    finally:
        link_echo.detach()
    assert not any(isinstance(f, link_echo.EchoFilter) for f in logger.filters)
