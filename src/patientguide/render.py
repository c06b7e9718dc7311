"""Citations → patient-facing HTML: numbered citations with a tooltip, a reference list per
page, and the site's bibliography. Strings in, strings out.

Numbers are per page, in order of first use. Each number links to the page's own reference
list; the formatted reference shows on hover and on keyboard focus (CSS only, no script), and
is the citation's accessible description.
"""

from __future__ import annotations

import hashlib
import html
import pickle
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from . import evidence_kinds, lazyre
from .charrefs import ascii_html
from .formatting import format_reference, short_authors
from .references import Bibliography, Reference

if TYPE_CHECKING:  # rendering imports the parser; reading a kept render (rendercache) does not
    from .citations import Group, ParsedPage
    from .spill import Spill, Spilled

Formatter = Callable[[Reference], tuple[str, str]]  # (plain text, HTML) of a reference
Parts = Callable[[Reference], tuple[str, str]]  # (Markdown-safe HTML, evidence label) of a reference: reference_parts

# Characters Python-Markdown would act on inside inline HTML text, as entities.
_MD_ESCAPES = str.maketrans({"*": "&#42;", "_": "&#95;", "[": "&#91;", "]": "&#93;", "`": "&#96;",
                             "\\": "&#92;", "|": "&#124;", "@": "&#64;"})
_LOCATOR_SHORT = {"page": ("p.", "pp."), "chapter": ("chap.", "chaps."), "section": ("sec.", "secs."),
                  "figure": ("fig.", "figs."), "volume": ("vol.", "vols."), "paragraph": ("para.", "paras."),
                  "line": ("l.", "ll."), "note": ("n.", "nn."), "part": ("pt.", "pts."), "column": ("col.", "cols."),
                  "book": ("bk.", "bks."), "issue": ("no.", "nos."), "verse": ("v.", "vv."), "folio": ("fol.", "fols."),
                  "opus": ("op.", "opp."), "sub verbo": ("s.v.", "s.vv.")}


def md_safe(text_html: str) -> str:
    """HTML that Python-Markdown will pass through untouched when placed inline."""
    return ascii_html(text_html.translate(_MD_ESCAPES).replace("&amp;#", "&#"))


def _esc(text: str) -> str:
    return md_safe(html.escape(text, quote=False))


def format_locator(label: str | None, value: str | None) -> str:
    if not value:
        return ""
    short = _LOCATOR_SHORT.get(label or "page", (label or "", label or ""))
    plural = bool(re.search(r"[-–,&]", value))
    return f"{short[1] if plural else short[0]} {value.replace('-', '–')}".strip()


def compress(numbers: Iterable[int]) -> str:
    """[1, 2, 3, 5, 7, 8] → '1–3, 5, 7, 8' (runs of three or more become a range)."""
    nums = sorted(set(numbers))
    out: list[str] = []
    i = 0
    while i < len(nums):
        j = i
        while j + 1 < len(nums) and nums[j + 1] == nums[j] + 1:
            j += 1
        if j - i >= 2:
            out.append(f"{nums[i]}–{nums[j]}")
        else:
            out.extend(str(n) for n in nums[i:j + 1])
        i = j + 1
    return ", ".join(out)


class PageCitations:  # not a dataclass: see caches.Caches
    """Numbering state of one page: key (lower) → number, and every use of each number."""

    def __init__(self) -> None:
        self.order: list[Reference] = []
        self.numbers: dict[str, int] = {}
        self.uses: dict[int, int] = {}

    def number(self, ref: Reference) -> int:
        k = ref.key.lower()
        if k not in self.numbers:
            self.order.append(ref)
            self.numbers[k] = len(self.order)
        return self.numbers[k]

    def use(self, n: int) -> str:
        self.uses[n] = self.uses.get(n, 0) + 1
        return f"pg-cite-{n}-{self.uses[n]}"


