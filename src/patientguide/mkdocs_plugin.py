"""The MkDocs adapter: translates MkDocs events into core calls, and core diagnostics into
log records. Every problem is logged, then the build fails once, in ``on_pre_build``, before
MkDocs cleans or writes ``site_dir``."""

from __future__ import annotations

import html
import logging
import re
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from . import check as core
from . import handout, headers, link_echo, presentation, structured
from .anchors import plugin_anchor_ids
from .clinic import load_clinic
from .diagnostics import Severity
from .references import ReferenceCache
from .render import render_bibliography, render_page
from .settings import ConfigError, settings_from_options

log = logging.getLogger("mkdocs.plugins.patientguide")
_LEVELS = {Severity.ERROR: logging.ERROR, Severity.WARNING: logging.WARNING, Severity.INFO: logging.INFO}
_ASSETS = Path(__file__).parent / "assets"
_MMD_META = re.compile(r"^[ ]{0,3}[A-Za-z0-9_-]+:\s*")


class PluginConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """Turn the plugin off (citations are then left as text)."""
    references_dir = c.Type(str, default="references")
    """Folder of ``.bib`` files, relative to ``mkdocs.yml``."""
    bibliography_page = c.Type(str, default="references.md")
    """The page that lists every cited reference; generated when it does not exist."""
    bibliography_title = c.Type(str, default="References")
    references_heading = c.Type(str, default="References")
    """Heading of the reference list appended to each page."""
    severity = c.Type(dict, default={})
    """Per-code severity: ``{readability.grade-too-high: warning}``."""
    review_max_years = c.Type(int, default=3)
    require_review = c.Type(bool, default=False)
    """A clinic's production build: draft pages are errors."""
    reviewers_file = c.Optional(c.Type(str))
    readability_warn = c.Type(float, default=8.0)
    readability_error = c.Type(float, default=10.0)
    project_root = c.Optional(c.Type(str))
    """Where diagnostics' paths start, and what the plugin's own paths are relative to;
    defaults to the folder of ``mkdocs.yml``. A brand in ``brands/<id>/`` sets ``../..``."""
    exclude = c.Type(list, default=[])
    allow_raw_html = c.Type(dict, default={})
    """Pages allowed raw HTML beyond the safe list, each with its reason: ``{embed.md: "…"}``."""
    max_page_kb = c.Type(int, default=512)
    """Pages larger than this fail the check instead of slowing the build."""
    nginx_headers = c.Optional(c.Type(str))
    """Also write the security headers as an nginx include here (relative to ``mkdocs.yml``)."""
    glossary_page = c.Type(str, default="glossary.md")
    """The glossary (``## Term`` headings): a term's first use on a page should link to it."""
    max_sentence_words = c.Type(int, default=25)
    """Longest sentence before ``style.long-sentence`` warns."""
    plain_words = c.Type(dict, default={})
    """More plain-word suggestions (``{word: plainer}``); an empty value drops a built-in one."""
    about = c.Optional(c.Type(str))
    """The condition the guide is about, for structured data (``about: Hyperhidrosis``)."""
    qr_codes = c.Type(bool, default=False)
    """Print-only QR codes linking each page online (``make handouts`` turns them on)."""
    footer_links = c.Type(dict, default={})
    """Footer links, label → page; defaults to About, Privacy and Accessibility when they exist."""
    cache_dir = c.Type((str, bool), default=".cache/patientguide")
    """Where parsed references are cached (keyed by file content); ``false`` turns it off."""


class _Lazy:
    """Text computed on first use (a template printing ``{{ pg.jsonld }}``)."""

    __slots__ = ("_fn", "_text")

    def __init__(self, fn) -> None:
        self._fn, self._text = fn, None

    def __str__(self) -> str:
        if self._text is None:
            self._text = self._fn()
        return self._text

    __html__ = __str__

    def __bool__(self) -> bool:
        return True


