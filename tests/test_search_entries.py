"""The bibliography's search entries are kept by what they are made from (patientguide.search_entries):
a build that finds them does not have the indexer read the page again, and builds the same site."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from material.plugins.search.plugin import SearchIndex

from conftest import GOOD_BIB, page
from patientguide import search_entries
from patientguide.pagecache import KeptResults

PAGES = {
    "content/index.md": page("Home", """
        # Home

        It can help [@karakoc2002safe]. Leaflets say more [@bad2021leaflet].
        """),
}


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _indexer_reads(monkeypatch) -> dict[str, list[str]]:
    """What Material's indexer is given to read, page by page, from now on."""
    seen: dict[str, list[str]] = {}
    real = SearchIndex.add_entry_from_context
    monkeypatch.setattr(SearchIndex, "add_entry_from_context",
                        lambda self, p: seen.setdefault(p.file.src_uri, []).append(p.content) or real(self, p))
    return seen


def _bibliography_entries(root: Path, site_dir: str) -> list[dict]:
    index = json.loads((root / site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    return [doc for doc in index["docs"] if doc["location"].startswith("references/")]


def test_a_warm_build_takes_the_bibliography_s_entries_as_kept_and_builds_the_same_site(site_factory,
                                                                                        monkeypatch) -> None:
    site = site_factory(PAGES)
    seen = _indexer_reads(monkeypatch)
    for site_dir in ("first", "second"):
        r = site.build(site_dir=site_dir)
        assert r.returncode == 0, r.stderr
    first, second = seen["references.md"]
    assert "Safe control of palmoplantar hyperhidrosis" in first and second == ""  # not read again
    assert seen["index.md"][0] == seen["index.md"][1] != ""  # other pages: as before
    r = site.build(site_dir="cold", env={"PATIENTGUIDE_NO_CACHE": "1"})
    assert r.returncode == 0, r.stderr
    built = {name: _files(site.root / name) for name in ("first", "second", "cold")}
    assert built["second"] == built["first"] == built["cold"]
    assert any("Safe control of palmoplantar" in doc["text"] for doc in _bibliography_entries(site.root, "second"))


def test_a_changed_reference_is_indexed_as_it_now_reads(site_factory, monkeypatch) -> None:
    site = site_factory(PAGES)
    assert site.build(site_dir="before").returncode == 0
    site.write("references/main.bib", GOOD_BIB.replace("Safe control of palmoplantar", "Safe handling of palmar"))
    seen = _indexer_reads(monkeypatch)
    r = site.build(site_dir="after")
    assert r.returncode == 0, r.stderr
    assert "Safe handling of palmar" in seen["references.md"][0]  # read again: its HTML changed
    texts = " ".join(doc["text"] for doc in _bibliography_entries(site.root, "after"))
    assert "Safe handling of palmar" in texts and "Safe control of palmoplantar" not in texts
    r = site.build(site_dir="cold", env={"PATIENTGUIDE_NO_CACHE": "1"})
    assert _files(site.root / "after") == _files(site.root / "cold")


def test_a_changed_table_of_contents_or_address_is_a_new_key() -> None:
    link = SimpleNamespace(id="references", url="#references", title="References", level=1, children=[])
    page = SimpleNamespace(url="references/", title="References", meta={}, toc=[link], content="<p>x</p>")
    key = search_entries._key(page)
    assert search_entries._key(page) == key
    for change in ({"url": "sources/"}, {"content": "<p>y</p>"}, {"meta": {"search": {"boost": 2}}},
                   {"toc": [SimpleNamespace(**{**vars(link), "id": "refs"})]}):
        assert search_entries._key(SimpleNamespace(**{**vars(page), **change})) != key, change


def test_kept_entries_go_where_the_indexer_would_have_put_them() -> None:
    kept = KeptResults(None, "index-entries-1.pickle")
    page = SimpleNamespace(url="references/", title="References", meta={}, toc=[], content="<p>Sources</p>")
    entries = [{"location": "", "title": "Home", "text": "x"}]
    held = search_entries.before_indexing(page, entries, kept)
    assert page.content == "<p>Sources</p>"  # nothing kept yet: the indexer reads the page
    entries.append({"location": "references/", "title": "References", "text": "<p>Sources</p>"})
    search_entries.after_indexing(page, kept, held)
    again = entries[:1]
    held = search_entries.before_indexing(page, again, kept)
    assert page.content == ""  # kept: nothing to read
    search_entries.after_indexing(page, kept, held)
    assert page.content == "<p>Sources</p>" and again == entries


def test_no_index_without_an_enabled_material_search_plugin() -> None:
    class Other:
        search_index = SimpleNamespace(entries=[])
        config = SimpleNamespace(enabled=True)

    assert search_entries.index_entries([Other()]) is None
    Search = type("SearchPlugin", (Other,), {"__module__": search_entries.INDEXER})
    found = Search()
    assert search_entries.index_entries([Other(), found]) is found.search_index.entries
    found.config = SimpleNamespace(enabled=False)
    assert search_entries.index_entries([found]) is None


def test_a_damaged_entry_is_read_again_not_trusted() -> None:
    kept = KeptResults(None, "index-entries-1.pickle")
    page = SimpleNamespace(url="references/", title="References", meta={}, toc=[], content="<p>Sources</p>")
    kept.put(search_entries._key(page), "not a list of entries")
    entries: list[dict] = []
    held = search_entries.before_indexing(page, entries, kept)
    assert page.content == "<p>Sources</p>"  # the indexer reads the page
    entries.append({"location": "references/", "title": "References", "text": "<p>Sources</p>"})
    search_entries.after_indexing(page, kept, held)
    assert kept.get(search_entries._key(page)) == entries  # and what it made is kept