def _cite_link(state: PageCitations, ref: Reference, n: int, tooltip: bool) -> str:
    """One citation number: a link to the page's reference list, described by that entry.

    The entry's text is the link's accessible description (``aria-describedby``), and the
    site script shows it as a tooltip on hover and keyboard focus, so a citation costs one
    small element and the reference text is on the page once. Without script the link
    still leads to the reference.
    """
    cid = state.use(n)
    described = f' aria-describedby="pg-reftext-{n}"' if tooltip else ""
    return f'<a class="pg-cite" id="{cid}" href="#pg-ref-{n}" aria-label="Reference {n}"{described}>{n}</a>'


def render_group(group: Group, bib: Bibliography, state: PageCitations, *, tooltip: bool = True) -> str:
    """One citation group → inline HTML (keys must exist; unknown keys render as text)."""
    from .citations import Mode
    items = [(c, bib.lookup(c.key)) for c in group.items]
    if group.mode is Mode.IN_TEXT:
        c, ref = items[0]
        if ref is None:
            return _esc("@" + c.key)
        n = state.number(ref)
        inside = _cite_link(state, ref, n, tooltip)
        loc = format_locator(c.locator_label, c.locator)
        extra = ", ".join(x for x in (_esc(loc), _esc(c.suffix)) if x)
        bracket = f'[{inside}{", " + extra if extra else ""}]'
        if c.mode is Mode.SUPPRESS_AUTHOR:
            return bracket
        return f"{_esc(short_authors(ref))} {bracket}"
    plain_numbers: list[tuple[int, Reference]] = []
    detailed: list[str] = []
    for c, ref in items:
        if ref is None:
            detailed.append(_esc("@" + c.key))
            continue
        n = state.number(ref)
        loc = format_locator(c.locator_label, c.locator)
        if not (c.prefix or loc or c.suffix):
            plain_numbers.append((n, ref))
            continue
        link = _cite_link(state, ref, n, tooltip)
        text = " ".join(x for x in (_esc(c.prefix), link) if x)
        tail = ", ".join(x for x in (_esc(loc), _esc(c.suffix)) if x)
        detailed.append(f"{text}, {tail}" if tail else text)
    parts: list[str] = []
    if plain_numbers:
        by_n = dict(plain_numbers)
        for chunk in compress(by_n).split(", "):
            if "–" in chunk:
                a, b = (int(x) for x in chunk.split("–"))
                parts.append(f"{_cite_link(state, by_n[a], a, tooltip)}&#8211;{_cite_link(state, by_n[b], b, tooltip)}")
                for mid in range(a + 1, b):  # still described, for the reference list's back-links
                    state.use(mid)
            else:
                k = int(chunk)
                parts.append(_cite_link(state, by_n[k], k, tooltip))
    sep = "; " if detailed else ", "
    body = sep.join(([", ".join(parts)] if parts else []) + detailed)
    return f"[{body}]"  # no line break can fall inside "[1" or "1]" (UAX #14), so no wrapper


_HEADING_LINE = lazyre.compile(r"^[ ]{0,3}#{1,6}[ \t]", re.M)
_TOKEN = lazyre.compile(r"PGCITE([0-9a-f]{10})N(\d+)X|<p>PGBLOCK([0-9a-f]{10})([a-z]+)</p>")
_MARK = lazyre.compile(r"<!--pg([0-9a-f]{10}):(\w+)-->")  # where finish() puts a block or a citation's full HTML
# data-search-exclude: the bibliography page is indexed; each page's copy would only bloat search
_BACK_ARROW = "&#8617;&#65038;"  # ↩ as text, not emoji (U+FE0E); in ASCII (charrefs.py)
_REFLIST_OPEN = '<ol class="pg-references" id="pg-references" data-search-exclude>'


