"""A warm ``mkdocs build`` takes each page's render from ``cache_dir`` (rendercache.py), by the content
of everything it depends on: a page is rendered again only when something it depends on changed, and
the site is the same, byte for byte, as a build with no cache at all.

Each build runs in this process with new plugin objects, as a new ``mkdocs build`` process would."""

from __future__ import annotations

import io
import pickle
import pickletools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mkdocs.exceptions import Abort

from patientguide import caches, held_pages, rendercache
from patientguide.mkdocs_plugin import PatientGuidePlugin
from patientguide.render import RenderedPage
from test_serve_render import (  # noqa: F401 (rendered: the serve tests' fixture, used here too)
    CHANGES,
    PAGES,
    _build,
    _differs,
    _fresh,
    _kept_on_disk,
    _own_plugins,
    _site,
    compiled_templates,
    rendered,
)

pytestmark = pytest.mark.build


def _new_process_build(site, out: Path, **env: str) -> dict[str, bytes]:  # noqa: ANN001
    with _own_plugins():
        return _build(site, out, "build", **env)


def _renders(site) -> list[Path]:  # noqa: ANN001
    return sorted((site.root / ".cache" / "patientguide" / "renders-1").glob("*.pickle"))


class _Raw(pickle.Unpickler):
    def persistent_load(self, pid: object) -> object:  # a reference, by its key
        return pid


def test_a_warm_build_renders_no_page_again_and_writes_what_a_build_with_no_cache_does(
        tmp_path: Path, rendered: list[str]) -> None:
    site = _site(tmp_path)
    first = _new_process_build(site, tmp_path / "first")
    assert sorted(rendered) == sorted(PAGES)
    assert len(_renders(site)) == len(PAGES)  # one file per page
    for path in _renders(site):  # the entries each render used, by cache name: keys, not a tuple for each
        with path.open("rb") as fh:
            entry = _Raw(fh).load()
        for uses in (entry.uses, entry.content.uses):
            assert isinstance(uses, dict) and all(isinstance(k, str) for keys in uses.values() for k in keys)
    kept = _kept_on_disk(site)
    rendered.clear()
    warm = _new_process_build(site, tmp_path / "warm")
    assert rendered == []
    assert _kept_on_disk(site) == kept  # what the kept renders used stays for the next build
    assert _differs(warm, first) == []
    assert _differs(warm, _fresh(site, tmp_path / "fresh")) == []


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_renders_again_in_the_next_build_what_depends_on_it(
        tmp_path: Path, rendered: list[str], change: str) -> None:
    site = _site(tmp_path)
    make_change, expected = CHANGES[change]
    before = _new_process_build(site, tmp_path / "before")
    make_change(site)
    rendered.clear()
    after = _new_process_build(site, tmp_path / "after")
    assert set(rendered) == expected and len(rendered) == len(expected)
    assert len(_renders(site)) == len(PAGES)  # the old versions are removed
    assert _differs(after, _fresh(site, tmp_path / "fresh")) == []
    assert any(k.endswith(".html") for k in _differs(after, before))


