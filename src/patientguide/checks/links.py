"""Links and navigation: everything about them that MkDocs' strict build rejects, found before
the build and reported at the link's own ``file:line:col``.

MkDocs 1.6 checks these at the levels set under ``validation:`` in ``mkdocs.yml`` (``warn``,
``info``, ``ignore``; ``--strict`` fails on warnings): pages missing from ``nav``
(``nav.omitted_files``), nav entries that are not pages (``nav.not_found``) or absolute paths
(``nav.absolute_links``), links to files that do not exist (``links.not_found``), absolute
links (``links.absolute_links``), relative links that name no file (``links.unrecognized_links``),
links to anchors a page does not have (``links.anchors``), and links and nav entries to
excluded pages (at most ``info``). It always warns when two files of one folder get one address
(``README.md`` next to ``index.md``). Each becomes a diagnostic here at the same level, so
``patientguide check --strict`` fails exactly when the strict build would. Links in raw HTML
(``<a href>``, ``<img src>``), which MkDocs publishes without looking, are checked too, against
the built site's addresses.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import yaml

from .. import diagnostics as dx
from ..anchors import HeadingIds, plugin_anchor_ids, rendered_page
from ..assets import site_files as generated_files
from ..link_syntax import LinkRef, html_links, markdown_links, unreferenced_footnotes, visible_text
from ..pagecache import content_key
from ..render import page_url, relative_url
from ..settings import Settings
from ..site_files import Inclusion, SiteFiles, is_page, site_files
from ..source import mask_blocks, split_front_matter
from ..template_data import bibliography_page_source
from ..yamlpos import child, compose_chain, leaves, position
from .context import PageContext, SiteContext

_LEVELS = {"warn": dx.Severity.WARNING, "info": dx.Severity.INFO, "ignore": dx.Severity.IGNORE}
_FOOTNOTE_EXTENSIONS = {"footnotes", "markdown.extensions.footnotes", "extra", "markdown.extensions.extra"}


def level(settings: Settings, key: str, at_most_info: bool = False) -> dx.Severity:
    """Our severity for one of MkDocs' ``validation`` settings (``relative_to_docs`` never warns)."""
    sev = _LEVELS.get(settings.site.validation.get(key, "info"), dx.Severity.IGNORE)
    return min(sev, dx.Severity.INFO, key=lambda s: s.rank) if at_most_info else sev


@dataclass(frozen=True, slots=True)
class Resolved:
    """Where a Markdown link leads, by MkDocs' rules (``_RelativePathTreeprocessor.path_to_url``)."""

    kind: str  # external, absolute, self, missing, unrecognized, file
    target: str = ""  # the file it names (relative to the docs folder)
    anchor: str = ""


def resolve(url: str, src_uri: str, files: SiteFiles, absolute_links: str) -> Resolved:
    try:
        scheme, netloc, path, _query, anchor = urlsplit(url)
    except ValueError:
        return Resolved("external")  # not an address MkDocs can read either
    if scheme or netloc:
        return Resolved("external")
    absolute = url.startswith(("/", "\\"))
    if absolute and absolute_links != "relative_to_docs":
        return Resolved("absolute", anchor=anchor)
    if not path:
        return Resolved("self", src_uri, anchor)
    path = unquote(path)
    target = target_uri(src_uri, path)
    if files.get(target) is None:
        nameless = not posixpath.splitext(path)[-1] and not absolute
        return Resolved("unrecognized" if nameless else "missing", target, anchor)
    return Resolved("file", target, anchor)


def target_uri(src_uri: str, path: str) -> str:
    return posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), path).lstrip("/"))


def guesses(src_uri: str, path: str, use_directory_urls: bool) -> Iterator[str]:
    """MkDocs' guesses for a link that did not resolve (``_possible_target_uris``), first the
    link itself."""
    first = target_uri(src_uri, path)
    yield first
    if posixpath.normpath(path) == ".":
        yield src_uri
        return
    tried = {first}
    prefixes = list(dict.fromkeys([first, target_uri(page_url(src_uri, use_directory_urls), path)]))
    suffixes = [lambda p: p] if use_directory_urls else []
    if not posixpath.splitext(first)[-1]:
        suffixes += [lambda p: posixpath.join(p, "index.md"), lambda p: posixpath.join(p, "README.md")]
    if not first.endswith(".") and not path.endswith(".md") and (use_directory_urls or not path.endswith("/")):
        suffixes.append(lambda p: p.removesuffix(".html") + ".md")
    for prefix in prefixes:
        for suffix in suffixes:
            guess = posixpath.normpath(suffix(prefix))
            if guess not in tried and not guess.startswith("../"):
                tried.add(guess)
                yield guess


