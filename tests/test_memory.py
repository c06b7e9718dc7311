"""What a one-off ``mkdocs build`` holds in memory (issue 16, docs/performance.md): cache files read
when first used, what only checking reads forgotten once the site is checked and written, what only
conversion reads forgotten once every page is converted, and each reference's field names and
short values held once. Memory figures are the benchmarks' (never asserted here); these tests pin
the behaviour, and that the site built is the same byte for byte."""

from __future__ import annotations

import gzip
import pickle
from pathlib import Path

from conftest import _env, _process_as, make_site, page
from patientguide.options import load_site_config
from patientguide.pagecache import KeptResults
from patientguide.references import ReferenceCache, load_references
from patientguide.sitecache import checked_site

BIB = """\
@article{one, author = {Smith, Ann}, title = {First}, journal = {Dermatol Surg}, year = {2001}}
@article{two, author = {Jones, Bo}, title = {Second}, journal = {Dermatol Surg}, year = {2001}}
"""


def test_a_cache_file_is_read_when_the_cache_is_first_used(tmp_path: Path) -> None:
    first = KeptResults(tmp_path, "x.pickle")
    first.put("a", 1)
    first.flush()
    kept = KeptResults(tmp_path, "x.pickle")  # made, not yet used
    later = KeptResults(tmp_path, "x.pickle")
    later.put("b", 2)
    later.flush()  # another process writes the file meanwhile (keys are by content: either is right)
    assert kept.get("b") == 2 and kept.get("a") is None


def test_field_names_and_short_values_are_held_once_also_from_the_reference_cache(tmp_path: Path) -> None:
    ReferenceCache(tmp_path).parse(BIB, "references/a.bib")  # parsed, written
    for bib in (load_references([("references/a.bib", BIB)]),
                load_references([("references/a.bib", BIB)], ReferenceCache(tmp_path))):  # read from disk
        one, two = bib.entries["one"], bib.entries["two"]
        assert [id(k) for k in one.fields] == [id(k) for k in two.fields]
        assert one.fields["journal"] is two.fields["journal"] and one.type is two.type
        assert one.fields["title"] == "First" and two.fields["title"] == "Second"


def _site(tmp_path: Path):  # noqa: ANN202
    return make_site(tmp_path, {
        "content/a.md": page("A", "# A\n\nIt can help [@karakoc2002safe].\n\nIt may not [@bad2021leaflet].\n"),
        "content/references.md": page("References", "# References\n"),
    })


def test_the_last_build_forgets_what_only_checking_reads_once_it_is_written(tmp_path: Path) -> None:
    site = _site(tmp_path)
    settings = load_site_config(site.config).settings
    for _ in range(2):  # cold, then from cache_dir
        report = checked_site(settings, last_build=True)
        assert report.caches.last_build and set(report.pages) == {"index.md", "a.md", "references.md"}
        for kept in (report.caches.memo, report.caches.pages, report.caches.site):
            assert kept.cache_dir is None and not kept.entries
            assert KeptResults(settings.cache_dir, kept.file).entries  # written before it was forgotten
    assert not checked_site(settings).caches.last_build  # mkdocs serve, the CLI: everything kept
    assert checked_site(settings).caches.memo.entries


def _build(site, site_dir: str, command: str | None):  # noqa: ANN001, ANN202
    """``mkdocs build`` as the command runs it (``command``: what on_startup is told; ``None``: not called,
    as a host that keeps the plugin for further builds); the plugin afterwards."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config

    env = {**_env(), "SOURCE_DATE_EPOCH": "1795996800"}
    with _process_as(site.root, env):
        config = load_config(config_file=str(site.config), site_dir=site_dir)
        if command is not None:
            config.plugins.on_startup(command=command, dirty=False)
        mkdocs_build.build(config)
    return config.plugins["patientguide"]


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): gzip.decompress(p.read_bytes()) if p.suffix == ".gz" else p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def test_a_build_that_forgets_builds_the_same_site_cold_and_warm(tmp_path: Path) -> None:
    site = _site(tmp_path)
    kept = _build(site, str(tmp_path / "kept"), None)
    assert kept.report.pages and kept.report.bibliography.entries
    for run in ("cold", "warm"):
        if run == "cold":
            for f in (site.root / ".cache").rglob("*.pickle"):
                f.unlink()
        plugin = _build(site, str(tmp_path / run), "build")
        assert plugin.report.pages == {} and not plugin.report.bibliography.entries  # forgotten once converted
        assert plugin.report.caches.formatted.cache_dir is None
        assert _files(tmp_path / run) == _files(tmp_path / "kept")
    assert pickle.loads((site.root / ".cache/patientguide/formatted-1.pickle").read_bytes())  # still written
