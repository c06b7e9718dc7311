"""patientguide's templates as part of the site's theme, the way a theme's own plugins bring theirs.

The package's ``templates/`` folder holds ``main.html`` (every page: the draft and overdue
notices, review dates, brand bar, contact block, footer, structured data and the print header, in
``patientguide/main.html``). It goes into the theme's template folders right after the site's own
``custom_dir`` and before the theme's, so a site needs no ``custom_dir`` to get them, and a site's
``custom_dir`` still wins: a partial there overrides the theme's, and a ``main.html`` that starts
``{% extends "patientguide/main.html" %}`` overrides any block while keeping the others. In a
build, our ``main.html`` is read as ``patientguide/main.html`` itself (:class:`rendermemo.OurPageTemplate`):
the same page, one level of ``extends`` less for every page's render.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from . import lazyre
from .yamlpos import YamlError, config_chain, merged

TEMPLATES = Path(__file__).parent / "templates"
#: The template a site's own main.html extends to keep patientguide's blocks.
PAGE_TEMPLATE = "patientguide/main.html"
_EXTENDS_OURS = lazyre.compile(r"""\{%-?\s*extends\s+(["'])""" + re.escape(PAGE_TEMPLATE) + r"""\1\s*-?%\}""")


def template_dirs(dirs: Sequence[str], custom_dir: str | None) -> list[str]:
    """The theme's template folders with ours after the site's ``custom_dir`` (or first, when the
    site has none) and before the theme's own; unchanged if ours are there already."""
    ours = str(TEMPLATES)
    if ours in dirs:
        return list(dirs)
    at = 1 if custom_dir and dirs and Path(dirs[0]) == Path(custom_dir) else 0
    return [*dirs[:at], ours, *dirs[at:]]


def replaces_page_template(main_html: str) -> bool:
    """Whether a site's own ``main.html`` replaces patientguide's instead of extending it."""
    return _EXTENDS_OURS.search(main_html) is None


def site_main_html(config_file: Path | None) -> Path | None:
    """The site's own ``main.html`` in its ``custom_dir`` (MkDocs reads ``custom_dir`` relative to the
    config file being built, also through ``INHERIT``), if there is one."""
    if config_file is None:
        return None
    try:
        theme = merged(config_chain(config_file)).get("theme")
    except YamlError:
        return None
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    main = config_file.parent / str(custom) / "main.html" if isinstance(custom, str) and custom else None
    return main if main is not None and main.is_file() else None
