"""Build a site with Zensical behind the same gate as the MkDocs build (``patientguide zensical-build``).

Zensical reads ``mkdocs.yml`` and runs Python-Markdown extensions, but no MkDocs plugin, so what the
plugin does from MkDocs events happens here, before and after ``zensical build``:

1. the gate: every check, as ``patientguide check --strict`` (warnings fail too; the links and
   navigation as MkDocs' strict build checks them, :mod:`patientguide.checks.links`); then what
   Zensical needs and MkDocs does not (:func:`engine_checks`): the bibliography page, which
   Zensical cannot generate;
2. a build config written beside ``mkdocs.yml`` (:func:`build_config`): the site's config with its
   ``INHERIT`` chain merged as MkDocs merges it, paths made absolute, the ``patientguide`` Markdown
   extension, the plugin's stylesheets, scripts and favicon, the clinic profile and footer links in
   ``extra``, and one theme folder (:func:`theme_folder`): the package's templates with the site's
   ``custom_dir`` over them, as the plugin orders them for MkDocs (:mod:`patientguide.theme`);
   ``zensical build --strict`` then builds into a fresh folder in the project;
3. after the build (:func:`finish`): the plugin's files (stylesheets, script, the clinic's CSS, logo
   and favicon) copied in, every page's content checked again by the output sanitizer as
   published, and the security headers written from the built pages.

Any failure leaves ``out_dir`` untouched; only a whole, checked site is moved there.
"""

from __future__ import annotations

import fnmatch
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import assets, sanitize, security_headers
from . import diagnostics as dx
from .caches import Caches
from .checks.site import Report, check_site, find_pages
from .clinic import Clinic, load_clinic
from .diagnostics import Diagnostic
from .markdown_ext import CONFIG_ENV, CONTENT_END, CONTENT_START, GATED_ENV
from .options import SiteConfig, load_site_config
from .render import page_url
from .settings import ConfigError, Settings, today_from_env
from .theme import TEMPLATES

EXTENSION = "patientguide"
# what MkDocs never publishes from a theme folder (Files.add_files_from_theme), .html aside: Zensical
# reads the templates and leaves them out itself, but would publish the rest
_NOT_PUBLISHED = (".*", "*.py", "*.pyc", "*readme*", "*.md", "*.markdown", "*.mdown", "*.mkdn", "*.mkd")


@dataclass(frozen=True)
class Gate:
    """The site as the gate checked it."""

    config: SiteConfig
    report: Report
    clinic: Clinic | None
    diagnostics: list[Diagnostic]

    @property
    def settings(self) -> Settings:
        return self.config.settings

    def failure(self) -> str | None:
        errors = [d for d in self.diagnostics if d.severity.value == "error"]
        if not errors and not any(d.severity.value == "warning" for d in self.diagnostics):
            return None
        n_err, n_warn = len(errors), len(self.diagnostics) - len(errors)
        return (f"patientguide: {n_err} error{'s' * (n_err != 1)}, {n_warn} warning{'s' * (n_warn != 1)} "
                "(warnings count as errors: the build is strict); site not built")


def gate(config_file: Path) -> Gate:
    """Every check of ``patientguide check --strict``, and :func:`engine_checks`."""
    config = load_site_config(config_file, today=today_from_env(), strict=True)
    settings = config.settings
    clinic = load_clinic(settings.config_file, settings.rel, root=settings.root)
    report = check_site(settings, Caches(settings.cache_dir), clinic)
    diags = report.diagnostics + settings.policy.apply(engine_checks(settings))
    diags = [d for d in diags if d.severity.value in ("error", "warning")]
    return Gate(config, report, clinic[0], sorted(diags, key=lambda d: d.sort_key))


def engine_checks(settings: Settings) -> list[Diagnostic]:
    """What Zensical needs and MkDocs does not: the bibliography page, written (MkDocs' own checks,
    the links and the navigation, are :mod:`patientguide.checks.links`, in the gate's check)."""
    if (settings.docs_dir / settings.bibliography_page).is_file():
        return []
    missing = settings.page_path(settings.bibliography_page)
    return [dx.make(settings.rel(settings.config_file or settings.docs_dir), 1, 0, "zensical.no-bibliography-page",
                    f"the bibliography page '{missing}' does not exist, and Zensical cannot generate it",
                    "write it with a line '<!-- patientguide: bibliography -->' where the list goes "
                    "(the MkDocs build fills the same page)")]


# --------------------------------------------------------------------------- the build config

