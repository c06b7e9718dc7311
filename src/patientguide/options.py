"""The plugin's options, each defined once: name, type, default and a one-line description.

The MkDocs plugin's config schema, the CLI's reading of ``mkdocs.yml`` and :class:`Settings` all
come from :data:`OPTIONS`, and :func:`resolve` is the one place an option becomes a setting
(paths made absolute, severities checked, environment variables applied). Every problem is
reported at once, each at its ``file:line:col`` when the option is found in the config files.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import diagnostics as dx
from .diagnostics import SeverityPolicy, did_you_mean
from .project import NamedPath, check_config_paths
from .settings import VALIDATION_DEFAULTS, ConfigError, Settings, SiteStructure, today_from_env
from .yamlpos import ConfigFile, YamlError, config_chain, key_position, merged

PLUGIN = "patientguide"


@dataclass(frozen=True, eq=False, repr=False)  # never compared or shown: fewer generated methods
class Option:
    """One plugin option of ``mkdocs.yml``: its name, types, default and what it does."""

    name: str
    types: tuple[type, ...]
    default: Any
    doc: str
    optional: bool = False  # ``null`` is allowed (and is the default)


#: Footer links shown when the pages exist (label → page).
DEFAULT_FOOTER_LINKS = {"About this guide": "about.md", "Privacy": "privacy.md", "Accessibility": "accessibility.md"}

OPTIONS: tuple[Option, ...] = (
    Option("enabled", (bool,), True, "Turn the plugin off (citations are then left as text)."),
    Option("project_root", (str,), None, "Where diagnostics' paths start and the plugin's own paths are relative "
           "to; defaults to the folder of mkdocs.yml (a brand in brands/<id>/ sets '../..').", optional=True),
    Option("references_dir", (str,), "references", "Folder of .bib files."),
    Option("blocks_dir", (str,), "blocks", "Folder of reusable blocks (safety lists …) that pages include with "
           "--8<-- \"blocks/name.md\"; never published as pages."),
    Option("bibliography_page", (str,), "references.md", "The page that lists every cited reference; generated "
           "when it does not exist."),
    Option("bibliography_title", (str,), "References", "Title of the generated bibliography page."),
    Option("references_heading", (str,), "References", "Heading of the reference list appended to each page."),
    Option("severity", (dict,), {}, "Per-code severity, e.g. {readability.grade-too-high: warning}."),
    Option("review_max_years", (int,), 3, "Longest time between a page's last review and its next review date."),
    Option("review_interval_years", (int,), 1, "Years from a sign-off to the next review date that "
           "'patientguide sign-off' writes (at most review_max_years)."),
    Option("require_review", (bool,), False, "A clinic's production build: draft pages are errors."),
    Option("reviewers_file", (str,), None, "The reviewers file (who may be named in reviewed_by).", optional=True),
    Option("readability_warn", (int, float), 8.0, "SMOG grade above which a patient page gets a warning."),
    Option("readability_error", (int, float), 10.0, "SMOG grade above which a patient page fails."),
    Option("exclude", (list,), [], "Page patterns (relative to docs_dir) the checks skip."),
    Option("allow_raw_html", (dict,), {}, "Pages allowed raw HTML beyond the safe list, each with its reason."),
    Option("max_page_kb", (int,), 512, "Pages larger than this fail the check instead of slowing the build."),
    Option("nginx_headers", (str,), None, "Also write the security headers as an nginx include here.", optional=True),
    Option("glossary_page", (str,), "glossary.md", "The glossary (## Term headings); a term's first use on a "
           "page should link to it."),
    Option("max_sentence_words", (int,), 25, "Longest sentence before style.long-sentence warns."),
    Option("plain_words", (dict,), {}, "More plain-word suggestions ({word: plainer}); an empty value drops a "
           "built-in one."),
    Option("about", (str,), None, "The condition the guide is about, for structured data.", optional=True),
    Option("qr_codes", (bool,), False, "Print-only QR codes linking each page online (make handouts turns them "
           "on; so does PATIENTGUIDE_QR_CODES=1)."),
    Option("footer_links", (dict,), DEFAULT_FOOTER_LINKS, "Footer links, label → page; shown when the pages exist."),
    Option("cache_dir", (str, bool), ".cache/patientguide", "Where parsed references and readability scores are "
           "cached (keyed by content); false, or PATIENTGUIDE_NO_CACHE=1, turns it off."),
)

BY_NAME: dict[str, Option] = {o.name: o for o in OPTIONS}

_TYPE_WORDS = {bool: "true or false", int: "an integer", float: "a number", str: "a text", list: "a list",
               dict: "a mapping"}


def defaults() -> dict[str, Any]:
    return {o.name: o.default for o in OPTIONS}


def plugin_options(config: dict, name: str = PLUGIN) -> dict | None:
    """The options block of our plugin in a loaded config (list or mapping syntax)."""
    plugins = config.get("plugins")
    if isinstance(plugins, dict):
        return dict(plugins.get(name) or {}) if name in plugins else None
    for item in plugins or []:
        if item == name:
            return {}
        if isinstance(item, dict) and name in item:
            return dict(item[name] or {})
    return None


def problems(opts: dict[str, Any]) -> list[tuple[str, str]]:
    """Every problem with the given option values: ``(option, message)``, in option order."""
    out: list[tuple[str, str]] = []
    for name, value in opts.items():
        option = BY_NAME.get(name)
        if option is None:
            hint = did_you_mean(str(name), BY_NAME)
            out.append((name, f"unknown option '{name}' for plugin '{PLUGIN}'" + (f" ({hint})" if hint else "")))
        elif not _type_ok(option, value):
            want = " or ".join(_TYPE_WORDS[t] for t in option.types)
            out.append((name, f"plugin '{PLUGIN}' option '{name}' must be {want}, got {_describe(value)}"))
    if not out:
        out += _value_problems(opts)
    return out


def _type_ok(option: Option, value: Any) -> bool:
    if value is None:
        return option.optional
    if isinstance(value, bool):
        return bool in option.types
    return isinstance(value, option.types)


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    kind = {str: "text", int: "the integer", float: "the number", list: "a list", dict: "a mapping"}.get(type(value))
    return f"{kind} '{value}'" if kind in ("text", "the integer", "the number") else (kind or repr(value))


#: Options that name a file or folder (each must resolve inside the project).
PATH_OPTIONS = ("project_root", "references_dir", "reviewers_file", "cache_dir", "nginx_headers", "blocks_dir")


def _value_problems(opts: dict[str, Any]) -> list[tuple[str, str]]:
    out = [("severity", f"plugin '{PLUGIN}' option 'severity': {p}")
           for p in SeverityPolicy.validate(opts.get("severity") or {})[1]]
    out += [(k, f"plugin '{PLUGIN}' option '{k}' contains a NUL character, which no file name can")
            for k in PATH_OPTIONS if "\0" in str(opts.get(k) or "")]
    interval, longest = opts.get("review_interval_years", 1), opts.get("review_max_years", 3)
    if isinstance(interval, int) and isinstance(longest, int) and not 1 <= interval <= longest:
        out.append(("review_interval_years", f"plugin '{PLUGIN}' option 'review_interval_years' must be from 1 to "
                    f"review_max_years ({longest}), got {interval}"))
    reasons = opts.get("allow_raw_html") or {}
    if not all(isinstance(v, str) and v.strip() for v in reasons.values()):
        out.append(("allow_raw_html", f"plugin '{PLUGIN}' option 'allow_raw_html' must map each page to the "
                    "reason it is allowed, e.g. {embed.md: 'video approved by the web team'}"))
    return out


def resolve(opts: dict[str, Any], *, config_file: Path, docs_dir: str | Path = "docs",
            use_directory_urls: bool = True, today: dt.date | None = None, strict: bool = False,
            chain: list[ConfigFile] | None = None) -> Settings:
    """The plugin's option block → :class:`Settings` (paths relative to the config file, or to
    ``project_root`` when it is set). Raises :class:`ConfigError` listing every problem."""
    found = problems(opts)
    if found:
        diags = [dx.make(*_where(name, chain, config_file), "config.invalid", msg) for name, msg in found]
        raise ConfigError("".join(map(str, diags)) if len(diags) == 1 else dx.format_text(diags).rstrip("\n"), diags)
    o = {**defaults(), **opts}
    base = config_file.parent
    root = (base / o["project_root"]).resolve() if o["project_root"] else base.resolve()  # -f site/mkdocs.yml too
    # The plugin's own paths are relative to the project root: a brand's mkdocs.yml in
    # brands/<id>/ that INHERITs the site sets project_root and keeps every path working.
    paths = root if o["project_root"] else base
    settings = Settings(
        root=root, docs_dir=(base / docs_dir).resolve(), references_dir=(paths / o["references_dir"]).resolve(),
        config_file=config_file.resolve(), use_directory_urls=use_directory_urls,
        bibliography_page=o["bibliography_page"], bibliography_title=o["bibliography_title"],
        references_heading=o["references_heading"], severity=SeverityPolicy.validate(o["severity"])[0],
        today=today or today_from_env(), strict=strict, review_max_years=o["review_max_years"],
        require_review=o["require_review"], reviewers_file=_path(o["reviewers_file"], paths),
        readability_warn=float(o["readability_warn"]), readability_error=float(o["readability_error"]),
        exclude=tuple(o["exclude"]), cache_dir=_cache_dir(o["cache_dir"], paths),
        max_sentence_words=o["max_sentence_words"], glossary_page=o["glossary_page"],
        allow_raw_html={str(k): str(v) for k, v in o["allow_raw_html"].items()}, max_page_kb=o["max_page_kb"],
        plain_words={str(k).lower(): (str(v) if v else "") for k, v in o["plain_words"].items()},
        about=o["about"] or None,
        qr_codes=o["qr_codes"] or os.environ.get("PATIENTGUIDE_QR_CODES", "") not in ("", "0"),
        footer_links={str(k): str(v) for k, v in o["footer_links"].items()},
        nginx_headers=_path(o["nginx_headers"], paths), blocks_dir=(paths / o["blocks_dir"]).resolve(),
        site=site_structure(merged(chain) if chain else {}, config_file),
        review_interval_years=o["review_interval_years"],
    )
    _check_paths(settings, o, paths, base / docs_dir, explicit_root=bool(opts.get("project_root")))
    return settings


def site_structure(data: dict, config_file: Path) -> SiteStructure:
    """Navigation, link validation and Markdown extensions of a loaded ``mkdocs.yml``."""
    exts = data.get("markdown_extensions") or ()
    if isinstance(exts, dict):
        exts = [{k: v} for k, v in exts.items()]
    patterns = {}
    for name in ("exclude_docs", "draft_docs", "not_in_nav"):
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"{config_file}: '{name}' must be a multi-line text of gitignore-style patterns")
        patterns[name] = value
    return SiteStructure(nav=data.get("nav"), validation=_validation(data.get("validation"), config_file),
                         markdown_extensions=tuple(exts if isinstance(exts, list) else ()), **patterns)


def _validation(raw: Any, config_file: Path) -> dict[str, str]:
    """MkDocs' ``validation:`` levels; a key set at the top applies to ``nav`` and ``links`` alike."""
    if not isinstance(raw or {}, dict):
        raise ConfigError(f"{config_file}: 'validation' must be a mapping")
    raw, levels = raw or {}, dict(VALIDATION_DEFAULTS)
    for key in levels:
        group, name = key.split(".")
        sub = raw.get(group)
        value = sub.get(name, raw.get(name)) if isinstance(sub, dict) else raw.get(name)
        if value is None:
            continue
        allowed = ("warn", "info", "ignore") + (("relative_to_docs",) if name == "absolute_links" else ())
        if value not in allowed:
            raise ConfigError(f"{config_file}: 'validation.{key}' must be one of {', '.join(allowed)}, got '{value}'")
        levels[key] = value
    return levels


