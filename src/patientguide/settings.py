"""The core's configuration, and a tolerant reader of ``mkdocs.yml`` for the CLI.

The CLI reads the same ``mkdocs.yml`` as the MkDocs plugin without importing MkDocs:
unknown YAML tags (``!ENV``, ``!!python/name:``) load as opaque values and ``INHERIT:`` is
followed, with mappings deep-merged as MkDocs does.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Severity, SeverityPolicy


class ConfigError(Exception):
    """A configuration problem: the CLI exits with status 2, the plugin raises a config error."""


#: MkDocs' ``validation:`` settings and their defaults (MkDocs 1.6, ``config/defaults.py``).
VALIDATION_DEFAULTS: dict[str, str] = {
    "nav.omitted_files": "info", "nav.not_found": "warn", "nav.absolute_links": "info",
    "links.not_found": "warn", "links.absolute_links": "info", "links.unrecognized_links": "info",
    "links.anchors": "info",
}


@dataclass(frozen=True)
class PythonRef:
    """A ``!!python/name:`` or ``!!python/object/apply:`` value, kept by name: reading a config
    never imports anything (``links``/``anchors`` resolve the toc's ``slugify`` when they need it)."""

    name: str
    call: bool = False  # object/apply: call ``name`` with these arguments
    args: tuple = ()
    kwds: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class SiteStructure:
    """What MkDocs checks about a site's pages and links, as ``mkdocs.yml`` sets it."""

    nav: Any = None  # None: MkDocs builds the navigation from every page
    validation: dict[str, str] = field(default_factory=lambda: dict(VALIDATION_DEFAULTS))
    markdown_extensions: tuple[Any, ...] = ()  # as written: names, or {name: options}
    exclude_docs: str | None = None  # gitignore-style patterns, as MkDocs reads them
    draft_docs: str | None = None
    not_in_nav: str | None = None


@dataclass(frozen=True)
class Settings:
    """Everything the core needs; adapters build it (never from MkDocs objects inside the core)."""

    root: Path  # project root: diagnostics' paths are relative to it
    docs_dir: Path
    references_dir: Path
    config_file: Path | None = None
    use_directory_urls: bool = True
    bibliography_page: str = "references.md"  # relative to docs_dir; generated if missing
    bibliography_title: str = "References"
    references_heading: str = "References"
    severity: dict[str, Severity] = field(default_factory=dict)
    today: dt.date = field(default_factory=dt.date.today)
    strict: bool = False
    # review dates (issue: editorial gates)
    review_max_years: int = 3
    require_review: bool = False
    reviewers_file: Path | None = None
    # readability
    readability_warn: float = 8.0
    readability_error: float = 10.0
    exclude: tuple[str, ...] = ()
    cache_dir: Path | None = None  # parsed references, keyed by content; None turns it off
    max_sentence_words: int = 25
    glossary_page: str = "glossary.md"
    allow_raw_html: dict[str, str] = field(default_factory=dict)  # page → reason
    max_page_kb: int = 512
    plain_words: dict[str, str] = field(default_factory=dict)  # added to / overriding lints.PLAIN_WORDS
    # clinic brand and handouts
    about: str | None = None  # the condition the guide is about (structured data)
    qr_codes: bool = False  # print-only QR codes linking each page online
    footer_links: dict[str, str] = field(default_factory=dict)  # label → page (src_uri)
    # what MkDocs itself checks in a strict build (links.py checks the same, with positions)
    site: SiteStructure = field(default_factory=lambda: SiteStructure())

    def rel(self, p: Path) -> str:
        """A path relative to the project root, POSIX style (as diagnostics show it)."""
        try:
            return p.resolve().relative_to(self.root.resolve()).as_posix()
        except ValueError:
            return p.as_posix()

    def rel_unresolved(self, p: Path) -> str:
        """Like :meth:`rel`, without following symbolic links (to name the link itself)."""
        try:
            return p.relative_to(self.root).as_posix()
        except ValueError:
            return self.rel(p)

    @property
    def policy(self) -> SeverityPolicy:
        return SeverityPolicy(dict(self.severity))

    def with_(self, **kw: Any) -> "Settings":
        return replace(self, **kw)


def today_from_env(explicit: str | None = None) -> dt.date:
    """``--today`` wins, then ``SOURCE_DATE_EPOCH`` (reproducible builds), then the clock."""
    if explicit:
        try:
            return dt.date.fromisoformat(explicit)
        except ValueError as e:
            raise ConfigError(f"--today must be a date like 2026-03-03, got '{explicit}'") from e
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc).date()
        except (ValueError, OverflowError) as e:
            raise ConfigError(f"SOURCE_DATE_EPOCH must be a Unix time in seconds, got '{epoch}'") from e
    return dt.date.today()


class _TolerantLoader(yaml.SafeLoader):
    """SafeLoader that keeps unknown tags as plain values instead of failing."""


