"""The whole check result kept by everything the checks read (sitecache.py): a check in which
nothing changed gets it back without running or importing a check, with the same diagnostics,
page report and unused list as a cold check; any change to a page, a reference, a setting, a
block, the clinic profile, the reviewers file, the site's own main.html, a file a link points
at, the config's text (nav positions) or the day makes every check run again (the page cache
still spares the pages it did not change)."""

from __future__ import annotations

import datetime as dt
import gc
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import clinic_yaml, make_site, page, run_cli
from patientguide.caches import Caches
from patientguide.checks import site as site_checks
from patientguide.options import load_site_config
from patientguide.site_inputs import inputs_digest, load_bibliography
from patientguide.sitecache import checked_site

TODAY = dt.date(2026, 11, 24)
CLINIC = clinic_yaml(logo="logo.svg")
EXTENDS = '{% extends "patientguide/main.html" %}\n'
BLOCK = ("!!! warning \"Before you start\"\n    Stop if your skin is sore. Call {{ clinic.emergency_number }}.\n"
         "    {{ clinic.emergency }}\n")
LOGO = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>\n'
REVIEWERS = "reviewers:\n  jsmith:\n    name: Dr Jane Smith\n    credentials: MBBS\n    role: Dermatologist\n" \
            "    conflicts_of_interest: none\n"


def _site(tmp_path: Path):
    site = make_site(tmp_path, {
        "content/a.md": page("A", "# A\n\n--8<-- \"blocks/start.md\"\n\nIt can help [@karakoc2002safe].\n\n"
                                  "See [the picture](images/hands.png).\n"),
        "content/b.md": page("B", "# B\n\nIt can help [@bad2021leaflet].\n"),
        "blocks/start.md": BLOCK,
        "overrides/main.html": EXTENDS,
        "reviewers.yml": REVIEWERS,
        "logo.svg": LOGO,
    }, options="reviewers_file: reviewers.yml")
    config = site.config.read_text().replace("  font: false\n", "  font: false\n  custom_dir: overrides\n")
    site.write("mkdocs.yml", config + CLINIC + "\nnav:\n  - index.md\n  - a.md\n  - b.md\n  - gone.md\n")
    return site


def _settings(site, today: dt.date = TODAY):  # noqa: ANN001, ANN202
    return load_site_config(site.config, today=today).settings


def _cold(site, today: dt.date = TODAY):  # noqa: ANN001, ANN202
    """Every check on every page: no cache at all (as PATIENTGUIDE_NO_CACHE=1)."""
    return site_checks.check_site(replace(_settings(site, today), cache_dir=None), Caches(None))


def _shown(report) -> list:  # noqa: ANN001
    """Everything a caller reads of a report: each diagnostic, the pages, the unused entries, the summary."""
    return [[d.to_dict() for d in report.diagnostics], report.pages_json(), report.unused_json(), report.summary(),
            sorted(report.cited_on.items()), report.reviewers]


def _edit(site, rel: str, old: str, new: str) -> None:  # noqa: ANN001
    text = (site.root / rel).read_text()
    assert old in text, (rel, old)
    site.write(rel, text.replace(old, new, 1))


CHANGES: dict[str, Callable] = {
    "page": lambda s: _edit(s, "content/b.md", "[@bad2021leaflet]", "[@nosuchkey]"),
    "reference": lambda s: _edit(s, "references/main.bib", "karakoc2002safe,", "karakoc2002,"),
    "setting": lambda s: _edit(s, "mkdocs.yml", "reviewers_file: reviewers.yml",
                               "reviewers_file: reviewers.yml\n      plain_words: {help: aid}"),
    "block": lambda s: _edit(s, "blocks/start.md", "Stop if", "Commence slowly. Stop if"),
    "new block file": lambda s: _edit(s, "content/b.md", "# B\n", '# B\n\n--8<-- "blocks/more.md"\n')
    or s.write("blocks/more.md", "Utilise it daily.\n"),
    "clinic profile": lambda s: _edit(s, "mkdocs.yml", "    country: GB\n", '    country: GB\n    phone: "12"\n'),
    "a placeholder's value": lambda s: _edit(s, "mkdocs.yml", "    country: GB\n",
                                             "    country: GB\n    emergency: Commence by calling 999.\n"),
    "clinic logo": lambda s: _edit(s, "logo.svg", "<rect", '<script>alert(1)</script><rect'),
    "reviewers file": lambda s: _edit(s, "reviewers.yml", "    role: Dermatologist\n", ""),
    "main.html": lambda s: s.write("overrides/main.html", '{% extends "base.html" %}\n'),
    "a linked file appears": lambda s: s.write("content/images/hands.png", "not really a picture"),
    "config text only": lambda s: _edit(s, "mkdocs.yml", "\nnav:", "\n# the nav's positions move down\nnav:"),
}