def build_config(gate: Gate, site_dir: Path, theme_dir: Path) -> dict[str, Any]:
    """The site's config for ``zensical build``: paths absolute, our additions in; ``theme_dir``
    from :func:`theme_folder`."""
    settings, data = gate.settings, dict(gate.config.data)
    # relative to the project root, where the build config goes (Zensical wants them so)
    data["docs_dir"], data["site_dir"] = _from(settings.root, settings.docs_dir), _from(settings.root, site_dir)
    theme = dict(data["theme"]) if isinstance(data.get("theme"), dict) else {"name": data.get("theme") or "material"}
    theme["custom_dir"] = _from(settings.root, theme_dir)
    theme["favicon"] = assets.favicon(gate.clinic) or theme.get("favicon")
    theme.setdefault("variant", "classic")  # Material for MkDocs' look, which the site's CSS and tests know
    data["theme"] = {k: v for k, v in theme.items() if v is not None}
    data["extra_css"] = _added(data.get("extra_css"), assets.stylesheets(gate.clinic))
    data["extra_javascript"] = _added(data.get("extra_javascript"), assets.SCRIPTS)
    data["markdown_extensions"] = _with_extension(data.get("markdown_extensions"), settings.config_file)
    known = set(gate.report.pages)
    links = assets.footer_links(settings, lambda s: page_url(s, settings.use_directory_urls) if s in known else None)
    data["extra"] = {**(data.get("extra") or {}), "pg_clinic": gate.clinic.context() if gate.clinic else None,
                     "pg_footer_links": links}
    return data


def _added(listed: Any, ours: Any) -> list:
    """A site's ``extra_css`` or ``extra_javascript`` with ours after it (those it lists already kept once)."""
    have = list(listed or [])
    return have + [u for u in ours if u not in {str(h) for h in have}]


def theme_folder(gate: Gate, work: Path) -> Path:
    """One folder for ``custom_dir`` (Zensical takes one): the package's templates, with the site's
    own ``custom_dir`` copied over them, so that the site's files win, as with MkDocs."""
    folder = work / "theme"
    shutil.copytree(TEMPLATES, folder)
    theme = gate.config.data.get("theme")
    custom = theme.get("custom_dir") if isinstance(theme, dict) else None
    if not custom:
        return folder
    source = gate.config.chain[-1].path.parent / str(custom)  # as MkDocs reads it: beside the config built
    try:
        shutil.copytree(source, folder, dirs_exist_ok=True, ignore=_unpublished)
    except (OSError, shutil.Error) as e:
        raise ConfigError(f"theme.custom_dir '{custom}' cannot be read as a folder ({source}): {e}") from None
    return folder


def _unpublished(_folder: str, names: list[str]) -> set[str]:
    return {n for n in names if any(fnmatch.fnmatch(n.lower(), p) for p in _NOT_PUBLISHED)}


def _from(root: Path, path: Path) -> str:
    return os.path.relpath(path.resolve(), root.resolve())


def _with_extension(value: Any, config_file: Path | None) -> list:
    """The Markdown extensions with ``patientguide`` (told which ``mkdocs.yml`` it serves) in."""
    items = list(value.items()) if isinstance(value, dict) else [
        (i, None) if isinstance(i, str) else next(iter(i.items())) for i in value or []]
    ours = {EXTENSION: {"config_file": str(config_file)}}
    out: list = [{k: v} if v is not None else k for k, v in items if k != EXTENSION]
    return out + [ours]


def write_config(data: dict[str, Any], root: Path) -> Path:
    """Write the build config into the project root (Zensical wants the docs folder below it)."""
    fd, name = tempfile.mkstemp(prefix=".zensical-build-", suffix=".yml", dir=root)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("# Written by patientguide for one zensical build; removed after it.\n")
        yaml.safe_dump(data, fh, sort_keys=False, allow_unicode=True)
    return Path(name)


def _plain_yaml(gate: Gate) -> None:
    """The merged config is written back as plain YAML: a Python tag would not survive."""
    for f in gate.config.chain:
        text = f.path.read_text(encoding="utf-8-sig")
        if "!!python/" in text:
            line = text[:text.index("!!python/")].count("\n") + 1
            raise ConfigError(f"{gate.settings.rel(f.path)}:{line}: a Python tag ('!!python/…') cannot be passed on to "
                              "the Zensical build yet; write the value without it")


# --------------------------------------------------------------------------- the build and after it

