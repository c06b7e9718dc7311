"""What a one-off ``mkdocs build`` holds in memory (issue 16, docs/performance.md): cache files read
when first used, what only checking reads forgotten once the site is checked and written, what only
conversion reads forgotten once every page is converted, and each reference's field names and
short values held once. Memory figures are the benchmarks' (never asserted here); these tests pin
the behaviour, and that the site built is the same byte for byte."""

from __future__ import annotations

import gzip
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import markdown
import pytest
import yaml

from conftest import GOOD_BIB, _env, _process_as, make_site, page
from patientguide import caches, held_pages
from patientguide.options import load_site_config
from patientguide.pagecache import KeptResults
from patientguide.references import ReferenceCache, load_references
from patientguide.render import RenderedPage, render_page
from patientguide.page_report import PageReport
from patientguide.site_report import KeptPages
from patientguide.sitecache import checked_site
from patientguide.spill import Spill, Spilled

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


def _build(site, site_dir: str, command: str | None, at_env: Callable[[Any], None] | None = None,  # noqa: ANN001, ANN202
           events: dict[str, Callable[..., Any]] | None = None):
    """``mkdocs build`` as the command runs it (``command``: what on_startup is told; ``None``: not called,
    as a host that keeps the plugin for further builds); the plugin afterwards. ``at_env(plugin)`` runs
    when every page is converted and none is written; ``events``: more handlers, after every plugin's."""
    from mkdocs.commands import build as mkdocs_build
    from mkdocs.config import load_config
    from mkdocs.config.defaults import MkDocsConfig

    env = {**_env(), "SOURCE_DATE_EPOCH": "1795996800"}
    option = MkDocsConfig.plugins  # MkDocs keeps a started plugin for every later build of the process:
    saved, option.plugin_cache = option.plugin_cache, {}  # a new one here, and none left for later tests
    with _process_as(site.root, env):
        try:
            config = load_config(config_file=str(site.config), site_dir=site_dir)
        finally:
            option.plugin_cache = saved
        plugin = config.plugins["patientguide"]
        if at_env is not None:
            config.plugins.events["env"].append(lambda env, **_: (at_env(plugin), env)[1])
        for name, handler in (events or {}).items():
            config.plugins.events[name].append(handler)
        if command is not None:
            config.plugins.on_startup(command=command, dirty=False)
        mkdocs_build.build(config)
    return plugin


def _texts(obj: Any) -> list[str]:
    """Every string reachable from ``obj`` (through containers, objects' attributes and closures)."""
    out, seen, stack = [], set(), [obj]
    while stack:
        o = stack.pop()
        if id(o) in seen or isinstance(o, (type, ModuleType, int, float, bool, bytes)) or o is None:
            continue
        seen.add(id(o))
        if isinstance(o, str):
            out.append(o)
        elif isinstance(o, dict):
            stack += [*o.keys(), *o.values()]
        elif isinstance(o, (list, tuple, set, frozenset)):
            stack += list(o)
        else:
            stack += [getattr(o, s) for s in getattr(type(o), "__slots__", ()) if hasattr(o, s)]
            stack += [vars(o)] if hasattr(o, "__dict__") else []
            stack += [c.cell_contents for c in getattr(o, "__closure__", None) or ()]
    return out


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
    assert KeptResults(site.root / ".cache/patientguide", "formatted-1.pickle").entries  # still written


