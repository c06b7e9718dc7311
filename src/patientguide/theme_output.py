"""Each page's theme output kept across ``mkdocs serve`` rebuilds, by the content of everything the
page's template reads: a rebuild gives an unchanged page's output without rendering the theme's
``main.html`` (Material's whole page: header, navigation, table of contents, footer) again.

How: serving, every template of each build's Jinja environment is a :class:`KeptTemplate` (set at
``on_env``, :meth:`ThemeOutputs.start`), and the plugin marks each page's template context with
:data:`SLOT` (at ``on_page_context``). A marked render of ``main.html`` keys the context as the
template gets it, after every plugin's ``on_page_context`` (the marker itself is taken out), and
gives the output the last build kept for that key, or renders and keeps it. Only ``main.html`` is
kept: a page whose front matter names another template, the 404 page and the other static
templates are rendered every time, and nothing is kept by ``mkdocs build``.

The key, by content and never by timestamps (:func:`_page_facts`, :meth:`ThemeOutputs._site_digest`):

- the page: its title, URL, file paths and inclusion, converted HTML, Markdown, table of contents,
  front matter (with our template data ``pg``), canonical, absolute and edit URLs, ``update_date``,
  anchors, home-page flag, and its previous and next pages' and parents' titles and URLs; the
  context's ``base_url``, ``extra_css``, ``extra_javascript`` and ``mkdocs_version``;
- once per build: the navigation (each item's kind, title, URL, file, front matter but ``pg``,
  children; the home page; every documentation file's paths), the whole MkDocs config as loaded
  (the plugins by name) and the bytes of its config files (the ``INHERIT`` chain), the theme's
  folders (the site's ``custom_dir``, ours, and any outside the installed packages by every file's
  bytes; installed ones by path, with MkDocs' and Material's versions), the environment's globals,
  filters, tests, extensions and autoescaping (callables by name), and patientguide's state (what
  every page's checks depend on, the settings, the clinic profile, the reviewers);
- ``build_date_utc`` only if a theme file mentions it (Material's templates do not).

Conservative: with a context entry, a page attribute or a navigation item's attribute this module
does not know (another plugin added it), a value it cannot key by content (no readable state, a
cycle, too large), or without patientguide's state, the page is rendered as usual and nothing is
kept. It assumes what Material and our templates do: a template reads other pages only as the
navigation shows them (title, URL, file, front matter but ``pg``, children).
"""

from __future__ import annotations

import hashlib
import marshal
import os
import site
import sysconfig
import types
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

SLOT = "pg_theme_outputs"  # the context entry that marks a page's render (taken out before rendering)
TEMPLATE = "main.html"
CONTEXT = frozenset({"base_url", "build_date_utc", "config", "extra_css", "extra_javascript", "mkdocs_version",
                     "nav", "page", "pages"})  # what MkDocs 1.6 puts in a page's context
PAGE = frozenset({"_Page__active", "_title_from_render", "abs_url", "canonical_url", "children", "content", "edit_url",
                  "file", "links_to_anchors", "markdown", "meta", "next_page", "parent", "present_anchor_ids",
                  "previous_page", "title", "toc", "update_date"})  # a page's attributes in MkDocs 1.6
SECTION = frozenset({"_Section__active", "children", "parent", "title"})
LINK = frozenset({"parent", "title", "url"})
BUDGET = 500_000  # values walked for one digest
DATED = b"build_date_utc"


class Unkeyable(Exception):
    """A value this module cannot key by its content: the page is rendered as usual."""


