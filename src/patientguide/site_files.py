"""The files MkDocs builds a site from, decided as MkDocs 1.6 decides them
(``structure/files.py``): every file under the docs folder, each with its inclusion level
(``exclude_docs``, ``draft_docs``, ``not_in_nav`` and MkDocs' defaults, dot files and
``/templates/``), minus the file that loses a same-address conflict (``README.md`` next to
``index.md``), plus the files our plugin generates."""

from __future__ import annotations

import enum
import os
import posixpath
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .render import page_url
from .settings import SiteStructure

#: What MkDocs counts as a Markdown page (``utils.markdown_extensions``).
MARKDOWN_SUFFIXES = (".markdown", ".mdown", ".mkdn", ".mkd", ".md")


class Inclusion(enum.IntEnum):
    """MkDocs' ``InclusionLevel``: excluded and draft files are not in a built site."""

    EXCLUDED = -3
    DRAFT = -2
    NOT_IN_NAV = -1
    INCLUDED = 1

    @property
    def built(self) -> bool:
        return self > Inclusion.DRAFT


def is_page(uri: str) -> bool:
    return uri.endswith(MARKDOWN_SUFFIXES)


def dest_uri(uri: str, use_directory_urls: bool) -> str:
    """Where MkDocs writes a file (``File.dest_uri``)."""
    if not is_page(uri):
        return uri
    parent, name = posixpath.split(uri)
    stem = posixpath.splitext(name)[0]
    stem = "index" if stem == "README" else stem
    if not use_directory_urls or stem == "index":
        return posixpath.join(parent, stem + ".html")
    return posixpath.join(parent, stem, "index.html")


@dataclass
class SiteFiles:
    files: dict[str, Inclusion] = field(default_factory=dict)  # src_uri → inclusion
    conflicts: list[tuple[str, str]] = field(default_factory=list)  # (left out, kept), both built
    generated: set[str] = field(default_factory=set)

    def get(self, uri: str) -> Inclusion | None:
        return self.files.get(uri)

    def built_pages(self) -> list[str]:
        return [u for u, inc in self.files.items() if inc.built and is_page(u)]

    def urls(self, use_directory_urls: bool) -> dict[str, str]:
        """Every address of the built site (relative to its root) → the file behind it."""
        out: dict[str, str] = {}
        for uri, inc in self.files.items():
            if inc.built:
                dest = dest_uri(uri, use_directory_urls)
                out[dest] = uri
                if is_page(uri):
                    out[page_url(uri, use_directory_urls)] = uri
        return out


def _default_excluded(uri: str) -> bool:
    """MkDocs' own ``exclude_docs`` patterns: ``.*`` (at any depth) and ``/templates/``."""
    parts = uri.split("/")
    return any(p.startswith(".") for p in parts) or (len(parts) > 1 and parts[0] == "templates")


def _matcher(patterns: str | None) -> Callable[[str], bool] | None:
    if not patterns:
        return None
    import pathspec  # MkDocs' own gitignore matcher (a dependency of MkDocs), only when patterns are set

    spec = pathspec.gitignore.GitIgnoreSpec.from_lines(patterns.splitlines())
    return spec.match_file


def inclusion_rule(site: SiteStructure) -> Callable[[str], Inclusion]:
    exclude, drafts, not_in_nav = (_matcher(site.exclude_docs), _matcher(site.draft_docs),
                                   _matcher(site.not_in_nav))

    def rule(uri: str) -> Inclusion:
        if _default_excluded(uri) or (exclude and exclude(uri)):
            return Inclusion.EXCLUDED
        if drafts and drafts(uri):
            return Inclusion.DRAFT
        if not_in_nav and not_in_nav(uri):
            return Inclusion.NOT_IN_NAV
        return Inclusion.INCLUDED
    return rule


def _walk(docs_dir: Path) -> list[list[str]]:
    """File names per folder, in MkDocs' order (index and README first); symbolic links to
    folders are not followed (the safety check reports them)."""
    folders = []
    for folder, dirs, names in os.walk(docs_dir):
        dirs.sort()
        rel = Path(folder).relative_to(docs_dir).as_posix()
        prefix = "" if rel == "." else rel + "/"
        names.sort(key=lambda n: (posixpath.splitext(n)[0] not in ("index", "README"), n))
        folders.append([prefix + n for n in names])
    return folders


def site_files(docs_dir: Path, site: SiteStructure, use_directory_urls: bool,
               generated: Iterable[str] = ()) -> SiteFiles:
    rule = inclusion_rule(site)
    out = SiteFiles()
    pairs: list[tuple[str, str]] = []
    for uris in _walk(docs_dir) if docs_dir.is_dir() else []:
        first_by_dest: dict[str, str] = {}
        for uri in uris:
            out.files[uri] = rule(uri)
            first = first_by_dest.setdefault(dest_uri(uri, use_directory_urls), uri)
            if first != uri:
                pairs.append((first, uri))
    inclusion = dict(out.files)
    for a, b in pairs:  # same address in one folder: MkDocs keeps the later file if it is built
        if inclusion[b].built:
            if inclusion[a].built:
                out.conflicts.append((a, b))
            out.files.pop(a, None)
        else:
            out.files.pop(b, None)
    for uri in generated:
        if uri not in out.files:
            out.files[uri] = rule(uri)
            out.generated.add(uri)
    return out
