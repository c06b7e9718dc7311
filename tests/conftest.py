"""Shared test helpers: small complete sites in a temp folder, the CLI, and real MkDocs builds."""

from __future__ import annotations

import contextlib
import importlib.machinery
import importlib.util
import io
import json
import logging
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

MKDOCS_YML = """\
site_name: Test site
docs_dir: content
theme:
  name: material
  font: false
plugins:
  - search
  - patientguide{options}
markdown_extensions: [admonition, tables, footnotes, attr_list, pymdownx.superfences]
"""

FRONT = """\
---
title: {title}
description: A test page.
summary:
  - A key point.
audience: patient
last_reviewed: 2026-01-10
next_review_due: 2027-01-10
status: draft
---
"""

GOOD_BIB = r"""@article{karakoc2002safe,
  author = {Karako{\c{c}}, Yunus and Aydemir, Ertu{\u{g}}rul H. and Kalkan, M. Tunaya},
  title = {Safe control of palmoplantar hyperhidrosis with direct electrical current},
  journal = {Int J Dermatol},
  year = {2002}, evidence = {study},
  volume = {41},
  number = {9},
  pages = {602--605},
  doi = {10.1046/j.1365-4362.2002.01473.x}
}

@misc{bad2021leaflet,
  author = {{British Association of Dermatologists}},
  title = {Iontophoresis for hyperhidrosis},
  year = {2021}, evidence = {leaflet},
  url = {https://www.skinhealthinfo.org.uk/condition/iontophoresis-for-hyperhidrosis/},
  urldate = {2026-11-24}
}
"""

TODAY = "2026-11-24"


def clinic_yaml(*, logo: str | None = None) -> str:
    """A clinic profile for scenario sites (``extra:`` of mkdocs.yml); ``logo`` names a file the site must have."""
    return ("extra:\n  clinic:\n    name: Test Clinic\n    colors: {primary: \"#1f5f8b\", accent: \"#a3410f\"}\n"
            "    email: editors@clinic.example\n" + (f"    logo: {logo}\n" if logo else "")
            + "    country: GB\n    publisher: Test Clinic\n    locale: en-GB\n")


def page(title: str, body: str) -> str:
    """A page with complete front matter (a draft) and the given body."""
    return FRONT.format(title=title) + "\n" + textwrap.dedent(body).lstrip("\n")