def _finished(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Each article :meth:`RenderedPage.finish` finishes (its length), in order."""
    seen: list[int] = []
    real = RenderedPage.finish

    def spy(self: RenderedPage, page_html: str) -> str:
        seen.append(len(page_html))
        return real(self, page_html)

    monkeypatch.setattr(RenderedPage, "finish", spy)
    return seen


@pytest.mark.parametrize("held", ["as objects", "as pickled blocks", "in the spill file"])
def test_a_warm_build_gives_the_theme_each_kept_article_whole_without_finishing_it_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, held: str) -> None:
    """A kept render holds its article whole (KeptArticle): a warm build finishes no article again,
    however the pages wait for their render, and writes what a build with no cache does."""
    site = _site(tmp_path)
    first = _new_process_build(site, tmp_path / "first")
    if held != "as objects":
        monkeypatch.setattr(held_pages, "UNPACKED", 0)
    if held == "in the spill file":
        monkeypatch.setattr(caches, "HOLD_AS_TEXT", 0)
    finished = _finished(monkeypatch)
    warm = _new_process_build(site, tmp_path / "warm")
    assert finished == []
    assert _differs(warm, first) == []
    assert _differs(warm, _fresh(site, tmp_path / "fresh")) == []
    assert len(finished) == len(PAGES)  # the fresh build finishes each page's article


def _another_plugin_after_ours(monkeypatch: pytest.MonkeyPatch, also: Callable[[], None] = lambda: None) -> None:
    """A plugin after ours that changes every article when it is converted (``also``: then runs that)."""
    real = PatientGuidePlugin.on_page_content

    def changed(self: PatientGuidePlugin, html: str, **kwargs: Any) -> str:
        out = real(self, html, **kwargs)
        also()
        return "<p>Added by another plugin.</p>\n" + out

    monkeypatch.setattr(PatientGuidePlugin, "on_page_content", changed)


def test_an_article_changed_after_ours_is_finished_by_its_render_read_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rendered: list[str]) -> None:
    site = _site(tmp_path)
    _new_process_build(site, tmp_path / "first")
    _another_plugin_after_ours(monkeypatch)
    rendered.clear()
    warm = _new_process_build(site, tmp_path / "warm")
    assert rendered == []
    assert _differs(warm, _fresh(site, tmp_path / "fresh")) == []
    page_b = warm["b/index.html"].decode()
    assert "Added by another plugin." in page_b and 'class="pg-references"' in page_b and "<!--pg" not in page_b


def test_a_kept_render_that_cannot_be_read_when_used_stops_the_build_and_goes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
        rendered: list[str]) -> None:
    """A page's render is unpickled only when used (serving's first build uses every one). If it cannot be
    then, the page's Markdown was already converted from the entry: the build stops, before any page is
    written, and the entry goes, so that the next build renders the page again."""
    site = _site(tmp_path)
    _new_process_build(site, tmp_path / "first")

    def unreadable(self: object, pid: object) -> object:
        raise pickle.UnpicklingError("damaged")

    with monkeypatch.context() as m:
        m.setattr(rendercache._Reader, "persistent_load", unreadable)  # a render that names a reference
        with pytest.raises(Abort), _own_plugins():
            _build(site, tmp_path / "served", "serve")
    assert re.search(r"patientguide: [a-z]+\.md: its kept render in the cache folder could not be read; build "
                     r"again", caplog.text)
    assert not (tmp_path / "served").exists() and len(_renders(site)) == len(PAGES) - 1
    rendered.clear()
    again = _new_process_build(site, tmp_path / "again")
    assert len(rendered) == 1  # the page whose entry went
    assert _differs(again, _fresh(site, tmp_path / "fresh")) == []


def test_an_article_changed_after_ours_whose_render_went_missing_stops_the_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    """The cache folder emptied during the build, and the article changed: the build stops with what
    happened, rather than publish a page without its full citations and reference list."""
    site = _site(tmp_path)
    _new_process_build(site, tmp_path / "first")
    _another_plugin_after_ours(monkeypatch, also=lambda: [p.unlink() for p in _renders(site)])
    with pytest.raises(Abort):
        _new_process_build(site, tmp_path / "warm")
    assert re.search(r"patientguide: [a-z]+\.md: the page's article changed after its conversion and its kept "
                     r"render could not be read again from the cache folder; build again", caplog.text)
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize("damage", [b"", b"\x80\x05garbage", b"not a pickle at all"])
def test_a_damaged_entry_is_rendered_again(tmp_path: Path, rendered: list[str], damage: bytes) -> None:
    site = _site(tmp_path)
    _new_process_build(site, tmp_path / "first")
    entries = _renders(site)
    assert len(entries) == len(PAGES)
    for entry in entries:
        entry.write_bytes(damage)
    rendered.clear()
    out = _new_process_build(site, tmp_path / "second")
    assert sorted(rendered) == sorted(PAGES)
    assert _differs(out, _fresh(site, tmp_path / "fresh")) == []
    rendered.clear()
    _new_process_build(site, tmp_path / "third")  # written again whole
    assert rendered == []


def test_a_kept_entry_of_another_kind_is_rendered_again(tmp_path: Path, rendered: list[str]) -> None:
    """An entry that unpickles but is not a render (an older version's, a stray file) is a miss."""

    site = _site(tmp_path)
    _new_process_build(site, tmp_path / "first")
    entries = _renders(site)
    assert len(entries) == len(PAGES)
    for entry in entries:
        entry.write_bytes(pickle.dumps({"a": 1}))
    rendered.clear()
    out = _new_process_build(site, tmp_path / "second")
    assert sorted(rendered) == sorted(PAGES)
    assert _differs(out, _fresh(site, tmp_path / "fresh")) == []


def _classes(data: bytes) -> set[str]:
    """The classes a pickle names (protocol 4 and later: two strings, then STACK_GLOBAL)."""
    strings: list[str] = []
    found = set()
    for op, arg, _ in pickletools.genops(data):
        if isinstance(arg, str):
            strings.append(arg)
        elif op.name == "STACK_GLOBAL":
            found.add(".".join(strings[-2:]))
    return found


def test_a_kept_render_names_its_references_and_reads_them_from_the_build_s_bibliography(
        tmp_path: Path, rendered: list[str]) -> None:
    """A render file holds each cited reference by its key, not a copy, in its render, pickled on its own
    (unpickled only if used); a file changed on disk (here, a key replaced) fails its render's check when
    it is read, and the page renders again."""
    site = _site(tmp_path)
    _new_process_build(site, tmp_path / "first")
    raw = {p: p.read_bytes() for p in _renders(site)}  # one pickle stream each
    blobs = {p: _Raw(io.BytesIO(data)).load().render for p, data in raw.items()}
    assert all(isinstance(blob, bytes) for blob in blobs.values())
    cited = [p for p, blob in blobs.items() if b"pg-ref-1" in blob]
    assert cited and all("patientguide.references.Reference" not in _classes(data)
                         for data in [*raw.values(), *blobs.values()])
    assert "patientguide.render.RenderedPage" in _classes(blobs[cited[0]])
    with pytest.raises(pickle.UnpicklingError):  # a persistent id: only our reader resolves it
        pickle.loads(blobs[cited[0]])
    for p in cited:  # the same render, naming a key (of the same length) the bibliography does not have
        p.write_bytes(raw[p].replace(b"karakoc2002safe", b"nobody2002abcde"))
    rendered.clear()
    out = _new_process_build(site, tmp_path / "second")
    assert sorted(rendered) == ["a.md", "b.md", "index.md"]  # the pages that cite it
    assert _differs(out, _fresh(site, tmp_path / "fresh")) == []


@pytest.mark.parametrize("off", ["env", "option"])
def test_with_no_cache_every_page_is_rendered_and_the_kept_renders_are_left_alone(
        tmp_path: Path, rendered: list[str], off: str) -> None:
    site = _site(tmp_path)
    config = site.config.read_text()
    _new_process_build(site, tmp_path / "first")
    kept = {p: p.read_bytes() for p in _renders(site)}
    assert len(kept) == len(PAGES)
    if off == "option":
        site.write("mkdocs.yml", config.replace("severity:", "cache_dir: false\n      severity:"))
    rendered.clear()
    _new_process_build(site, tmp_path / "second", **({"PATIENTGUIDE_NO_CACHE": "1"} if off == "env" else {}))
    assert sorted(rendered) == sorted(PAGES)
    assert {p: p.read_bytes() for p in _renders(site)} == kept  # neither read, written nor removed
    site.write("mkdocs.yml", config)
    rendered.clear()
    _new_process_build(site, tmp_path / "third")
    assert rendered == []


def test_serve_s_first_build_takes_renders_from_the_cache(tmp_path: Path, rendered: list[str]) -> None:
    site = _site(tmp_path)
    first = _new_process_build(site, tmp_path / "first")
    rendered.clear()
    with _own_plugins():
        served = _build(site, tmp_path / "served", "serve")
    assert rendered == []
    assert _differs(served, first) == []


OURS = {"main.html"}  # our templates as a build reads them: main.html is patientguide/main.html (OurPageTemplate)


def test_a_warm_build_does_not_compile_our_templates_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    compiled = compiled_templates(monkeypatch)
    site = _site(tmp_path)
    first = _new_process_build(site, tmp_path / "first")
    assert OURS | {"base.html"} <= set(compiled)
    assert len(list((site.root / ".cache" / "patientguide" / "templates-1").glob("*.pickle"))) == len(OURS)
    compiled.clear()
    warm = _new_process_build(site, tmp_path / "warm")
    assert "base.html" in compiled  # the theme's: compiled as MkDocs does
    assert not OURS & set(compiled)
    assert _differs(warm, first) == []
    compiled.clear()
    _new_process_build(site, tmp_path / "cold", PATIENTGUIDE_NO_CACHE="1")
    assert OURS <= set(compiled)  # no cache: compiled, as every check runs


@pytest.mark.parametrize("damage", [b"", b"\x80\x05garbage", pickle.dumps(b"j2 not jinja bytecode"), pickle.dumps(42)])
def test_damaged_compiled_templates_are_compiled_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       damage: bytes) -> None:
    compiled = compiled_templates(monkeypatch)
    site = _site(tmp_path)
    _new_process_build(site, tmp_path / "first")
    kept = list((site.root / ".cache" / "patientguide" / "templates-1").glob("*.pickle"))
    assert len(kept) == len(OURS)
    for entry in kept:
        entry.write_bytes(damage)
    compiled.clear()
    out = _new_process_build(site, tmp_path / "second")
    assert OURS <= set(compiled)
    assert _differs(out, _fresh(site, tmp_path / "fresh")) == []


