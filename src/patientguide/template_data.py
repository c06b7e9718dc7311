"""What templates show about a page: review dates in words, draft and overdue notices, the
reviewer, key points. Plain data for any theme; no MkDocs import."""

from __future__ import annotations

import datetime as dt
import html
import re
from typing import TYPE_CHECKING, Any

from . import lazyre
from .dates import format_date
from .settings import Settings

if TYPE_CHECKING:
    from .frontmatter import PageMeta


def page_context(meta: PageMeta | None, settings: Settings,
                 reviewers: dict[str, dict[str, Any]] | None = None, *, stale: bool = False) -> dict[str, Any]:
    """``stale``: the page changed since its sign-off (review.stale), so it shows as a draft again:
    the draft notice, no reviewer, and no review claimed in its structured data."""
    if meta is None:
        return {}
    last, nxt = meta.get("last_reviewed"), meta.get("next_review_due")
    status = "draft" if stale else meta.get("status")
    ctx: dict[str, Any] = {
        "summary": meta.get("summary") if isinstance(meta.get("summary"), list) else [],
        "status": status,
        "draft": status == "draft",
        "stale": stale,
    }
    if isinstance(last, dt.date):
        ctx["last_reviewed"] = format_date(last)
        ctx["last_reviewed_iso"] = last.isoformat()
    if isinstance(nxt, dt.date):
        ctx["next_review_due"] = format_date(nxt)
        ctx["next_review_due_iso"] = nxt.isoformat()
        ctx["overdue"] = nxt < settings.today
    reviewer_id = meta.get("reviewed_by")
    if reviewer_id and not stale:
        ctx["reviewer"] = (reviewers or {}).get(reviewer_id, {"name": reviewer_id})
    return ctx


def escape_meta(meta: dict[str, Any]) -> None:
    """HTML-escape front-matter text in place: MkDocs' templates do not escape what they print,
    so a title such as ``</title><script>…`` would otherwise reach the page's ``<head>``."""
    for key, value in list(meta.items()):
        if isinstance(value, str) and _SPECIAL.search(value):
            meta[key] = html.escape(value, quote=True)
        elif isinstance(value, list) and any(isinstance(v, str) and _SPECIAL.search(v) for v in value):
            meta[key] = [html.escape(v, quote=True) if isinstance(v, str) else v for v in value]


_SPECIAL = lazyre.compile(r"[<>&\"']")


#: A line of its own on the bibliography page: the bibliography goes there (else at the end). An
#: engine that cannot generate pages (Zensical) needs the page written, with this line in it.
BIBLIOGRAPHY_MARKER = "<!-- patientguide: bibliography -->"
_BIBLIOGRAPHY_LINE = lazyre.compile(r"^[ ]{0,3}<!--[ \t]*patientguide:[ \t]*bibliography[ \t]*-->[ \t]*$", re.M)


def bibliography_page_source(title: str) -> str:
    return (f"---\ntitle: {title}\ndescription: Every study, review and guideline this guide cites.\n---\n\n"
            f"# {title}\n\nThese are the sources behind the facts in this guide. "
            f"Each one shows the pages that use it.\n\n{BIBLIOGRAPHY_MARKER}\n")


def place_bibliography(markdown: str, block: str) -> str:
    """The bibliography page with ``block`` on its marker line (the first), or at the end."""
    m = _BIBLIOGRAPHY_LINE.search(markdown)
    if m is None:
        return f"{markdown}\n\n{block}\n"
    return f"{markdown[:m.start()]}\n{block}\n{markdown[m.end():]}"


def keypoints_html(summary: list[str], title: str = "Key points") -> str:
    """The key-points box (front matter ``summary``), as a raw HTML block."""
    if not summary:
        return ""
    from .render import md_safe
    items = "".join(f"<li>{md_safe(html.escape(s))}</li>" for s in summary)
    return (f'<section class="pg-keypoints" aria-label="{title}">\n<p class="pg-keypoints__title">{title}</p>\n'
            f"<ul>{items}</ul>\n</section>")


_H1_LINE = lazyre.compile(r"^#[ \t]+.+$|^.+\n=+[ \t]*$", re.M)


def insert_after_title(markdown: str, block: str) -> str:
    """Put a block right after the page's first level-1 heading (or at the top)."""
    if not block:
        return markdown
    m = _H1_LINE.search(markdown)
    if not m:
        return f"{block}\n\n{markdown}"
    return f"{markdown[:m.end()]}\n\n{block}\n\n{markdown[m.end():].lstrip(chr(10))}"


_MMD_META = lazyre.compile(r"^[ ]{0,3}[A-Za-z0-9_-]+:\s*")


def keep_first_line(text: str) -> str:
    """The page's source as MkDocs should read it (given back even when unchanged, so that MkDocs
    does not read the file a second time). MkDocs reads a first line such as "Note: ..." as
    MultiMarkdown metadata and drops it; an empty YAML block first keeps the line as text."""
    return "---\n{}\n---\n" + text if not text.startswith("---") and _MMD_META.match(text) else text
