"""A clinician's review packet for one page: one self-contained HTML file (inline CSS, no script,
nothing loaded from anywhere) that a reviewer can read, with its evidence, in one sitting.

1. the page as patients read it: rendered by the site's own path (:func:`sitepage.prepare_page`,
   Python-Markdown with the site's extensions, :func:`sitepage.finish_content`), blocks and the
   clinic's placeholders filled in, citations numbered, key points and reference list;
2. every sentence that carries a citation, with where it is written and each reference it cites;
3. every cited reference in full: authors, title, journal, year, DOI and PubMed links, the kind
   of evidence and the population;
4. what the check flagged: claims without a source, claims backed only by makers or leaflets,
   and every other finding on the page;
5. the readability figures;
6. the safety blocks the page includes (and the other pages that include them);
7. a checklist with places for the reviewer's name, role and date, and the sign-off command
   with the fingerprint of this version of the page.
"""

from __future__ import annotations

import base64
import html
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

import markdown as md

from . import evidence_kinds, review_packet_style
from .checks.context import PageContext
from .checks.site import PageReport, Report, SiteInputs, blocks, check_page
from .checks.sources import LEAFLET_OK, references_of, sentence_support, weak_support
from .citations import parse_citations
from .clinic import Clinic
from .dates import format_date
from .diagnostics import Diagnostic, found_through
from .fingerprint import page_fingerprint
from .formatting import format_authors, format_reference
from .head import PageFacts
from .includes import expand
from .references import Reference
from .render import PageCitations, page_url
from .settings import Settings
from .sitepage import finish_content, prepare_page
from .source import split_front_matter

_e = html.escape


@dataclass(frozen=True)
class Packet:
    src_uri: str
    path: str
    title: str
    fingerprint: str
    html: str


@dataclass(frozen=True)
class _Page:
    """One page, checked and rendered: what every section of the packet reads."""

    rep: PageReport
    ctx: PageContext
    article: str
    state: PageCitations
    template: dict
    output_problems: list[Diagnostic]


def build_packet(src_uri: str, settings: Settings, report: Report, clinic: Clinic | None,
                 site_name: str = "", site_url: str | None = None) -> Packet:
    """The packet of the page ``src_uri`` (a page of ``report``)."""
    rep = report.pages[src_uri]
    text = (settings.docs_dir / src_uri).read_text(encoding="utf-8-sig")
    page = _checked_and_rendered(text, rep, settings, report, clinic, site_name, site_url)
    fp = page_fingerprint(text, rep.path, rep.meta.values, blocks(settings), report.bibliography)
    sections = [_header(page, settings, fp, clinic), _article_section(page), _sentences(page),
                _sources(page), _findings(page, report), _readability(page, settings),
                _blocks(page, report, settings, clinic), _checklist(page, fp)]
    body = "\n".join(sections)
    doc = (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
           f"<title>Review packet: {_e(rep.title)}</title>\n<style>{review_packet_style.CSS}</style>\n"
           f"</head>\n<body>\n{body}\n</body>\n</html>\n")
    return Packet(src_uri, rep.path, rep.title, fp, doc)


def _checked_and_rendered(text: str, rep: PageReport, settings: Settings, report: Report, clinic: Clinic | None,
                          site_name: str, site_url: str | None) -> _Page:
    from .caches import Caches
    inputs = SiteInputs(report.bibliography, Caches(settings.cache_dir), report.reviewers or None, blocks(settings),
                        clinic.placeholders() if clinic else None)
    _, _, ctx = check_page(text, rep.src_uri, rep.path, settings, inputs)
    fm = split_front_matter(text)
    body = text[fm.body_start:] if fm and fm.closed else text
    url = (site_url.rstrip("/") + "/" + page_url(rep.src_uri, settings.use_directory_urls)) if site_url else None
    facts = PageFacts.of(rep.meta.values, rep.title, url, site_url, site_name, None)
    markdown, rendered, template = prepare_page(body, rep.src_uri, report, settings, clinic, facts, None)
    converted = converter(settings).convert(markdown)
    converted, problems, _ = finish_content(converted, rendered, rep.src_uri, report, settings, lambda: body)
    article = _standalone(rendered.finish(converted), settings, rep.src_uri, site_url)
    return _Page(rep, ctx, article, rendered.state, template, problems)


def converter(settings: Settings) -> md.Markdown:
    """Python-Markdown with the site's extensions and MkDocs' own (toc, tables, fenced_code)."""
    names: list[str] = []
    configs: dict[str, dict] = {}
    for item in ("toc", "tables", "fenced_code", *settings.site.markdown_extensions):
        name, options = (next(iter(item.items())) if isinstance(item, dict) else (item, None))
        if name not in names:
            names.append(str(name))
        if isinstance(options, dict):
            configs[str(name)] = options
    return md.Markdown(extensions=names, extension_configs=configs)


