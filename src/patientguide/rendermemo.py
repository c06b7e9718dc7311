"""Each page's render kept across ``mkdocs serve`` rebuilds, by the content of everything it depends
on: an unchanged page is not rendered again, only the page the editor changed.

What is kept is what :func:`sitepage.prepare_page` gives (the Markdown for the converter, the
:class:`RenderedPage`, the template context, whose structured data is made once) and what
:func:`sitepage.finish_content` gives for the converted HTML (the article, the output sanitizer's
problems, our anchor ids). The key holds, by content and never by timestamps: the page's check key
(``PageReport.key``: its text, path, the resolved settings with ``today``, every ``.bib`` text, the
reviewers, the glossary, the blocks folder, the clinic's placeholders, patientguide's code and its
libraries), the Markdown MkDocs hands over, the page's ``src_uri``, the host's facts for its head
(title, URL, ``site_url``, site name, language; the rest of the head comes from the checked text),
the settings, the whole clinic profile and the reviewers again; and on the bibliography page the
navigation order and which pages cite each reference (with their titles). The finished HTML is kept
by the converted HTML's digest too (MkDocs' link rewriting depends on other files). A page the
checks did not read (a generated bibliography) is keyed by what every page's check results depend on
(``Report.state``) instead of its check key; with neither, it is rendered every time. Work a kept
render saves still keeps its entries in the other caches (:meth:`Caches.replay`). With a
``cache_dir``, each page's render is also kept there, one file per page (:mod:`rendercache`), so
that a warm ``mkdocs build`` (and serve's first build) reads it when MkDocs asks for the page; a
build frees it once the page is finished. Only ``mkdocs serve`` keeps renders in memory, across its
rebuilds (``RenderMemo.keep``), and our own templates' compiled code too (:class:`OwnTemplates`),
and each page's theme output (what ``main.html`` gives, by everything the template reads:
:mod:`theme_output`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias, cast

import jinja2

# what every page's handlers use, imported with this module (which only the enabled plugin imports), not
# at every call: at 1000 pages an import statement cost 2 to 5 us, the import system's objects out of
# the processor's caches after each page's render (docs/performance.md, "Per-page look-ups held")
from . import diskcache, sitepage, template_data
from .held_pages import HeldPages
from .lazytext import Lazy
from .pagecache import content_key
from .rendercache import KeptArticle, KeptContent, KeptRender, RenderFiles, rehashed

if TYPE_CHECKING:
    from pathlib import Path

    from .caches import Caches
    from .clinic import Clinic
    from .diagnostics import Diagnostic
    from .render import RenderedPage
    from .settings import Settings
    from .site_report import Report
    from .spill import Spill, Spilled
    from .theme_output import ThemeOutputs

Prepared: TypeAlias = "RenderedPage | KeptRender"  # a page's render from prepare() to finish(): see RenderMemo.prepare
Held: TypeAlias = "RenderedPage | KeptArticle"  # what a page waits with from finish() to its render
Head = tuple["str | None", "str | None", "str | None", str, "str | None"]  # see prepare()


def started(command: str) -> RenderMemo:
    """The enabled plugin starts for ``command``: a memo that takes renders from ``cache_dir``
    (:mod:`rendercache`), and serving keeps them for its rebuilds too, with the rules loaded now, so
    that the first rebuild after an edit does not wait for them."""
    if command == "serve":
        from .checks.site import prepare_for_edits
        prepare_for_edits()
    return RenderMemo(keep=command == "serve")


def prepare(head: Head, markdown: str, src_uri: str, report: Report, settings: Settings, clinic: Clinic | None,
            page_order: list[str] | None, host_meta: dict[str, Any],
            memo: RenderMemo | None) -> tuple[str, Prepared, dict[str, Any]]:
    """:func:`sitepage.prepare_page`, through ``memo`` if there is one; ``head``: the page's title and
    canonical URL, the site's URL, name and language, as the host has them (:func:`sitepage.page_facts`)."""
    out: tuple[str, Prepared, dict[str, Any]]
    if memo is None:
        facts = sitepage.page_facts(report, src_uri, *head)
        out = sitepage.prepare_page(markdown, src_uri, report, settings, clinic, facts, page_order, host_meta)
    else:
        out = memo.prepare(markdown, src_uri, report, settings, clinic, head, page_order, host_meta)
    return (*out[:2], _waiting(out[2], report.caches)) if report.caches.last_build else out