class KeptTemplate(jinja2.Template):
    """A template whose render of a context marked with :data:`SLOT` goes through the marker's
    :class:`ThemeOutputs` (``main.html`` only); any other render is Jinja's."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        context = dict(*args, **kwargs)
        outputs = context.pop(SLOT, None)
        if not isinstance(outputs, ThemeOutputs) or self.name != TEMPLATE:
            return super().render(context)
        return outputs.render(self, context)


@dataclass(eq=False)
class ThemeOutputs:
    """The theme's output for each page by key: the last build's (``kept``) and this build's (``used``)."""

    kept: dict[str, str] = field(default_factory=dict)
    used: dict[str, str] = field(default_factory=dict)
    state: str = ""  # patientguide's state for this build ("": nothing is kept)
    _site: tuple[int, int, str, bool] | None = None  # this build's config and nav (ids), digest, dated
    _installed: dict[str, str] = field(default_factory=dict)  # a theme folder: its facts if installed, or ""

    def start(self, env: jinja2.Environment, state: str) -> None:
        """A build's environment is made (``on_env``): its templates keep their output from now on, and
        this build keeps only what it uses (the last build's if it rendered nothing)."""
        env.template_class = KeptTemplate
        self.kept, self.used, self.state, self._site = self.used or self.kept, {}, state, None

    def render(self, template: jinja2.Template, context: dict[str, Any]) -> str:
        """``template.render(context)``, or what it gave the last build for the same key."""
        key = self.key(context, template.environment)
        output = self.kept.get(key) if key else None
        if output is None:
            output = jinja2.Template.render(template, context)
        if key:
            self.used[key] = output
        return output

    def key(self, context: dict[str, Any], env: jinja2.Environment) -> str:
        """The page's key, or ``""`` if this module cannot key it (see the module's docstring)."""
        if not self.state or not CONTEXT.issuperset(context):
            return ""
        try:
            site_digest, dated = self._site_digest(context, env)
            if not site_digest:
                return ""
            feed = _Feed(site_digest)
            feed.value(_page_facts(context, dated))
        except (Unkeyable, AttributeError, OSError):  # OSError: a config or theme file gone or unreadable
            return ""
        return feed.hexdigest()

    def _site_digest(self, context: dict[str, Any], env: jinja2.Environment) -> tuple[str, bool]:
        """What every page's template reads besides the page, once per build (``""``: unkeyable)."""
        config, nav = context["config"], context["nav"]
        if self._site is not None and self._site[:2] == (id(config), id(nav)):
            return self._site[2], self._site[3]
        self._site = (id(config), id(nav), "", False)  # if anything below raises
        feed = _Feed("theme site")
        feed.value([self.state, _nav_facts(nav), [(f.src_uri, f.dest_uri, f.url) for f in context["pages"]]])
        feed.value([{k: v for k, v in config.items() if k != "plugins"}, list(config["plugins"])])
        for path in _config_files(config.config_file_path):
            feed.add("config file", str(path), path.read_bytes())
        dated = False
        for folder in config["theme"].dirs:
            dated = self._add_folder(feed, folder) or dated
        feed.value([env.globals, env.filters, env.tests, sorted(env.extensions), env.autoescape])
        self._site = (id(config), id(nav), feed.hexdigest(), dated)
        return self._site[2], dated

    def _add_folder(self, feed: _Feed, folder: str) -> bool:
        """A theme folder into ``feed``: by its files' bytes, or if installed by its path and the theme
        packages' versions (found once); whether a template there mentions ``build_date_utc``."""
        if folder not in self._installed:
            self._installed[folder] = _installed_facts(folder)
        if not self._installed[folder]:
            return _add_files(feed, Path(folder))
        feed.add("installed", folder, self._installed[folder])
        return self._installed[folder].endswith(" dated")


def _page_facts(context: dict[str, Any], dated: bool) -> list[Any]:
    """What a page's template reads of the page (raises :class:`Unkeyable` for an attribute it does not know)."""
    page = context["page"]
    if not PAGE.issuperset(vars(page)):
        raise Unkeyable(f"page attributes {sorted(set(vars(page)) - PAGE)}")
    f = page.file
    near = [(p.title, p.url) if p is not None else None for p in (page.previous_page, page.next_page)]
    parents = [(type(a).__name__, a.title, getattr(a, "url", None)) for a in page.ancestors]
    return [page.title, page.url, f.src_uri, f.dest_uri, f.url, str(f.inclusion), page.content, page.markdown,
            _toc(page.toc), page.meta, page.canonical_url, page.abs_url, page.edit_url, page.update_date,
            page.is_homepage, page.active, page.present_anchor_ids, near, parents, context["base_url"],
            context["extra_css"], context["extra_javascript"], context["mkdocs_version"],
            context["build_date_utc"] if dated else None]


def _toc(links: Any) -> list[dict[str, Any]]:
    """A table of contents as plain values: each link's attributes, its children the same way."""
    return [{**vars(a), "children": _toc(a.children)} for a in links]


def _nav_facts(nav: Any) -> list[Any]:
    return [[_nav_item(i) for i in nav.items], nav.homepage.url if nav.homepage else None, [p.url for p in nav.pages]]


def _nav_item(item: Any) -> tuple[Any, ...]:
    """A navigation item as other pages' templates show it."""
    if getattr(item, "is_page", False):
        known: frozenset[str] = PAGE
        facts: tuple[Any, ...] = (item.title, item.url, item.file.src_uri, item.is_index,
                                  {k: v for k, v in item.meta.items() if k != "pg"})
    elif getattr(item, "is_section", False):
        known, facts = SECTION, (item.title, [_nav_item(c) for c in item.children])
    elif getattr(item, "is_link", False):
        known, facts = LINK, (item.title, item.url)
    else:
        raise Unkeyable(f"navigation item {item!r}")
    if not known.issuperset(vars(item)):
        raise Unkeyable(f"navigation item attributes {sorted(set(vars(item)) - known)}")
    return (type(item).__qualname__, *facts)


def _config_files(config_file: str | None) -> list[Path]:
    from .yamlpos import YamlError, config_chain
    if not config_file:
        raise Unkeyable("no config file")
    try:
        return [f.path for f in config_chain(Path(config_file))]
    except YamlError as e:
        raise Unkeyable(str(e)) from e


