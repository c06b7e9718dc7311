"""Citations against the bibliography: every cited key must exist; every entry should be cited."""

from __future__ import annotations

from .. import diagnostics as dx
from ..diagnostics import Diagnostic
from ..references import Reference, unused_summary
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


def check_reference_entries(site: SiteContext) -> list[Diagnostic]:
    """Each entry's own problems: errors for an entry a page cites, at most warnings for the rest
    (an editor's shared library may hold entries no page uses); then one line for the unused."""
    unused = unused_references(site)
    folder = site.settings.rel(site.settings.references_dir)
    return site.bib.entry_diagnostics(site.cited_on) + unused_summary(unused, folder)


def unused_references(site: SiteContext) -> list[Reference]:
    """Entries no page cites, and that no cited entry inherits from (``crossref``)."""
    return site.bib.unused(site.bib.used_keys(site.cited_on))
