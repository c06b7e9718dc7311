"""Pages named on the command line (``content/side-effects.md``, ``side-effects.md``,
``side-effects``) → the site's pages, or a clear error with a "did you mean"."""

from __future__ import annotations

from pathlib import Path

from . import diagnostics as dx
from .checks.site import Report
from .settings import ConfigError, Settings


def resolve_page(arg: str, settings: Settings, report: Report) -> str:
    """The ``src_uri`` of the content page ``arg`` names; :class:`ConfigError` if there is none."""
    found = _candidates(arg, settings)
    for src in found:
        if src == settings.bibliography_page:
            raise ConfigError(f"'{arg}' is the bibliography page, which patientguide writes; name a content page")
        if src in report.pages:
            return src
    stems = {s.removesuffix(".md"): settings.page_path(s) for s in report.pages if s != settings.bibliography_page}
    near = dx.suggest(Path(arg).as_posix().removesuffix(".md").removeprefix(settings.rel(settings.docs_dir) + "/"),
                      stems)
    hint = f" (did you mean '{stems[near]}'?)" if near else ""
    raise ConfigError(f"no page '{arg}' in {settings.rel(settings.docs_dir)}/{hint}")


def _candidates(arg: str, settings: Settings) -> list[str]:
    """What ``arg`` may mean, most specific first: a file (relative to here), or a page of the docs folder."""
    out = []
    docs = settings.docs_dir.resolve()
    for base in (Path.cwd(), settings.root):
        p = (base / arg).resolve()
        if p.is_file() and docs in p.parents:
            out.append(p.relative_to(docs).as_posix())
    stem = arg.strip().strip("/")
    if stem:
        out += [stem, f"{stem}.md", f"{stem}/index.md"] if not stem.endswith(".md") else [stem]
    return out