def test_a_converted_page_waits_to_be_written_without_its_reference_texts(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Once converted, a page of a one-off build holds what its writing puts back compressed (the
    bibliography's HTML, each reference list and citation) once the build's allowance of text is
    spent (here at once): no reference's text, nor its numbering. Serving keeps each page as it was,
    for the next rebuild."""
    monkeypatch.setattr(caches, "HOLD_AS_TEXT", 0)
    monkeypatch.setattr(held_pages, "UNPACKED", 0)  # every page as one block, as on a big site
    site = _site(tmp_path)
    title = "Safe control of palmoplantar hyperhidrosis with direct electrical current"
    _build(site, str(tmp_path / "kept"), None)
    for run in ("serve", "cold", "warm"):
        if run == "cold":
            for f in (site.root / ".cache").rglob("*.pickle"):
                f.unlink()
        held: dict[str, list[str]] = {}

        def at_env(p: Any, held: dict[str, list[str]] = held) -> None:
            held.update({src: _texts(r) for src, r in p.rendered.items()})
            for src in p.held or ():  # a one-off build: one pickled block a page, or a kept article as it is
                held[src] = [*_texts(p.held.peek(src)), (p.held.block(src) or b"").decode("latin-1")]

        plugin = _build(site, str(tmp_path / run), run if run == "serve" else "build", at_env)
        assert set(held) == {"index.md", "a.md", "references.md"}
        with_title = {src for src, texts in held.items() if any(title in t for t in texts)}
        assert with_title == (set(held) if run == "serve" else set()), run
        assert not plugin.rendered
        assert _files(tmp_path / run) == _files(tmp_path / "kept")


def test_a_packed_page_finishes_the_same_and_is_not_filled_again() -> None:
    bib = load_references([("r.bib", GOOD_BIB)])
    text = "# T\n\nIt helps [@karakoc2002safe; @bad2021leaflet].\n\nAlso [@karakoc2002safe, p. 3].\n"
    pages = [render_page(text, bib, deferred=True) for _ in range(2)]
    lean = [p.fill(markdown.markdown(p.markdown), late_blocks=True, lean=True) for p in pages]
    pages[1].pack()
    assert not pages[1].pieces and not pages[1].blocks and not pages[1].state.order
    changed = lean[1].replace("-->1", "-->1 ", 1)  # rewritten after fill: the text stays as it is
    assert pages[1].finish(lean[1]) == pages[0].finish(lean[0]) and 'class="pg-references"' in pages[0].finish(lean[0])
    assert pages[1].finish(changed) == pages[0].finish(lean[0].replace("-->1", "-->1 ", 1))
    with pytest.raises(ValueError, match="packed"):
        pages[1].fill(lean[1])


def test_a_packed_page_holds_its_html_as_text_while_the_allowance_lasts() -> None:
    bib = load_references([("r.bib", GOOD_BIB)])
    text = "# T\n\nIt helps [@karakoc2002safe; @bad2021leaflet].\n\nAlso [@karakoc2002safe, p. 3].\n"
    pages = [render_page(text, bib, deferred=True) for _ in range(3)]
    lean = [p.fill(markdown.markdown(p.markdown), late_blocks=True, lean=True) for p in pages]
    whole = pages[0].finish(lean[0])
    assert pages[1].pack(10**6) < 10**6  # what it held as text is taken from the allowance
    assert pages[2].pack(0) == 0
    (_, held, away), (_, none_held, compressed) = pages[1]._packed, pages[2]._packed
    assert held and all(isinstance(h, str) for h in held.values()) and away is None
    assert none_held == {} and isinstance(compressed, bytes)  # no spill file given: compressed in memory
    assert pages[1].finish(lean[1]) == pages[2].finish(lean[2]) == whole


def _packed_pages(n: int) -> tuple[list[RenderedPage], list[str], str]:
    bib = load_references([("r.bib", GOOD_BIB)])
    text = "# T\n\nIt helps [@karakoc2002safe; @bad2021leaflet].\n\nAlso [@karakoc2002safe, p. 3].\n"
    pages = [render_page(text, bib, deferred=True) for _ in range(n)]
    lean = [p.fill(markdown.markdown(p.markdown), late_blocks=True, lean=True) for p in pages]
    return pages, lean, pages[0].finish(lean[0])


def test_beyond_the_allowance_a_packed_page_waits_in_a_temporary_file() -> None:
    """Past the allowance, what a page puts back when it is written goes to the build's spill file:
    none of its HTML stays in memory, and the page finishes the same, read back in any order."""
    pages, lean, whole = _packed_pages(4)
    spill = Spill()
    for page in pages[1:]:
        assert page.pack(0, spill) == 0
    assert all(isinstance(p._packed[2], Spilled) and p._packed[1] == {} for p in pages[1:])
    assert not any("karakoc" in t.lower() or "pg-ref" in t for p in pages[1:] for t in _texts(p._packed))
    assert [p.finish(x) for p, x in reversed(list(zip(pages[1:], lean[1:])))] == [whole] * 3
    spill.close()


def test_a_spill_file_that_cannot_be_made_keeps_the_html_compressed(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_room(*args: Any, **kwargs: Any) -> Any:
        raise OSError(28, "No space left on device")

    pages, lean, whole = _packed_pages(2)
    monkeypatch.setattr("tempfile.TemporaryFile", no_room)
    pages[1].pack(0, Spill())
    assert isinstance(pages[1]._packed[2], bytes)
    assert pages[1].finish(lean[1]) == whole


def test_a_one_off_build_of_a_big_site_puts_its_pages_html_in_a_temporary_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The build's allowance spent (here at once), the pages wait in the build's spill file, and the
    site is the same as a build that keeps everything."""
    monkeypatch.setattr(caches, "HOLD_AS_TEXT", 0)
    site = _site(tmp_path)
    _build(site, str(tmp_path / "kept"), None)
    away: list[Any] = []
    plugin = _build(site, str(tmp_path / "spilled"), "build", lambda p: away.extend(
        r._packed[2] for r in (p.held.peek(src)[0] for src in p.held) if r is not None and r._packed))
    assert away and all(isinstance(a, Spilled) for a in away)
    assert plugin.report.caches.spill is not None
    assert _files(tmp_path / "spilled") == _files(tmp_path / "kept")


def test_a_one_off_build_s_structured_data_waits_in_the_spill_file_beyond_the_allowance() -> None:
    from patientguide.caches import Caches
    from patientguide.lazytext import Lazy
    from patientguide.rendermemo import _waiting

    data = '{"@type": "MedicalWebPage", "name": "Karakoç"}'
    kept = Caches(None)
    kept.text_allowance = 10**6
    small = _waiting({"jsonld": Lazy(lambda: data), "og": "<meta>"}, kept)
    assert kept.text_allowance == 10**6 - len(data) and kept.spill is None and str(small["jsonld"]) == data
    spilled = Caches(None)
    spilled.text_allowance = 0
    ctx = _waiting({"jsonld": Lazy(lambda: data), "og": "<meta>"}, spilled)
    assert spilled.spill is not None and ctx["og"] == "<meta>"
    assert "Karako" not in "".join(_referred_texts(ctx)) and str(ctx["jsonld"]) == data


def _referred_texts(obj: Any) -> list[str]:
    """Every string ``obj`` refers to, as the garbage collector sees it (functions' globals aside)."""
    import gc
    import types
    out, seen, stack = [], set(), [obj]
    while stack:
        o = stack.pop()
        if id(o) in seen or isinstance(o, (type, ModuleType, types.FunctionType)):
            continue
        seen.add(id(o))
        if isinstance(o, str):
            out.append(o)
        else:
            stack += gc.get_referents(o)
    return out


@pytest.mark.parametrize("command", ["build", "serve"])
def test_a_one_off_build_forgets_each_page_s_report_once_the_page_is_converted(tmp_path: Path, command: str) -> None:
    """Writing pages reads no page's report: a one-off build lets each go once its page is converted
    (the site is the same); serving keeps every report for the next rebuild."""
    site = _site(tmp_path)
    kept = _build(site, str(tmp_path / "kept"), None)
    left: list[int] = []
    from mkdocs.commands import build as mkdocs_build

    real = mkdocs_build._populate_page

    def populate(page: Any, config: Any, files: Any, dirty: bool = False) -> None:
        real(page, config, files, dirty)
        left.append(len(config.plugins["patientguide"].report.pages))

    mkdocs_build._populate_page = populate
    try:
        _build(site, str(tmp_path / command), command)
    finally:
        mkdocs_build._populate_page = real
    checked = len(kept.report.pages)
    assert checked > 1 and len(left) == checked
    assert left == (list(range(checked - 1, -1, -1)) if command == "build" else [checked] * checked)
    assert _files(tmp_path / command) == _files(tmp_path / "kept")


def _pre_build_pages(site, out: str, command: str | None) -> tuple[Any, list[Any]]:  # noqa: ANN001
    """Build; the types of what ``report.pages`` holds right after ``on_pre_build``."""
    from mkdocs.commands import build as mkdocs_build

    held: list[Any] = []
    real = mkdocs_build.get_navigation

    def navigation(files: Any, config: Any) -> Any:
        pages = config.plugins["patientguide"].report.pages
        held.extend(type(pages._pages[s] if isinstance(pages, KeptPages) else pages[s]) for s in pages)
        return real(files, config)

    mkdocs_build.get_navigation = navigation
    try:
        return _build(site, out, command), held
    finally:
        mkdocs_build.get_navigation = real


@pytest.mark.parametrize("command", ["build", "serve"])
def test_a_warm_build_reads_no_page_report_while_its_renders_are_kept(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    """From a kept whole result, each page's report stays pickled (:class:`KeptPages`): the page's key
    is all its kept render needs; with the renders gone, each page's report is read to render it."""
    reads: list[bytes] = []
    real = KeptPages.read
    monkeypatch.setattr(KeptPages, "read", staticmethod(lambda data: reads.append(data) or real(data)))
    site = _site(tmp_path)
    _build(site, str(tmp_path / "kept"), "build")  # its renders kept in cache_dir
    _, held = _pre_build_pages(site, str(tmp_path / command), command)
    assert held and set(held) == {bytes} and reads == []
    assert _files(tmp_path / command) == _files(tmp_path / "kept")
    for f in (site.root / ".cache/patientguide/renders-1").iterdir():
        f.unlink()
    _, held = _pre_build_pages(site, str(tmp_path / "again"), "build")
    assert set(held) == {bytes} and len(reads) == len(held)  # each read once, to render its page
    assert _files(tmp_path / "again") == _files(tmp_path / "kept")


def _memo_with(site, change: Callable[[bytes], bytes]) -> None:  # noqa: ANN001
    """The memo file with ``change`` made to one entry's bytes, everything else as written."""
    memo = site.root / ".cache/patientguide/memo-1.pickle"
    with memo.open("rb") as fh:  # the digest of its keys, its entries, each entry's CRC-32
        header, entries, crcs = pickle.load(fh), pickle.load(fh), pickle.load(fh)
    key = next(k for k, v in entries.items() if b"karakoc2002safe" in v)  # a.md's outcome
    entries[key] = change(entries[key])
    memo.write_bytes(pickle.dumps(header) + pickle.dumps(entries) + pickle.dumps(crcs))


@pytest.mark.parametrize("change", [
    pytest.param(lambda data: b"\x80\x05garbage", id="does not unpickle"),
    pytest.param(lambda data: data.replace(b"karakoc2002safe", b"karakoc2002SAFE"), id="unpickles, changed"),
])
def test_a_kept_page_report_whose_bytes_changed_makes_the_site_checked_again(
        tmp_path: Path, change: Callable[[bytes], bytes]) -> None:
    site = _site(tmp_path)
    _build(site, str(tmp_path / "kept"), None)
    _memo_with(site, change)
    _, held = _pre_build_pages(site, str(tmp_path / "again"), "build")
    assert held and set(held) == {PageReport}  # checked again: every report made now
    assert _files(tmp_path / "again") == _files(tmp_path / "kept")


def test_mkdocs_checks_links_against_our_anchors_held_once_across_pages(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each page's anchor ids (``present_anchor_ids``) hold the ids our plugin adds, which MkDocs' own
    anchor check reads; the same id on two pages is one string (a build keeps every page's ids)."""
    from mkdocs.structure import pages as mkdocs_pages

    from patientguide.anchor_set import PageAnchorIds
    site = make_site(tmp_path, {
        "content/a.md": page("A", "# A\n\nIt can help [@karakoc2002safe].\n\n[There](b.md#pg-ref-1)\n"),
        "content/b.md": page("B", "# B\n\nIt may not [@bad2021leaflet].\n\n[Nowhere](a.md#pg-ref-7)\n"),
        "content/references.md": page("References", "# References\n"),
    })
    with site.config.open("a", encoding="utf-8") as fh:
        fh.write("validation:\n  anchors: warn\n")
    seen: dict[str, Any] = {}
    told: list[str] = []  # what MkDocs' check says (before our plugin drops its repeats of ours)
    real = mkdocs_pages.Page.validate_anchor_links
    monkeypatch.setattr(mkdocs_pages.Page, "validate_anchor_links",
                        lambda self, **kw: (seen.setdefault(self.file.src_uri, self), real(self, **kw))[1])
    monkeypatch.setattr(mkdocs_pages.log, "log", lambda level, msg, *args, **kw: told.append(msg))
    _build(site, str(tmp_path / "out"), "build")
    a, b = seen["a.md"].present_anchor_ids, seen["b.md"].present_anchor_ids
    assert isinstance(a, PageAnchorIds) and {"pg-references", "pg-ref-1", "pg-cite-1-1"} <= set(a) & set(b)
    assert next(i for i in a if i == "pg-ref-1") is next(i for i in b if i == "pg-ref-1")
    assert len(told) == 1 and "'a.md#pg-ref-7'" in told[0], told


def test_a_one_off_build_lets_a_written_page_s_template_data_go(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once a page is written, MkDocs keeps it to the end of the build; its template data (our
    ``meta["pg"]``: dates, status, structured data) goes in a one-off build and stays when serving.
    The pages are the same either way."""
    from mkdocs.structure import pages as mkdocs_pages
    site = _site(tmp_path)
    seen: dict[str, dict[str, Any]] = {}
    real = mkdocs_pages.Page.validate_anchor_links  # called once every page is written
    monkeypatch.setattr(mkdocs_pages.Page, "validate_anchor_links",
                        lambda self, **kw: (seen.__setitem__(self.file.src_uri, dict(self.meta)), real(self, **kw))[1])
    for command in ("serve", "build"):
        seen.clear()
        _build(site, str(tmp_path / command), command)
        assert set(seen) == {"index.md", "a.md", "references.md"}
        assert all(("pg" in meta) == (command == "serve") and meta["title"] for meta in seen.values()), command
    assert _files(tmp_path / "build") == _files(tmp_path / "serve")


def test_a_page_held_as_one_block_finishes_the_same_and_its_spill_file_is_not_copied() -> None:
    from patientguide.held_pages import HeldPages
    from patientguide.lazytext import Lazy
    from patientguide.rendercache import Made

    pages, lean, whole = _packed_pages(3)
    spill = Spill()
    pages[1].pack(0, spill)  # its HTML in the spill file
    pages[2].pack(10**6)  # its HTML as text
    data = {"jsonld": Lazy(Made('{"a": 1}')), "status": "draft"}
    held = HeldPages(unpacked=0)
    held.hold("a.md", pages[1], data)
    held.hold("b.md", pages[2], None)
    assert len(held) == 2
    back, back_data = held.take("a.md")
    assert back is not pages[1] and back.finish(lean[1]) == whole
    assert back._packed[2]._spill is spill  # the build's spill file itself, by reference
    assert str(back_data["jsonld"]) == '{"a": 1}' and back_data["status"] == "draft"
    assert held.take("b.md")[0].finish(lean[2]) == whole
    assert held.take("a.md") is None and len(held) == 0  # taken: no longer held
    spill.close()


def test_what_cannot_be_pickled_is_held_as_it_is() -> None:
    from patientguide.held_pages import HeldPages

    held = HeldPages()
    data = {"made_by_a_site": lambda: "x"}
    held.hold("a.md", None, data)
    taken = held.take("a.md")
    assert taken is not None and taken[0] is None and taken[1] is data  # the very object, not a copy


def test_a_one_off_build_holds_each_converted_page_as_one_block_until_it_is_rendered(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(held_pages, "UNPACKED", 0)  # every page as one block, as on a big site
    site = _site(tmp_path)
    seen: dict[str, Any] = {}

    def at_env(plugin: Any) -> None:  # every page converted, none rendered
        held = plugin.held or ()
        seen[plugin.memo.keep] = (len(held), dict(plugin.rendered), [held.block(src) is not None for src in held])

    built = _build(site, str(tmp_path / "build"), "build", at_env)
    _build(site, str(tmp_path / "serve"), "serve", at_env)
    assert seen[False] == (3, {}, [True] * 3)  # one block a page, nothing else held for them
    assert seen[True][0] == 0 and set(seen[True][1]) == {"index.md", "a.md", "references.md"}  # serving: as they are
    assert len(built.held) == 0  # each taken back when its page was rendered
    assert _files(tmp_path / "build") == _files(tmp_path / "serve")


def test_a_one_off_build_holds_its_first_pages_as_they_are_and_the_rest_as_blocks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _site(tmp_path)
    _build(site, str(tmp_path / "unpacked"), "build")  # a small site: every page held as it is
    monkeypatch.setattr(held_pages, "UNPACKED", 2)
    held: list[bool] = []

    def at_env(plugin: Any) -> None:
        held.extend(plugin.held.block(src) is not None for src in plugin.held)

    _forget_renders(site.root)  # each page rendered again: its render, not a kept article, waits
    built = _build(site, str(tmp_path / "mixed"), "build", at_env)
    assert held == [False, False, True]  # the first two as they are, then one block a page
    assert len(built.held) == 0 and not built.rendered
    assert _files(tmp_path / "mixed") == _files(tmp_path / "unpacked")
    monkeypatch.setattr(held_pages, "UNPACKED", 0)
    _forget_renders(site.root)
    _build(site, str(tmp_path / "blocks"), "build")
    assert _files(tmp_path / "blocks") == _files(tmp_path / "unpacked")


def test_a_warm_build_holds_each_kept_article_as_it_is_on_a_site_of_any_size(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A page whose render a warm build read from ``cache_dir`` waits with its kept article, one text:
    held as it is, not copied into a block and out again, even where every other page would be a block."""
    from patientguide.rendercache import KeptArticle

    site = _site(tmp_path)
    _build(site, str(tmp_path / "cold"), "build")
    monkeypatch.setattr(held_pages, "UNPACKED", 0)  # every page as one block, as on a big site
    seen: dict[str, tuple[bool, str]] = {}

    def at_env(plugin: Any) -> None:
        for src in plugin.held:
            render, _ = plugin.held.peek(src)
            seen[src] = (plugin.held.block(src) is None, type(render).__name__)

    built = _build(site, str(tmp_path / "warm"), "build", at_env)
    articles = {src for src, (_, kind) in seen.items() if kind == KeptArticle.__name__}
    assert articles >= {"index.md", "a.md"}  # the pages read from cache_dir
    assert all(seen[src][0] for src in articles)  # as they are: no block
    assert len(built.held) == 0 and not built.rendered
    assert _files(tmp_path / "warm") == _files(tmp_path / "cold")


def _forget_renders(root: Path) -> None:
    """The kept renders in the site's cache folder removed: its next build renders every page again."""
    for f in (root / ".cache").rglob("renders-*/*"):
        f.unlink()


def test_a_lazy_text_pickles_as_its_text_and_a_spilled_one_by_its_open_file() -> None:
    import functools
    import gc

    from patientguide.lazytext import Lazy
    from patientguide.rendermemo import _read_back
    from patientguide.spill import bring_back

    made: list[int] = []
    lazy = Lazy(lambda: (made.append(1), "<script>{}</script>")[1])  # a closure: not picklable itself
    with pytest.raises((pickle.PicklingError, AttributeError)):
        pickle.dumps(lazy)
    assert str(lazy) == "<script>{}</script>" and made == [1]
    back = pickle.loads(pickle.dumps(lazy))  # made: pickled as its text
    assert str(back) == "<script>{}</script>" and made == [1]
    spill = Spill()
    kept = pickle.dumps(spill.put(b"a reference list"))
    assert bring_back(pickle.loads(kept)) == b"a reference list"
    waiting = pickle.dumps(Lazy(functools.partial(_read_back, spill.put(b"structured data"))))
    assert b"structured" not in waiting  # not made yet: pickled as where it waits
    assert str(pickle.loads(waiting)) == "structured data"
    del spill
    gc.collect()
    with pytest.raises(OSError, match="outlived"):
        pickle.loads(kept)  # only in this process, while its file is open


def test_a_build_interns_each_page_s_front_matter_keys_and_keeps_their_order_and_values(tmp_path: Path) -> None:
    site = _site(tmp_path)
    written = {uri: (site.root / "content" / uri).read_text() for uri in ("a.md", "references.md")}
    seen: dict[str, list[tuple[str, bool, Any]]] = {}

    def render(context: Any, *, page: Any, **_: Any) -> Any:  # every page's front matter, as the theme gets it
        if not seen:
            for p in context["nav"].pages:
                seen[p.file.src_uri] = [(k, k is sys.intern("".join(k)), v) for k, v in p.meta.items()]
        return context

    _build(site, str(tmp_path / "site"), "build", events={"page_context": render})
    for uri, text in written.items():
        front = yaml.safe_load(text.split("---")[1])
        keys = [k for k, _, _ in seen[uri] if k != "pg"]
        assert keys == list(front)  # in their order
        assert all(interned for k, interned, _ in seen[uri])  # the same object as any other equal interned key
        assert {k: v for k, _, v in seen[uri] if k != "pg"} == front


def _gaps(size: int, count: int) -> tuple[list[bytes], set[int]]:
    """``count`` freed places of ``size`` bytes among objects kept: what is kept, and the places freed."""
    made = [bytes(size - sys.getsizeof(b"")) for _ in range(2 * count)]
    kept, freed = made[::2], {id(o) for o in made[1::2]}
    del made
    return kept, freed


def _landed(size: int, places: set[int], count: int = 200) -> int:
    """How many of ``count`` new objects of ``size`` bytes land in ``places``."""
    new = [bytes(size - sys.getsizeof(b"")) for _ in range(count)]
    return sum(id(o) in places for o in new)


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="where id() is the object's address")
def test_the_checks_gaps_are_filled_until_let_go_and_new_objects_lie_elsewhere_meanwhile() -> None:
    from patientguide import heap_gaps

    assert heap_gaps.side_by_side([b"x" * 31], 64)  # one object: nothing to compare
    one = bytes(31)
    assert heap_gaps.side_by_side([one, one], 64) is False  # one place twice

    kept, freed = _gaps(64, 3000)
    assert _landed(64, freed) > 150  # unfilled, new objects land in the gaps first
    kept, freed = _gaps(64, 3000)
    gaps = heap_gaps.Gaps.filled(sizes=(64,))
    assert len(gaps) >= 2800 and _landed(64, freed) == 0  # filled: new ones lie elsewhere
    del gaps
    assert _landed(64, freed, 9000) > 2000  # let go: the places are free again
    assert kept


def test_a_one_off_build_fills_the_checks_gaps_until_every_page_is_converted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from patientguide import heap_gaps
    site = _site(tmp_path)
    held: dict[str, Any] = {}
    real = heap_gaps.Gaps.filled.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(heap_gaps.Gaps, "filled", classmethod(lambda cls: held.setdefault("gaps", real(cls))))

    def converted(html: str, *, config: Any, **_: Any) -> None:  # MkDocs converts each page: still filled
        held.setdefault("while converting", set()).add(config.plugins["patientguide"].gaps is held.get("gaps"))

    built = _build(site, str(tmp_path / "build"), "build", events={"page_content": converted},
                   at_env=lambda plugin: held.__setitem__("at env", plugin.gaps))
    assert len(held["gaps"]) > 0 and held["while converting"] == {True}
    assert held["at env"] is None and built.gaps is None  # let go before the first page is rendered
    held.clear()
    served = _build(site, str(tmp_path / "serve"), "serve")
    assert not held and served.gaps is None  # serving: nothing filled
    assert _files(tmp_path / "build") == _files(tmp_path / "serve")