class RenderedPage:
    """A page's Markdown with citations replaced, and (deferred mode) the HTML to fill in.

    Deferred mode keeps Markdown away from our HTML: each citation becomes a token
    (``PGCITE<digest>N3X``) and each block (the reference list, the key points) a paragraph
    ``PGBLOCK<digest>name``. :meth:`fill` puts the citations into the converted HTML and leaves a
    comment marker for each block; :meth:`finish` puts the blocks into the final page. Hosts
    that index or keep every page's content (search, MkDocs' page objects) never handle the
    blocks, and a deferred page holds only its numbering until its own turn to be written.
    With ``lean``, :meth:`fill` gives such hosts the citations and the bibliography in their lean form
    (:mod:`patientguide.search_view`: the same text for search, far fewer tags), and :meth:`finish`
    puts their full HTML back.

    Not a dataclass, nor is :class:`PageCitations`: see :class:`patientguide.caches.Caches`.
    """

    def __init__(self, markdown: str, state: PageCitations, nonce: str = "") -> None:
        self.markdown = markdown
        self.state = state
        self.pieces: list[str] = []
        self.blocks: dict[str, str | Callable[[], str]] = {}
        self.early: set[str] = set()
        # tokens carry a digest of the page, so text that merely looks like a token is left alone
        self.nonce = nonce or hashlib.sha1(markdown.encode("utf-8", "surrogatepass")).hexdigest()[:10]
        # marker → (the lean form's text before the marker, and the length and hash of its text after it)
        self.swaps: dict[str, tuple[str, int, int]] = {}
        self.lean_blocks: dict[str, Callable[[], str | None]] = {}  # a searchable block's lean form
        self.lean_content: str | None = None  # the article as search read it, while the theme prints it whole
        self.made: dict[str, str] = {}  # each block's HTML, once made
        self._whole: tuple[str, str] | None = None  # (the article, whole): a rebuild's is the same
        self._packed: tuple[dict[str, tuple[str, int, int]], dict[str, str], Spilled | bytes | None] | None = None
        # ^ what finish() puts back: see pack()

    def token(self, index: int) -> str:
        return f"PGCITE{self.nonce}N{index}X"

    def add_block(self, name: str, html_or_maker: str | Callable[[], str], *, searchable: bool = False,
                  lean: Callable[[], str | None] | None = None) -> str:
        """Register a block; returns the Markdown paragraph that marks its place.

        A ``searchable`` block goes in with the citations (so search indexes it; ``lean`` makes its lean
        form, or ``None``: :func:`patientguide.search_view.lean_block`); the others wait for :meth:`finish`.
        """
        self.blocks[name] = html_or_maker
        self.made.pop(name, None)
        if searchable:
            self.early.add(name)
        if lean is not None:
            self.lean_blocks[name] = lean
        return f"PGBLOCK{self.nonce}{name}"

    def block_html(self, name: str) -> str:
        if name not in self.made:  # a block is made from the page's numbering, which is final by then
            b = self.blocks.get(name, "")
            self.made[name] = b() if callable(b) else b
        return self.made[name]

    def fill(self, html_text: str, *, late_blocks: bool = False, lean: bool = False) -> str:
        """Put the citations (and, unless ``late_blocks``, the blocks) into converted HTML; ``lean``:
        citations and searchable blocks in their lean form, until :meth:`finish`."""
        if self._packed is not None:
            raise ValueError("patientguide: a packed page is not filled again (RenderedPage.pack)")
        if not self.pieces and not self.blocks:
            return html_text
        self._whole, self.swaps = None, {}  # new markers: :meth:`whole` finishes the article again

        def sub(m: re.Match) -> str:
            if m.group(1) is not None:
                i = int(m.group(2))
                if m.group(1) != self.nonce or i >= len(self.pieces):
                    return m.group(0)
                return self._lean_piece(i) if lean else self.pieces[i]
            if m.group(3) != self.nonce or m.group(4) not in self.blocks:
                return m.group(0)
            name = m.group(4)
            if name not in self.early:
                return self._mark(name, "", "") if late_blocks else self.block_html(name)
            return self._lean_block(name) if lean else self.block_html(name)

        return _TOKEN.sub(sub, html_text)

    def _mark(self, key: str, head: str, rest: str) -> str:
        self.swaps[key] = (head, len(rest), hash(rest))
        return f"{head}<!--pg{self.nonce}:{key}-->{rest}"

    def _lean_piece(self, i: int) -> str:
        from .search_view import lean_inline  # made when a page is rendered, not when a kept one is read
        lean = lean_inline(self.pieces[i])
        return self._mark(str(i), *lean) if lean else self.pieces[i]

    def _lean_block(self, name: str) -> str:
        maker = self.lean_blocks.get(name)
        lean = maker() if maker else None
        return self.block_html(name) if lean is None else self._mark(name, "", lean)

    def finish(self, page_html: str) -> str:
        """Put the blocks, and the full HTML of what :meth:`fill` left lean, into the final page (after
        :meth:`fill` with ``late_blocks``), in one pass over the article."""
        swaps, full = self._to_finish()
        out: list[str] = []
        pos = 0
        for at in self._marks(page_html, len(swaps)):
            m = _MARK.match(page_html, at)
            key = m.group(2) if m and m.group(1) == self.nonce else ""
            if m is None or key not in swaps or at < pos:
                continue
            head, length, digest = swaps[key]
            begin, end = at - len(head), m.end() + length
            if begin < pos or not page_html.startswith(head, begin) or hash(page_html[m.end():end]) != digest:
                begin, end, text = at, m.end(), ""  # changed since fill(): the text stays as it is
            else:
                text = full(key)
            out += (page_html[pos:begin], text)
            pos = end
        return "".join((*out, page_html[pos:])) if out else page_html

    def pack(self, allowance: int = 0, spill: Spill | None = None) -> int:
        """After :meth:`fill`, for a page nothing fills again (a build no rebuild follows): keep only
        what :meth:`finish` puts back (each marker's place and full HTML) until the page is written;
        the numbering, the pieces and the blocks go. Each HTML is kept as text while ``allowance``
        (characters) lasts; the rest of the page's goes to ``spill`` (a temporary file), or is kept
        compressed without one. Returns what is left of ``allowance``."""
        if self._packed is not None:
            return allowance
        held: dict[str, str] = {}
        away: dict[str, str] = {}
        for key in self.swaps:
            html = self.pieces[int(key)] if key.isdigit() else self.block_html(key)
            if len(html) <= allowance:
                held[key], allowance = html, allowance - len(html)
            else:
                away[key] = html
        self._packed = (self.swaps, held, _put_away(away, spill))
        self.state, self.pieces, self.swaps, self.early = PageCitations(), [], {}, set()
        self.blocks, self.made, self.lean_blocks = {}, {}, {}
        return allowance

    def _to_finish(self) -> tuple[dict[str, tuple[str, int, int]], Callable[[str], str]]:
        """The markers :meth:`fill` left, and the full HTML of each (from :meth:`pack`'s copy if packed)."""
        if self._packed is None:
            return self.swaps, lambda key: self.pieces[int(key)] if key.isdigit() else self.block_html(key)
        swaps, held, away = self._packed
        if away is not None:
            from .spill import bring_back
            held = {**held, **pickle.loads(bring_back(away))}
        return swaps, held.__getitem__

    def whole(self, content: str) -> str:
        """The article whole (:meth:`finish`), for a host whose search has read it lean and whose theme
        prints it next (MkDocs: ``on_page_context``); :meth:`lean` gives the lean one back."""
        self.lean_content = content
        if self._whole is None or self._whole[0] != content:
            self._whole = (content, self.finish(content))
        return self._whole[1]

    def seed_whole(self, content: str, whole: str) -> None:
        """What :meth:`whole` gives for ``content``, known already (kept from an earlier conversion)."""
        self._whole = (content, whole)

    def lean(self, content: str) -> str:
        """The article as search read it, once the page is written (a host may keep every page's content)."""
        return content if self.lean_content is None else self.lean_content

    def _marks(self, page_html: str, count: int) -> list[int]:
        """Where the ``count`` markers are, first to last, looked for from the end: the article comes after
        the navigation, which on a big site is most of the page."""
        marker, end = f"<!--pg{self.nonce}:", len(page_html)
        marks: list[int] = []
        while len(marks) < count and (end := page_html.rfind(marker, 0, end)) >= 0:
            marks.append(end)
        return marks[::-1]

    @property
    def reflist(self) -> str:
        return self.block_html("references")