#: The first line of every nginx include the build writes (security_headers.nginx_include).
NGINX_MARKER = "# Generated by patientguide"


def _check_paths(settings: Settings, o: dict[str, Any], base: Path, docs_dir: Path, explicit_root: bool) -> None:
    """Every path the options name resolves inside the project (see project.py); nothing the
    build writes lands in the published docs folder. Else a ConfigError, each problem at the
    position of its value."""
    plugin = ("plugins", PLUGIN)
    named = [NamedPath(("docs_dir",), "docs_dir", str(docs_dir), docs_dir)]
    for key, writes, marker in (("references_dir", False, None), ("reviewers_file", False, None),
                                ("blocks_dir", False, None), ("cache_dir", True, None),
                                ("nginx_headers", True, NGINX_MARKER)):
        value = o[key]
        if value and not (key == "cache_dir" and settings.cache_dir is None):
            written = BY_NAME[key].default if value is True else str(value)
            named.append(NamedPath(plugin + (key,), f"plugin option '{key}'", written, base / written, writes, marker))
    problems = check_config_paths(settings.config_file or base / "mkdocs.yml", settings.root, settings.docs_dir,
                                  named, settings.rel, plugin + ("project_root",) if explicit_root else None)
    if problems:
        raise ConfigError(dx.format_text(problems).rstrip("\n"), problems)


