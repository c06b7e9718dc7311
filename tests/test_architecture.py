"""The core never imports MkDocs: only mkdocs_plugin.py is allowed to."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import patientguide

CORE = sorted(m.name for m in pkgutil.iter_modules(patientguide.__path__) if m.name != "mkdocs_plugin")


def test_core_modules_import_without_mkdocs() -> None:
    code = ("import sys; sys.modules['mkdocs'] = None; sys.modules['material'] = None\n"
            + "".join(f"import patientguide.{m}\n" for m in CORE)
            + "from patientguide.cli import main\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "check" in CORE and "citations" in CORE


def test_cli_check_runs_without_mkdocs(tmp_path) -> None:
    """The CLI's whole check path works with MkDocs made unimportable."""
    from conftest import make_site
    site = make_site(tmp_path)
    code = ("import sys; sys.modules['mkdocs'] = None; sys.modules['material'] = None\n"
            "from patientguide.cli import main; sys.exit(main(['check', '--today', '2026-11-24']))\n")
    r = subprocess.run([sys.executable, "-c", code], cwd=site.root, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