def _put_away(parts: dict[str, str], spill: Spill | None) -> Spilled | bytes | None:
    """A packed page's ``parts`` beyond the text allowance: in ``spill``, or compressed without one."""
    if not parts:
        return None
    from .spill import put_away
    return put_away(pickle.dumps(parts, pickle.HIGHEST_PROTOCOL), spill)


def render_page(markdown: str, bib: Bibliography, *, heading: str = "References", parsed: ParsedPage | None = None,
                deferred: bool = False, fmt: Formatter = format_reference, parts: Parts | None = None) -> RenderedPage:
    """Replace citations in a page's Markdown and append its reference list.

    With ``deferred=True`` each citation becomes a short token (``PGCITE<page digest>N3X``) that Markdown
    passes through untouched, and :meth:`RenderedPage.fill` swaps in the HTML after
    conversion: Markdown never has to parse the citation HTML (much faster on big sites).
    Citations in headings are always inline HTML so the table of contents shows numbers only.
    """
    from .citations import parse_citations
    parsed = parsed or parse_citations(markdown)
    state = PageCitations()
    page = RenderedPage(markdown, state)
    if not parsed.groups:
        return page
    heading_lines = {m.start() for m in _HEADING_LINE.finditer(markdown)} if "#" in markdown else set()
    out: list[str] = []
    pos = 0
    for g in parsed.groups:
        ls = markdown.rfind("\n", 0, g.start) + 1
        in_heading = ls in heading_lines
        out.append(markdown[pos:g.start])
        piece = render_group(g, bib, state, tooltip=not in_heading)
        if deferred and not in_heading:
            out.append(page.token(len(page.pieces)))
            page.pieces.append(piece)
        else:
            out.append(piece)
        pos = g.end
    out.append(markdown[pos:])
    text = "".join(out)
    if state.order:
        reflist = (page.add_block("references", lambda: reference_list(state, fmt, parts)) if deferred
                   else reference_list(state, fmt, parts))
        text = text.rstrip("\n") + f"\n\n## {heading}\n\n{reflist}\n"
    page.markdown = text
    return page


