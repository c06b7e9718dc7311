"""Citations against the bibliography: every cited key must exist; every entry should be cited."""

from __future__ import annotations

from .. import diagnostics as dx
from ..diagnostics import Diagnostic
from .context import PageContext, SiteContext


def check_unknown_keys(page: PageContext) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    known: list[str] | None = None
    for c in page.parsed.citations:
        if page.bib.lookup(c.key) is None:
            known = known if known is not None else page.bib.keys()
            out.append(dx.make(page.path, c.line, c.col, "citation.unknown-key",
                               f"unknown citation key '{c.key}'", dx.did_you_mean(c.key, known)))
    return out


def check_unused_entries(site: SiteContext) -> list[Diagnostic]:
    return [dx.make(ref.path, ref.line, 1, "bib.unused-entry", f"reference '{ref.key}' is not cited on any page")
            for lk, ref in site.bib.entries.items() if lk not in site.cited_on]
