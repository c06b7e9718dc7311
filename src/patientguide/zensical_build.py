"""Build a site with Zensical behind the same gate as the MkDocs build (``patientguide zensical-build``).

Zensical reads ``mkdocs.yml`` and runs Python-Markdown extensions, but no MkDocs plugin, so what the
plugin does from MkDocs events happens here, before and after ``zensical build``:

1. the gate: every check, as ``patientguide check --strict`` (warnings fail too); then what MkDocs
   itself would refuse and Zensical does not check (:func:`engine_checks`): a missing bibliography
   page (Zensical cannot generate it), pages left out of the navigation or named in it and missing,
   links and images to files that do not exist, absolute links, as the site's ``validation:`` says;
2. a build config written beside ``mkdocs.yml`` (:func:`build_config`): the site's config with its
   ``INHERIT`` chain merged as MkDocs merges it, paths made absolute, the ``patientguide`` Markdown
   extension, the plugin's stylesheets, script and favicon, and the clinic profile and footer
   links in ``extra``; ``zensical build --strict`` then builds into a fresh folder in the project;
3. after the build (:func:`finish`): the plugin's files (stylesheets, script, the clinic's CSS, logo
   and favicon) copied in, every page's content checked again by the output sanitizer as
   published, and the security headers written from the built pages.

Any failure leaves ``out_dir`` untouched; only a whole, checked site is moved there.
"""

from __future__ import annotations

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

from . import assets, headers, sanitize
from . import diagnostics as dx
from .caches import Caches
from .checks.site import Report, blocks, check_site, find_pages
from .clinic import Clinic, load_clinic
from .diagnostics import Diagnostic
from .includes import expand
from .markdown_ext import CONFIG_ENV, CONTENT_END, CONTENT_START, GATED_ENV
from .options import SiteConfig, load_site_config
from .render import page_url
from .safe_html import scan_page, url_scheme
from .settings import ConfigError, Settings, today_from_env
from .sitebuild import nav_pages
from .source import mask_blocks, split_front_matter

EXTENSION = "patientguide"
# MkDocs' defaults for what the checks below mirror (its ``validation:`` settings)
_VALIDATION_DEFAULTS = {("nav", "omitted_files"): "info", ("nav", "not_found"): "warn",
                        ("links", "not_found"): "warn", ("links", "absolute_links"): "info"}


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
    diags = report.diagnostics + settings.policy.apply(engine_checks(config, report, clinic[0]))
    diags = [d for d in diags if d.severity.value in ("error", "warning")]
    return Gate(config, report, clinic[0], sorted(diags, key=lambda d: d.sort_key))


def engine_checks(config: SiteConfig, report: Report, clinic: Clinic | None) -> list[Diagnostic]:
    """What MkDocs would refuse and Zensical does not check."""
    settings = config.settings
    docs = settings.docs_dir
    pages = sorted(p.relative_to(docs).as_posix() for p in find_pages(docs)) if docs.is_dir() else []
    diags = []
    if settings.bibliography_page not in pages:
        missing = settings.rel(docs / settings.bibliography_page)
        diags.append(dx.make(settings.rel(settings.config_file or docs), 1, 0, "zensical.no-bibliography-page",
                             f"the bibliography page '{missing}' does not exist, and Zensical cannot generate it",
                             "write it with a line '<!-- patientguide: bibliography -->' where the list goes "
                             "(the MkDocs build fills the same page)"))
    diags += _nav_checks(config, pages)
    placeholders = clinic.placeholders() if clinic else None
    for src in pages:
        diags += _link_checks(config, src, placeholders)
    return diags


def _validation(data: dict, group: str, key: str) -> str:
    value = data.get("validation")
    setting = value.get(group) if isinstance(value, dict) else None
    found = setting.get(key) if isinstance(setting, dict) else None
    return str(found) if found else _VALIDATION_DEFAULTS[(group, key)]


def _nav_checks(config: SiteConfig, pages: list[str]) -> list[Diagnostic]:
    nav = nav_pages(config.data.get("nav"))
    if nav is None:
        return []
    where = config.settings.rel(config.chain[-1].path)
    out = []
    if _validation(config.data, "nav", "not_found") == "warn":
        out += [dx.make(where, 1, 0, "zensical.nav-not-found", f"the nav names '{p}', which is not a page in the docs "
                        "folder") for p in nav if p not in pages]
    if _validation(config.data, "nav", "omitted_files") == "warn":
        out += [dx.make(config.settings.rel(config.settings.docs_dir / p), 1, 0, "zensical.nav-omitted",
                        f"the page '{p}' is not in the nav") for p in pages if p not in nav]
    return out


