"""The page cache: between two builds (``mkdocs serve``, or the next build from ``cache_dir``),
only the pages whose inputs changed are checked again, and the results are the same as a cold
check's. A page's inputs: its text, the blocks it includes, the settings, the references, the
reviewers and the glossary."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import make_site, page
from patientguide.caches import Caches
from patientguide.checks import site as site_checks
from patientguide.options import load_site_config

TODAY = dt.date(2026, 11, 24)
BLOCK = "!!! warning \"Before you start\"\n    Stop if your skin is sore.\n"


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pages the page checks run on, in order (each check counts once per page)."""
    seen: list[str] = []

    def first(page):  # noqa: ANN001
        seen.append(page.src_uri)
        return []
    monkeypatch.setattr(site_checks, "PAGE_CHECKS", (first, *site_checks.PAGE_CHECKS))
    return seen


def _site(tmp_path: Path):
    return make_site(tmp_path, {
        "content/a.md": page("A", "# A\n\n--8<-- \"blocks/before-you-start.md\"\n\nIt can help [@karakoc2002safe].\n"),
        "content/b.md": page("B", "# B\n\nIt can help [@bad2021leaflet].\n"),
        "blocks/before-you-start.md": BLOCK,
    })


def _check(site, caches: Caches | None = None, options: str = ""):  # noqa: ANN001, ANN202
    settings = load_site_config(site.config, today=TODAY).settings
    return site_checks.check_site(settings, caches or Caches(settings.cache_dir))


def _cold(site):  # noqa: ANN001, ANN202
    settings = load_site_config(site.config, today=TODAY).settings
    return site_checks.check_site(settings, Caches(None))


def _shown(report) -> list[str]:  # noqa: ANN001
    return [str(d) for d in report.diagnostics]


def test_unchanged_pages_are_not_checked_again(tmp_path: Path, checked: list[str]) -> None:
    site = _site(tmp_path)
    settings = load_site_config(site.config, today=TODAY).settings
    caches = Caches(settings.cache_dir)
    first = _check(site, caches)
    assert sorted(checked) == ["a.md", "b.md", "index.md"]
    checked.clear()
    again = _check(site, caches)  # mkdocs serve: the same caches, nothing changed
    assert checked == []
    assert _shown(again) == _shown(first)
    assert again.pages["a.md"].citation_sites == first.pages["a.md"].citation_sites
    site.write("content/b.md", page("B", "# B\n\nIt can utilise [@bad2021leaflet].\n"))
    edited = _check(site, caches)
    assert checked == ["b.md"]  # only the edited page
    assert any(d.code == "style.plain-word" and d.path == "content/b.md" for d in edited.diagnostics)
    assert _shown(edited) == _shown(_cold(site))


def test_results_come_back_from_the_cache_folder(tmp_path: Path, checked: list[str]) -> None:
    site = _site(tmp_path)
    first = _check(site)
    checked.clear()
    again = _check(site)  # a new process: new caches, the same cache_dir
    assert checked == []
    assert _shown(again) == _shown(first)
    assert (site.root / ".cache" / "patientguide" / "pages-1.pickle").is_file()


def test_an_edited_block_rechecks_the_pages_that_include_it(tmp_path: Path, checked: list[str]) -> None:
    site = _site(tmp_path)
    _check(site)
    checked.clear()
    site.write("blocks/before-you-start.md", BLOCK + "    Commence slowly.\n")
    report = _check(site)
    assert checked == ["a.md"]
    found = [d for d in report.diagnostics if d.code == "style.plain-word"]
    assert [(d.path, d.line) for d in found] == [("blocks/before-you-start.md", 3)]  # where it was written
    assert _shown(report) == _shown(_cold(site))


def test_a_changed_reference_rechecks_every_page(tmp_path: Path, checked: list[str]) -> None:
    site = _site(tmp_path)
    _check(site)
    checked.clear()
    bib = (site.root / "references/main.bib").read_text()
    site.write("references/main.bib", bib.replace("karakoc2002safe,", "karakoc2002,"))
    report = _check(site)
    assert sorted(checked) == ["a.md", "b.md", "index.md"]
    assert any(d.code == "citation.unknown-key" and d.path == "content/a.md" for d in report.diagnostics)
    assert _shown(report) == _shown(_cold(site))


def test_a_changed_setting_rechecks_every_page(tmp_path: Path, checked: list[str]) -> None:
    site = _site(tmp_path)
    _check(site)
    checked.clear()
    config = site.config.read_text().replace("  - patientguide\n", "  - patientguide:\n      plain_words: {help: aid}\n")
    site.write("mkdocs.yml", config)
    report = _check(site)
    assert sorted(checked) == ["a.md", "b.md", "index.md"]
    assert any(d.code == "style.plain-word" and "help" in d.message for d in report.diagnostics)
    assert _shown(report) == _shown(_cold(site))


def test_another_day_rechecks_the_review_dates(tmp_path: Path, checked: list[str]) -> None:
    site = _site(tmp_path)
    _check(site)
    checked.clear()
    settings = load_site_config(site.config, today=dt.date(2027, 6, 1)).settings
    report = site_checks.check_site(settings, Caches(settings.cache_dir))
    assert sorted(checked) == ["a.md", "b.md", "index.md"]
    assert any(d.code == "review.overdue" for d in report.diagnostics)


def test_a_changed_glossary_rechecks_every_page(tmp_path: Path, checked: list[str]) -> None:
    site = _site(tmp_path)
    site.write("content/glossary.md", page("Glossary", "# Glossary\n\n## Tingle\n\nA light feeling.\n"))
    _check(site)
    checked.clear()
    site.write("content/glossary.md", page("Glossary", "# Glossary\n\n## Skin\n\nWhat covers you.\n"))
    report = _check(site)
    assert sorted(checked) == ["a.md", "b.md", "glossary.md", "index.md"]
    assert _shown(report) == _shown(_cold(site))
