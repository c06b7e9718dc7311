"""The search index's entries for the bibliography page, kept by what they are made from.

Material for MkDocs' search plugin indexes each page in ``on_page_context``: it reads the page's
HTML with Python's ``HTMLParser`` and adds an entry per section to ``search_index.entries``. The
bibliography is the one page the plugin adds to a site, and the biggest: at 1000 references,
reading even its lean form (:mod:`patientguide.search_view`) and the indexer's pass over it for
``data-search-*`` attributes take about 125 million instructions, an eighth of all a warm
100-page build adds. A build whose bibliography reads the same gets the same entries, so the
entries the indexer made are kept, by the page's HTML as the indexer reads it, the page's address,
title, table of contents and search settings, and (as every kept result) our code and the
versions of Material and of its Chinese word splitter (:data:`patientguide.pagecache.LIBRARIES`);
a build that finds them hands the indexer nothing to read for that page and adds the kept entries
where the indexer would have put them. Everything else is the indexer's
own work, as before (tests/test_search_entries.py: the same index, byte for byte).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .pagecache import KeptResults

#: The module of Material for MkDocs' search plugin, whose index this module adds to
INDEXER = "material.plugins.search.plugin"

Entries = list[dict[str, Any]]
#: A page between the two handlers: the index, the page's key, where its entries start, its HTML,
#: and its kept entries (``None``: the indexer reads the page)
Pending = tuple[Entries, str, int, str, Entries | None]


def before(plugins: Iterable[Any], page: Any, kept: KeptResults) -> Pending | None:
    """``on_page_context``, before the indexer: :func:`before_indexing` where there is an index."""
    entries = index_entries(plugins)
    return None if entries is None else before_indexing(page, entries, kept)


def index_entries(plugins: Iterable[Any]) -> Entries | None:
    """The list an enabled Material search plugin adds each page's entries to; ``None`` when the site
    has none, or its index is not laid out as this module knows it."""
    for plugin in plugins:
        if type(plugin).__module__ == INDEXER:
            enabled = getattr(getattr(plugin, "config", None), "enabled", False)
            entries = getattr(getattr(plugin, "search_index", None), "entries", None)
            return entries if enabled is True and isinstance(entries, list) else None
    return None


def before_indexing(page: Any, entries: Entries, kept: KeptResults) -> Pending:
    """Just before the indexer reads ``page``: if its entries are kept, the indexer is given nothing
    to read (the page's HTML comes back in :func:`after_indexing`)."""
    key = _key(page)
    hit = kept.get(key)
    if not (isinstance(hit, list) and all(isinstance(entry, dict) for entry in hit)):
        hit = None  # none kept, or not entries (a damaged cache file): the indexer reads the page
    content = page.content
    if hit is not None:
        page.content = ""
    return entries, key, len(entries), content, hit


def after_indexing(page: Any, kept: KeptResults, pending: Pending) -> None:
    """Just after the indexer read ``page``: the kept entries go where it would have put them; or what
    it added is kept."""
    entries, key, start, content, hit = pending
    if hit is None:
        kept.put(key, [dict(entry) for entry in entries[start:]])
        return
    page.content = content
    entries[start:] = [dict(entry) for entry in hit]  # in place of anything made of the empty page


def _key(page: Any) -> str:
    from .pagecache import content_key
    meta = page.meta if isinstance(page.meta, dict) else {}
    facts = (page.url, page.title, meta.get("title"), meta.get("tags"), meta.get("search"), _toc(page.toc))
    return content_key("index-entries", repr(facts), page.content)


def _toc(items: Any) -> list[tuple[Any, ...]]:
    """The table of contents as the indexer reads it (an entry's address is its heading's)."""
    return [(item.id, item.url, item.title, item.level, _toc(item.children)) for item in items or ()]