def render_markdown(markdown: str, bib: Bibliography, *, heading: str = "References",
                    parsed: ParsedPage | None = None) -> tuple[str, PageCitations]:
    """Replace citations with inline HTML and append the reference list (Markdown out)."""
    page = render_page(markdown, bib, heading=heading, parsed=parsed)
    return page.markdown, page.state


def reference_list(state: PageCitations, fmt: Formatter = format_reference, parts: Parts | None = None) -> str:
    """The page's numbered reference list (raw HTML), with links back to each citation."""
    items = []
    for n, ref in enumerate(state.order, 1):
        rich, label = parts(ref) if parts else reference_parts(ref, fmt)
        uses = state.uses.get(n, 0)
        back = ""
        if uses:
            links = " ".join(
                f'<a href="#pg-cite-{n}-{u}" aria-label="Back to where reference {n} is cited'
                f'{f" ({u} of {uses})" if uses > 1 else ""}">{_BACK_ARROW}</a>' for u in range(1, uses + 1))
            back = f' <span class="pg-backlinks">{links}</span>'
        items.append(f'<li id="pg-ref-{n}"><span id="pg-reftext-{n}">{rich}</span>{label}{back}</li>')
    return _REFLIST_OPEN + "\n" + "\n".join(items) + "\n</ol>"


def reference_parts(ref: Reference, fmt: Formatter = format_reference) -> tuple[str, str]:
    """``(the formatted reference as Markdown-safe HTML, its evidence label or "")``, as every list shows it."""
    return md_safe(fmt(ref)[1]), evidence_label(ref)