def relative_link(target: str, src_uri: str) -> str:
    return posixpath.relpath(target, posixpath.dirname(src_uri) or ".")


class LinkCheck:
    """One run over a site: its files, then each page's links, then the anchors they need."""

    def __init__(self, site: SiteContext) -> None:
        self.site, self.settings = site, site.settings
        settings = site.settings
        self.files = site_files(settings.docs_dir, settings.site, settings.use_directory_urls,
                                [f.uri for f in generated_files(site.clinic, settings, lambda uri: False)])
        self.headings = HeadingIds(settings.site.markdown_extensions)
        self.anchor_cache: dict[str, set[str] | None] = {}
        self.wanted: list[tuple[str, str, str, str, int, int]] = []  # path, url, target, anchor, line, col
        self.urls: dict[str, str] | None = None
        self.files_key: str | None = None  # the site's files, as one digest (memo_key)
        names = {str(next(iter(e))) if isinstance(e, dict) else str(e) for e in settings.site.markdown_extensions}
        self.footnotes = bool(names & _FOOTNOTE_EXTENSIONS)

    def run(self) -> list[dx.Diagnostic]:
        out = self.conflicts() + NavCheck(self).run()
        for src_uri in self.site.texts:
            inclusion = self.files.get(src_uri)
            if inclusion is not None and inclusion.built:
                out += self.kept_page_links(src_uri)
        return out + self.anchors()

    def kept_page_links(self, src_uri: str) -> list[dx.Diagnostic]:
        """:meth:`page_links`, kept in the memo by the page's key and the site's files (a page's
        links are read again only when it, the files or the settings change)."""
        key = self.memo_key("links", src_uri)
        hit = self.site.memo.get(key) if key is not None and self.site.memo is not None else None
        if hit is None:
            before = len(self.wanted)
            hit = (self.page_links(self.site.texts[src_uri]), self.wanted[before:])
            if key is not None and self.site.memo is not None:
                self.site.memo.put(key, hit)
        else:
            self.wanted += hit[1]
        return list(hit[0])

    def memo_key(self, kind: str, src_uri: str) -> str | None:
        report = self.site.pages.get(src_uri)
        if self.site.memo is None or report is None or not report.key:
            return None
        if self.files_key is None:
            self.files_key = content_key("site files", repr(sorted(self.files.files.items())),
                                         repr(self.files.conflicts), repr(sorted(self.files.generated)))
        cited = repr(sorted(self.site.cited_on)) if src_uri == self.settings.bibliography_page else ""
        return content_key(kind, report.key, self.files_key, cited)

    def diag(self, path: str, line: int, col: int, code: str, severity: dx.Severity, message: str,
             hint: str | None = None) -> list[dx.Diagnostic]:
        if severity is dx.Severity.IGNORE:
            return []
        return [replace(dx.make(path, line, col, code, message, hint), severity=severity)]

    def doc_path(self, uri: str) -> str:
        return self.settings.rel(self.settings.docs_dir / uri)

    # --- files ---------------------------------------------------------------------------

    def conflicts(self) -> list[dx.Diagnostic]:
        out = []
        for left_out, kept in self.files.conflicts:
            out += self.diag(self.doc_path(left_out), 1, 0, "links.conflicting-page", dx.Severity.WARNING,
                             f"'{left_out}' is left out of the site: '{kept}' in the same folder has the same address",
                             "keep one of the two files")
        return out

    # --- the links of one page -----------------------------------------------------------

    def page_links(self, page: PageContext) -> list[dx.Diagnostic]:
        spans = [(g.start, g.end) for g in page.parsed.groups]
        visible = visible_text(page.text, page.parsed.body_start, spans, page.masked_blocks)
        src = page.source
        out: list[dx.Diagnostic] = []
        for link in markdown_links(page.text, visible):
            out += self.markdown_link(page, link, *src.position(link.offset))
        for link in html_links(page.text, visible):
            out += self.html_link(page, link, *src.position(link.offset))
        if self.footnotes:
            for label, offset in unreferenced_footnotes(visible):
                line, col = src.position(offset)
                out += self.diag(page.path, line, col, "links.broken-anchor", level(self.settings, "links.anchors"),
                                 f"footnote '[^{label}]' is never referenced, so its back-link '#fnref:{label}' "
                                 "leads nowhere", f"refer to it with [^{label}] in the text, or delete it")
        return out

    def markdown_link(self, page: PageContext, link: LinkRef, line: int, col: int) -> list[dx.Diagnostic]:
        s = self.settings
        r = resolve(link.url, page.src_uri, self.files, s.site.validation["links.absolute_links"])
        what = "image" if link.kind == "image" else "link"
        if r.kind in ("self", "file") and r.anchor:
            self.wanted.append((page.path, link.url, r.target, r.anchor, line, col))
        if r.kind == "absolute":
            return self.diag(page.path, line, col, "links.absolute", level(s, "links.absolute_links"),
                             f"absolute {what} '{link.url}' is left as it is: it only works on a site at the "
                             "root of its domain", self.suggest(page.src_uri, link.url, absolute=True))
        if r.kind == "missing":
            return self.diag(page.path, line, col, "links.missing-file", level(s, "links.not_found"),
                             f"{what} '{link.url}': there is no '{self.doc_path(r.target)}'",
                             self.suggest(page.src_uri, link.url))
        if r.kind == "unrecognized":
            return self.diag(page.path, line, col, "links.unrecognized", level(s, "links.unrecognized_links"),
                             f"{what} '{link.url}' names no file, so it is left as it is",
                             self.suggest(page.src_uri, link.url) or "link to the page's .md file")
        if r.kind == "file" and not self.files.files[r.target].built:
            sev = level(s, "links.not_found", at_most_info=True)
            return self.diag(page.path, line, col, "links.excluded-page", sev,
                             f"{what} '{link.url}' leads to '{r.target}', which is excluded from the built site")
        return []

    def suggest(self, src_uri: str, url: str, absolute: bool = False) -> str | None:
        """MkDocs' own guess (a page for 'x/', 'x.html' or 'x'), else the closest file name."""
        try:
            _s, _n, path, query, anchor = urlsplit(url)
        except ValueError:
            return None
        path = unquote(path)
        found = None
        candidates = guesses(src_uri, path, self.settings.use_directory_urls)
        if not absolute:
            next(candidates)
        for guess in candidates:
            if self.files.get(guess) is not None:
                found = guess
                break
        if found is None:
            found = dx.suggest(target_uri(src_uri, path), [u for u, i in self.files.files.items() if i.built])
        if found is None:
            return f"did you mean 'mailto:{url}'?" if "@" in url and "." in url and "/" not in url else None
        rel = "" if anchor and found == src_uri else relative_link(found, src_uri)
        return f"did you mean '{rel}{'?' + query if query else ''}{'#' + anchor if anchor else ''}'?"

    # --- raw HTML: the address as the browser will see it ---------------------------------

    def html_link(self, page: PageContext, link: LinkRef, line: int, col: int) -> list[dx.Diagnostic]:
        s = self.settings
        try:
            scheme, netloc, path, _q, anchor = urlsplit(link.url)
        except ValueError:
            return []
        if scheme or netloc:
            return []
        if link.url.startswith(("/", "\\")):
            return self.diag(page.path, line, col, "links.absolute", level(s, "links.absolute_links"),
                             f"absolute link '{link.url}' in raw HTML only works on a site at the root of its domain")
        if not path:
            if anchor:
                self.wanted.append((page.path, link.url, page.src_uri, anchor, line, col))
            return []
        target = self.url_target(page.src_uri, unquote(path))
        if target is not None:
            if anchor and is_page(target):
                self.wanted.append((page.path, link.url, target, anchor, line, col))
            return []
        md = target_uri(page.src_uri, unquote(path))
        hint = None
        if self.files.get(md) is not None and is_page(md):
            here, there = page_url(page.src_uri, s.use_directory_urls), page_url(md, s.use_directory_urls)
            hint = (f"MkDocs does not rewrite links in raw HTML: write a Markdown link "
                    f"[text]({relative_link(md, page.src_uri)}), or href=\"{relative_url(here, there)}\"")
        return self.diag(page.path, line, col, "links.missing-file", level(s, "links.not_found"),
                         f"link '{link.url}' in raw HTML leads to no page or file of the built site", hint)

    def url_target(self, src_uri: str, path: str) -> str | None:
        """The file behind an address of the built site, from the page at ``src_uri``."""
        if self.urls is None:
            self.urls = self.files.urls(self.settings.use_directory_urls)
        here = page_url(src_uri, self.settings.use_directory_urls)
        base = here if here.endswith("/") or not here else posixpath.dirname(here) + "/"
        joined = posixpath.normpath(posixpath.join(base or ".", path))
        if joined.startswith("../") or joined == "..":
            return None
        joined = "" if joined == "." else joined
        for candidate in (joined, joined + "/", posixpath.join(joined, "index.html")):
            if candidate in self.urls:
                return self.urls[candidate]
        return None

    # --- anchors ---------------------------------------------------------------------------

    def anchors(self) -> list[dx.Diagnostic]:
        out: list[dx.Diagnostic] = []
        sev = level(self.settings, "links.anchors")
        if sev is dx.Severity.IGNORE:
            return out
        for path, url, target, anchor, line, col in self.wanted:
            ids = self.anchors_of(target)
            if ids is None or anchor in ids:
                continue
            where = "this page has" if self.doc_path(target) == path else f"'{self.doc_path(target)}' has"
            near = dx.suggest(anchor, ids)
            out += self.diag(path, line, col, "links.broken-anchor", sev,
                             f"link '{url}': {where} no anchor '#{anchor}'",
                             f"did you mean '#{near}'?" if near else None)
        return out

    def anchors_of(self, uri: str) -> set[str] | None:
        """Every anchor of the built page ``uri``; ``None`` when it is not a page we can read
        (kept in the memo by the page's key, as :meth:`kept_page_links`)."""
        if uri not in self.anchor_cache:
            key = self.memo_key("anchors", uri)
            hit = self.site.memo.get(key) if key is not None and self.site.memo is not None else None
            if hit is None:
                hit = (self._compute_anchors(uri),)
                if key is not None and self.site.memo is not None:
                    self.site.memo.put(key, hit)
            self.anchor_cache[uri] = hit[0]
        return self.anchor_cache[uri]

    def _compute_anchors(self, uri: str) -> set[str] | None:
        inclusion = self.files.get(uri)
        if inclusion is None or not inclusion.built or not is_page(uri):
            return None  # MkDocs does not check anchors of files that are not built pages
        s, site = self.settings, self.site
        page, report = site.texts.get(uri), site.pages.get(uri)
        if page is not None and report is not None:
            body = page.text[report.parsed.body_start_stripped:]
            parsed = report.parsed_for_body(body)
        elif uri == s.bibliography_page and uri in self.files.generated:
            text = bibliography_page_source(s.bibliography_title)
            fm = split_front_matter(text)
            body, parsed = text[fm.body_start if fm else 0:].lstrip("\n"), None
        else:
            return None  # a page our checks skip (``exclude``): MkDocs still checks it in the build
        rendered = rendered_page(body, site.bib, s.references_heading, parsed)
        cited = [k for k in site.cited_on if k in site.bib.entries] if uri == s.bibliography_page else []
        try:
            ids = self.headings.ids(rendered.markdown, mask_blocks(rendered.markdown))
        except Exception:  # noqa: BLE001 - a Markdown extension we cannot load: MkDocs still checks
            return None
        return ids | plugin_anchor_ids(rendered, cited)