def source_for_host(text: str) -> str:
    """``on_page_read_source``: the page's text as MkDocs should read it (:func:`template_data.keep_first_line`)."""
    return template_data.keep_first_line(text)


def _waiting(ctx: dict[str, Any], caches: Caches) -> dict[str, Any]:
    """In a build no rebuild follows, the template context's lazy texts (the structured data) as they
    wait for the page to be written: as text while the build's allowance lasts, else in its spill file."""
    out = dict(ctx)
    for name, value in ctx.items():
        if isinstance(value, Lazy) and len(text := str(value)) > caches.text_allowance:
            out[name] = Lazy(functools.partial(_read_back, _spill(caches).put(text.encode("utf-8", "surrogatepass"))))
        elif isinstance(value, Lazy):
            caches.text_allowance -= len(text)
    return out


def all_converted(env: jinja2.Environment, memo: RenderMemo | None, clinic: Clinic | None, settings: Settings,
                  file_at: Callable[[str], Any]) -> None:
    """Every page is converted, none is written: the renders in ``cache_dir`` that no page used are
    removed, and what every page's template reads besides the page (:func:`sitepage.theme_globals`)
    goes into ``env``; our templates' compiled code is kept across serve rebuilds (the host makes a
    new environment, which compiles every template again, on each) and in ``cache_dir`` for the next build."""
    env.globals.update(sitepage.theme_globals(clinic, settings, file_at))
    if not isinstance(env.loader, OurPageTemplate) and env.loader is not None:
        env.loader = OurPageTemplate(env.loader)
    if memo is not None and memo.files is not None:
        memo.files.sweep()
    if memo is not None and (memo.keep or memo.files is not None) and env.bytecode_cache is None:
        memo.templates.folder = settings.cache_dir / TEMPLATES if settings.cache_dir else None
        env.bytecode_cache = memo.templates
    if memo is not None and memo.keep:
        memo.keep_outputs(env)


TEMPLATES = "templates-1"  # in cache_dir: our templates' compiled code, a file each


class OurPageTemplate(jinja2.BaseLoader):
    """The theme's loader, except that ``main.html``, when the one it finds is ours (one line: ``{% extends
    "patientguide/main.html" %}``), is read as ``patientguide/main.html`` itself: the same page with one
    level of ``extends`` less, which costs every page's render a template lookup and a merge of blocks. A
    site's own ``main.html`` (in its ``custom_dir``) is found first and read as it is."""

    def __init__(self, loader: jinja2.BaseLoader) -> None:
        from .theme import PAGE_TEMPLATE, TEMPLATES
        self.loader, self.page_template = loader, PAGE_TEMPLATE
        self.stub = os.path.abspath(TEMPLATES / "main.html")  # normalised, as abspath() gives every path

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str | None, Any]:
        found = self.loader.get_source(environment, template)
        ours = template == "main.html" and found[1] is not None and os.path.abspath(found[1]) == self.stub
        return self.loader.get_source(environment, self.page_template) if ours else found

    def list_templates(self) -> list[str]:
        return self.loader.list_templates()


class OwnTemplates(jinja2.BytecodeCache):
    """The compiled code of patientguide's own templates, in memory and in ``folder`` (if any), by
    template and environment settings, and checked against the template's source (Jinja's checksum)
    and Python version (Jinja's magic): by content. Other templates (the theme's, the site's) are
    compiled as the host compiles them."""

    FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates") + os.sep

    def __init__(self, folder: Path | None = None) -> None:
        self.kept: dict[str, bytes] = {}
        self.folder = folder

    def get_bucket(self, environment: jinja2.Environment, name: str, filename: str | None,
                   source: str) -> jinja2.bccache.Bucket:
        ours = filename is not None and os.path.abspath(filename).startswith(self.FOLDER)
        settings = repr((sorted(environment.extensions), environment.autoescape, environment.trim_blocks,
                         environment.lstrip_blocks, environment.newline_sequence, environment.keep_trailing_newline,
                         environment.optimized, environment.block_start_string, environment.variable_start_string,
                         environment.comment_start_string, environment.line_statement_prefix))
        key = self.get_cache_key(name, f"{filename}|{settings}") if ours else ""
        bucket = jinja2.bccache.Bucket(environment, key, self.get_source_checksum(source))
        self.load_bytecode(bucket)
        return bucket

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if not bucket.key:
            return
        code = self.kept.get(bucket.key)
        if code is None and isinstance(found := diskcache.load(self.folder, f"{bucket.key}.pickle"), bytes):
            code = self.kept[bucket.key] = found  # serving: read once, not at every rebuild
        if code is not None:
            with contextlib.suppress(Exception):  # damaged: compiled again (Jinja resets a stale or foreign one)
                bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key:
            self.kept[bucket.key] = bucket.bytecode_to_string()
            diskcache.store(self.folder, f"{bucket.key}.pickle", self.kept[bucket.key])