def test_kept_template_code_is_checked_against_the_template_s_source(tmp_path: Path) -> None:
    """By content: a changed template is compiled again, in a new process too; templates that are not
    patientguide's are never kept."""
    import jinja2

    from patientguide.rendermemo import OwnTemplates
    ours, theirs, cache = tmp_path / "ours", tmp_path / "theirs", tmp_path / "cache"
    ours.mkdir(), theirs.mkdir()
    (theirs / "base.html").write_text("<p>{% block body %}{% endblock %}</p>")

    class Ours(OwnTemplates):
        FOLDER = str(ours) + "/"

    def render(text: str) -> str:
        (ours / "page.html").write_text(text)
        env = jinja2.Environment(loader=jinja2.FileSystemLoader([str(ours), str(theirs)]),
                                 bytecode_cache=Ours(cache))  # a new environment and cache: a new process
        return env.get_template("page.html").render(who="you")

    assert render('{% extends "base.html" %}{% block body %}Hello {{ who }}{% endblock %}') == "<p>Hello you</p>"
    assert len(list(cache.glob("*.pickle"))) == 1  # page.html only: base.html is not ours
    assert render('{% extends "base.html" %}{% block body %}Bye {{ who }}{% endblock %}') == "<p>Bye you</p>"
    assert len(list(cache.glob("*.pickle"))) == 1
