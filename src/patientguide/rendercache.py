"""Each page's render in ``cache_dir``, one file per page (``renders-1/KEY.pickle``), by the key
:class:`rendermemo.RenderMemo` gives it (the content of everything the render depends on): a
warm ``mkdocs build``, and the first build of ``mkdocs serve``, read a page's render when MkDocs
asks for that page, instead of rendering it again, and drop it once the page is finished.

An entry holds what :func:`sitepage.prepare_page` and :func:`sitepage.finish_content` gave, with
no callable: every block's HTML and each searchable block's lean form are made when the entry is
written (what making them used is recorded with the rest), the other caches' entries it used are
kept by their cache's name and key (``Caches.replay`` keeps them again), and the positions of the
lean parts are checked again against the kept HTML when it is read (Python's ``hash`` of a text is
not the same in two processes). A missing, old, damaged or unreadable entry is a miss: the page is
rendered as with no cache. A build removes the entries no page of it used (:meth:`RenderFiles.sweep`).
With no cache (``cache_dir: false``, ``PATIENTGUIDE_NO_CACHE=1``) nothing is read or written.
"""

from __future__ import annotations

import contextlib
import copy
import io
import os
import pickle
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, NamedTuple

from . import diskcache
from .caches import Caches
from .lazytext import Lazy
from .pickling import LoadedModules
from .references import Reference
from .render import RenderedPage

if TYPE_CHECKING:
    from .diagnostics import Diagnostic
    from .spill import Spill, Spilled

Uses = Iterable[tuple[Any, Any]]  # (cache, key) of each entry a render's work used (Caches.recording)
ByName = dict[str, tuple[str, ...]]  # the same as a file keeps them: each cache's name, the keys used there
FOLDER = "renders-1"
OWNERS = ("output", "search_view", "formatted")  # the caches a render's work uses (Caches.recording)


