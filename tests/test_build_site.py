"""`make site` (scripts/build-site): a failed build leaves the previous site whole."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT, page

pytestmark = pytest.mark.build


def build_site(site) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts" / "build-site"), "mkdocs.yml", "site"],
                          cwd=site.root, capture_output=True, text=True)


def test_swap_only_on_success(site_factory) -> None:
    site = site_factory()
    ok = build_site(site)
    assert ok.returncode == 0, ok.stderr
    before = site.html()
    (site.root / "site" / "marker.txt").write_text("old")

    site.write("content/index.md", page("Home", "# Home\n\nBroken [@nosuchkey].\n"))
    bad = build_site(site)
    assert bad.returncode != 0
    assert "unknown citation key 'nosuchkey'" in bad.stderr
    assert "left as it was" in bad.stderr
    assert site.html() == before and (site.root / "site" / "marker.txt").exists()
    assert sorted(p.name for p in site.root.iterdir() if p.name.startswith(".site")) == []  # no temp left

    site.write("content/index.md", page("Home", "# Home\n\nFixed [@karakoc2002safe; @bad2021leaflet].\n"))
    again = build_site(site)
    assert again.returncode == 0, again.stderr
    assert "Fixed" in site.html() and not (site.root / "site" / "marker.txt").exists()
