"""The MkDocs adapter: MkDocs events in, core calls out, imported by the events that use it (MkDocs imports this module
for a disabled plugin too); nothing here decides anything. on_pre_build runs every check and fails once, before anything
is written; on_page_markdown, on_page_content and on_page_context render; on_env stops on the sanitizer's findings."""

from __future__ import annotations

import functools
import logging
import sys
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files

from . import anchor_set, link_echo, security_headers
from .diagnostics import Diagnostic
from .options import BY_NAME, OPTIONS, resolve
from .settings import ConfigError, Settings
from .yamlpos import YamlError, config_chain

if TYPE_CHECKING:
    from .clinic import Clinic
    from .rendermemo import RenderMemo
    from .sitepage import Report

log = logging.getLogger("mkdocs.plugins.patientguide")

class PluginConfig(base.Config):  # every option passes MkDocs as it is: patientguide.options checks them all at once
    vars().update({o.name: c.Optional(c.Type(object)) for o in OPTIONS})


class PatientGuidePlugin(BasePlugin[PluginConfig]):
    def __init__(self) -> None:
        self.options: dict[str, Any] = {}  # as written in mkdocs.yml; checked by patientguide.options
        self._on = True  # unless the options say 'enabled: false'
        self.settings: Settings | None = None
        self.clinic: tuple[Clinic | None, list[Diagnostic]] = (None, [])
        self.report: Report | None = None
        self.rendered: dict[str, Any] = {}  # by src_uri: rendermemo.Prepared until on_page_content, then Held
        self.page_order: list[str] | None = None
        self.output_problems: list[Diagnostic] = []
        self.memo: RenderMemo | None = None  # each page's render by content: cache_dir, serve rebuilds
        self.indexing: Any = None  # the bibliography between the two on_page_context handlers (search_entries)
        self.page_scripts: security_headers.Written = {}  # each page's inline scripts as written: on_post_build
        self.held: Any = None  # converted pages waiting for their render, one block each (held_pages.py)
        self.gaps: Any = None  # what the checks freed, filled until every page is converted (heap_gaps.py)

    def load_config(self, options: dict[str, Any], config_file_path: str | None = None) -> Any:
        self.options, self._on = dict(options), options.get("enabled") is not False  # unknown ones too: see on_config
        return super().load_config({k: v for k, v in options.items() if k in BY_NAME}, config_file_path)

    @functools.cached_property
    def rendermemo(self) -> ModuleType:
        """:mod:`patientguide.rendermemo`, imported when first asked for (MkDocs imports this module for a
        disabled plugin too) and then held: a 1000-page build's handlers asked for it about 7000 times, and
        each import statement cost 2 to 5 us there, as a page's render pushes the import system's objects
        out of the processor's caches (docs/performance.md, "Per-page look-ups held")."""
        from . import rendermemo
        return rendermemo

    def on_startup(self, *, command: str, dirty: bool) -> None:  # defined: MkDocs keeps this object (and its caches)
        if self._on:  # a disabled plugin imports nothing more
            self.memo = self.rendermemo.started(command)

    def on_config(self, config: Any) -> Any:
        if not self._on:
            return config
        from . import assets, markdown_blocks
        try:
            config_file = Path(config.config_file_path or "mkdocs.yml")
            self.settings = resolve(self.options, config_file=config_file, docs_dir=config.docs_dir,
                                    use_directory_urls=config.use_directory_urls, strict=bool(config.strict),
                                    chain=config_chain(config_file))
        except (ConfigError, YamlError) as e:
            raise PluginError(str(e)) from e
        self.clinic = _clinic(config, self.settings)
        assets.extend_theme(config, self.clinic[0])
        markdown_blocks.add_to(config.markdown_extensions)  # our placeholders passed whole
        return config

    def on_pre_build(self, *, config: Any) -> None:
        if self._on:
            from .sitecache import checked_site
            # serving, the last build's caches; not a finished `mkdocs build`'s, whose checks are forgotten
            # (MkDocs hands this object to every later config of the process, a second build's too)
            held = self.report.caches if self.report else None
            kept = held if held is not None and not held.last_build else None
            last = not getattr(self.memo, "keep", True)  # `mkdocs serve` keeps its caches for the next rebuild
            self.report = checked_site(self._settings, kept, self.clinic, last_build=last, for_build=True)
            link_echo.attach(self.report.diagnostics, self._settings.page_path)  # drop MkDocs' repeats
            quiet = not log.isEnabledFor(logging.WARNING)  # -q: the failure repeats the problems
            _log_and_stop(self.report.diagnostics, self.report.failure(bool(config.strict), quiet))
            if last:  # checked: MkDocs makes its files, pages and front matter next, side by side (heap_gaps.py)
                self.gaps = __import__(f"{__package__}.heap_gaps", fromlist=["_"]).Gaps.filled()

    def on_files(self, files: Files, *, config: Any) -> Files:
        if not self._on:
            return files
        from . import assets
        for f in assets.site_files(self.clinic[0], self._settings, files.get_file_from_path):
            source = {"abs_src_path": str(f.source)} if f.source else {"content": f.content or ""}
            files.append(File.generated(config, f.uri, **source))  # type: ignore[call-overload]
        return files

    def on_nav(self, nav: Any, *, config: Any, files: Files) -> Any:
        self.page_order, self.rendered, self.output_problems = [p.file.src_uri for p in nav.pages], {}, []  # a build
        self.page_scripts, self.held = {}, None
        return nav

    def on_page_read_source(self, *, page: Any, config: Any) -> str | None:
        if not self._on or page.file.generated_by:
            return None
        text = self.report.caches.page_source(page.file.abs_src_path) if self.report is not None else None
        return self.rendermemo.source_for_host(page.file.content_string if text is None else text)

    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Files) -> str:
        if not self._on or self.report is None:
            return markdown
        _intern_keys(page.meta)
        prepare = self.rendermemo.prepare
        markdown, self.rendered[page.file.src_uri], page.meta["pg"] = prepare(  # head: as sitepage.page_facts
            (page.title, page.canonical_url, config.site_url, config.site_name, config.theme.get("language")), markdown,
            page.file.src_uri, self.report, self._settings, self.clinic[0], self.page_order, page.meta, self.memo)
        return markdown

    def on_page_content(self, html: str, *, page: Any, config: Any, files: Files) -> str:
        if not self._on or self.report is None:
            return html
        rendermemo = self.rendermemo
        try:
            html, problems, ids = rendermemo.finish(self.memo, html, self.rendered, page.file.src_uri,
                                                    self.report, self._settings, lambda: page.file.content_string)
        except rendermemo.ArticleLost as e:  # the cache folder changed under the build: stopped, not guessed
            raise PluginError(f"patientguide: {e}") from None
        self.held = rendermemo.hold(self.held, self.rendered, page, self.report.caches)
        self.output_problems += problems
        page.present_anchor_ids = anchor_set.PageAnchorIds(page.present_anchor_ids, ids)  # MkDocs' check: ours too
        return html

    def on_env(self, env: Any, *, config: Any, files: Files) -> Any:
        self.gaps = None  # every File, Page and page's front matter is made: the placeholders go (heap_gaps.py)
        if self._on and self.report:  # every page is converted and none is written yet
            from . import sitepage
            self.report.caches.page_sources = {}  # read by now, but for pages the build left out
            _log_and_stop(self.output_problems, sitepage.converted(self.report, self.output_problems))
            self.rendermemo.all_converted(env, self.memo, self.clinic[0], self._settings, files.get_file_from_path)
        return env

    @event_priority(100)  # before search: the bibliography's entries, if kept, are not made again (search_entries.py)
    def _before_search(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:
        self.indexing = None  # held for this page only (a build stopped half-way leaves nothing behind)
        if self.held is not None:  # the page's render and template data, held since its conversion
            self.rendermemo.unhold(self.held, self.rendered, page)
        if self._on and self.report and page.file.src_uri == self._settings.bibliography_page:
            from . import search_entries
            self.indexing = search_entries.before(config.plugins.values(), page, self.report.caches.index_entries)
        return context

    @event_priority(-100)  # after search has read the lean article (search_view.py): the theme prints it whole
    def _after_search(self, context: Any, *, page: Any, config: Any, nav: Any) -> Any:  # serving: kept output
        if not self._on:
            return context  # disabled: does nothing
        if self.indexing is not None and self.report:
            __import__(f"{__package__}.search_entries", fromlist=["_"]).after_indexing(
                page, self.report.caches.index_entries, self.indexing)
            self.indexing = None
        rendermemo = self.rendermemo
        try:
            return rendermemo.page_context(self.memo, context, page, self.rendered.get(page.file.src_uri))
        except rendermemo.ArticleLost as e:  # the cache folder changed under the build: stopped, not guessed
            raise PluginError(f"patientguide: {e}") from None

    on_page_context = CombinedEvent(_before_search, _after_search)

    def _written(self, output: str, *, page: Any, config: Any) -> str:
        if self._on:  # written: its article stays as search read it; a one-off build's template data goes
            self.rendermemo.written(self.memo, page, self.rendered)
        return output

    @event_priority(-1000)  # after every other plugin: the page as MkDocs writes it
    def _scripts_written(self, output: str, *, page: Any, config: Any) -> str:
        if self._on and self.report:  # its inline scripts, so that on_post_build need not read it back
            security_headers.page_written(output, page.file.abs_dest_path, self.page_scripts,
                                          self.report.caches.script_hashes)
        return output

    on_post_page = CombinedEvent(_written, _scripts_written)

    def on_post_build(self, *, config: Any) -> None:
        if self._on and self.report:  # each page's inline-script hashes are kept by the page's content
            security_headers.write_headers(Path(config.site_dir), self._settings.nginx_headers, self.report.caches,
                                           self.page_scripts)
            self.report.caches.index_entries.flush()  # the bibliography's search entries (search_entries.py)

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        for path in self._settings.watched if self._on else ():
            server.watch(str(path))
        return server

    @property
    def _settings(self) -> Settings:
        assert self.settings is not None, "patientguide: the plugin's settings are used before on_config"
        return self.settings


def _clinic(config: Any, settings: Settings) -> tuple[Clinic | None, list[Diagnostic]]:
    """The site's clinic profile and its problems. By now MkDocs has merged the ``extra`` of every file
    the config inherits (an ``extra`` that is not a mapping is its error): with no ``clinic`` there, no
    file has a profile to read, and the build does not import the code that reads and checks one
    (about 2.5 ms of its start)."""
    if "clinic" not in (config.extra or {}):
        return None, []
    from .clinic import load_clinic
    return load_clinic(settings.config_file, settings.rel, root=settings.root)


def _intern_keys(meta: dict[Any, Any]) -> None:
    """A page's front matter, its keys interned, in place and in order. Every page's render walks the whole
    navigation and looks up each page's ``title`` (MkDocs) and ``status`` and ``icon`` (Material) in its front
    matter. YAML makes each page's keys as strings of its own, so a look-up compares its key with the page's
    copy, wherever that lies in memory; an interned key is found by its identity. At 1000 pages the plugin's
    renders took about 0.6-1 s less, a plain build's no less (docs/performance.md, "Front-matter keys, interned,
    and a seed a round")."""
    items = list(meta.items())
    meta.clear()
    meta.update((sys.intern(k) if type(k) is str else k, v) for k, v in items)


def _log_and_stop(diagnostics: list[Diagnostic], failure: str | None) -> None:
    for d in diagnostics:
        log.log(getattr(logging, d.severity.name, logging.INFO), str(d))  # ERROR, WARNING, INFO
    if failure:  # one failure, after every problem is logged
        raise PluginError(failure)
