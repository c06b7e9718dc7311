"""The Python-Markdown adapter, for engines that convert pages with Python-Markdown but run no
MkDocs plugin (Zensical): ``markdown_extensions: [patientguide]``.

It renders what patients see with the plugin's own functions (:func:`patientguide.sitepage.prepare_page`):
included blocks, numbered citations with their tooltip, the page's reference list, the key points,
the bibliography on its page; and it hands the templates the same ``page.meta.pg`` (review dates,
draft and overdue notices, head data). Each converted page goes through the output sanitizer, as
in the MkDocs build (under ``patientguide zensical-build``: after the build, as published), and is
marked ``<!--pg:content:…-->`` … ``<!--/pg:content:…-->`` so that the built site can be checked
again (:mod:`patientguide.zensical_build`).

The site's settings come from its ``mkdocs.yml`` (the ``config_file`` option, else
``$PATIENTGUIDE_CONFIG``, else ``mkdocs.yml`` in the working folder), loaded and checked once per
process (:class:`patientguide.sitebuild.SiteCache`). A site with errors converts no page.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor
from markdown.preprocessors import Preprocessor

from . import markdown_blocks, sanitize, template_data
from .lazytext import Lazy
from .render import RenderedPage
from .settings import ConfigError
from .sitebuild import LoadedSite, SiteCache
from .sitepage import prepare_page

CONFIG_ENV = "PATIENTGUIDE_CONFIG"
# Set by ``patientguide zensical-build``, which checks the site just before the build (so the site
# is only loaded here, not checked again) and every page as published after it, reporting each
# problem as a diagnostic (an exception here would reach the user as a traceback).
GATED_ENV = "PATIENTGUIDE_ZENSICAL_BUILD"
CONTENT_START, CONTENT_END = "<!--pg:content:{}-->", "<!--/pg:content:{}-->"
# the extension is made anew for every page; the site is loaded once per process
SITES = SiteCache(checks=not os.environ.get(GATED_ENV))


class PatientGuideError(Exception):
    """The site cannot be converted: its check failed, or a page's output is unsafe."""


class PatientGuideExtension(Extension):
    def __init__(self, **kwargs: Any) -> None:
        self.config = {"config_file": ["", f"the site's mkdocs.yml (default: ${CONFIG_ENV}, else ./mkdocs.yml)"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.registerExtension(self)
        run = _PageRun(self._config_file())
        md.preprocessors.register(_Prepare(md, run), "patientguide", 100)  # first: the page as written
        md.postprocessors.register(_Finish(md, run), "patientguide", 0)  # last: the HTML as published
        markdown_blocks.register(md)  # the blocks' placeholders, passed through whole

    def _config_file(self) -> Path:
        return Path(self.getConfig("config_file") or os.environ.get(CONFIG_ENV) or "mkdocs.yml")


class _PageRun:
    """One page's conversion: what the preprocessor learned, for the postprocessor."""

    def __init__(self, config_file: Path) -> None:
        self.config_file = config_file
        self.site: LoadedSite | None = None
        self.src_uri = ""
        self.rendered: RenderedPage | None = None


class _Prepare(Preprocessor):
    def __init__(self, md: Markdown, run: _PageRun) -> None:
        super().__init__(md)
        self.run_ = run

    def run(self, lines: list[str]) -> list[str]:
        page = host_page(self.md)
        run = self.run_
        site = _site(run.config_file)
        run.site, run.src_uri = site, page.path
        facts = site.facts(page.path, str(page.meta.get("title") or ""))
        markdown, run.rendered, ctx = prepare_page("\n".join(lines), page.path, site.report, site.settings,
                                                   site.clinic, facts, site.page_order, source_links=True)
        page.meta["pg"] = template_context(ctx)
        template_data.escape_meta(page.meta)
        return markdown.split("\n")


class _Finish(Postprocessor):
    def __init__(self, md: Markdown, run: _PageRun) -> None:
        super().__init__(md)
        self.run_ = run

    def run(self, text: str) -> str:
        run = self.run_
        if run.site is None or run.rendered is None:
            return text
        html = run.rendered.fill(text)  # every block: no later stage
        settings = run.site.settings
        path = settings.rel(settings.docs_dir / run.src_uri)
        problems = [] if os.environ.get(GATED_ENV) else sanitize.check_page_output(
            html, path=path, source=lambda: _read(settings.docs_dir / run.src_uri),
            relaxed=run.src_uri in settings.allow_raw_html)
        if problems:
            raise PatientGuideError("\n".join(map(str, problems)) + f"\n{sanitize.failure(problems)}")
        nonce = run.rendered.nonce
        return CONTENT_START.format(nonce) + "\n" + html + "\n" + CONTENT_END.format(nonce)


def host_page(md: Markdown) -> Any:
    """The page the host is converting: an object with ``path`` (relative to the docs folder) and
    ``meta`` (its front matter, given to the templates). Zensical keeps it on its
    ``rendering_context`` preprocessor."""
    try:
        page = getattr(md.preprocessors["rendering_context"], "page", None)  # a Registry: no .get()
    except KeyError:
        page = None
    if page is None or not isinstance(getattr(page, "path", None), str) or not isinstance(page.meta, dict):
        raise PatientGuideError("patientguide: cannot tell which page is being converted; the 'patientguide' "
                                "Markdown extension runs under Zensical (MkDocs uses the 'patientguide' plugin)")
    return page


def template_context(ctx: dict[str, Any]) -> dict[str, Any]:
    """``page.meta.pg`` as plain data: the host passes it on to its templates as JSON. (The clinic
    profile and footer links, MkDocs globals, come through ``extra``: see zensical_build.)"""
    return {k: (str(v) if isinstance(v, Lazy) else v) for k, v in ctx.items()}


def _site(config_file: Path) -> LoadedSite:
    try:
        site = SITES.get(config_file)
    except ConfigError as e:
        raise PatientGuideError(str(e)) from None
    failure = site.failure()
    if failure:
        raise PatientGuideError(failure)
    return site


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except OSError:
        return ""


def makeExtension(**kwargs: Any) -> PatientGuideExtension:  # noqa: N802 (Python-Markdown's name)
    return PatientGuideExtension(**kwargs)
