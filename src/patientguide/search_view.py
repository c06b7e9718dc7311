"""What a search indexer reads of our HTML: a lean form of citations and of the bibliography, with
the same text and far fewer tags.

Material for MkDocs' search plugin indexes ``page.content`` between conversion and the final page
(``on_page_context``). It reads the HTML with Python's ``HTMLParser``, one call per tag and per piece
of text, and keeps the text and, of the tags, only ``p``, ``code``, ``pre``, ``li``, ``ol``, ``ul``,
``sub`` and ``sup`` (``material/plugins/search/plugin.py``, ``Parser``). A citation is a link per
number, and a bibliography entry has a link per DOI, PubMed id and citing page, spans and italics:
1000 entries are some 25,000 tags the indexer reads only to drop. The page takes its full HTML back
before it is written (:meth:`patientguide.render.RenderedPage.finish`), so readers get the same page,
and the search index is the same, because the lean form gives the indexer the same text in the same
pieces (tests/test_search_view.py compares both).

The indexer's rules for text (``Parser.handle_data``, outside ``pre`` and headings): the text between
two tags is one piece, with character references decoded; a piece of whitespace only becomes one
space, and is dropped right after another such piece; newlines in other pieces become spaces; each
piece is escaped again (``html.escape(quote=False)``). A form that cannot be shown to give the same
pieces (other kept tags, elements the indexer skips, a heading, a comment, unbalanced tags, quotes
it would read differently) is not made: the full HTML stays.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .pagecache import KeptResults

# a tag, text, or a lone "<" or ">" (which the indexer's parser may read otherwise)
_TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)((?:\s[^<>]*)?)>|([^<>]+)|(.)", re.S)
_LISTS = frozenset({"ol", "ul", "li"})
# kept by the indexer with rules of their own, skipped by it, or starting a section: never in a lean form
_NEVER = frozenset({"p", "code", "pre", "sub", "sup", "object", "script", "style", "h1", "h2", "h3", "h4", "h5", "h6"})
_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
                   "track", "wbr"})

Item = str | tuple[bool, str]  # a piece of text, as written; or a tag: (closing, name)


class _Unsure(Exception):
    """The fragment has something the indexer may read otherwise than a lean form would have it."""


def _items(fragment: str) -> Iterator[Item]:
    """Text and tags (void ones left out) in order; :class:`_Unsure` at anything else, a tag
    a lean form cannot leave out or keep, attributes the indexer might read differently (quotes),
    or unbalanced tags."""
    open_tags: list[str] = []
    for closing, name, attrs, text, other in _TOKEN.findall(fragment):
        if text:
            yield text
            continue
        if other or (attrs and ("'" in attrs or attrs.count('"') % 2 or "data-search" in attrs
                                or "linenodiv" in attrs)):
            raise _Unsure
        name = name.lower()
        if name in _NEVER or (name in _VOID and (closing or attrs.endswith("/"))):
            raise _Unsure
        if name in _VOID:
            continue
        if closing and (not open_tags or open_tags.pop() != name):
            raise _Unsure
        if not closing:
            open_tags.append(name)
        yield bool(closing), name
    if open_tags:
        raise _Unsure


def lean_inline(fragment: str) -> tuple[str, str] | None:
    """``(head, rest)``: an inline fragment (a citation) as its text, tags left out, split where the
    first tag was, so that the text before it stays one piece with whatever the page has before it
    (a comment may go between the two). ``None``: the fragment has no tags, or its pieces of text
    would not join the same way: the first and last must hold more than whitespace, and so must
    every piece between its tags (then none is shortened or dropped)."""
    try:
        items = list(_items(fragment))
    except _Unsure:
        return None
    if len(items) < 3 or not isinstance(items[0], str) or not isinstance(items[-1], str):
        return None
    if any(isinstance(item, tuple) and item[1] in _LISTS for item in items):
        return None
    raw = [item for item in items if isinstance(item, str)]
    decoded = [_decode(text) for text in raw]
    if any(text.isspace() for text in decoded):
        return None
    if "&" in fragment and html.unescape("".join(raw)) != "".join(decoded):
        return None  # a character reference split by a tag
    return raw[0], "".join(raw[1:])


def _decode(text: str) -> str:
    return html.unescape(text) if "&" in text else text


def lean_block(fragment: str) -> str | None:
    """A list block (the bibliography: ``<ol>`` of ``<li>``) with only ``ol``, ``ul`` and ``li`` tags,
    each element's text one piece, as the indexer would collect it; ``None`` if the fragment is not
    such a list, or an element of it has no text (the indexer drops an empty element's tags)."""
    if not fragment.startswith(("<ol", "<ul")) or not fragment.endswith(("</ol>", "</ul>")):
        return None
    try:
        return _lean_list(fragment)
    except _Unsure:
        return None


def _lean_list(fragment: str) -> str:
    out: list[str] = []
    run: list[str] = []  # the text since the last list tag, as the indexer collects it
    space = False  # the last piece collected is whitespace
    texts = 0  # pieces of text with more than whitespace so far
    opened: list[int] = []  # for each open list element: ``texts`` when it opened
    for item in _items(fragment):
        if isinstance(item, str):
            text = _decode(item)
            if text.isspace():
                if not space:
                    run.append(" ")
                space = True
            else:
                run.append(text.replace("\n", " "))
                space, texts = False, texts + 1
            continue
        closing, name = item
        if name not in _LISTS:
            continue
        if closing and opened.pop() == texts:
            raise _Unsure
        if not closing:
            opened.append(texts)
        out += (html.escape("".join(run), quote=False), f"</{name}>" if closing else f"<{name}>")
        run, space = [], False
    return "".join(out)


def kept_lean_block(fragment: str, kept: KeptResults | None) -> str | None:
    """:func:`lean_block`, kept by the fragment's content in ``kept`` (a bibliography that did not
    change is not read again)."""
    if kept is None:
        return lean_block(fragment)
    from .pagecache import content_key
    key = content_key("lean-block", fragment)
    hit = kept.get(key)
    if hit is None:
        hit = (lean_block(fragment),)  # in a tuple: "no lean form" is kept too
        kept.put(key, hit)
    return hit[0]
