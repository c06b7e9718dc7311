"""``patientguide new-site DIR``: a complete, working guide to start from.

The files come from the package's ``starter/`` folder: ``*.jinja`` files are filled in (title,
language, country, today's date, this version), the others are copied as they are, and a name
part starting ``dot-`` becomes a dot file (``dot-github/`` → ``.github/``), so no hidden file has
to ride in the package. The site passes ``patientguide check`` and ``mkdocs build --strict`` as
written: its clinic profile is written commented out (the README's "Start a guide on another
topic" says why), with ``FILL-IN`` placeholders that are errors once it is switched on.

``DIR`` must be new or an empty folder; everything is written into a temporary folder first and
moved into place at the end, so on any error nothing is left behind.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import json
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from . import __version__
from .clinic import EMERGENCY_NUMBER, EU_112, is_country_code
from .dates import add_years
from .newbrand import DEFAULT_COLOURS
from .settings import ConfigError, today_from_env

STARTER = Path(__file__).parent / "starter"
TEMPLATE_SUFFIX = ".jinja"
DOT = "dot-"
#: Characters a title may not hold: Markdown, HTML or template syntax in the page heading.
TITLE_REFUSED = "<>{}[]\\`|*_@#"
MAX_TITLE = 120


@dataclass(frozen=True)
class StarterValues:
    """What the starter's templates are filled in with."""

    title: str
    locale: str
    country: str | None
    today: dt.date

    def context(self) -> dict[str, Any]:
        known = bool(self.country) and (self.country in EMERGENCY_NUMBER or self.country in EU_112)
        major, minor = (int(p) for p in __version__.split(".")[:2])
        return {
            "title": self.title, "title_yaml": json.dumps(self.title, ensure_ascii=False),
            "locale": self.locale, "language": self.locale.split("-")[0],
            "country_value": self.country or '"FILL-IN: two-letter code such as GB or US"',
            "country_given": bool(self.country), "emergency_known": known,
            "primary": DEFAULT_COLOURS[0], "accent": DEFAULT_COLOURS[1],
            "today": self.today.isoformat(), "next_review": add_years(self.today, 1).isoformat(),
            "version": __version__, "next_minor": f"{major}.{minor + 1}",
        }


def new_site(args: argparse.Namespace) -> int:
    """Write the starter site into ``args.dir``, all of it or nothing."""
    values = StarterValues(title=check_title(args.title), locale=check_locale(args.locale),
                           country=check_country(args.country), today=today_from_env(args.today))
    target = Path(args.dir)
    refusal = refusal_for(target)
    if refusal:
        print(f"patientguide: error: {refusal}; nothing written", file=sys.stderr)
        return 1
    files = starter_files(values)
    write_tree(target, files)
    go = "" if target.resolve() == Path.cwd().resolve() else f"cd {target} && "
    print(f"patientguide: wrote {target}/ ({len(files)} files). Next: {go}make serve (http://127.0.0.1:8000); "
          "CONTRIBUTING.md is the editors' guide; fill in the clinic profile in mkdocs.yml to show your name "
          "and contact details on every page")
    return 0


def check_title(title: str) -> str:
    title = title.strip()
    if not title:
        raise ConfigError("--title is empty: give the guide's name, such as --title 'Botulinum toxin for sweating'")
    bad = sorted({c for c in title if c in TITLE_REFUSED or not c.isprintable()})
    if bad:
        shown = " ".join(repr(c) for c in bad)
        raise ConfigError(f"--title may not contain {shown} (they mean something in Markdown or HTML); "
                          "use letters, digits, spaces and plain punctuation")
    if len(title) > MAX_TITLE:
        raise ConfigError(f"--title is {len(title)} characters long; at most {MAX_TITLE}")
    return title


_ENGLISH = re.compile(r"en(?:-[A-Z]{2})?")


def check_locale(locale: str) -> str:
    if not _ENGLISH.fullmatch(locale):
        raise ConfigError(f"--locale must be English, such as en, en-GB or en-US, got '{locale}': patientguide's "
                          "notices and its readability, plain-language and evidence checks are in English")
    return locale


def check_country(country: str | None) -> str | None:
    if country is None:
        return None
    if not is_country_code(country):
        raise ConfigError(f"--country must be a two-letter country code such as GB or US, got '{country}'")
    return country.upper()


def refusal_for(target: Path) -> str | None:
    """Why ``target`` cannot take a new site, if it cannot: it must be new or an empty folder."""
    if target.is_symlink():
        return f"{target} is a symbolic link; name a new or empty folder"
    if target.exists() and not target.is_dir():
        return f"{target} is a file, not a folder; name a new or empty folder"
    if target.is_dir() and any(target.iterdir()):
        return f"{target} is not empty; new-site writes only into a new or empty folder"
    return None


def starter_files(values: StarterValues) -> dict[str, str]:
    """Every file of the new site: its path (POSIX, relative to the site) → its text."""
    env = jinja2.Environment(undefined=jinja2.StrictUndefined, keep_trailing_newline=True, autoescape=False)
    context = values.context()
    out: dict[str, str] = {}
    for path in sorted(p for p in STARTER.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        rel = path.relative_to(STARTER)
        text = path.read_text(encoding="utf-8")
        if rel.suffix == TEMPLATE_SUFFIX:
            text, rel = env.from_string(text).render(context), rel.with_suffix("")
        out["/".join("." + part[len(DOT):] if part.startswith(DOT) else part for part in rel.parts)] = text
    return out


def write_tree(target: Path, files: dict[str, str]) -> None:
    """Write ``files`` under ``target`` (new, or an empty folder) all at once: into a temporary
    folder first, then moved into place. On any error nothing is left; raises ConfigError."""
    exists, created = target.is_dir(), _first_missing(target)
    tmp: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".patientguide-new-", dir=target if exists else target.parent))
        for rel, text in files.items():
            (tmp / rel).parent.mkdir(parents=True, exist_ok=True)
            with open(tmp / rel, "x", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
        if exists:
            _move_entries(tmp, target)
            tmp.rmdir()
        else:
            os.chmod(tmp, 0o777 & ~_umask())
            os.rename(tmp, target)
    except OSError as e:
        for leftover in (tmp, created):
            if leftover is not None:
                shutil.rmtree(leftover, ignore_errors=True)
        raise ConfigError(f"cannot write '{target}': {e.strerror or e}; nothing written") from e


def _first_missing(target: Path) -> Path | None:
    """The outermost of ``target`` and its parents that does not exist yet (what writing creates)."""
    missing = None
    for p in (target, *target.parents):
        if p.exists() or p.is_symlink():
            break
        missing = p
    return missing


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _move_entries(tmp: Path, target: Path) -> None:
    """Move each entry of ``tmp`` up into ``target``; on failure, take back what was moved."""
    moved: list[Path] = []
    try:
        for entry in sorted(tmp.iterdir()):
            dest = target / entry.name
            if dest.exists() or dest.is_symlink():
                raise FileExistsError(errno.EEXIST, f"'{dest}' appeared while the site was written", str(dest))
            os.rename(entry, dest)
            moved.append(dest)
    except OSError:
        for dest in moved:
            if dest.is_dir() and not dest.is_symlink():
                shutil.rmtree(dest, ignore_errors=True)
            else:
                dest.unlink(missing_ok=True)
        raise