class ArticleLost(Exception):
    """A kept render the build depends on could not be read (the cache folder changed under the build)."""


def page_context(memo: RenderMemo | None, context: dict[str, Any], page: Any,
                 rendered: Held | None) -> dict[str, Any]:
    """``on_page_context``: the page's article whole for the theme (``rendered``: its render, or its kept
    article); serving, its template's output is kept by what the template reads (:mod:`theme_output`)."""
    if rendered is not None:
        whole = rendered.whole(page.content)
        if whole is None:  # a kept article another plugin changed since: finished by its render
            whole = memo.whole_again(getattr(rendered, "key", ""), page.content) if memo is not None else None
            rendered.lean_content = page.content
        if whole is None:
            raise ArticleLost(f"{page.file.src_uri}: the page's article changed after its conversion and its "
                              "kept render could not be read again from the cache folder; build again")
        page.content = whole
    if memo is not None and memo.outputs is not None:
        from .theme_output import SLOT
        context[SLOT] = memo.outputs
    return context


def finish(memo: RenderMemo | None, html: str, rendered: dict[str, Any], src_uri: str, report: Report,
           settings: Settings, source: Callable[[], str]) -> tuple[str, list[Diagnostic], set[str]]:
    """:func:`sitepage.finish_content` for the page's render in ``rendered`` (by ``src_uri``: what
    :func:`prepare` gave), through ``memo`` if there is one, which puts in its place what the page waits
    with for its render (:meth:`RenderMemo.finish`). In a build no rebuild follows, that is packed then:
    the render (:meth:`RenderedPage.pack`), or its kept article whole (:class:`rendercache.KeptArticle`)."""
    if memo is None:
        out = sitepage.finish_content(html, cast("RenderedPage | None", rendered.get(src_uri)), src_uri, report,
                                      settings, source, report.caches)
    else:
        out, held = memo.finish(html, rendered.get(src_uri), src_uri, report, settings, source)
        if held is not None:
            rendered[src_uri] = held
    waiting = cast("RenderedPage | KeptArticle | None", rendered.get(src_uri))
    if waiting is not None and report.caches.last_build:
        report.caches.text_allowance = waiting.pack(report.caches.text_allowance, _spill(report.caches))
    report.page_converted(src_uri)
    return out


def hold(held: HeldPages | None, rendered: dict[str, Any], page: Any, caches: Caches) -> HeldPages | None:
    """``on_page_content``, in a build no rebuild follows: the page's packed render and its template
    data wait for its render as one block (:mod:`held_pages`), or as they are with a kept article,
    which is one text; returns what holds them."""
    if not caches.last_build or not isinstance(page.meta, dict):
        return held
    held = held if held is not None else HeldPages()
    render = rendered.pop(page.file.src_uri, None)
    held.hold(page.file.src_uri, render, page.meta.pop("pg", None), as_is=isinstance(render, KeptArticle))
    return held


def unhold(held: HeldPages | None, rendered: dict[str, Any], page: Any) -> None:
    """``on_page_context``, before anything reads them: what :func:`hold` held for the page, back in place."""
    found = held.take(page.file.src_uri) if held is not None else None
    if found is None:
        return
    render, template_data = found
    if render is not None:
        rendered[page.file.src_uri] = render
    if template_data is not None:
        page.meta["pg"] = template_data


