"""What checking a site reads, and one digest of all of it: the key under which
:mod:`patientguide.sitecache` keeps the whole result.

The digest covers, by content and never by timestamps: patientguide's own code and the versions
of the libraries whose results the checks keep or depend on; the resolved settings (``today``
among them); the clinic profile as loaded (its fields and its problems); the text of every
config file of the ``INHERIT`` chain (nav positions); the ``.bib`` files as read (texts and
reading problems); every name in the docs folder (links and navigation need them: a new image
is a link that now resolves) with each page's bytes and where each symbolic link points; every
file of the blocks folder; the reviewers file; the site's own ``main.html``; and the code of
Markdown extensions that are not Python-Markdown's or pymdown-extensions' (they make heading
ids, which anchors are checked against).
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

from . import diagnostics as dx
from .caches import Caches
from .diagnostics import Diagnostic
from .pagecache import code_digest
from .references import Bibliography, find_bib_files, load_references, read_bib_file
from .settings import Settings
from .yamlpos import PythonRef, compose_chain, leaves


class LoadedBibliography(NamedTuple):  # not a frozen dataclass: see sitecache.KeptReport
    """Every ``.bib`` file of the references folder, read and parsed (through the reference cache)."""

    bib: Bibliography
    diagnostics: list[Diagnostic]  # finding and reading the files
    texts: list[tuple[str, str]]  # (path as shown, text)


def load_bibliography(settings: Settings, caches: Caches) -> LoadedBibliography:
    folder = settings.references_dir
    bib_files, diags = find_bib_files(folder, settings.root, settings.rel_unresolved) if folder.is_dir() else ([], [])
    if not bib_files:
        diags.append(dx.make(settings.rel(folder), 1, 0, "bib.no-files",
                             f"no .bib files found in '{settings.rel(folder)}'"))
    texts = []
    for p in bib_files:
        text, problems = read_bib_file(p, settings.rel(p))
        diags += problems
        if text is not None:
            texts.append((settings.rel(p), text))
    bib = load_references(texts, caches.references)
    return LoadedBibliography(bib, diags, texts)  # each entry's own problems wait until we know what is cited


def inputs_digest(settings: Settings, clinic: Any, loaded: LoadedBibliography,
                  pages: dict[str, bytes] | None = None) -> str:
    """One digest of everything :func:`patientguide.checks.site.check_site` reads (see the module);
    ``pages``, if given, gets each page's bytes as read for it, by its normalised path, so that the
    build reads each page once, and builds the bytes the digest stands for."""
    h = hashlib.sha1(code_digest().encode())
    _add(h, "settings", repr(settings), repr(clinic), repr(loaded.diagnostics))
    for shown, text in loaded.texts:
        _add(h, "bib", shown, text)
    for config in _config_files(settings.config_file):
        _add_file(h, "config", config)
    _add_tree(h, "docs", settings.docs_dir, read=lambda name: name.endswith(".md"), keep=pages)
    _add_tree(h, "blocks", settings.blocks_dir, read=lambda name: True)
    _add_file(h, "reviewers", settings.reviewers_file)
    _add_file(h, "main.html", _main_html(settings.config_file))
    for module in sorted(_extension_modules(settings.site.markdown_extensions)):
        _add_file(h, "extension " + module, _module_file(module))
    return h.hexdigest()


def tree_digest(folder: Path, read: Callable[[str], bool]) -> str:
    """A digest of every name under ``folder`` and of the bytes of each file whose name ``read`` accepts."""
    h = hashlib.sha1()
    _add_tree(h, "tree", folder, read)
    return h.hexdigest()


def _add(h: Any, *parts: str | bytes) -> None:
    for part in parts:
        data = part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little"))  # lengths first: no two inputs run together
        h.update(data)


def _add_file(h: Any, what: str, path: Path | str | None, keep: dict[str, bytes] | None = None) -> None:
    if path is None:
        _add(h, what, "none")
        return
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as e:
        _add(h, what, os.fspath(path), f"unreadable: {e.strerror}")
    else:
        _add(h, what, os.fspath(path), data)
        if keep is not None:
            keep[os.path.normpath(path)] = data


def _add_tree(h: Any, what: str, folder: Path, read: Callable[[str], bool],
              keep: dict[str, bytes] | None = None) -> None:
    """Every name under ``folder`` (symbolic links not followed, as the checks walk it), the
    target of each link, and the bytes of each regular file whose name ``read`` accepts (in ``keep``
    too, if given)."""
    _add(h, what, str(folder))
    for rel, entry in _walk(str(folder)):
        if entry.is_symlink():
            _add(h, "link", rel, _readlink(entry.path))
        elif entry.is_dir(follow_symlinks=False):
            _add(h, "dir", rel)
        elif read(entry.name) and entry.is_file(follow_symlinks=False):
            _add_file(h, "file " + rel, entry.path, keep)
        else:
            _add(h, "name", rel)


def _walk(folder: str, prefix: str = "") -> Iterator[tuple[str, os.DirEntry]]:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        rel = prefix + entry.name
        yield rel, entry
        if entry.is_dir(follow_symlinks=False):
            yield from _walk(entry.path, rel + "/")


def _readlink(path: str) -> str:
    try:
        return os.readlink(path)
    except OSError:
        return ""


def _config_files(config_file: Path | None) -> list[Path]:
    """The files of the ``INHERIT`` chain (MkDocs reads the nav's positions from them)."""
    return [f.path for f in compose_chain(config_file)] if config_file is not None else []


def _main_html(config_file: Path | None) -> Path | None:
    from .theme import site_main_html
    return site_main_html(config_file)


def _extension_modules(extensions: tuple[Any, ...]) -> set[str]:
    """Modules of the Markdown extensions (``name`` or ``module:Class``) and of the functions their
    options name (a toc ``slugify``), except Python-Markdown's and pymdown-extensions' own."""
    found: set[str] = set()
    for item in extensions:
        names = [str(k) for k in item] if isinstance(item, dict) else [str(item)]
        found.update(name.partition(":")[0] for name in names)
    found.update(ref.name.rpartition(".")[0] for ref in leaves(list(extensions), PythonRef))
    return {m for m in found if m and m.split(".")[0] not in ("markdown", "pymdownx")}


def _module_file(module: str) -> Path | None:
    try:
        spec = importlib.util.find_spec(module)
    except Exception:  # noqa: BLE001 - not importable: Python-Markdown reports it in the build
        return None
    origin = spec.origin if spec is not None else None
    return Path(origin) if origin and origin not in ("built-in", "frozen") else None