_MD_LINK = re.compile(r'href="(?!https?:|mailto:|tel:|#)([^"#]*?\.md)(#[^"]*)?"')
_IMG = re.compile(r'<img\b[^>]*?\bsrc="([^"]*)"[^>]*>')


def _standalone(article: str, settings: Settings, src_uri: str, site_url: str | None) -> str:
    """The article with nothing to fetch: links to other pages go to the page online (or are
    left as the page's name), images are embedded, every folded section is open."""
    def link(m: re.Match) -> str:
        target = (Path(src_uri).parent / m.group(1)).as_posix()
        if not site_url:
            return f'href="#" data-page="{_e(target)}"'
        url = site_url.rstrip("/") + "/" + page_url(target, settings.use_directory_urls) + (m.group(2) or "")
        return f'href="{_e(url)}"'

    def image(m: re.Match) -> str:
        src = html.unescape(m.group(1))
        file = (settings.docs_dir / Path(src_uri).parent / src).resolve()
        if src.startswith(("http:", "https:", "//", "data:")) or not file.is_file() or \
                settings.docs_dir.resolve() not in file.parents:
            return "<em>[image not included]</em>"
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        data = base64.b64encode(file.read_bytes()).decode("ascii")
        return m.group(0).replace(m.group(1), f"data:{kind};base64,{data}", 1)

    article = _MD_LINK.sub(link, article)
    article = _IMG.sub(image, article)
    return article.replace("<details", "<details open")


# --- the sections ------------------------------------------------------------------------

def _header(page: _Page, settings: Settings, fp: str, clinic: Clinic | None) -> str:
    meta, t = page.rep.meta, page.template
    status = "changed since its sign-off (shown to patients as a draft)" if t.get("stale") else str(meta.get("status"))
    rows = [("Page", page.rep.path), ("Status", status),
            ("Last reviewed", t.get("last_reviewed", "—")), ("Next review due", t.get("next_review_due", "—")),
            ("Reviewed by", str(meta.get("reviewed_by") or "—")),
            ("Clinic profile", clinic.name if clinic else "none (placeholders shown as written)"),
            ("Written on", format_date(settings.today)), ("Fingerprint of this version", fp)]
    cells = "".join(f"<tr><th>{_e(k)}</th><td>{_e(str(v))}</td></tr>" for k, v in rows)
    return (f'<header><p class="kicker">Clinical review packet</p><h1>{_e(page.rep.title)}</h1>\n'
            f'<table class="facts">{cells}</table>\n<p>Read the page as patients see it (part 1), then check '
            "each cited sentence against its sources (parts 2 and 3) and what the checks flagged (part 4). "
            "Sign off with the checklist at the end.</p></header>")


def _article_section(page: _Page) -> str:
    notice = ('<aside class="notice"><strong>Draft — not yet reviewed by a clinician.</strong> Patients see '
              "this notice above the page until it is signed off.</aside>\n") if page.template.get("draft") else ""
    return (f'<section id="page"><h2>1. The page as patients read it</h2>\n{notice}'
            f'<article class="page">\n{page.article}\n</article></section>')


def _sentences(page: _Page) -> str:
    ctx, rows = page.ctx, list[str]()
    for s in sentence_support(ctx):
        if not s.own:
            continue
        refs = references_of(ctx, s.groups)
        where, line, _ = ctx.expanded.origin(s.start) if ctx.expanded else (ctx.path, 0, 0)
        weak = weak_support(ctx, s) is not None
        cited = "".join(f"<li>{_ref_line(page.state, r)}</li>" for r in refs)
        mark = ' class="weak"' if weak else ""
        note = ('<p class="flag">Says how well the treatment works or how safe it is, and only makers\' '
                "information or leaflets support it.</p>") if weak else ""
        if LEAFLET_OK.match(ctx.text, s.end):
            note = '<p class="flag">An editor marked it as needing no stronger source (leaflet-ok).</p>'
        rows.append(f"<tr{mark}><td>{len(rows) + 1}</td><td>{_e(_plain(ctx.text[s.start:s.end], page.state))}"
                    f'{note}<p class="where">{_e(where)}:{line}</p></td><td><ul>{cited}</ul></td></tr>')
    table = ("<table class=\"cited\"><thead><tr><th>#</th><th>Sentence (where it is written)</th>"
             f"<th>Its sources</th></tr></thead><tbody>{''.join(rows)}</tbody></table>") if rows else \
        "<p>No sentence of this page carries a citation.</p>"
    return f'<section id="sentences"><h2>2. Every sentence with a citation ({len(rows)})</h2>\n{table}</section>'