def written(memo: RenderMemo | None, page: Any, rendered: dict[str, Any]) -> None:
    """``on_post_page``: the page is written. MkDocs keeps its article to the end of the build: as
    search read it (:meth:`RenderedPage.lean`), not whole. In a build no rebuild follows, its template
    data goes too (``meta["pg"]``, read only by its own template: the structured data alone is about
    2.5 KB a page)."""
    done = rendered.pop(page.file.src_uri, None)
    if done is not None:
        page.content = done.lean(page.content)
    if memo is not None and not memo.keep and isinstance(page.meta, dict):
        page.meta.pop("pg", None)


def _read_back(away: Spilled | bytes) -> str:
    from .spill import bring_back
    return bring_back(away).decode("utf-8", "surrogatepass")


def _spill(caches: Caches) -> Spill:
    """The last build's temporary file for what its pages hold until they are written (:mod:`spill`)."""
    if caches.spill is None:
        from .spill import Spill
        caches.spill = Spill()
    return caches.spill


@dataclass(eq=False)
class RenderMemo:
    """Renders by key: the last build's and this build's as pages come, serving (``keep``), and in
    ``cache_dir`` (``files``, this build's; a new :class:`Report` starts a build)."""

    kept: dict[str, KeptRender] = field(default_factory=dict)
    used: dict[str, KeptRender] = field(default_factory=dict)
    by_page: dict[str, KeptRender] = field(default_factory=dict)  # this build's, by src_uri, until finished
    keep: bool = True  # renders stay in memory across rebuilds (mkdocs serve)
    files: RenderFiles | None = None  # this build's renders in cache_dir, if there is one
    _report: Report | None = field(default=None, repr=False)
    _site: str = ""  # this build's digest of what every page's render depends on
    templates: OwnTemplates = field(default_factory=OwnTemplates)
    outputs: ThemeOutputs | None = None  # serving: each page's theme output (:mod:`theme_output`)

    def prepare(self, markdown: str, src_uri: str, report: Report, settings: Settings, clinic: Clinic | None,
                head: Head, page_order: list[str] | None,
                host_meta: dict[str, Any]) -> tuple[str, Prepared, dict[str, Any]]:
        """:func:`sitepage.prepare_page` (with ``host_meta`` escaped in place), or what it gave for the same
        inputs (a kept render does not read the page's report: :meth:`Report.page_key`)."""
        self._start(report, settings, clinic)
        key = self._key(markdown, src_uri, report, settings, head, page_order) if self.keep or self.files else ""
        kept = self._find(key, report)
        if kept is None:
            facts = sitepage.page_facts(report, src_uri, *head)
            with report.caches.recording() as uses:
                out = sitepage.prepare_page(markdown, src_uri, report, settings, clinic, facts, page_order, host_meta)
            kept = KeptRender(*out, tuple(uses), key=key)
        else:
            template_data.escape_meta(host_meta)
            report.caches.replay(kept.uses)
        if key:
            self.by_page[src_uri] = kept
        if key and self.keep:
            self.used[key] = kept
        # a render still pickled is not unpickled for MkDocs to hold: the kept entry stands for it until finish()
        return kept.markdown, kept if isinstance(kept.render, bytes) else kept.render, dict(kept.ctx)

    def keep_outputs(self, env: jinja2.Environment) -> None:
        """Serving, every page is converted (``on_env``): the theme's output is kept from now on, by
        patientguide's state too (:attr:`Report.state`, the settings, the clinic, the reviewers)."""
        from .theme_output import ThemeOutputs
        self.outputs = self.outputs or ThemeOutputs()
        report = self._report
        state = self._site + " " + report.state if report is not None and report.state and self._site else ""
        self.outputs.start(env, state)

    def finish(self, html: str, rendered: RenderedPage | KeptRender | None, src_uri: str, report: Report,
               settings: Settings, source: Callable[[], str]
               ) -> tuple[tuple[str, list[Diagnostic], set[str]], RenderedPage | KeptArticle | None]:
        """:func:`sitepage.finish_content`, or what it gave for the same page and converted HTML; and what the
        page waits with for its render: ``rendered`` (what :meth:`prepare` gave, a kept entry standing for a
        render still pickled), or, for a render read from ``cache_dir`` in a build no rebuild follows, its
        article whole (:class:`rendercache.KeptArticle`)."""
        kept = self.by_page.get(src_uri) if self.keep else self.by_page.pop(src_uri, None)
        if kept is None or (kept is not rendered and kept.render is not rendered):
            render = self._render(rendered, src_uri) if isinstance(rendered, KeptRender) else rendered
            return sitepage.finish_content(html, render, src_uri, report, settings, source, report.caches), render
        converted = hashlib.sha1(html.encode("utf-8", "surrogatepass")).hexdigest()
        done = kept.content
        if done is not None and done.converted == converted and kept.from_file and report.caches.last_build:
            report.caches.replay(done.uses)  # nothing fills or finishes it again: its article whole, as kept
            return (done.html, list(done.problems), set(done.ids)), KeptArticle.of(done, kept.key)
        render = self._render(kept, src_uri)
        swaps = rehashed(kept) if done is not None and done.converted == converted else None
        if done is not None and swaps is not None:
            report.caches.replay(done.uses)
            render.swaps = dict(swaps)
            render.seed_whole(done.html, done.whole)
            return (done.html, list(done.problems), set(done.ids)), render
        with report.caches.recording() as uses:
            out, problems, ids = sitepage.finish_content(html, render, src_uri, report, settings, source,
                                                         report.caches)
            page = self.files.storable(render) if self.files else None  # its blocks, made now: recorded
            whole = render.finish(out)  # as whole() gives it: kept with the rest
        kept.content = KeptContent(converted, out, tuple(problems), frozenset(ids), dict(render.swaps),
                                   tuple(uses), whole)
        kept.from_file = False
        if not report.caches.last_build:  # serving: the theme's turn reuses it (a one-off build packs the render)
            render.seed_whole(out, whole)
        if self.files and page is not None:
            self.files.store(kept.key, kept, page, report.caches, report.bibliography.entries)
        return (out, problems, ids), render

    def _render(self, kept: KeptRender, src_uri: str) -> RenderedPage:
        """``kept``'s render, unpickled now if it was not; if it cannot be (its entry changed on disk since
        the build read it), the entry goes and the build stops: the page's Markdown was converted from it."""
        try:
            return kept.rendered
        except Exception:
            if self.files is not None:
                self.files.forget(kept.key)
            raise ArticleLost(f"{src_uri}: its kept render in the cache folder could not be read; "
                              "build again") from None

    def whole_again(self, key: str, content: str) -> str | None:
        """The whole article for ``content``, a kept article another plugin changed since its conversion:
        its render (``key``) read again from ``cache_dir`` finishes it; ``None`` if it cannot be read."""
        report = self._report
        found = self.files.load(key, report.caches, None) if self.files is not None and report is not None else None
        try:
            swaps = rehashed(found) if found is not None else None
            if found is None or swaps is None:
                return None
            found.rendered.swaps = dict(swaps)
        except Exception:  # its render damaged: as if missing
            return None
        return found.rendered.finish(content)

    def _find(self, key: str, report: Report) -> KeptRender | None:
        """The render kept by ``key``: serving, in memory; else (or if not there) in ``cache_dir``."""
        kept = self.kept.get(key) if key else None
        if kept is None and key and self.files is not None:
            kept = self.files.load(key, report.caches, report.bibliography.entries)
        return kept

    def _start(self, report: Report, settings: Settings, clinic: Clinic | None) -> None:
        """At a build's first page: keep only what the last build used, and digest what every page shares."""
        if report is self._report:
            return
        self.kept, self.used, self.by_page, self._report = self.used or self.kept, {}, {}, report
        self.files = RenderFiles.at(settings.cache_dir)
        self._site = content_key("render site", repr(settings), repr(clinic), repr(report.reviewers))

    def _key(self, markdown: str, src_uri: str, report: Report, settings: Settings, head: Head,
             page_order: list[str] | None) -> str:
        """The page's key, or ``""`` if the checks did not key it (a page they did not read, such as a
        generated bibliography, by what every page's results depend on). Its head facts
        (:func:`sitepage.page_facts`) are the host's ``head`` and what the check key holds."""
        page_key = report.page_key(src_uri)
        checked = page_key if page_key is not None else report.state and "unchecked " + report.state
        if not checked:
            return ""
        whole_site = (repr(page_order), repr(report.cited_on)) if src_uri == settings.bibliography_page else ()
        return content_key("render", self._site, checked, src_uri, markdown, repr(head), *whole_site)