class Made:  # not a dataclass: see caches.Caches
    """A searchable block's lean form, made once: the callable :class:`RenderedPage` asks for."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __call__(self) -> str:
        return self.text


class KeptContent(NamedTuple):  # not a frozen dataclass: see sitecache.KeptReport
    """What :func:`sitepage.finish_content` gave for one converted HTML (by its digest)."""

    converted: str  # digest of the HTML MkDocs converted
    html: str
    problems: tuple[Diagnostic, ...]
    ids: frozenset[str]
    swaps: dict[str, tuple[str, int, int]]  # in a file, none: the render's, pickled with it (rehashed())
    uses: Uses
    whole: str  # the article whole: what RenderedPage.whole gives for ``html``


class KeptRender:
    """What :func:`sitepage.prepare_page` gave, and what finishing it gave last."""

    def __init__(self, markdown: str, render: RenderedPage | bytes, ctx: dict[str, Any], uses: Uses, *,
                 key: str = "") -> None:
        self.markdown = markdown
        self.render = render  # in a file, pickled on its own: unpickled when first used (rendered)
        self.ctx = ctx
        self.uses = uses
        self.content: KeptContent | None = None
        self.key = key
        self.from_file = False  # read from cache_dir: its content's swaps need rehashed() before use
        self.entries: dict[str, Reference] | None = None  # read from cache_dir: the references its render names
        self.crc = 0  # in a file, the pickled render's CRC-32: a damaged one is a miss when the entry is read

    @property
    def rendered(self) -> RenderedPage:
        """The render, unpickled now if it is not yet (a warm build that holds the kept article whole never
        needs it). Its bytes were checked when the entry was read (:func:`_readable`)."""
        render = self.render
        if isinstance(render, bytes):
            render = self.render = _Reader(io.BytesIO(render), self.entries).load()
        return render


class KeptArticle:
    """A page's article from its kept render, in a build no rebuild follows: finished (what
    :meth:`RenderedPage.whole` gives for the HTML the conversion gave), held as one text in place of
    the render until the page is rendered. The theme gets that text if the article search reads is
    still the one :meth:`RenderMemo.finish` gave (its length and hash); if another plugin changed it,
    the render is read again from ``cache_dir`` by ``key`` and finishes the changed article
    (:meth:`RenderMemo.whole_again`). It has the methods of :class:`RenderedPage` a build calls
    after conversion: :meth:`pack`, :meth:`whole` and :meth:`lean`."""

    def __init__(self, size: int, digest: int, text: str | Spilled | bytes, key: str) -> None:
        self.size = size  # the article as converted and filled: its length and hash in this process
        self.digest = digest
        self.text = text  # the article whole, or put away (pack)
        self.key = key  # the render's entry in cache_dir
        self.lean_content: str | None = None  # the article as search read it, once the theme has the whole one

    @classmethod
    def of(cls, content: KeptContent, key: str) -> KeptArticle:
        return cls(len(content.html), hash(content.html), content.whole, key)

    def pack(self, allowance: int = 0, spill: Spill | None = None) -> int:
        """As :meth:`RenderedPage.pack`: the text is kept while ``allowance`` lasts, else put away."""
        if not isinstance(self.text, str):
            return allowance
        if len(self.text) <= allowance:
            return allowance - len(self.text)
        from .spill import put_away
        self.text = put_away(self.text.encode("utf-8", "surrogatepass"), spill)
        return allowance

    def whole(self, content: str) -> str | None:
        """The article whole, if ``content`` is the article this was kept for; ``None`` if it changed."""
        if len(content) != self.size or hash(content) != self.digest:
            return None
        self.lean_content = content
        if isinstance(self.text, str):
            return self.text
        from .spill import bring_back
        return bring_back(self.text).decode("utf-8", "surrogatepass")

    def lean(self, content: str) -> str:
        """As :meth:`RenderedPage.lean`: the article as search read it, once the page is written."""
        return content if self.lean_content is None else self.lean_content


class RenderFiles:
    """This build's view of the renders in ``folder``: what it read or wrote (``used``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.used: set[str] = set()

    @classmethod
    def at(cls, cache_dir: Path | None) -> RenderFiles | None:
        return None if cache_dir is None else cls(cache_dir / FOLDER)

    def load(self, key: str, caches: Caches, entries: dict[str, Reference] | None) -> KeptRender | None:
        """The render kept by ``key``, ready to use in this build (its references are ``entries``'s,
        the bibliography's by lower-cased key), or ``None``. Read from the file as it is unpickled (a
        big page, the bibliography, is not held twice, as bytes and as objects). With ``entries``
        ``None``, it is read for its HTML only (finishing an article): each reference is its key."""
        found = diskcache.load_with(self.folder, f"{key}.pickle", lambda fh: _Reader(fh, entries).load())
        try:
            kept = _readable(found, caches, entries)
        except Exception:  # damaged in a way unpickling did not notice: rendered again
            return None
        if kept is not None:
            self.used.add(key)
        return kept

    def storable(self, rendered: RenderedPage) -> RenderedPage:
        """A copy of ``rendered`` with every block's HTML and lean form made (no callable), to write (after
        :meth:`RenderedPage.fill`: its swaps are those of the kept content, which does not hold them again)."""
        made = {name: rendered.block_html(name) for name in rendered.blocks}
        blocks: dict[str, str | Callable[[], str]] = dict(made)
        lean: dict[str, Callable[[], str | None]] = {
            name: Made(text) for name, maker in rendered.lean_blocks.items() if (text := maker()) is not None}
        storable = copy.copy(rendered)
        storable.blocks, storable.made, storable.lean_blocks, storable.swaps = blocks, made, lean, dict(rendered.swaps)
        storable.lean_content, storable._whole = None, None
        return storable

    def store(self, key: str, kept: KeptRender, page: RenderedPage, caches: Caches,
              entries: dict[str, Reference]) -> None:
        """Write ``kept`` (finished: ``kept.content`` set), with ``page`` (:meth:`storable`) as its render;
        a reference of ``entries`` (the bibliography's) by its key only."""
        content = kept.content
        if content is None or not key:
            return
        by_name: Any = _by_name  # in the file, uses by cache name (ByName): _readable makes them live again
        try:
            render = io.BytesIO()
            _Writer(render, entries).dump(page)
            blob = render.getvalue()
            entry = copy.copy(kept)
            entry.render, entry.crc, entry.ctx, entry.entries = blob, zlib.crc32(blob), _made_ctx(kept.ctx), None
            entry.uses = by_name(kept.uses, caches)
            entry.content = content._replace(swaps={}, uses=by_name(content.uses, caches))
            data = io.BytesIO()
            _Writer(data, entries).dump(entry)
        except Exception:  # something a site's extension put in that cannot be kept: rendered every time
            return
        self.used.add(key)
        diskcache.store_with(self.folder, f"{key}.pickle", lambda fh: fh.write(data.getbuffer()))

    def forget(self, key: str) -> None:
        """Remove the entry kept by ``key`` (it could not be used): the next build renders its page again."""
        self.used.discard(key)
        with contextlib.suppress(OSError):
            os.unlink(self.folder / f"{key}.pickle")

    def sweep(self) -> None:
        """Remove every entry this build did not use (an old version of a page does not stay for ever)."""
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            if name.endswith(".pickle") and name.removesuffix(".pickle") not in self.used:
                with contextlib.suppress(OSError):
                    os.unlink(self.folder / name)


class _Writer(pickle.Pickler):
    """Pickles a render with each of the bibliography's references as its key: the render's key holds
    every ``.bib`` text, so a build that finds the entry has the same reference (read back by
    :class:`_Reader`, not copied for every page that cites it)."""

    def __init__(self, file: BinaryIO, entries: dict[str, Reference]) -> None:
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.entries = entries

    def persistent_id(self, obj: Any) -> str | None:
        if isinstance(obj, Reference) and self.entries.get(obj.key.lower()) is obj:
            return obj.key.lower()
        return None


