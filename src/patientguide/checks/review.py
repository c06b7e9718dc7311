"""Review-date rules: when a page was last checked by a clinician, when it is due again, and by
whom. "Today" comes from the settings (``--today``, ``SOURCE_DATE_EPOCH`` or the clock)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from .. import diagnostics as dx
from ..dates import add_years
from ..diagnostics import Diagnostic
from ..review_state import FIELD, reviewer_name
from .context import PageContext


def check_review(page: PageContext) -> list[Diagnostic]:
    """Review dates, the reviewer and the draft status of a content page."""
    if not page.is_content_page:
        return []
    return [*_dates(page), *_reviewer(page), *_status(page), *_stale(page)]


def _dates(page: PageContext) -> list[Diagnostic]:
    meta, path, today = page.meta, page.path, page.settings.today
    last, nxt = meta.get("last_reviewed"), meta.get("next_review_due")
    out: list[Diagnostic] = []
    if isinstance(last, dt.date) and last > today:
        out.append(dx.make(path, *meta.pos("last_reviewed"), "review.in-future",
                           f"last_reviewed {last.isoformat()} is after today ({today.isoformat()})"))
    if isinstance(last, dt.date) and isinstance(nxt, dt.date):
        out += _interval(page, last, nxt)
    if isinstance(nxt, dt.date) and nxt < today:
        who = meta.get("reviewed_by")
        by = f" by '{who}'" if who else ""
        when = f" (reviewed {last.isoformat()}{by})" if isinstance(last, dt.date) else ""
        out.append(dx.make(path, *meta.pos("next_review_due"), "review.overdue",
                           f"next_review_due {nxt.isoformat()} has passed{when}"))
    return out


def _interval(page: PageContext, last: dt.date, nxt: dt.date) -> list[Diagnostic]:
    max_years = page.settings.review_max_years
    limit = add_years(last, max_years)
    at = page.meta.pos("next_review_due")
    if nxt <= last:
        return [dx.make(page.path, *at, "review.bad-interval",
                        f"next_review_due {nxt.isoformat()} is not after last_reviewed {last.isoformat()}")]
    if nxt > limit:
        return [dx.make(page.path, *at, "review.bad-interval",
                        f"next_review_due {nxt.isoformat()} is more than {max_years} years after "
                        f"last_reviewed {last.isoformat()}", f"review by {limit.isoformat()} at the latest")]
    return []


def _reviewer(page: PageContext) -> list[Diagnostic]:
    reviewer = page.meta.get("reviewed_by")
    people = page.reviewers
    if reviewer is None or people is None or reviewer in people:
        return []
    return [dx.make(page.path, *page.meta.pos("reviewed_by"), "review.unknown-reviewer",
                    f"reviewed_by '{reviewer}' is not in the reviewers file", dx.did_you_mean(str(reviewer), people))]


def _status(page: PageContext) -> list[Diagnostic]:
    meta, status = page.meta, page.meta.get("status")
    if status == "reviewed":
        lacking = [k for k in ("reviewed_by", "last_reviewed", "next_review_due") if k not in meta.values]
        if lacking:
            return [dx.make(page.path, *meta.pos("status"), "review.incomplete",
                            "status 'reviewed' needs " + ", ".join(f"'{k}'" for k in lacking))]
    elif status == "draft":
        if page.settings.require_review:
            return [dx.Diagnostic(page.path, *meta.pos("status"), dx.Severity.ERROR, "review.draft",
                                  "page is a draft, and this build requires every page to be reviewed")]
        return [dx.make(page.path, *meta.pos("status"), "review.draft",
                        "page is a draft, not yet reviewed by a clinician")]
    return []


def _stale(page: PageContext) -> list[Diagnostic]:
    """``review.stale``: a reviewed page whose text, blocks or cited references changed since its
    sign-off, or whose fingerprint is missing or malformed. An error when the build requires
    reviewed pages; the page shows the draft notice either way (template_data)."""
    state = page.review
    if state is None or not state.stale:
        return []
    meta = page.meta
    who = reviewer_name(meta.get("reviewed_by"), page.reviewers)
    last = meta.get("last_reviewed")
    when = f" on {last.isoformat()}" if isinstance(last, dt.date) else ""
    if state.problem == "changed":
        message = f"page changed since {who} reviewed it{when}; ask them to review again"
    elif state.problem == "missing":
        message = (f"page is marked reviewed by {who}{when} but has no '{FIELD}', so no one can tell whether it "
                   "changed since; ask them to review again")
    else:
        message = (f"'{FIELD}' is not a fingerprint patientguide wrote, so no one can tell whether the page "
                   f"changed since {who} reviewed it{when}; ask them to review again")
    hint = "the page shows the draft notice until they sign it off again: patientguide sign-off PAGE --by ID"
    at = meta.pos(FIELD) if FIELD in meta.positions else meta.pos("status")
    found = dx.make(page.path, *at, "review.stale", message, hint)
    return [replace(found, severity=dx.Severity.ERROR) if page.settings.require_review else found]
