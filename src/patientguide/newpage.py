"""``patientguide new-page "Title"``: a page with complete front matter and a skeleton."""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from pathlib import Path

from .dates import add_years
from .options import load_site_config
from .project import OutsideProject, outside_message, resolve_inside
from .settings import ConfigError, today_from_env

TEMPLATE = """\
---
title: {title}
description: One sentence that says what this page is about, for search engines.
summary:
  - The first thing a patient should know.
  - The second thing.
audience: patient
last_reviewed: {today}
next_review_due: {next_review}
status: draft
---

# {title}

Write short sentences in plain words. Cite every fact, like this [@key].

## What it is

## What to expect

## When to get help

!!! warning "Get help straight away if"
    - describe the warning signs here [@key]
"""


def slugify(title: str) -> str:
    s = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    s = re.sub(r"[^a-zA-Z0-9]+", "-", s).strip("-").lower()
    return s or "page"


def new_page(args: argparse.Namespace) -> int:
    cfg = Path(args.config_file)
    if not cfg.is_file():
        raise ConfigError(f"config file '{cfg}' not found (use -f to name it)")
    settings = load_site_config(cfg, today=today_from_env(args.today)).settings
    name = args.file or f"{slugify(args.title)}.md"
    if not name.endswith(".md"):
        name += ".md"
    target = settings.docs_dir / name
    try:  # never outside the docs folder: not by '..', an absolute path or a symbolic link
        written = resolve_inside(target, settings.docs_dir)
    except OutsideProject as e:
        print(f"patientguide: error: {outside_message('--file', name, e, 'the docs folder')}; nothing written",
              file=sys.stderr)
        return 2
    if target.exists() or target.is_symlink():
        print(f"patientguide: error: {settings.rel(target)} already exists; nothing written", file=sys.stderr)
        return 1
    today = settings.today
    next_review = add_years(today, 1)
    title = args.title.replace('"', "'")
    if re.search(r"[:#\[\]{}&*!|>'%@`]", title):
        title = '"' + title + '"'
    written.parent.mkdir(parents=True, exist_ok=True)
    with open(written, "x", encoding="utf-8") as fh:  # "x": never through a link, never over a file
        fh.write(TEMPLATE.format(title=title, today=today.isoformat(), next_review=next_review.isoformat()))
    print(f"patientguide: wrote {settings.rel(written)}; add it to 'nav:' in {cfg.name}, replace [@key] "
          f"with real citations, then run 'patientguide check'")
    return 0