def _installed_facts(folder: str) -> str:
    """For a folder in the installed packages: MkDocs' and Material's versions, and whether a template
    there mentions ``build_date_utc``; ``""`` for any other folder."""
    roots = {sysconfig.get_paths()[k] for k in ("purelib", "platlib")} | set(site.getsitepackages())
    roots.add(site.getusersitepackages())
    path = os.path.abspath(folder)
    if not any(path.startswith(os.path.abspath(r) + os.sep) for r in roots):
        return ""
    from .pagecache import installed_versions
    versions = repr(sorted(installed_versions(("mkdocs", "mkdocs-material")).items()))
    return versions + (" dated" if _mentions_date(Path(folder)) else "")


def _add_files(feed: _Feed, folder: Path) -> bool:
    """Every file under ``folder`` (links followed, as Jinja's loader reads them): name and bytes."""
    dated = False
    feed.add("folder", str(folder))
    for top, dirs, files in os.walk(folder, followlinks=True):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(top, name)
            try:
                data = Path(path).read_bytes()
            except OSError as e:
                raise Unkeyable(f"{path}: {e.strerror}") from e
            feed.add("file", os.path.relpath(path, folder), data)
            dated = dated or DATED in data
    return dated


def _mentions_date(folder: Path) -> bool:
    """Whether a template of an installed theme folder mentions ``build_date_utc`` (icons left out)."""
    for top, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d != ".icons"]
        for name in files:
            try:
                if name.endswith((".html", ".j2", ".jinja")) and DATED in Path(top, name).read_bytes():
                    return True
            except OSError:
                return True  # unreadable: keyed by the build's time, so never kept
    return False


class _Feed:
    """A SHA-1 of values walked by content: plain values, mappings, sequences, sets, callables by
    name, paths, and other objects by their attributes (or their repr if it names no address)."""

    def __init__(self, what: str) -> None:
        self.parts: list[bytes] = []
        self.left = BUDGET
        self.path: set[int] = set()
        self.add(what)

    def hexdigest(self) -> str:
        return hashlib.sha1(b"".join(self.parts)).hexdigest()

    def add(self, *parts: str | bytes) -> None:
        for part in parts:
            data = part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")
            self.parts += (len(data).to_bytes(8, "little"), data)  # lengths first: no two inputs run together

    def value(self, v: Any) -> None:
        self.left -= 1
        kind = type(v)
        if kind is str:
            self.add("str", v)
        elif v is None or kind in (bool, int, float):
            self.add(repr(v))
        elif self.left < 0:
            raise Unkeyable("too large")
        elif isinstance(v, str):  # Markup too, by its own type
            self.add(kind.__qualname__, v)
        elif isinstance(v, (bytes, bytearray)):
            self.add("bytes", bytes(v))
        elif id(v) in self.path:
            raise Unkeyable(f"a cycle through {kind.__qualname__}")
        else:
            self.path.add(id(v))
            try:
                self._compound(v)
            finally:
                self.path.discard(id(v))

    def _compound(self, v: Any) -> None:
        if type(v) in (dict, list, tuple):  # of plain values only: in one go (version 2: no shared references)
            try:
                self.add("marshal", marshal.dumps(v, 2))
                return
            except ValueError:  # a value marshal does not take: walked below
                pass
        kind = type(v).__module__ + "." + type(v).__qualname__
        if isinstance(v, Mapping):
            self.add("map", kind, str(len(v)))
            for k, x in v.items():
                self.value(k)
                self.value(x)
        elif isinstance(v, (list, tuple)):
            self.add("seq", kind, str(len(v)))
            for x in v:
                self.value(x)
        elif isinstance(v, (set, frozenset)):  # plain strings (anchor ids) sorted, anything else by digest
            plain = all(type(x) is str for x in v)
            self.add("set" if plain else "set of digests", kind, *sorted(v if plain else map(self._digest, v)))
        elif isinstance(v, (types.FunctionType, types.BuiltinFunctionType, types.MethodType, type)):
            self.add("code", getattr(v, "__module__", None) or "", v.__qualname__)
        elif isinstance(v, types.ModuleType):
            self.add("module", v.__name__, str(getattr(v, "__file__", "")))
        elif isinstance(v, os.PathLike):
            self.add("path", kind, os.fspath(v))
        else:
            self._object(v, kind)

    def _object(self, v: Any, kind: str) -> None:
        state = getattr(v, "__dict__", None)
        slots = [s for c in type(v).__mro__ for s in _slots(c) if s not in ("__dict__", "__weakref__")]
        if state is None and not slots:
            text = repr(v)
            if " at 0x" in text:
                raise Unkeyable(text)
            self.add("repr", kind, text)
            return
        self.add("object", kind)
        self.value(dict(state or {}))
        for name in slots:
            self.add(name)
            self.value(getattr(v, name, None))

    def _digest(self, v: Any) -> str:
        sub = _Feed("item")
        sub.left, sub.path = self.left, self.path
        sub.value(v)
        self.left = sub.left
        return sub.hexdigest()


def _slots(cls: type) -> tuple[str, ...]:
    slots = cls.__dict__.get("__slots__", ())
    return (slots,) if isinstance(slots, str) else tuple(slots)