def _unknown_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix in ("ENV", "!ENV"):
            return os.environ.get(str(value), None)
        return value
    if isinstance(node, yaml.SequenceNode):
        seq = loader.construct_sequence(node, deep=True)
        if suffix in ("ENV", "!ENV") and seq:
            for name in seq[:-1]:
                if os.environ.get(str(name)) is not None:
                    return os.environ[str(name)]
            return seq[-1]
        return seq
    return loader.construct_mapping(node, deep=True)


def _python_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    """``!!python/name:x`` and ``!!python/object/apply:x`` become :class:`PythonRef` (never imported here)."""
    if suffix.startswith("name:"):
        return PythonRef(suffix[5:])
    if suffix.startswith("object/apply:"):
        args: Any = ()
        kwds: Any = {}
        if isinstance(node, yaml.SequenceNode):
            args = loader.construct_sequence(node, deep=True)
        elif isinstance(node, yaml.MappingNode):
            value = loader.construct_mapping(node, deep=True)
            args, kwds = value.get("args", ()), value.get("kwds", {})
        return PythonRef(suffix[13:], True, tuple(args or ()), tuple(sorted((kwds or {}).items())))
    return _unknown_tag(loader, suffix, node)


_TolerantLoader.add_multi_constructor("!", _unknown_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _python_tag)


def _merge(parent: Any, child: Any) -> Any:
    if isinstance(parent, dict) and isinstance(child, dict):
        out = dict(parent)
        for k, v in child.items():
            out[k] = _merge(parent.get(k), v) if k in parent else v
        return out
    return child


def read_mkdocs_yml(path: Path, _seen: tuple[Path, ...] = ()) -> dict:
    """Load ``mkdocs.yml``, following ``INHERIT:`` (relative to the file that names it)."""
    path = path.resolve()
    if path in _seen:
        raise ConfigError(f"{path}: INHERIT loops back to itself")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise ConfigError(f"cannot read config file '{path}': {e.strerror}") from e
    try:
        data = yaml.load(text, Loader=_TolerantLoader) or {}
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ConfigError(f"{where}: invalid YAML: {getattr(e, 'problem', e)}") from e
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the config must be a mapping")
    parent = data.pop("INHERIT", None)
    if parent:
        base = read_mkdocs_yml(path.parent / str(parent), _seen + (path,))
        data = _merge(base, data)
    return data


def plugin_options(config: dict, name: str = "patientguide") -> dict | None:
    """The options block of our plugin in a loaded config (list or mapping syntax)."""
    plugins = config.get("plugins")
    if isinstance(plugins, dict):
        opts = plugins.get(name)
        return dict(opts or {}) if name in plugins else None
    for item in plugins or []:
        if item == name:
            return {}
        if isinstance(item, dict) and name in item:
            return dict(item[name] or {})
    return None


def site_structure(data: dict, config_file: Path) -> SiteStructure:
    """Navigation, link validation and Markdown extensions of a loaded ``mkdocs.yml``."""
    exts = data.get("markdown_extensions") or ()
    if isinstance(exts, dict):
        exts = [{k: v} for k, v in exts.items()]
    patterns = {}
    for name in ("exclude_docs", "draft_docs", "not_in_nav"):
        value = data.get(name)
        if value is not None and not isinstance(value, str):
            raise ConfigError(f"{config_file}: '{name}' must be a multi-line string of gitignore-style patterns")
        patterns[name] = value
    return SiteStructure(nav=data.get("nav"), validation=_validation(data.get("validation"), config_file),
                         markdown_extensions=tuple(exts if isinstance(exts, list) else ()), **patterns)


