"""What the checks keep between builds: made once by an adapter (the CLI per run, the MkDocs
plugin across ``mkdocs serve`` rebuilds) and passed to :func:`patientguide.checks.site.check_site`.

Everything is keyed by content (file text, page text), never by timestamps; the disk copies
live in ``settings.cache_dir``.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .pagecache import KeptResults, content_key
from .references import Reference, ReferenceCache
from .textdecode import normalise_newlines

if TYPE_CHECKING:
    from .readability import ScoreCache
    from .spill import Spill

T = TypeVar("T")


#: Converted pages wait to be written as text up to this many characters (putting them away costs more
#: time than their memory is worth); on a bigger site, the pages beyond it wait in a temporary file. At
#: 1000 pages and 5000 references they hold about 8.6 Mi characters (2 Mi of it the bibliography's): all
#: kept as text, our handlers took 0.06 to 0.1 s less than with 1 Mi, at a peak about 6 MiB higher in
#: `make bench` (docs/performance.md, "The held pages as text, each page read once, and what the two
#: budgets ask").
HOLD_AS_TEXT = 16 << 20


class Caches:
    """Every cache of one site's results, in memory and, with a ``cache_dir``, on disk.

    Not a dataclass, nor are the other objects a warm build holds state in (:class:`KeptResults`,
    ``Report``, ``Bibliography``, ``RenderedPage``): the ``__init__`` a dataclass generates is compiled
    when its module is imported, about a quarter of a millisecond of every build's start for each."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self.cache_dir = cache_dir
        self.references = ReferenceCache(cache_dir)
        self.glossary: dict[str, tuple[str, ...]] = {}  # text digest → terms
        self.pages = KeptResults(cache_dir, "pages-1.pickle")  # src_uri and page text and site key → PageResult
        # built page's article HTML → what the output sanitizer removes
        self.output = KeptResults(cache_dir, "output-1.pickle")
        self.formatted = KeptResults(cache_dir, "formatted-1.pickle")  # a reference's content → (plain text, HTML)
        # a built page's HTML → its inline scripts' CSP hashes
        self.script_hashes = KeptResults(cache_dir, "script-hashes-1.pickle")
        self.site = KeptResults(cache_dir, "site-2.pickle")  # everything the checks read → the whole result
        # page text and what it depends on → its outcome, links, anchors
        self.memo = KeptResults(cache_dir, "memo-1.pickle")
        # a searchable block's HTML → its lean form for search
        self.search_view = KeptResults(cache_dir, "search-view-1.pickle")
        # the bibliography as search reads it → its index entries (written after every page)
        self.index_entries = KeptResults(cache_dir, "index-entries-1.pickle")
        # (kind, the Reference object itself) → (content key, result): the same objects come back from the
        # reference cache while their .bib file is unchanged (mkdocs serve), so a rebuild skips the key
        self._by_object: dict[tuple[str, Reference], tuple[str, Any]] = {}
        self._used: dict[tuple[str, Reference], tuple[str, Any]] = {}
        self._digests: dict[Reference, str] = {}  # this build's, by entry
        self._log: list[tuple[Any, Any]] | None = None  # while recording()
        self.last_build = False  # no build follows (mkdocs build): see forget_checks
        #: How much converted pages' HTML (characters) the last build still holds as text while its pages
        #: wait to be written (:meth:`RenderedPage.pack`); beyond it, in ``spill`` (a temporary file).
        self.text_allowance = HOLD_AS_TEXT
        self.spill: Spill | None = None
        self._readability: ScoreCache | None = None  # made when first used
        #: This build's pages as its site key read it, by normalised path, until it reads each (:meth:`page_source`)
        self.page_sources: dict[str, bytes] = {}

    @property
    def readability(self) -> ScoreCache:
        """Readability scores by page text, read from ``cache_dir`` when first asked for (a build whose
        site result is kept never is); none from there after :meth:`forget_checks`."""
        if self._readability is None:
            from .readability import ScoreCache
            self._readability = ScoreCache(None if self.last_build else self.cache_dir)
        return self._readability

    def page_source(self, path: str | None) -> str | None:
        """The page at ``path`` as this build's site key read it (:func:`site_inputs.inputs_digest`), decoded as
        MkDocs reads a page (UTF-8, a byte-order mark dropped, any line ending read as ``\\n``), and let go:
        each page is read from disk once, and the build converts the bytes its checks were keyed by. ``None``:
        not read so (no site key, another folder) or not UTF-8, which the host then reads and reports."""
        data = self.page_sources.pop(path, None) if path is not None else None
        if data is None:
            return None
        try:
            return normalise_newlines(data.decode("utf-8-sig"))  # not decode_text: MkDocs reads no UTF-16
        except UnicodeDecodeError:
            return None

    def for_dir(self, cache_dir: Path | None) -> Caches:
        """These caches if they use ``cache_dir``, else fresh ones that do."""
        return self if cache_dir == self.cache_dir else Caches(cache_dir)

    def flush(self) -> None:
        """Write what the checks changed to disk (the reference cache writes as it parses)."""
        if self._readability is not None:
            self._readability.flush()
        self.pages.flush()

    def forget_checks(self) -> None:
        """In the last build of a process (``mkdocs build``; ``mkdocs serve`` keeps everything for the next
        rebuild), once the site is checked: forget what only checking reads (page outcomes and results,
        the site's result, parsed ``.bib`` files, readability scores and glossaries). Each was written to
        ``cache_dir`` when the check changed it; what replaces it has no folder, so it is never written."""
        self.last_build = True
        self.memo, self.pages, self.site = (KeptResults(None, k.file) for k in (self.memo, self.pages, self.site))
        self.references, self._readability, self.glossary = ReferenceCache(None), None, {}

    def forget_output(self) -> None:
        """After :meth:`flush_output` in the last build: what the output sanitizer and search read is
        written, and the pages still to be written need only this build's formatted references,
        which ``_by_object`` holds (the cache's own copies, pickled and not, go)."""
        self.output, self.search_view, self.formatted = (
            KeptResults(None, k.file) for k in (self.output, self.search_view, self.formatted))

    def format_reference(self, ref: Reference) -> tuple[str, str]:
        """:func:`patientguide.formatting.format_reference`, kept by the reference's content."""
        from .formatting import format_reference  # the renderer's: a check does not import it
        return self.per_reference("reference", format_reference, ref)

    def per_reference(self, kind: str, compute: Callable[[Reference], T], ref: Reference) -> T:
        """``compute(ref)``, kept by ``kind`` and the reference's content (names are split, LaTeX decoded
        and references formatted once, not on every build)."""
        if self._log is not None:
            self._log.append((self, (kind, ref)))
        found = self._used.get((kind, ref))
        if found is None:
            found = self._by_object.get((kind, ref))
            if found is None:
                found = self._by_content(kind, compute, ref)
            else:
                self.formatted.get(found[0])  # still in use: stays in the disk copy
            self._used[(kind, ref)] = found
        return found[1]

    def _by_content(self, kind: str, compute: Callable[[Reference], T], ref: Reference) -> tuple[str, T]:
        digest = self._digests.get(ref)
        if digest is None:  # one repr per entry, whatever the kinds asked of it
            digest = self._digests[ref] = hashlib.sha1(repr(ref).encode("utf-8", "surrogatepass")).hexdigest()
        key = content_key(kind, digest)
        hit = self.formatted.get(key)
        if hit is None:
            hit = compute(ref)
            self.formatted.put(key, hit)
        return key, hit

    @contextlib.contextmanager
    def recording(self) -> Iterator[list[tuple[Any, Any]]]:
        """What the work done inside uses of these caches (formatted references, sanitizer results,
        lean forms), for :meth:`replay`: work whose result is kept elsewhere still keeps its entries."""
        log: list[tuple[Any, Any]] = []
        kept = (self.output, self.search_view, self.formatted)
        self._log = log
        for results in kept:
            results.log = log
        try:
            yield log
        finally:
            self._log = None
            for results in kept:
                results.log = None

    def replay(self, log: Iterable[tuple[Any, Any]]) -> None:
        """Mark what a :meth:`recording` used as used in this build (kept at the next flush), without
        doing the work again."""
        if (keep := getattr(log, "keep", None)) is not None:  # kept by cache name (rendercache.LiveUses)
            keep()
            return
        for owner, key in log:
            if owner is not self:
                owner.keep(key)
            elif key not in self._used and (found := self._by_object.get(key)) is not None:
                self._used[key] = found
                self.formatted.keep(found[0])

    def flush_output(self) -> None:
        """Write the output sanitizer's results and the formatted references, once every page is built."""
        self.output.flush()
        self.search_view.flush()
        self.formatted.flush()
        self._by_object, self._used = self._used, {}  # what this build used, for the next
        self._digests = {}


def digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