def evidence_label(ref: Reference) -> str:
    """What kind of source the reference is, in words (" Randomised trial", " NHS leaflet"), or ""."""
    label = evidence_kinds.label(ref.fields, ref.author_raw)
    return f' <span class="pg-evidence">{_esc(label)}</span>' if label else ""


# --- the bibliography page ---------------------------------------------------------------

def page_url(src_uri: str, use_directory_urls: bool = True) -> str:
    """The URL path MkDocs gives a Markdown file (relative to the site root)."""
    stem, _ = posixpath.splitext(src_uri)
    if not use_directory_urls:
        return stem + ".html"
    if posixpath.basename(stem) in ("index", "README"):
        d = posixpath.dirname(stem)
        return d + "/" if d else ""
    return stem + "/"


def relative_url(from_url: str, to_url: str) -> str:
    """A link from the page at ``from_url`` to ``to_url`` (both site-relative, no leading '/')."""
    base = from_url.rstrip("/") if from_url.endswith("/") else posixpath.dirname(from_url)
    if to_url.endswith("/") or not to_url:
        target_dir, target_file = to_url.rstrip("/"), ""
    else:
        target_dir, target_file = posixpath.split(to_url)
    rel = posixpath.relpath(target_dir or ".", base or ".")
    prefix = "" if rel == "." else rel + "/"
    return (prefix + target_file) or "./"


def bibliography_sort_key(ref: Reference) -> tuple:
    """Where a reference goes in the bibliography: first author (or organization, or title), year, title."""
    first = (ref.authors or ref.editors)
    name = first[0].display_family if first else (ref.get("organization") or ref.get("title"))
    return (name.casefold(), ref.year, ref.get("title").casefold())


def render_bibliography(cited_on: Mapping[str, Sequence[tuple[str, str]]], bib: Bibliography, *,
                        bibliography_src: str, use_directory_urls: bool = True,
                        page_order: list[str] | None = None, fmt: Formatter = format_reference,
                        sort_key: Callable[[Reference], tuple] = bibliography_sort_key,
                        parts: Parts | None = None, source_links: bool = False) -> str:
    """The bibliography as one raw-HTML block.

    ``cited_on`` maps a lower-case key to ``((src_uri, title), ...)`` of the pages that cite it;
    pages are listed in ``page_order`` (the navigation), else home first, then by path.
    ``source_links``: link to the pages' files (``faq.md#pg-references``), for a host that turns
    every link in a page into its page's address, raw HTML included (Zensical); MkDocs leaves raw
    HTML alone, so by default the links are the pages' addresses.
    """
    rank = {src: i for i, src in enumerate(page_order or [])}
    ranks: dict[str, tuple] = {}  # each page is linked from many entries

    def page_key(item: tuple[str, str]) -> tuple:
        src = item[0]
        if src not in ranks:
            ranks[src] = (rank.get(src, len(rank)), posixpath.basename(src) != "index.md", src)
        return ranks[src]

    here = page_url(bibliography_src, use_directory_urls)
    src_dir = posixpath.dirname(bibliography_src) or "."

    def href(src: str) -> str:
        if source_links:
            return posixpath.relpath(src, src_dir)
        return relative_url(here, page_url(src, use_directory_urls))

    made: dict[tuple[str, str], str] = {}

    def link(page: tuple[str, str]) -> str:
        if page not in made:
            made[page] = f'<a href="{html.escape(href(page[0]))}#pg-references">{_esc(page[1])}</a>'
        return made[page]

    refs = sorted((bib.entries[k] for k in cited_on if k in bib.entries), key=sort_key)
    items = []
    for ref in refs:
        rich, label = parts(ref) if parts else reference_parts(ref, fmt)
        links = ", ".join(link(item) for item in sorted(cited_on[ref.key.lower()], key=page_key))
        items.append(f'<li id="ref-{html.escape(ref.key.lower())}">{rich}{label} '
                     f'<span class="pg-cited-on">Cited on: {links}</span></li>')
    return '<ol class="pg-bibliography">\n' + "\n".join(items) + "\n</ol>"