@dataclass
class Site:
    root: Path

    @property
    def config(self) -> Path:
        return self.root / "mkdocs.yml"

    def write(self, rel: str, text: str) -> Path:
        p = self.root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        return p

    def check(self, *args: str, today: str = TODAY) -> subprocess.CompletedProcess:
        """Run ``patientguide check`` in the site folder (in this process: the CLI's ``main``)."""
        return run_cli(["check", "--today", today, *args], cwd=self.root)

    def check_json(self, *args: str) -> tuple[int, dict]:
        r = self.check("--format", "json", *args)
        return r.returncode, json.loads(r.stdout)

    def build(self, *args: str, site_dir: str = "site", env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        """A real ``mkdocs build`` (in this process, as ``mkdocs build -d SITE_DIR ARGS`` would run;
        ``env``: more environment variables; ``PYTHONPATH`` there adds to ``sys.path``)."""
        env = {**_env(), **(env or {}), "SOURCE_DATE_EPOCH": "1795996800"}  # 2026-11-30
        return run_mkdocs_build(["-d", site_dir, *args], cwd=self.root, env=env)

    def html(self, rel: str = "index.html", site_dir: str = "site") -> str:
        return (self.root / site_dir / rel).read_text(encoding="utf-8")


@contextlib.contextmanager
def _process_as(cwd: Path, env: dict[str, str]):
    """This process in ``cwd`` with exactly ``env`` (``PYTHONPATH`` also put on ``sys.path``),
    restored afterwards, including any module a test site's folder added."""
    saved_env, saved_cwd, saved_path, saved_modules = dict(os.environ), os.getcwd(), list(sys.path), set(sys.modules)
    os.environ.clear()
    os.environ.update(env)
    sys.path[:0] = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    try:
        os.chdir(cwd)
        yield
    finally:
        os.chdir(saved_cwd)
        os.environ.clear()
        os.environ.update(saved_env)
        sys.path[:] = saved_path
        for name in set(sys.modules) - saved_modules:
            module_file = getattr(sys.modules[name], "__file__", None) or ""
            if any(module_file.startswith(p) for p in env.get("PYTHONPATH", "").split(os.pathsep) if p):
                del sys.modules[name]


def run_mkdocs_build(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    """``mkdocs build ARGS`` in this process (``-d DIR``, ``-f FILE``, ``--strict``, ``-q``), with
    what MkDocs logs and its exit status, as the command line would give them."""
    from mkdocs import exceptions
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    options = {"config_file": None, "site_dir": None, "strict": "--strict" in args}
    for flag, key in (("-d", "site_dir"), ("-f", "config_file")):
        if flag in args:
            options[key] = args[args.index(flag) + 1]
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    saved_level, logger.level = logger.level, logging.ERROR if "-q" in args else logging.INFO
    logger.addHandler(handler)
    code = 0
    try:
        with _process_as(cwd, env):
            try:
                mkdocs_build.build(load_config(**{k: v for k, v in options.items() if v is not None}))
            except (exceptions.Abort, exceptions.ConfigurationError) as e:
                stream.write(f"{'Aborted' if isinstance(e, exceptions.Abort) else 'Error'}: {e}\n")
                code = 1
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved_level)
    return subprocess.CompletedProcess(["mkdocs", "build", *args], code, "", stream.getvalue())


def run_cli(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """``patientguide ARGV`` run in this process, as a subprocess would see it: in ``cwd``, with
    ``env`` (default: this environment without SOURCE_DATE_EPOCH), output captured."""
    from patientguide.cli import main

    out, err = io.StringIO(), io.StringIO()
    with _process_as(cwd, env if env is not None else _env()):
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as e:  # argparse: usage errors exit 2
                code = e.code if isinstance(e.code, int) else 1
    return subprocess.CompletedProcess(["patientguide", *argv], code, out.getvalue(), err.getvalue())


def _env() -> dict:
    env = dict(os.environ)
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.pop("SOURCE_DATE_EPOCH", None)
    return env


def make_site(tmp_path: Path, files: dict[str, str] | None = None, options: str = "",
              bib: str | None = GOOD_BIB) -> Site:
    """A complete small site: mkdocs.yml, content/, references/main.bib, plus ``files``.

    ``options`` is YAML for the plugin's option block, e.g. ``"severity: {bib.unused-entry: ignore}"``.
    """
    root = tmp_path / "site-src"
    root.mkdir(parents=True, exist_ok=True)
    site = Site(root)
    opts = ""
    if options:
        opts = ":\n" + textwrap.indent(textwrap.dedent(options).strip(), " " * 6)
    site.write("mkdocs.yml", MKDOCS_YML.format(options=opts))
    if bib is not None:
        site.write("references/main.bib", bib)
    defaults = {"content/index.md": page("Home", "# Home\n\nIt can help [@karakoc2002safe; @bad2021leaflet].\n")}
    for rel, text in {**defaults, **(files or {})}.items():
        if text is None:
            continue
        site.write(rel, text)
    return site


@pytest.fixture
def site_factory(tmp_path: Path):
    def factory(files: dict[str, str] | None = None, options: str = "", bib: str | None = GOOD_BIB) -> Site:
        return make_site(tmp_path, files, options, bib)
    return factory


def browser_available() -> bool:
    return shutil.which("chromium") is not None or Path("/usr/bin/chromium").exists()


def require_browser() -> None:
    """Skip browser tests where chromium is missing, unless CI says it must be there."""
    if not browser_available():
        if os.environ.get("PG_REQUIRE_BROWSER") == "1":
            pytest.fail("chromium is required (PG_REQUIRE_BROWSER=1) but not installed")
        pytest.skip("chromium not installed (apt-get install chromium)")


def load_bench():
    """scripts/bench as a module (it has no .py suffix), for tests of its parts."""
    root = Path(__file__).resolve().parent.parent
    loader = importlib.machinery.SourceFileLoader("bench", str(root / "scripts" / "bench"))
    module = importlib.util.module_from_spec(importlib.util.spec_from_loader("bench", loader))
    loader.exec_module(module)
    return module
