"""What the checks keep between builds: made once by an adapter (the CLI per run, the MkDocs
plugin across ``mkdocs serve`` rebuilds) and passed to :func:`patientguide.checks.site.check_site`.

Everything is keyed by content (file text, page text), never by timestamps; the disk copies
live in ``settings.cache_dir``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .pagecache import PageResultCache
from .readability import ScoreCache
from .references import ReferenceCache


@dataclass(eq=False)
class Caches:
    cache_dir: Path | None = None
    references: ReferenceCache = field(init=False)
    readability: ScoreCache = field(init=False)
    glossary: dict[str, tuple[str, ...]] = field(default_factory=dict, init=False)  # text digest → terms
    pages: PageResultCache = field(init=False)

    def __post_init__(self) -> None:
        self.references = ReferenceCache(self.cache_dir)
        self.readability = ScoreCache(self.cache_dir)
        self.pages = PageResultCache(self.cache_dir)

    def for_dir(self, cache_dir: Path | None) -> Caches:
        """These caches if they use ``cache_dir``, else fresh ones that do."""
        return self if cache_dir == self.cache_dir else Caches(cache_dir)

    def flush(self) -> None:
        """Write what changed to disk (the reference cache writes as it parses)."""
        self.readability.flush()
        self.pages.flush()


def digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()