class _Reader(LoadedModules):
    """Reads what :class:`_Writer` wrote, each reference from this build's bibliography (``entries``)."""

    def __init__(self, file: BinaryIO, entries: dict[str, Reference] | None) -> None:
        super().__init__(file)
        self.entries = entries

    def persistent_load(self, pid: Any) -> Reference | str:
        if self.entries is None and isinstance(pid, str):
            return pid  # read for its HTML only: the build may have let its bibliography go
        found = self.entries.get(pid) if isinstance(pid, str) and self.entries is not None else None
        if found is None:
            raise pickle.UnpicklingError(f"no reference {pid!r} in this build's bibliography")
        return found


def _made_ctx(ctx: dict[str, Any]) -> dict[str, Any]:
    """The template context with each lazy text (:class:`lazytext.Lazy`) made now: a made one pickles as
    its text, not as what made it (:meth:`Lazy.__reduce__`)."""
    for value in ctx.values():
        if isinstance(value, Lazy):
            str(value)
    return ctx


def _readable(found: Any, caches: Caches, entries: dict[str, Reference] | None) -> KeptRender | None:
    """A kept entry with its uses as this build's caches, and its render's bytes checked (unpickled when
    used, naming ``entries``'s references: :attr:`KeptRender.rendered`; its lean parts' hashes are made
    again only if they are used: :func:`rehashed`)."""
    if not (isinstance(found, KeptRender) and isinstance(found.render, bytes) and isinstance(found.content, KeptContent)
            and isinstance(found.content.whole, str) and zlib.crc32(found.render) == found.crc):
        return None
    content = found.content
    uses, content_uses = _live(found.uses, caches), _live(content.uses, caches)
    if uses is None or content_uses is None:
        return None
    found.uses, found.from_file, found.entries = uses, True, entries  # just unpickled: nothing else holds it
    found.content = KeptContent(content.converted, content.html, content.problems, content.ids, content.swaps,
                                content_uses, content.whole)
    return found


def rehashed(kept: KeptRender) -> dict[str, tuple[str, int, int]] | None:
    """The swaps of ``kept``'s content (:meth:`RenderedPage.fill`'s) with each lean part's hash made in
    this process (Python's ``hash`` of a text differs between processes), from its HTML as ``fill`` gave
    it; read from a file, they are its render's (unpickled now). ``None`` if a marker is missing or there
    is no content."""
    content = kept.content
    if content is None:
        return None
    if not kept.from_file:
        return content.swaps
    render = kept.rendered
    html, nonce = content.html, render.nonce
    out = {}
    for key, (head, length, _) in render.swaps.items():
        marker = f"<!--pg{nonce}:{key}-->"
        at = html.rfind(marker)
        if at < 0:
            return None
        start = at + len(marker)
        out[key] = (head, length, hash(html[start:start + length]))
    return out


def _by_name(uses: Uses, caches: Caches) -> ByName:
    """A recording's uses by cache name: a reference's formatted forms by their key there."""
    names = {id(getattr(caches, name)): name for name in OWNERS}
    out: dict[str, dict[str, None]] = {}
    for owner, key in uses:
        if owner is caches:
            found = caches._used.get(key) or caches._by_object.get(key)  # (its key in 'formatted', result)
            if found is not None:
                out.setdefault("formatted", {})[found[0]] = None
        elif id(owner) in names:
            out.setdefault(names[id(owner)], {})[key] = None
    return {name: tuple(keys) for name, keys in out.items()}


class LiveUses:
    """Uses by name (:func:`_by_name`, as read from a file) as this build's caches, for ``Caches.replay``:
    each (cache, key) made as it is read, not held (the bibliography's render uses some 1600 entries:
    as many tuples, kept, made the collector sweep the whole heap while the page was read)."""

    __slots__ = ("by_name", "caches")

    def __init__(self, by_name: ByName, caches: Caches) -> None:
        self.by_name, self.caches = by_name, caches

    def keep(self) -> None:
        """Each cache keeps its keys at once (``Caches.replay``: what iterating gives, one by one)."""
        for name, keys in self.by_name.items():
            if name in OWNERS:
                getattr(self.caches, name).keep_all(keys)

    def __iter__(self) -> Iterator[tuple[Any, str]]:
        for name, keys in self.by_name.items():
            if name in OWNERS:
                owner = getattr(self.caches, name)
                for key in keys:
                    yield owner, key


def _live(uses: Any, caches: Caches) -> LiveUses | None:
    """Uses as a file keeps them, as this build's caches; ``None`` if they are not in that form."""
    ok = isinstance(uses, dict) and all(isinstance(v, tuple) for v in uses.values())
    return LiveUses(uses, caches) if ok else None