class NavCheck:
    """``nav:`` against the site's files, as ``structure/nav.py`` checks it."""

    def __init__(self, links: LinkCheck) -> None:
        self.links, self.settings, self.files = links, links.settings, links.files

    def run(self) -> list[dx.Diagnostic]:
        site, config = self.settings.site, self.settings.config_file
        if site.nav is None:
            return []  # MkDocs builds the navigation from every page
        name = self.settings.rel(config) if config is not None else "mkdocs.yml"
        if not self.check([(e, 1, 0) for e in leaves(site.nav, str)], name, (1, 0)):
            return []
        return self.check(*nav_entries(self.settings))  # the positions: read only when needed

    def check(self, entries: list[tuple[str, int, int]], config: str, key_pos: tuple[int, int]) -> list[dx.Diagnostic]:
        in_nav: set[str] = set()
        out: list[dx.Diagnostic] = []
        for entry, line, col in entries:
            out += self.entry(entry, config, line, col, in_nav)
        for uri in self.files.built_pages():
            if self.files.files[uri] is Inclusion.INCLUDED and uri not in in_nav:
                out += self.omitted(uri, config, key_pos)
        return out

    def entry(self, entry: str, config: str, line: int, col: int, in_nav: set[str]) -> list[dx.Diagnostic]:
        s, links = self.settings, self.links
        relative_to_docs = s.site.validation["nav.absolute_links"] == "relative_to_docs"
        lookup = entry.lstrip("/") if entry.startswith("/") and relative_to_docs else entry
        uri = PurePosixPath(lookup).as_posix() if lookup else lookup
        inclusion = self.files.get(uri)
        if inclusion is not None:
            in_nav.add(uri)
            if inclusion.built:
                return []
            return links.diag(config, line, col, "nav.excluded", level(s, "nav.not_found", at_most_info=True),
                              f"nav entry '{entry}' is the page '{uri}', which is excluded from the built site")
        try:
            scheme, netloc = urlsplit(entry)[:2]
        except ValueError:
            scheme, netloc = "", ""
        if scheme or netloc:
            return []
        if entry.startswith("/"):
            return links.diag(config, line, col, "nav.absolute", level(s, "nav.absolute_links"),
                              f"nav entry '{entry}' is an absolute path, so it is left as an external link")
        hint = dx.did_you_mean(entry, self.files.built_pages())
        return links.diag(config, line, col, "nav.not-found", level(s, "nav.not_found"),
                          f"nav entry '{entry}' is not a page of the site (there is no "
                          f"'{links.doc_path(entry)}')", hint)

    def omitted(self, uri: str, config: str, key_pos: tuple[int, int]) -> list[dx.Diagnostic]:
        sev = level(self.settings, "nav.omitted_files")
        hint = "add it to nav, or list it under not_in_nav in mkdocs.yml"
        if uri in self.files.generated:
            return self.links.diag(config, *key_pos, "links.not-in-nav", sev,
                                   f"the generated page '{uri}' is not in the nav", hint)
        return self.links.diag(self.links.doc_path(uri), 1, 0, "links.not-in-nav", sev,
                               f"page '{uri}' is not in the nav of {config}", hint)