def zensical_command() -> list[str]:
    beside = Path(sys.executable).with_name("zensical")
    found = str(beside) if beside.exists() else shutil.which("zensical")
    if not found:
        raise ConfigError("zensical is not installed: pip install -e '.[zensical]'")
    return [found]


def build(config_file: Path, out_dir: Path, command: list[str] | None = None) -> int:
    """Check, build with Zensical, check the output; ``out_dir`` (absent or empty) gets the site
    only if every step passed. Returns the exit status."""
    g = gate(config_file)
    sys.stderr.write(dx.format_text(g.diagnostics))
    if g.failure():
        sys.stderr.write(f"{g.failure()}\n")
        return 1
    _plain_yaml(g)
    command = command or zensical_command()
    work = Path(tempfile.mkdtemp(prefix=".zensical-site-", dir=g.settings.root))
    config: Path | None = None
    try:
        config = write_config(build_config(g, work / "site", theme_folder(g, work)), g.settings.root)
        env = dict(os.environ, **{CONFIG_ENV: str(g.settings.config_file), GATED_ENV: "1"})
        r = subprocess.run([*command, "build", "--strict", "-f", str(config)], cwd=g.settings.root, env=env)
        if r.returncode != 0:
            sys.stderr.write(f"patientguide: zensical build failed (exit {r.returncode}); site not built\n")
            return 1
        problems = finish(g, work / "site")
        if problems:
            sys.stderr.write(dx.format_text(problems))
            sys.stderr.write(f"{sanitize.failure(problems)}\n")
            return 1
        _move(work / "site", out_dir)
        return 0
    finally:
        if config is not None:
            config.unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)


def _move(built: Path, out_dir: Path) -> None:
    if out_dir.is_dir() and not any(out_dir.iterdir()):
        out_dir.rmdir()
    if out_dir.exists():
        raise ConfigError(f"'{out_dir}' exists and is not empty: name a new folder")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    shutil.move(str(built), str(out_dir))


def finish(g: Gate, site_dir: Path) -> list[Diagnostic]:
    """After ``zensical build``: our files in, every page checked as published, then the headers."""
    settings = g.settings
    for f in assets.site_files(g.clinic, settings, lambda uri: (site_dir / uri).exists()):
        if f.uri == settings.bibliography_page:
            continue  # a page: the gate made sure it exists and Zensical built it
        target = site_dir / f.uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if f.source is not None:
            shutil.copyfile(f.source, target)
        else:
            target.write_text(f.content or "", encoding="utf-8")
    problems = check_built_pages(settings, site_dir, g.report.caches)
    g.report.caches.flush_output()  # the sanitizer's findings, kept by content, as after a MkDocs build
    if not problems:
        security_headers.write_headers(site_dir, settings.nginx_headers)
    return problems


CONTENT_REGION = re.compile(CONTENT_START.format("(?P<nonce>[0-9a-f]+)") + "\n?(?P<body>.*?)\n?"
                            + CONTENT_END.format("(?P=nonce)"), re.S)


def output_file(src_uri: str, use_directory_urls: bool) -> str:
    url = page_url(src_uri, use_directory_urls)
    return url + "index.html" if url.endswith("/") or not url else url


def check_built_pages(settings: Settings, site_dir: Path, caches: Caches | None = None) -> list[Diagnostic]:
    """Each page's content as published, through the output sanitizer (``caches``: its results by
    content, from earlier builds); a page that the ``patientguide`` extension did not convert (no
    content markers) is an error."""
    out: list[Diagnostic] = []
    docs = settings.docs_dir
    for p in find_pages(docs):
        src = p.relative_to(docs).as_posix()
        built = site_dir / output_file(src, settings.use_directory_urls)
        if not built.is_file():
            continue  # not published (the engine's exclude_docs or draft_docs)
        regions = list(CONTENT_REGION.finditer(built.read_text(encoding="utf-8", errors="replace")))
        if not regions:
            out.append(dx.make(settings.rel(p), 1, 0, "zensical.not-converted",
                               f"'{built.relative_to(site_dir).as_posix()}' was not converted by the 'patientguide' "
                               "Markdown extension: its citations, references and key points are missing"))
        for m in regions:
            out += sanitize.check_page_output(m.group("body"), path=settings.rel(p), source=_reader(p),
                                              relaxed=src in settings.allow_raw_html,
                                              kept=caches.output if caches else None)
    return out


def _reader(path: Path) -> Callable[[], str]:
    return lambda: path.read_text(encoding="utf-8-sig")