def _ref_line(state: PageCitations, ref: Reference) -> str:
    n = state.numbers.get(ref.key.lower())
    _, rich = format_reference(ref)
    kind = evidence_kinds.label(ref.fields, ref.author_raw) or "kind of source not given"
    return f'<a href="#source-{n}">[{n}]</a> {rich} <span class="kind">{_e(kind)}</span>'


_CITATION_MARKUP = re.compile(r"\[([^\[\]]*)\]\((?:[^()]|\([^()]*\))*\)|\*\*|__|(?<!\w)[*_](?=\w)|(?<=\w)[*_](?!\w)"
                              r"|\{:[^{}]*\}|<!--.*?-->")


def _plain(sentence: str, state: PageCitations) -> str:
    """A sentence as written, without Markdown markup, its citations as the page's numbers."""
    text = _CITATION_MARKUP.sub(lambda m: m.group(1) or "", _numbered(sentence, state, "[", "]"))
    return " ".join(text.split())


def _sources(page: _Page) -> str:
    items = [_source(n, ref) for n, ref in enumerate(page.state.order, 1)]
    kinds = [evidence_kinds.label(r.fields, r.author_raw) or "kind not given" for r in page.state.order]
    summary = ", ".join(f"{kinds.count(k)} × {k}" for k in dict.fromkeys(kinds))
    body = "\n".join(items) if items else "<p>This page cites no sources.</p>"
    return (f'<section id="sources"><h2>3. The sources in full ({len(items)})</h2>\n'
            f"<p>{_e(summary)}</p>\n{body}</section>")


def _source(n: int, ref: Reference) -> str:
    f = ref.fields
    journal = f.get("journal") or f.get("journaltitle") or f.get("booktitle") or f.get("howpublished") or ""
    publisher = f.get("organization") or f.get("institution") or f.get("publisher") or ""
    where = ", ".join(x for x in (journal, f"vol. {f['volume']}" if f.get("volume") else "",
                                  f"no. {f['number']}" if f.get("number") else "",
                                  f"pp. {f['pages']}" if f.get("pages") else "") if x)
    rows = [("Authors", format_authors(ref.authors, max_names=10**6) if ref.authors else publisher or "—"),
            ("Title", f.get("title", "")), ("Published in", where), ("Publisher", publisher if ref.authors else ""),
            ("Year", ref.year), ("Kind of evidence", _kind(f)), ("Population", _population(f))]
    cells = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows if v)
    links = _links(f)
    return (f'<div class="source" id="source-{n}"><h3>[{n}] {_e(ref.key)}</h3>\n<table>{cells}'
            f'<tr><th>Links</th><td>{links or "—"}</td></tr></table>\n<p class="where">{_e(ref.path)}:{ref.line}'
            "</p></div>")


def _kind(f: dict[str, str]) -> str:
    kind = evidence_kinds.kind_of(f)
    if kind is None:
        return "not given (no evidence field)" if "evidence" not in f else f"unknown value '{f['evidence']}'"
    return f"{evidence_kinds.label(f)} — {evidence_kinds.MEANINGS[kind]}"


def _population(f: dict[str, str]) -> str:
    value = evidence_kinds.normalise(f.get("population", ""))
    return "children only" if value == "children" else ("not stated" if not value else f"unknown value '{value}'")


def _links(f: dict[str, str]) -> str:
    out = []
    if f.get("doi"):
        out.append(f'DOI <a href="https://doi.org/{_e(f["doi"])}">{_e(f["doi"])}</a>')
    if f.get("pmid"):
        out.append(f'PubMed <a href="https://pubmed.ncbi.nlm.nih.gov/{_e(f["pmid"])}/">{_e(f["pmid"])}</a>')
    if f.get("pmcid"):
        out.append(f'PMC <a href="https://pmc.ncbi.nlm.nih.gov/articles/{_e(f["pmcid"])}/">{_e(f["pmcid"])}</a>')
    if f.get("url"):
        read = f" (read {_e(f['urldate'])})" if f.get("urldate") else ""
        out.append(f'<a href="{_e(f["url"])}">{_e(f["url"])}</a>{read}')
    return "<br>".join(out)


def page_diagnostics(report: Report, rep: PageReport) -> list[Diagnostic]:
    """The check's findings on a page, also those in the blocks it includes."""
    return [d for d in report.diagnostics if d.path == rep.path or found_through(d, rep.path)]


def _findings(page: _Page, report: Report) -> str:
    found = page_diagnostics(report, page.rep) + page.output_problems
    groups = (("Claims without a source (evidence.uncited-claim)", {"evidence.uncited-claim"}),
              ("Claims backed only by makers' information or leaflets (evidence.weak-support)",
               {"evidence.weak-support"}))
    parts = []
    for title, codes in groups:
        rows = [d for d in found if d.code in codes]
        parts.append(f"<h3>{_e(title)}: {len(rows)}</h3>\n" + _diagnostic_list(rows, "none"))
    rest = [d for d in found if d.code not in {c for _, cs in groups for c in cs}]
    parts.append(f"<h3>Every other finding of the check: {len(rest)}</h3>\n" + _diagnostic_list(rest, "none"))
    return '<section id="findings"><h2>4. What the checks flagged</h2>\n' + "\n".join(parts) + "</section>"