class PatientGuidePlugin(BasePlugin[PluginConfig]):
    supports_multiple_instances = False

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.cache = ReferenceCache()  # survives `mkdocs serve` rebuilds

    def on_config(self, config):
        if not self.config.enabled:
            return config
        if not hasattr(self, "cache"):
            self.cache = ReferenceCache()
        try:
            self.settings = settings_from_options(
                dict(self.config), config_file=Path(config.config_file_path or "mkdocs.yml"),
                docs_dir=config.docs_dir, use_directory_urls=config.use_directory_urls,
                strict=bool(config.strict))
        except ConfigError as e:
            raise PluginError(str(e)) from e
        # The clinic profile is checked with everything else in on_pre_build; a valid one
        # brands the theme here (logo, favicon, colours).
        self.clinic, _ = load_clinic(self.settings.config_file, self.settings.rel)
        assets = [("patientguide.css", "extra_css"), ("patientguide.js", "extra_javascript")]
        if self.clinic is not None:
            assets.append(("clinic.css", "extra_css"))
            if self.clinic.favicon_uri or self.clinic.logo_uri:
                config.theme["favicon"] = self.clinic.favicon_uri or self.clinic.logo_uri
        for asset, kind in assets:
            uri = f"assets/patientguide/{asset}"
            if uri not in [str(x) for x in config[kind]]:
                config[kind].append(uri)
        return config

    def on_env(self, env, *, config, files):
        if not self.config.enabled:
            return env
        env.globals["pg_clinic"] = self.clinic.context() if self.clinic else None
        links = []
        for label, src in self.settings.footer_links.items():
            f = files.get_file_from_path(src)
            if f is not None:
                links.append({"label": label, "url": f.url})
        env.globals["pg_footer_links"] = links
        return env

    def on_serve(self, server, *, config, builder):
        if self.config.enabled:
            server.watch(str(self.settings.references_dir))
            if self.settings.reviewers_file:
                server.watch(str(self.settings.reviewers_file))
        return server

    def on_pre_build(self, *, config) -> None:
        if not self.config.enabled:
            return
        self.report = report = core.check_site(self.settings, cache=self.cache)
        self.rendered = {}
        # MkDocs checks links and nav again while it builds: drop its messages that repeat ours
        link_echo.attach(report.diagnostics, lambda uri: self.settings.rel(self.settings.docs_dir / uri))
        for d in report.diagnostics:
            log.log(_LEVELS.get(d.severity, logging.INFO), str(d))
        strict = bool(config.strict)
        if report.failed(strict):
            shown = report.errors + (report.warnings if strict else [])
            detail = "" if log.isEnabledFor(logging.WARNING) else "\n" + "\n".join(map(str, shown))
            why = " (warnings count as errors with --strict)" if strict and report.warnings else ""
            raise PluginError(f"patientguide: {report.summary()}{why}; site not built{detail}")

    def on_files(self, files: Files, *, config) -> Files:
        if not self.config.enabled:
            return files
        for asset in ("patientguide.css", "patientguide.js"):
            files.append(File.generated(config, f"assets/patientguide/{asset}", abs_src_path=str(_ASSETS / asset)))
        clinic = self.clinic
        if clinic is not None:
            files.append(File.generated(config, "assets/patientguide/clinic.css", content=clinic.stylesheet()))
            for uri, path in ((clinic.logo_uri, clinic.logo), (clinic.favicon_uri, clinic.favicon)):
                if uri and path and files.get_file_from_path(uri) is None:
                    files.append(File.generated(config, uri, abs_src_path=str(path)))
        bib_page = self.settings.bibliography_page
        if files.get_file_from_path(bib_page) is None:
            files.append(File.generated(config, bib_page, content=presentation.bibliography_page_source(
                self.settings.bibliography_title)))
        return files

    def on_post_build(self, *, config) -> None:
        link_echo.detach()
        if not self.config.enabled:
            return
        nginx = self.config.nginx_headers
        base = self.settings.root if self.config.project_root else Path(config.config_file_path or "mkdocs.yml").parent
        headers.write_headers(Path(config.site_dir), (base / nginx) if nginx else None)

    def on_build_error(self, *, error) -> None:
        link_echo.detach()

    def on_nav(self, nav, *, config, files):
        self.page_order = [p.file.src_uri for p in nav.pages]
        return nav

    def on_page_content(self, html: str, *, page, config, files) -> str:
        if not self.config.enabled:
            return html
        rendered = self.rendered.get(page.file.src_uri)
        if rendered is None:
            return html
        # the ids we add after conversion, so that MkDocs' anchor check knows them (as ours does)
        bib, on_bibliography = self.report.bibliography, page.file.src_uri == self.settings.bibliography_page
        cited = [k for k in self.report.cited_on if k in bib.entries] if on_bibliography else []
        page.present_anchor_ids = (page.present_anchor_ids or set()) | plugin_anchor_ids(rendered, cited)
        return rendered.fill(html, late_blocks=True)

    def on_post_page(self, output: str, *, page, config) -> str:
        if not self.config.enabled:
            return output
        rendered = self.rendered.pop(page.file.src_uri, None)
        return rendered.finish(output) if rendered else output

    def _page_head(self, page, ctx: dict, rep, rendered, config) -> None:
        """Structured data, Open Graph tags and the print-only QR code for one page."""
        url = page.canonical_url  # absolute when site_url is set
        absolute = url if url and url.startswith(("http://", "https://")) else None
        clinic = self.clinic
        title = rep.title if rep else (page.title or "")
        description = rep.meta.get("description") if rep else None
        language = clinic.locale if clinic else (config.theme.get("language") or "en")

        def jsonld() -> str:  # made when the template prints it: only themes that use it pay
            return structured.json_ld(structured.medical_webpage(
                title=title, description=description if isinstance(description, str) else None, url=absolute,
                about=self.settings.about, audience=rep.meta.get("audience") if rep else None,
                last_reviewed=ctx.get("last_reviewed_iso") if not ctx.get("draft") else None,
                reviewer=ctx.get("reviewer") if not ctx.get("draft") else None, clinic=clinic, language=language,
                references=rendered.state.order, site_url=config.site_url))
        ctx["jsonld"] = _Lazy(jsonld)
        site_name = clinic.name if clinic else config.site_name
        image = None
        if clinic and clinic.logo_uri and config.site_url and not clinic.logo_uri.endswith(".svg"):
            image = config.site_url.rstrip("/") + "/" + clinic.logo_uri
        ctx["og"] = "\n".join(
            f'<meta property="{p}" content="{html.escape(v, quote=True)}">'
            for p, v in structured.open_graph(title=title, description=description if isinstance(description, str) else None,
                                              url=absolute, site_name=site_name, locale=clinic.locale if clinic else None,
                                              image=image))
        ctx["url"] = absolute
        if absolute and self.settings.qr_codes:
            ctx["qr"] = handout.qr_svg(absolute)

    def on_page_read_source(self, *, page, config) -> str | None:
        # MkDocs reads a first line such as "Note: ..." as MultiMarkdown metadata and drops it;
        # an empty YAML block first keeps the line as text.
        if not self.config.enabled or page.file.generated_by:
            return None
        text = page.file.content_string
        if not text.startswith("---") and _MMD_META.match(text):
            return "---\n{}\n---\n" + text
        return None

    def on_page_markdown(self, markdown: str, *, page, config, files) -> str:
        if not self.config.enabled:
            return markdown
        rep = self.report.pages.get(page.file.src_uri)
        parsed = rep.parsed_for_body(markdown) if rep else None  # reuse the check's parse
        self.rendered[page.file.src_uri] = rendered = render_page(
            markdown, self.report.bibliography, heading=self.settings.references_heading, parsed=parsed, deferred=True)
        markdown, rendered.markdown = rendered.markdown, ""  # MkDocs keeps its own copy
        if page.file.src_uri == self.settings.bibliography_page:
            bibliography = render_bibliography(self.report.cited_on, self.report.bibliography,
                                               bibliography_src=page.file.src_uri,
                                               use_directory_urls=config.use_directory_urls,
                                               page_order=getattr(self, "page_order", None))
            markdown += "\n\n" + rendered.add_block("bibliography", bibliography, searchable=True) + "\n"
        presentation.escape_meta(page.meta)
        page.meta["pg"] = ctx = presentation.page_context(rep.meta if rep else None, self.settings)
        self._page_head(page, ctx, rep, rendered, config)
        if ctx.get("summary"):
            marker = rendered.add_block("keypoints", presentation.keypoints_html(ctx["summary"]))
            markdown = presentation.insert_after_title(markdown, marker)
        return markdown