def _link_checks(config: SiteConfig, src: str, placeholders: dict[str, str] | None) -> list[Diagnostic]:
    """Links and images of one page (its blocks included) that lead nowhere, or are absolute."""
    settings = config.settings
    not_found = _validation(config.data, "links", "not_found") == "warn"
    absolute = _validation(config.data, "links", "absolute_links") == "warn"
    if not (not_found or absolute):
        return []
    path = settings.docs_dir / src
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []  # the check reported it
    page = expand(text, settings.rel(path), blocks(settings), placeholders)
    front = split_front_matter(page.text)
    out = []
    for a in scan_page(page.text, mask_blocks(page.text, front.body_start if front else 0)).addresses:
        problem = _link_problem(a.seen, src, settings.docs_dir, not_found, absolute)
        if problem:
            at, line, col = page.origin(a.offset)
            out.append(dx.make(at, line, col, *problem))
    return out


def _link_problem(address: str, src: str, docs: Path, not_found: bool, absolute: bool) -> tuple[str, str] | None:
    target = address.split("#", 1)[0].split("?", 1)[0]
    if not target or url_scheme(address) or address.startswith("//"):
        return None
    if target.startswith("/"):
        return ("zensical.absolute-link", f"the link '{address}' is absolute; link to the page's file instead") \
            if absolute else None
    resolved = (docs / os.path.dirname(src) / target).resolve()
    if not_found and not resolved.is_file():
        return ("zensical.link-not-found", f"the link '{address}' leads to no file in the docs folder")
    return None


# --------------------------------------------------------------------------- the build config

def build_config(gate: Gate, site_dir: Path) -> dict[str, Any]:
    """The site's config for ``zensical build``: paths absolute, our additions in."""
    settings, data = gate.settings, dict(gate.config.data)
    top = gate.config.chain[-1].path.parent
    # relative to the project root, where the build config goes (Zensical wants them so)
    data["docs_dir"], data["site_dir"] = _from(settings.root, settings.docs_dir), _from(settings.root, site_dir)
    theme = dict(data["theme"]) if isinstance(data.get("theme"), dict) else {"name": data.get("theme") or "material"}
    if theme.get("custom_dir"):
        theme["custom_dir"] = _from(settings.root, top / str(theme["custom_dir"]))
    favicon, css, js = assets.theme_additions(gate.clinic, data.get("extra_css") or [],
                                              data.get("extra_javascript") or [])
    theme["favicon"] = favicon or theme.get("favicon")
    theme.setdefault("variant", "classic")  # Material for MkDocs' look, which the site's CSS and tests know
    data["theme"] = {k: v for k, v in theme.items() if v is not None}
    data["extra_css"] = list(data.get("extra_css") or []) + css
    data["extra_javascript"] = list(data.get("extra_javascript") or []) + js
    data["markdown_extensions"] = _with_extension(data.get("markdown_extensions"), settings.config_file)
    known = set(gate.report.pages)
    links = assets.footer_links(settings, lambda s: page_url(s, settings.use_directory_urls) if s in known else None)
    data["extra"] = {**(data.get("extra") or {}), "pg_clinic": gate.clinic.context() if gate.clinic else None,
                     "pg_footer_links": links}
    return data


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
    config = write_config(build_config(g, work / "site"), g.settings.root)
    try:
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
    problems = check_built_pages(settings, site_dir)
    if not problems:
        headers.write_headers(site_dir, settings.nginx_headers)
    return problems


CONTENT_REGION = re.compile(CONTENT_START.format("(?P<nonce>[0-9a-f]+)") + "\n?(?P<body>.*?)\n?"
                            + CONTENT_END.format("(?P=nonce)"), re.S)


def output_file(src_uri: str, use_directory_urls: bool) -> str:
    url = page_url(src_uri, use_directory_urls)
    return url + "index.html" if url.endswith("/") or not url else url


def check_built_pages(settings: Settings, site_dir: Path) -> list[Diagnostic]:
    """Each page's content as published, through the output sanitizer; a page that the
    ``patientguide`` extension did not convert (no content markers) is an error."""
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
                                              relaxed=src in settings.allow_raw_html)
    return out


def _reader(path: Path) -> Callable[[], str]:
    return lambda: path.read_text(encoding="utf-8-sig")