def nav_entries(settings: Settings) -> tuple[list[tuple[str, int, int]], str, tuple[int, int]]:
    """Every page or link in ``nav`` with its position, the config file that sets it, and where
    ``nav:`` is in it (``line 1`` when the YAML cannot be read again)."""
    config = settings.config_file
    for path, root in reversed(compose_chain(config) if config is not None else []):
        found = child(root, "nav")
        if found is not None:
            return list(_leaves(found[1])), settings.rel(path), position(found[0])
    name = settings.rel(config) if config is not None else "mkdocs.yml"
    return [(e, 1, 0) for e in leaves(settings.site.nav, str)], name, (1, 0)


def _leaves(node: yaml.Node) -> Iterator[tuple[str, int, int]]:
    """Page paths and links of a nav node, as ``structure/nav.py`` walks them."""
    if isinstance(node, yaml.MappingNode):
        for _key, value in node.value:
            yield from _leaves(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from _leaves(item)
    elif isinstance(node, yaml.ScalarNode) and node.tag.endswith(":str"):
        yield node.value, node.start_mark.line + 1, node.start_mark.column + 1


def check_links(site: SiteContext) -> list[dx.Diagnostic]:
    """Links and navigation, as MkDocs' strict build checks them (a site check)."""
    return LinkCheck(site).run()