def _validation(raw: Any, config_file: Path) -> dict[str, str]:
    """MkDocs' ``validation:`` levels; a key set at the top applies to ``nav`` and ``links`` alike."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{config_file}: 'validation' must be a mapping")
    levels = dict(VALIDATION_DEFAULTS)
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


def settings_from_options(opts: dict, *, config_file: Path, docs_dir: str | Path = "docs",
                          use_directory_urls: bool = True, today: dt.date | None = None,
                          strict: bool = False, mkdocs_yml: dict | None = None) -> Settings:
    """Build :class:`Settings` from the plugin's option block; paths relative to the config file.

    ``mkdocs_yml`` is the loaded config (INHERIT followed); it is read from ``config_file`` when
    not given, so the CLI and the MkDocs build see the same navigation and link rules.
    """
    if mkdocs_yml is None:
        mkdocs_yml = read_mkdocs_yml(config_file) if config_file.is_file() else {}
    base = config_file.parent
    _check_types(opts, config_file)
    sev, problems = SeverityPolicy.validate(opts.get("severity") or {})
    if problems:
        raise ConfigError(f"{config_file}: plugin 'patientguide' option 'severity': " + "; ".join(problems))
    refs = opts.get("references_dir", "references")
    reviewers = opts.get("reviewers_file")
    root = Path(opts.get("project_root") or base)
    root = (base / root).resolve() if not root.is_absolute() else root
    # The plugin's own paths are relative to the project root: a brand's mkdocs.yml in
    # brands/<id>/ that INHERITs the site sets project_root and keeps every path working.
    base = root if opts.get("project_root") else base
    return Settings(
        root=root,
        docs_dir=(config_file.parent / docs_dir).resolve(),
        references_dir=(base / refs).resolve(),
        config_file=config_file.resolve(),
        use_directory_urls=use_directory_urls,
        bibliography_page=opts.get("bibliography_page", "references.md"),
        bibliography_title=opts.get("bibliography_title", "References"),
        references_heading=opts.get("references_heading", "References"),
        severity=sev,
        today=today or today_from_env(),
        strict=strict,
        review_max_years=int(opts.get("review_max_years", 3)),
        require_review=bool(opts.get("require_review", False)),
        reviewers_file=(base / reviewers).resolve() if reviewers else None,
        readability_warn=float(opts.get("readability_warn", 8.0)),
        readability_error=float(opts.get("readability_error", 10.0)),
        exclude=tuple(opts.get("exclude", ()) or ()),
        cache_dir=_cache_dir(opts.get("cache_dir", ".cache/patientguide"), base),
        max_sentence_words=int(opts.get("max_sentence_words", 25)),
        glossary_page=str(opts.get("glossary_page", "glossary.md")),
        allow_raw_html=_reasons(opts.get("allow_raw_html") or {}, config_file),
        max_page_kb=int(opts.get("max_page_kb", 512)),
        plain_words={str(k).lower(): (str(v) if v else "") for k, v in (opts.get("plain_words") or {}).items()},
        about=opts.get("about") or None,
        qr_codes=bool(opts.get("qr_codes", False)) or os.environ.get("PATIENTGUIDE_QR_CODES", "") not in ("", "0"),
        footer_links={str(k): str(v) for k, v in (opts.get("footer_links") or DEFAULT_FOOTER_LINKS).items()},
        site=site_structure(mkdocs_yml, config_file),
    )


#: Footer links shown when the pages exist (label → page).
DEFAULT_FOOTER_LINKS = {"About this guide": "about.md", "Privacy": "privacy.md", "Accessibility": "accessibility.md"}


#: The option types, as the MkDocs plugin declares them; the CLI checks the same here, so a
#: wrong value is a one-line configuration error (exit 2), never a traceback.
_OPTION_TYPES: dict[str, tuple[type, ...]] = {
    "enabled": (bool,), "references_dir": (str,), "bibliography_page": (str,), "bibliography_title": (str,),
    "references_heading": (str,), "severity": (dict,), "review_max_years": (int,), "require_review": (bool,),
    "reviewers_file": (str,), "readability_warn": (int, float), "readability_error": (int, float),
    "project_root": (str,), "exclude": (list,), "cache_dir": (str, bool), "max_sentence_words": (int,),
    "plain_words": (dict,), "glossary_page": (str,), "allow_raw_html": (dict,), "max_page_kb": (int,),
    "nginx_headers": (str,), "about": (str,), "qr_codes": (bool,), "footer_links": (dict,),
}


def _check_types(opts: dict, config_file: Path) -> None:
    from .diagnostics import did_you_mean
    for name, value in opts.items():
        expected = _OPTION_TYPES.get(name)
        if expected is None:
            hint = did_you_mean(str(name), _OPTION_TYPES)
            raise ConfigError(f"{config_file}: unknown option '{name}' for plugin 'patientguide'"
                              + (f" ({hint})" if hint else ""))
        if value is None and name in ("reviewers_file", "project_root", "nginx_headers", "about"):
            continue
        if isinstance(value, bool) and bool not in expected or not isinstance(value, expected):
            names = " or ".join(t.__name__ for t in expected)
            raise ConfigError(f"{config_file}: plugin 'patientguide' option '{name}' must be a {names}, "
                              f"got {type(value).__name__} '{value}'")


def _reasons(value: Any, config_file: Path) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) and v.strip() for v in value.values()):
        raise ConfigError(f"{config_file}: plugin 'patientguide' option 'allow_raw_html' must map each page "
                          "to the reason it is allowed, e.g. {{embed.md: 'video approved by the web team'}}")
    return {str(k): str(v) for k, v in value.items()}


def _cache_dir(value: Any, base: Path) -> Path | None:
    if value in (None, False, "", "false", "off"):
        return None
    if os.environ.get("PATIENTGUIDE_NO_CACHE"):
        return None
    p = Path(str(value))
    return p if p.is_absolute() else (base / p).resolve()


def settings_from_mkdocs_yml(path: Path, today: dt.date | None = None, strict: bool = False) -> Settings:
    """What the CLI uses: the plugin block of ``mkdocs.yml`` (with INHERIT) → Settings."""
    data = read_mkdocs_yml(path)
    opts = plugin_options(data)
    if opts is None:
        raise ConfigError(f"{path}: the 'patientguide' plugin is not enabled under 'plugins:'")
    # An INHERIT child resolves paths relative to itself, like MkDocs does for docs_dir.
    return settings_from_options(opts, config_file=path, docs_dir=data.get("docs_dir", "docs"),
                                 use_directory_urls=bool(data.get("use_directory_urls", True)),
                                 today=today, strict=strict, mkdocs_yml=data)
