"""One page of the site, ready for the theme: its blocks included, citations numbered (deferred tokens that the
HTML stage fills in), the reference list, the key-points box, the bibliography on its page, and
what the templates show (review dates, notices, head data)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from . import template_data
from .assets import footer_links
from .caches import Caches
from .diagnostics import Diagnostic
from .references import Reference
from .render import RenderedPage, bibliography_sort_key, reference_parts, render_bibliography, render_page
from .settings import Settings
from .site_report import Report

if TYPE_CHECKING:
    from .clinic import Clinic
    from .head import PageFacts


def finish_content(html: str, rendered: RenderedPage | None, src_uri: str, report: Report, settings: Settings,
                   source: Callable[[], str], caches: Caches | None = None) -> tuple[str, list[Diagnostic], set[str]]:
    """After conversion: the page with its citations in (blocks wait for the theme; citations and the
    bibliography in their lean form, for search, until :meth:`RenderedPage.finish`), what the
    output sanitizer finds in the article as it will be published (``caches``: its results by
    content, from earlier builds), and the ids we add (so that MkDocs' own anchor check knows them)."""
    from .anchors import plugin_anchor_ids  # a page's render: imported when one is not kept (rendercache)
    from .sanitize import check_page_output
    rep = report.pages.get(src_uri)  # its path as the checks named it (not resolved again for every page)
    problems = check_page_output(rendered.fill(html) if rendered else html,
                                 path=rep.path if rep else settings.page_path(src_uri), source=source,
                                 relaxed=src_uri in settings.allow_raw_html,
                                 kept=caches.output if caches else None)
    if rendered is None:
        return html, problems, set()
    on_bibliography = src_uri == settings.bibliography_page
    cited = [k for k in report.cited_on if k in report.bibliography.entries] if on_bibliography else []
    lean = "data-search-" not in html  # the search plugin rewrites such attributes in the content it reads
    return rendered.fill(html, late_blocks=True, lean=lean), problems, plugin_anchor_ids(rendered, cited)


def page_facts(report: Report, src_uri: str, title: str | None, url: str | None, site_url: str | None,
               site_name: str, theme_language: str | None) -> PageFacts:
    """What the head needs to know about a page: its front matter and title as the checks read them."""
    from .head import PageFacts  # a page's render: imported when one is not kept (rendercache)
    rep = report.pages.get(src_uri)
    return PageFacts.of(rep.meta.values if rep else {}, rep.title if rep else title or "", url, site_url, site_name,
                        theme_language)


def converted(report: Report, problems: list[Diagnostic]) -> str | None:
    """Every page is converted and none is written: keep what the sanitizer found and the formatted
    references, and say why the build stops (the sanitizer's ``problems``), or ``None``."""
    report.converted()
    if not problems:  # the sanitizer found nothing
        return None
    from .sanitize import failure
    return failure(problems)


def theme_globals(clinic: Clinic | None, settings: Settings, file_at: Callable[[str], Any]) -> dict[str, Any]:
    """What every page's template reads besides the page: the clinic and the footer's links
    (``file_at(src)``: the host's file for a page, with its ``url``, or ``None``)."""
    return {"pg_clinic": clinic_for_pages(clinic) if clinic else None,
            "pg_footer_links": footer_links(settings, lambda src: (f.url if (f := file_at(src)) else None))}


#: The clinic profile's text that every page prints (the template escapes each with ``| e``)
_CLINIC_TEXT = ("name", "short_name", "publisher", "phone", "email", "contact_note", "emergency", "disclaimer")


def clinic_for_pages(clinic: Clinic) -> dict[str, Any]:
    """The profile for the page template: its text escaped and in ASCII (:mod:`charrefs`), as markup
    that ``| e`` leaves as it is, so that a name such as "Zürich" does not make every page a string
    of wider characters (the same text to a browser)."""
    from markupsafe import Markup

    from .charrefs import escaped_ascii

    def text(value: Any) -> Any:
        return Markup(escaped_ascii(value)) if isinstance(value, str) else value
    out = clinic.context()
    out.update({k: text(out[k]) for k in _CLINIC_TEXT if k in out})
    out.update({k: [text(v) for v in out[k]] for k in ("address", "opening_hours") if out.get(k)})
    return out


def prepare_page(markdown: str, src_uri: str, report: Report, settings: Settings, clinic: Clinic | None,
                 facts: PageFacts, page_order: list[str] | None, host_meta: dict[str, Any] | None = None,
                 source_links: bool = False) -> tuple[str, RenderedPage, dict[str, Any]]:
    """``(markdown for the converter, the page's deferred HTML, the template context 'pg')``;
    ``host_meta``: the host's front matter, escaped in place for its templates
    (:func:`template_data.escape_meta`); ``source_links``: the host rewrites links in raw HTML too
    (see :func:`render_bibliography`)."""
    from . import search_view  # a page's render: imported when one is not kept (rendercache)
    from .head import head_context
    from .includes import expand, site_blocks
    if host_meta is not None:
        template_data.escape_meta(host_meta)
    rep = report.pages.get(src_uri)
    markdown = expand(markdown, rep.path if rep else src_uri, site_blocks(settings),
                      clinic.placeholders() if clinic else None).text  # the check reported any problem
    parsed = rep.parsed_for_body(markdown) if rep else None  # reuse the check's parse
    fmt = report.caches.format_reference  # kept between builds

    def parts(ref: Reference) -> tuple[str, str]:
        return report.caches.per_reference("reference-parts", lambda r: reference_parts(r, fmt), ref)
    rendered = render_page(markdown, report.bibliography, heading=settings.references_heading, parsed=parsed,
                           deferred=True, fmt=fmt, parts=parts)
    markdown, rendered.markdown = rendered.markdown, ""  # the host keeps its own copy
    if src_uri == settings.bibliography_page:
        bibliography = render_bibliography(report.cited_on, report.bibliography, bibliography_src=src_uri,
                                           use_directory_urls=settings.use_directory_urls, page_order=page_order,
                                           fmt=fmt, sort_key=lambda ref: report.caches.per_reference(
                                               "bibliography-order", bibliography_sort_key, ref),
                                           parts=parts, source_links=source_links)
        marker = rendered.add_block("bibliography", bibliography, searchable=True,
                                    lean=lambda: search_view.kept_lean_block(bibliography, report.caches.search_view))
        markdown = template_data.place_bibliography(markdown, marker)
    ctx = template_data.page_context(rep.meta if rep else None, settings, report.reviewers,
                                     stale=rep.review_stale if rep else False)
    ctx.update(head_context(facts, ctx, rendered.state.order, clinic, settings))
    if ctx.get("summary"):
        marker = rendered.add_block("keypoints", template_data.keypoints_html(ctx["summary"]))
        markdown = template_data.insert_after_title(markdown, marker)
    return markdown, rendered, ctx