def _where(name: str, chain: list[ConfigFile] | None, config_file: Path) -> tuple[str, int, int]:
    """The option's place in the config files: the key in the last file that sets it."""
    at = key_position(chain, ("plugins", PLUGIN, name)) if chain else None
    if at is None:
        return _shown(config_file), 1, 0
    return (_shown(at[0]), at[1], at[2])


def _shown(path: Path) -> str:
    """A config file's path as the user named it: relative to the working folder if inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _path(value: str | None, base: Path) -> Path | None:
    return (base / value).resolve() if value else None


def _cache_dir(value: Any, base: Path) -> Path | None:
    if value in (None, False, "", "false", "off") or os.environ.get("PATIENTGUIDE_NO_CACHE"):
        return None
    p = Path(BY_NAME["cache_dir"].default if value is True else str(value))
    return p if p.is_absolute() else (base / p).resolve()


@dataclass(frozen=True, eq=False)  # never compared: fewer generated methods
class SiteConfig:
    """A site's ``mkdocs.yml`` read without MkDocs: the resolved settings, the merged config and
    the files of its ``INHERIT`` chain (for positions)."""

    settings: Settings
    data: dict
    chain: list[ConfigFile]


def load_site_config(path: Path, today: dt.date | None = None, strict: bool = False) -> SiteConfig:
    """What the CLI uses: ``mkdocs.yml`` (with INHERIT) → settings. Raises :class:`ConfigError`."""
    try:
        chain = config_chain(path)
    except YamlError as e:
        raise ConfigError(str(e)) from e
    data = merged(chain)
    opts = plugin_options(data)
    if opts is None:
        raise ConfigError(f"{path}: the '{PLUGIN}' plugin is not enabled under 'plugins:'")
    # An INHERIT child resolves paths relative to itself, like MkDocs does for docs_dir.
    settings = resolve(opts, config_file=path, docs_dir=data.get("docs_dir", "docs"),
                       use_directory_urls=bool(data.get("use_directory_urls", True)), today=today, strict=strict,
                       chain=chain)
    return SiteConfig(settings, data, chain)
