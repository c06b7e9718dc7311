"""The MkDocs adapter: MkDocs events in, core calls out. Nothing here decides anything.

Events in build order (``mkdocs serve`` keeps the plugin, and its caches, across rebuilds):
on_config: options → Settings (every problem at once), the clinic profile (loaded once), the
theme's assets · on_pre_build: every check; each problem logged, then one failure before
site_dir is touched · on_files: our CSS/JS, the clinic's files, the bibliography page · on_nav:
page order · on_env: template globals · on_page_read_source / on_page_markdown: citations,
reference list, key points, template data · on_page_content / on_post_page: the deferred HTML ·
on_post_build: security headers · on_serve: watch references and reviewers.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from . import assets, headers, presentation
from .caches import Caches
from .checks.site import Report, check_site
from .clinic import Clinic, load_clinic
from .diagnostics import Diagnostic, Severity
from .head import PageFacts
from .options import BY_NAME, OPTIONS, resolve
from .render import RenderedPage
from .settings import ConfigError, Settings
from .sitepage import prepare_page
from .yamlpos import YamlError, config_chain

log = logging.getLogger("mkdocs.plugins.patientguide")
_LEVELS = {Severity.ERROR: logging.ERROR, Severity.WARNING: logging.WARNING, Severity.INFO: logging.INFO}
_MMD_META = re.compile(r"^[ ]{0,3}[A-Za-z0-9_-]+:\s*")

# Every option passes MkDocs as it is: patientguide.options checks them all at once.
PluginConfig = type("PluginConfig", (base.Config,), {o.name: c.Optional(c.Type(object)) for o in OPTIONS})


class PatientGuidePlugin(BasePlugin[PluginConfig]):  # type: ignore[type-var]
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.options: dict[str, Any] = {}  # as written in mkdocs.yml; checked by patientguide.options
        self.caches = Caches()
        self.settings: Settings | None = None
        self.clinic: tuple[Clinic | None, list[Diagnostic]] = (None, [])
        self.report = Report()
        self.rendered: dict[str, RenderedPage] = {}
        self.page_order: list[str] | None = None

    def load_config(self, options: dict[str, Any], config_file_path: str | None = None) -> Any:
        self.options = dict(options)  # unknown ones too: on_config reports them with the rest
        return super().load_config({k: v for k, v in options.items() if k in BY_NAME},
                                   config_file_path)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        """(Its presence keeps this plugin object, and its caches, across serve rebuilds.)"""

    def on_config(self, config: Any) -> Any:
        if not self._on:
            return config
        try:
            config_file = Path(config.config_file_path or "mkdocs.yml")
            self.settings = resolve(self.options, config_file=config_file,
                                    docs_dir=config.docs_dir, use_directory_urls=config.use_directory_urls,
                                    strict=bool(config.strict), chain=config_chain(config_file))
        except (ConfigError, YamlError) as e:
            raise PluginError(str(e)) from e
        self.caches = self.caches.for_dir(self.settings.cache_dir)
        self.clinic = load_clinic(self.settings.config_file, self.settings.rel, root=self.settings.root)
        clinic = self.clinic[0]
        if assets.favicon(clinic):
            config.theme["favicon"] = assets.favicon(clinic)
        config.extra_css.extend(u for u in assets.stylesheets(clinic) if u not in map(str, config.extra_css))
        config.extra_javascript.extend(u for u in assets.SCRIPTS if u not in map(str, config.extra_javascript))
        return config

    def on_pre_build(self, *, config: Any) -> None:
        if not self._on:
            return
        self.report = report = check_site(self._settings, self.caches, self.clinic)
        self.rendered = {}
        for d in report.diagnostics:
            log.log(_LEVELS.get(d.severity, logging.INFO), str(d))
        if report.failed(bool(config.strict)):
            raise PluginError(_failure(report, bool(config.strict), log.isEnabledFor(logging.WARNING)))

    def on_files(self, files: Files, *, config: Any) -> Files:
        if not self._on:
            return files
        has_bib = files.get_file_from_path(self._settings.bibliography_page) is not None
        for f in assets.site_files(self.clinic[0], self._settings, has_bib):
            if files.get_file_from_path(f.uri) is None:
                files.append(File.generated(config, f.uri, content=f.content,
                                            abs_src_path=str(f.source) if f.source else None))
        return files

    def on_nav(self, nav: Any, *, config: Any, files: Files) -> Any:
        self.page_order = [p.file.src_uri for p in nav.pages]
        return nav

    def on_env(self, env: Any, *, config: Any, files: Files) -> Any:
        if self._on:
            clinic = self.clinic[0]
            env.globals["pg_clinic"] = clinic.context() if clinic else None
            env.globals["pg_footer_links"] = [{"label": label, "url": f.url} for label, src in
                                              self._settings.footer_links.items()
                                              if (f := files.get_file_from_path(src)) is not None]
        return env

    def on_page_read_source(self, *, page: Any, config: Any) -> str | None:
        # MkDocs reads a first line such as "Note: ..." as MultiMarkdown metadata and drops it;
        # an empty YAML block first keeps the line as text.
        if not self._on or page.file.generated_by:
            return None
        text = page.file.content_string
        return "---\n{}\n---\n" + text if not text.startswith("---") and _MMD_META.match(text) else None

    def on_page_markdown(self, markdown: str, *, page: Any, config: Any, files: Files) -> str:
        if not self._on:
            return markdown
        src_uri, rep = page.file.src_uri, self.report.pages.get(page.file.src_uri)
        facts = PageFacts(title=rep.title if rep else (page.title or ""), description=_text(rep, "description"),
                          audience=_text(rep, "audience"), url=page.canonical_url, site_url=config.site_url,
                          site_name=config.site_name, theme_language=config.theme.get("language"))
        markdown, self.rendered[src_uri], ctx = prepare_page(markdown, src_uri, self.report, self._settings,
                                                             self.clinic[0], facts, self.page_order)
        presentation.escape_meta(page.meta)
        page.meta["pg"] = ctx
        return markdown

    def on_page_content(self, html: str, *, page: Any, config: Any, files: Files) -> str:
        rendered = self.rendered.get(page.file.src_uri) if self._on else None
        return rendered.fill(html, late_blocks=True) if rendered else html

    def on_post_page(self, output: str, *, page: Any, config: Any) -> str:
        rendered = self.rendered.pop(page.file.src_uri, None) if self._on else None
        return rendered.finish(output) if rendered else output

    def on_post_build(self, *, config: Any) -> None:
        if self._on:
            headers.write_headers(Path(config.site_dir), self._settings.nginx_headers)

    def on_serve(self, server: Any, *, config: Any, builder: Any) -> Any:
        if self._on:
            for path in (self._settings.references_dir, self._settings.reviewers_file, self._settings.blocks_dir):
                if path is not None:
                    server.watch(str(path))
        return server

    @property
    def _on(self) -> bool:
        return self.options.get("enabled") is not False

    @property
    def _settings(self) -> Settings:
        if self.settings is None:
            raise RuntimeError("patientguide: the plugin's settings are used before on_config")
        return self.settings


def _text(rep: Any, key: str) -> str | None:
    value = rep.meta.get(key) if rep else None
    return value if isinstance(value, str) else None


def _failure(report: Report, strict: bool, logged: bool) -> str:
    shown = report.errors + (report.warnings if strict else [])
    detail = "" if logged else "\n" + "\n".join(map(str, shown))
    why = " (warnings count as errors with --strict)" if strict and report.warnings else ""
    return f"patientguide: {report.summary()}{why}; site not built{detail}"
