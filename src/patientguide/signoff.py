"""``patientguide sign-off PAGE --by REVIEWER [--date YYYY-MM-DD]``: a clinician's sign-off,
written into the page's front matter in place.

It sets ``status: reviewed``, ``reviewed_by`` (the reviewer's id), ``last_reviewed``,
``next_review_due`` (``review_interval_years`` later) and ``review_fingerprint``
(:mod:`patientguide.fingerprint`); every other byte of the file stays as it was. The reviewer
must be in the reviewers file with a name, credentials, a role and a conflicts-of-interest
statement; a page with errors (other than its review status) is not signed off.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from . import diagnostics as dx
from .checks.site import PageReport, Report, blocks, check_site
from .dates import add_years
from .fingerprint import page_fingerprint
from .frontmatter_edit import EditError, set_fields
from .options import load_site_config
from .page_args import resolve_page
from .review_state import FIELD
from .reviewers import REQUIRED
from .settings import ConfigError, Settings, today_from_env

#: Where a missing field's new line goes.
_AFTER = {"reviewed_by": "status", "last_reviewed": "status", "next_review_due": "last_reviewed", FIELD: "reviewed_by"}


def sign_off(args: argparse.Namespace) -> int:
    settings = load_site_config(_config(args.config_file), today=today_from_env(args.today)).settings
    when = _date(args.date, settings.today)
    report = check_site(settings)
    src_uri = resolve_page(args.page, settings, report)
    rid, person = find_reviewer(args.by, settings, report.reviewers)
    page = report.pages[src_uri]
    problems = [d for d in report.errors if d.path == page.path and not d.code.startswith("review.")]
    if problems:
        sys.stderr.write(dx.format_text(problems))
        print(f"patientguide: {page.path} has {len(problems)} error{'s' if len(problems) != 1 else ''}; "
              "fix them before it is signed off; nothing written", file=sys.stderr)
        return 1
    due = add_years(when, settings.review_interval_years)
    fp = _write(settings, page, report, {"status": "reviewed", "reviewed_by": rid, "last_reviewed": when,
                                         "next_review_due": due}, args.fingerprint)
    print(f"{page.path}: signed off by {person['name']} ({rid}) on {when.isoformat()}; next review due "
          f"{due.isoformat()}; {FIELD}: {fp}")
    return 0


def _config(name: str) -> Path:
    cfg = Path(name)
    if not cfg.is_file():
        raise ConfigError(f"config file '{cfg}' not found (use -f to name it)")
    return cfg


def _date(value: str | None, today: dt.date) -> dt.date:
    if value is None:
        return today
    try:
        when = dt.date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"--date must be a date written YYYY-MM-DD, got '{value}'") from None
    if when > today:
        raise ConfigError(f"--date {when.isoformat()} is after today ({today.isoformat()}): sign off a review "
                          "once it is done")
    return when


def find_reviewer(who: str, settings: Settings, people: dict[str, dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """``(id, entry)`` of the reviewer named by id or by name; :class:`ConfigError` with the reason
    when there is none, or when their entry lacks a field a sign-off needs."""
    if settings.reviewers_file is None:
        raise ConfigError("this site has no reviewers file: set the plugin option 'reviewers_file' and list the "
                          "clinicians who review pages there")
    rel = settings.rel(settings.reviewers_file)
    wanted = " ".join(who.split()).casefold()
    matches = [rid for rid, p in people.items()
               if rid == who or " ".join(str(p.get("name", "")).split()).casefold() == wanted]
    if not matches:
        known = list(people) + [str(p.get("name")) for p in people.values() if p.get("name")]
        hint = dx.did_you_mean(who, known)
        raise ConfigError(f"'{who}' is not a reviewer in {rel}" + (f" ({hint})" if hint else "")
                          + ": only a clinician listed there may sign a page off")
    if len(matches) > 1:
        raise ConfigError(f"'{who}' names more than one reviewer in {rel} ({', '.join(matches)}): use the id")
    rid = matches[0]
    lacking = [f for f in REQUIRED if not str(people[rid].get(f) or "").strip()]
    if lacking:
        raise ConfigError(f"reviewer '{rid}' in {rel} has no " + ", ".join(f"'{f}'" for f in lacking)
                          + ": patients are told who reviewed a page and in what role, so the entry needs them")
    return rid, people[rid]


def _write(settings: Settings, page: PageReport, report: Report, values: dict[str, Any], expected: str | None) -> str:
    """Set the fields and the fingerprint in the page's file, atomically; returns the fingerprint.
    ``expected``: the fingerprint of the version the reviewer read (from their review packet)."""
    file = settings.docs_dir / page.src_uri
    data = file.read_bytes()
    bom = "\ufeff" if data.startswith(b"\xef\xbb\xbf") else ""
    text = data.decode("utf-8")[len(bom):]
    fp = page_fingerprint(text, page.path, page.meta.values, blocks(settings), report.bibliography)
    if expected is not None and expected.strip() != fp:
        raise ConfigError(f"{page.path} is not the version reviewed: its fingerprint is now {fp}, not "
                          f"{expected.strip()} (the page, a block it includes or a source it cites changed since "
                          "the review packet was written); write a new packet and review that; nothing written")
    try:
        edited = set_fields(text, {**values, FIELD: fp}, _AFTER)
    except EditError as e:
        raise ConfigError(f"{page.path}: cannot sign off: {e}; nothing written") from None
    _replace(file, (bom + edited).encode("utf-8"))
    return fp


def _replace(file: Path, data: bytes) -> None:
    """Write ``data`` to ``file`` through a temporary file in its folder (never half-written)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{file.name}.", dir=file.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, file.stat().st_mode & 0o7777)
        os.replace(tmp, file)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