def _diagnostic_list(diags: list[Diagnostic], empty: str) -> str:
    if not diags:
        return f"<p>{_e(empty)}</p>"
    items = "".join(f'<li><span class="where">{_e(d.path)}:{d.line}:{d.col}</span> {_e(d.severity.value)}: '
                    f"{_e(d.message)} <code>[{_e(d.code)}]</code></li>" for d in diags)
    return f'<ul class="findings">{items}</ul>'


def _readability(page: _Page, settings: Settings) -> str:
    s = page.ctx.scores
    rows = [("Words", str(s.words)), ("Sentences", str(s.sentences)),
            ("SMOG grade (the check's measure)", f"{s.smog:g} (warns above {settings.readability_warn:g}, "
                                                  f"fails above {settings.readability_error:g})"),
            ("Flesch–Kincaid grade", f"{s.fkgl:g}")]
    exempt = page.rep.meta.get("readability_exempt")
    if exempt:
        rows.append(("Exempt from the grade limits", str(exempt)))
    cells = "".join(f"<tr><th>{_e(k)}</th><td>{_e(v)}</td></tr>" for k, v in rows)
    return f'<section id="readability"><h2>5. Readability</h2>\n<table class="facts">{cells}</table></section>'


def _blocks(page: _Page, report: Report, settings: Settings, clinic: Clinic | None) -> str:
    if not page.rep.blocks:
        return '<section id="blocks"><h2>6. Safety blocks</h2>\n<p>This page includes no blocks.</p></section>'
    parts = []
    for block in page.rep.blocks:
        others = sorted(p.path for p in report.pages.values() if block in p.blocks and p.path != page.rep.path)
        text = expand((settings.root / block).read_text(encoding="utf-8-sig"), block, blocks(settings),
                      clinic.placeholders() if clinic else None).text
        shown = converter(settings).convert(_numbered(text, page.state))
        also = f"Also on: {', '.join(others)}." if others else "No other page includes it."
        parts.append(f'<div class="block"><p class="where">{_e(block)} · {_e(also)}</p>\n'
                     f"{shown.replace('<details', '<details open')}</div>")
    return ('<section id="blocks"><h2>6. Safety blocks this page includes</h2>\n<p>Who must not use the treatment, '
            "when to stop and get help: each block is written once and shown on every page that includes it, so a "
            "change reaches all of them.</p>\n" + "\n".join(parts) + "</section>")


def _numbered(text: str, state: PageCitations, open_: str = "\\[", close: str = "\\]") -> str:
    """``text`` with each citation replaced by the page's numbers: ``\\[3, 5\\]`` (Markdown, by
    default) or with the brackets given."""
    out, pos = [], 0
    for g in parse_citations(text).groups:
        numbers = [state.numbers.get(c.key.lower()) for c in g.items]
        out += [text[pos:g.start], open_ + ", ".join(str(n) if n else "?" for n in numbers) + close]
        pos = g.end
    return "".join(out) + text[pos:]


def _checklist(page: _Page, fp: str) -> str:
    items = ["I have read the whole page (part 1), its safety blocks (part 6) and its key points.",
             "Each cited sentence says no more than its sources (parts 2 and 3).",
             "Claims without a source, or backed only by makers' information or leaflets (part 4), are acceptable "
             "as written, or I have asked for changes.",
             "Who must not use the treatment, when to stop and when to get help are correct and conservative.",
             "The reading level suits our patients (part 5).",
             "I have no conflict of interest, or it is declared in the reviewers file."]
    boxes = "".join(f"<li>☐ {_e(i)}</li>" for i in items)
    command = f"patientguide sign-off {page.rep.path} --by <your id> --fingerprint {fp}"
    return (f'<section id="checklist"><h2>7. Checklist and sign-off</h2>\n<ul class="checklist">{boxes}</ul>\n'
            '<table class="blanks"><tr><th>Reviewer\'s name</th><td></td></tr><tr><th>Role and credentials</th>'
            '<td></td></tr><tr><th>Date</th><td></td></tr><tr><th>Signature</th><td></td></tr>'
            '<tr><th>Changes asked for</th><td class="tall"></td></tr></table>\n'
            "<p>To record the sign-off, the reviewer (or an editor on their behalf) runs:</p>\n"
            f"<pre>{_e(command)}</pre>\n<p>The fingerprint is that of the version in this packet: if the page, a "
            "block it includes or a source it cites has changed since, the sign-off is refused, and after the "
            "sign-off any such change shows the page as a draft again.</p></section>")