@pytest.mark.parametrize("serve", [False, True], ids=["next build", "mkdocs serve"])
@pytest.mark.parametrize("change", CHANGES)
def test_a_change_to_anything_the_checks_read_is_seen(tmp_path: Path, change: str, serve: bool) -> None:
    site = _site(tmp_path)
    caches = Caches(_settings(site).cache_dir)
    before = checked_site(_settings(site), caches if serve else None)
    assert _shown(before) == _shown(_cold(site))
    CHANGES[change](site)
    after = checked_site(_settings(site), caches if serve else None)
    expected = _shown(_cold(site))
    assert _shown(after) == expected
    assert expected != _shown(before)  # the change shows: a kept result would have been wrong


def test_another_day_is_seen(tmp_path: Path) -> None:
    site = _site(tmp_path)
    before = checked_site(_settings(site))
    later = dt.date(2027, 6, 1)
    after = checked_site(_settings(site, later))
    assert _shown(after) == _shown(_cold(site, later)) != _shown(before)
    assert any(d.code == "review.overdue" for d in after.diagnostics)


def test_nothing_changed_gives_the_kept_result_without_checking(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    site = _site(tmp_path)
    cold = _shown(_cold(site))
    first = checked_site(_settings(site))
    assert (site.root / ".cache" / "patientguide" / "site-2.pickle").is_file()

    def no_check(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("checked again, though nothing changed")
    monkeypatch.setattr(site_checks, "check_site", no_check)
    again = checked_site(_settings(site))  # a new process: new caches, the same cache folder
    assert _shown(again) == _shown(first) == cold
    assert again.bibliography.keys() == first.bibliography.keys()
    caches = Caches(None)  # mkdocs serve with no cache folder: kept in memory between rebuilds
    monkeypatch.undo()
    served = checked_site(_settings(site), caches)
    monkeypatch.setattr(site_checks, "check_site", no_check)
    assert _shown(checked_site(_settings(site), caches)) == _shown(served) == _shown(first)


def test_who_cites_what_is_left_to_the_collector_checked_and_kept(tmp_path: Path) -> None:
    """Each cited entry's pages come as a tuple of strings, from a check and from the kept result alike: the
    collector stops following such a tuple once it has seen it, where a list stays followed as long as it lives
    (one per cited entry, 5000 on the benchmark's biggest site, in every full collection of the build)."""
    site = _site(tmp_path)
    for report in (checked_site(_settings(site)), checked_site(_settings(site))):  # checked, then kept
        pages = report.cited_on["karakoc2002safe"]
        assert type(pages) is tuple and ("a.md", "A") in pages
        gc.collect()
        assert not any(gc.is_tracked(on) for on in report.cited_on.values())


_CHECK_AND_LIST = ("import sys\n"
                   "from patientguide.cli import main\n"
                   "code = main(['check', '--today', '2026-11-24'])\n"
                   "print(' '.join(m for m in sys.modules if m.startswith('patientguide')))\n"
                   "sys.exit(code)\n")


def _check_in_process(root: Path, **env: str) -> tuple[set[str], str]:
    clean = {k: v for k, v in os.environ.items() if k != "PATIENTGUIDE_NO_CACHE"}
    r = subprocess.run([sys.executable, "-c", _CHECK_AND_LIST], cwd=root, capture_output=True, text=True,
                       env={**clean, **env})
    assert r.returncode in (0, 1), r.stderr
    lines = r.stdout.splitlines()
    return set(lines[-1].split()), "\n".join(lines[:-1]) + r.stderr


def test_a_warm_check_imports_no_rule_and_a_cold_one_runs_them_all(tmp_path: Path) -> None:
    site = _site(tmp_path)
    cold, cold_out = _check_in_process(site.root)
    assert {"patientguide.checks", "patientguide.checks.links", "patientguide.claims"} <= cold
    warm, warm_out = _check_in_process(site.root)
    assert not {m for m in warm if m.startswith("patientguide.checks")}
    assert "patientguide.claims" not in warm
    no_cache, no_cache_out = _check_in_process(site.root, PATIENTGUIDE_NO_CACHE="1")
    assert {"patientguide.checks.links", "patientguide.claims"} <= no_cache
    assert "links.missing-file" in cold_out  # a site check's finding, shown from the cache too
    assert warm_out == cold_out == no_cache_out


def test_the_command_line_prints_the_same_from_the_cache(tmp_path: Path) -> None:
    site = _site(tmp_path)
    for args in (["--format", "json"], ["--report"], ["--strict"], ["--format", "github"], ["-v"]):
        cold = run_cli(["check", "--today", "2026-11-24", *args], cwd=site.root,
                       env={**os.environ, "PATIENTGUIDE_NO_CACHE": "1"})
        first = site.check(*args)
        warm = site.check(*args)
        for r in (first, warm):
            assert (r.returncode, r.stdout, r.stderr) == (cold.returncode, cold.stdout, cold.stderr), args


def test_the_key_covers_the_code_of_a_markdown_extension(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A site's own toc ``slugify`` makes the heading ids its anchors are checked against."""
    site = make_site(tmp_path)
    module = tmp_path / "ext" / "siteslugs.py"
    module.parent.mkdir()
    module.write_text("def slugify(value, separator):\n    return value.lower()\n")
    monkeypatch.syspath_prepend(str(module.parent))
    extensions = ("markdown_extensions:\n  - toc:\n      slugify: !!python/name:siteslugs.slugify\n"
                  "  - admonition\n  - tables\n  - footnotes\n  - attr_list\n  - pymdownx.superfences\n")
    site.write("mkdocs.yml", site.config.read_text().replace(
        "markdown_extensions: [admonition, tables, footnotes, attr_list, pymdownx.superfences]\n", extensions))
    assert "siteslugs" in repr(load_site_config(site.config).settings.site.markdown_extensions)
    settings = _settings(site)

    def key() -> str:
        return inputs_digest(settings, (None, []), load_bibliography(settings, Caches(None)))
    before = key()
    assert key() == before
    module.write_text("def slugify(value, separator):\n    return value.upper()\n")
    assert key() != before


@pytest.fixture
def rechecked(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """The pages the page checks ran on, and those whose links were read, in order."""
    from patientguide.checks import links
    seen: dict[str, list[str]] = {"checked": [], "links read": []}

    def first(page):  # noqa: ANN001, ANN202
        seen["checked"].append(page.src_uri)
        return []
    monkeypatch.setattr(site_checks, "PAGE_CHECKS", (first, *site_checks.PAGE_CHECKS))
    read = links.LinkCheck.page_links

    def page_links(self, page):  # noqa: ANN001, ANN202
        seen["links read"].append(page.src_uri)
        return read(self, page)
    monkeypatch.setattr(links.LinkCheck, "page_links", page_links)
    return seen


def _linked_site(tmp_path: Path):
    return make_site(tmp_path, {
        "content/a.md": page("A", "# A\n\n## Side effects\n\nIt can tingle [@karakoc2002safe].\n"),
        "content/b.md": page("B", "# B\n\nRead [about side effects](a.md#side-effects) [@bad2021leaflet].\n"),
        "content/c.md": page("C", "# C\n\nIt can help [@karakoc2002safe].\n"),
    })


@pytest.mark.parametrize("serve", [True, False], ids=["mkdocs serve", "next build"])
def test_an_edit_checks_that_page_again_and_reads_only_its_links(tmp_path: Path, rechecked, serve: bool) -> None:
    site = _linked_site(tmp_path)
    caches = Caches(_settings(site).cache_dir)
    checked_site(_settings(site), caches)
    assert sorted(rechecked["checked"]) == sorted(rechecked["links read"]) == ["a.md", "b.md", "c.md", "index.md"]
    for seen in rechecked.values():
        seen.clear()
    _edit(site, "content/a.md", "## Side effects", "## Effects on the skin")  # b's link now misses its anchor
    after = checked_site(_settings(site), caches if serve else None)
    assert rechecked == {"checked": ["a.md"], "links read": ["a.md"]}
    assert _shown(after) == _shown(_cold(site))
    broken = [d for d in after.diagnostics if d.code == "links.broken-anchor"]
    assert [(d.path, d.line) for d in broken] == [("content/b.md", 14)]


def test_a_new_file_reads_every_page_s_links_again(tmp_path: Path, rechecked) -> None:
    site = _linked_site(tmp_path)
    caches = Caches(_settings(site).cache_dir)
    checked_site(_settings(site), caches)
    for seen in rechecked.values():
        seen.clear()
    site.write("content/images/hands.png", "not really a picture")
    after = checked_site(_settings(site), caches)
    assert rechecked["checked"] == [] and sorted(rechecked["links read"]) == ["a.md", "b.md", "c.md", "index.md"]
    assert _shown(after) == _shown(_cold(site))


def test_serving_loads_the_rules_before_the_first_edit() -> None:
    """``mkdocs serve`` starts with every page from the cache; the first edit's rebuild then
    need not import and compile the rules (claims, textstat and its hyphenation rules)."""
    code = ("import sys\n"
            "from patientguide.mkdocs_plugin import PatientGuidePlugin\n"
            "plugin = PatientGuidePlugin()\n"
            "plugin.load_config({})\n"
            "plugin.on_startup(command=sys.argv[1], dirty=False)\n"
            "print(' '.join(m for m in sys.modules if m.startswith(('patientguide', 'textstat', 'pyphen'))))\n")
    loaded = {}
    for command in ("serve", "build"):
        r = subprocess.run([sys.executable, "-c", code, command], capture_output=True, text=True)
        assert r.returncode == 0, r.stderr
        loaded[command] = set(r.stdout.split())
    assert {"patientguide.checks.links", "patientguide.claims", "textstat", "pyphen"} <= loaded["serve"]
    assert not loaded["build"] & {"patientguide.checks", "patientguide.claims", "textstat", "pyphen"}


def test_a_first_check_asks_for_the_kept_files_at_once_and_a_rebuild_does_not(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from patientguide import diskcache
    site = _site(tmp_path)
    settings = _settings(site)
    asked: list[Path | None] = []
    monkeypatch.setattr(diskcache, "prefetch", asked.append)
    first = checked_site(settings)  # a build's or the CLI's first check: from disk
    assert asked == [settings.cache_dir] and settings.cache_dir is not None
    checked_site(settings, first.caches)  # mkdocs serve's rebuild: its caches are in memory
    assert asked == [settings.cache_dir]


def test_a_build_converts_each_page_as_its_checks_read_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build reads each page from disk once, for the site key: a page saved again after the checks
    read it is built as they read it (the next build checks and builds the new text), never checked
    as one text and built as another."""
    from patientguide import sitecache
    site = make_site(tmp_path, {"content/a.md": page("A", "# A\r\n\r\nBefore the edit.\r\n")})
    checked = sitecache.checked_site

    def then_saved_again(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        report = checked(*args, **kwargs)
        site.write("content/a.md", page("A", "# A\n\nAfter the edit [@nosuchkey].\n"))
        return report
    monkeypatch.setattr(sitecache, "checked_site", then_saved_again)
    assert site.build().returncode == 0
    html = site.html("a/index.html")
    assert "Before the edit." in html and "After the edit" not in html and "\r" not in html
    monkeypatch.setattr(sitecache, "checked_site", checked)
    again = site.build()
    assert again.returncode == 1 and "unknown citation key 'nosuchkey'" in again.stdout + again.stderr


@pytest.mark.parametrize("data", [b"# A\r\n\r\nText\r\nmore\rand more\n", "\ufeff# A\n\nT\u00e9xt\n".encode(),
                                  b"# A\n\n\xff\xfe not UTF-8\n"], ids=["line endings", "byte-order mark", "not UTF-8"])
def test_a_page_kept_by_the_site_key_reads_as_mkdocs_reads_it(tmp_path: Path, data: bytes) -> None:
    from mkdocs.structure.files import File
    path = tmp_path / "a.md"
    path.write_bytes(data)
    caches = Caches(None)
    caches.page_sources = {os.path.normpath(path): data}
    try:
        expected: str | None = File("a.md", str(tmp_path), str(tmp_path / "site"), True).content_string
    except UnicodeDecodeError:  # MkDocs reads the file itself and reports it
        expected = None
    assert caches.page_source(str(path)) == expected
    assert caches.page_sources == {} and caches.page_source(str(path)) is None  # let go once read
