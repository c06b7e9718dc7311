"""``mkdocs serve`` keeps each page's render by the content of everything it depends on
(rendermemo.py): a rebuild renders again only the pages whose inputs changed, and every rebuild
writes the same files, byte for byte, as a fresh build of the same sources with no cache at all.

Each test builds as ``mkdocs serve`` does, in this process: the plugin starts with the command
``serve``, and each rebuild loads the config again and gets the same plugin object back."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig

from conftest import _env, _process_as, clinic_yaml, make_site, page
from patientguide import sitepage
from patientguide.pagecache import KeptResults

pytestmark = pytest.mark.build

CLINIC = clinic_yaml()
BLOCK = "!!! warning \"Before you start\"\n    Stop if your skin is sore. Call {{ clinic.emergency_number }}.\n"
PAGES = ["index.md", "a.md", "b.md", "c.md", "references.md"]


def _site(tmp_path: Path):  # noqa: ANN202
    site = make_site(tmp_path, {
        "content/a.md": page("A", "# A\n\n--8<-- \"blocks/start.md\"\n\nIt can help [@karakoc2002safe].\n"),
        "content/b.md": page("B", "# B\n\nIt can help [@bad2021leaflet]. It can help a lot [@karakoc2002safe].\n"),
        "content/c.md": page("C", "# C\n\nDrink water every day.\n"),
        "blocks/start.md": BLOCK,
    }, options="severity: {evidence.uncited-claim: ignore}")
    site.write("mkdocs.yml", site.config.read_text() + "site_url: https://guide.example/\n" + CLINIC
               + "\nnav:\n  - index.md\n  - a.md\n  - b.md\n  - c.md\n")
    return site


def _edit(site, rel: str, old: str, new: str) -> None:  # noqa: ANN001
    text = (site.root / rel).read_text()
    assert old in text, (rel, old)
    site.write(rel, text.replace(old, new, 1))


@contextlib.contextmanager
def _own_plugins() -> Iterator[None]:
    """New plugin objects for what runs inside: MkDocs keeps a plugin that has ``on_startup`` for
    every later config of the process (that is how it keeps ours across serve rebuilds)."""
    option = MkDocsConfig.plugins
    saved, option.plugin_cache = option.plugin_cache, {}
    try:
        yield
    finally:
        option.plugin_cache = saved


def _build(site, out: Path, command: str | None = None, **env: str) -> dict[str, bytes]:  # noqa: ANN001
    """One build of ``site`` into ``out`` (``command``: the plugins start first, as the command line
    does): every file written, by its path."""
    with _process_as(site.root, {**_env(), "SOURCE_DATE_EPOCH": "1795996800", **env}):
        config = load_config(str(site.config), site_dir=str(out))
        if command:
            config.plugins.on_startup(command=command, dirty=False)
        build(config)
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _fresh(site, out: Path, **env: str) -> dict[str, bytes]:  # noqa: ANN001
    """A build with nothing kept from before: new plugin objects, no cache folder."""
    with _own_plugins():
        return _build(site, out, "build", PATIENTGUIDE_NO_CACHE="1", **env)


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pages rendered (``sitepage.prepare_page``), in order."""
    seen: list[str] = []
    real = sitepage.prepare_page

    def spy(markdown: str, src_uri: str, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        seen.append(src_uri)
        return real(markdown, src_uri, *args, **kwargs)
    monkeypatch.setattr(sitepage, "prepare_page", spy)
    return seen


def _kept_on_disk(site) -> dict[str, set[str]]:  # noqa: ANN001
    """The keys of what the next build finds in the cache folder: formatted references, the output
    sanitizer's results, lean forms for search."""
    folder = site.root / ".cache" / "patientguide"
    return {name: set(KeptResults(folder, name).entries)
            for name in ("formatted-1.pickle", "output-1.pickle", "search-view-1.pickle")}


def _differs(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))


def test_a_serve_rebuild_renders_only_the_edited_page_and_writes_what_a_fresh_build_does(
        tmp_path: Path, rendered: list[str]) -> None:
    site = _site(tmp_path)
    with _own_plugins():
        first = _build(site, tmp_path / "served", "serve")
        assert sorted(rendered) == sorted(PAGES)
        rendered.clear()
        kept = _kept_on_disk(site)
        assert all(kept.values())
        assert _build(site, tmp_path / "served") == first  # nothing changed: nothing rendered again
        assert rendered == []
        assert _kept_on_disk(site) == kept  # what the pages' renders used stays for the next build
        _edit(site, "content/a.md", "It can help", "Most people sweat less. It can help")
        served = _build(site, tmp_path / "served")
        assert rendered == ["a.md"]
        rendered.clear()
    fresh = _fresh(site, tmp_path / "fresh")
    assert _differs(served, fresh) == []
    assert _differs(served, first) == ["a/index.html", "search/search_index.json"]


#: A change to one thing a page's render depends on → the pages rendered again.
CHANGES: dict[str, tuple[Callable, set[str]]] = {
    "a reference's fields": (lambda s: _edit(s, "references/main.bib", "Iontophoresis for hyperhidrosis",
                                             "Iontophoresis for sweating"), set(PAGES)),
    "a setting": (lambda s: _edit(s, "mkdocs.yml", "severity:", "references_heading: Sources\n      severity:"),
                  set(PAGES)),
    "an included block": (lambda s: _edit(s, "blocks/start.md", "Stop if", "Go slowly. Stop if"), set(PAGES)),
    "the clinic profile": (lambda s: _edit(s, "mkdocs.yml", "    country: GB\n",
                                           "    country: GB\n    phone: \"020 7946 0000\"\n"), set(PAGES)),
    "a page's title": (lambda s: _edit(s, "content/b.md", "title: B", "title: Bee"), {"b.md", "references.md"}),
    "the nav order": (lambda s: _edit(s, "mkdocs.yml", "  - a.md\n  - b.md\n", "  - b.md\n  - a.md\n"), set(PAGES)),
    "site_url": (lambda s: _edit(s, "mkdocs.yml", "https://guide.example/", "https://other.example/guide/"),
                 set(PAGES)),
    "a page with no citation": (lambda s: _edit(s, "content/c.md", "every day", "each day"), {"c.md"}),
}


@pytest.mark.parametrize("change", CHANGES)
def test_a_change_renders_again_what_depends_on_it(tmp_path: Path, rendered: list[str], change: str) -> None:
    site = _site(tmp_path)
    make_change, expected = CHANGES[change]
    with _own_plugins():
        before = _build(site, tmp_path / "served", "serve")
        rendered.clear()
        _build(site, tmp_path / "served")
        assert rendered == []  # kept: nothing changed
        make_change(site)
        after = _build(site, tmp_path / "served")
    assert set(rendered) == expected and len(rendered) == len(expected)
    fresh = _fresh(site, tmp_path / "fresh")
    assert _differs(after, fresh) == []
    assert any(k.endswith(".html") for k in _differs(after, before))  # the change shows in a page



def compiled_templates(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the templates Jinja compiles from now on."""
    import jinja2
    names: list[str] = []
    real = jinja2.Environment.compile

    def spy(self, source, name=None, filename=None, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        names.append(name)
        return real(self, source, name, filename, *args, **kwargs)
    monkeypatch.setattr(jinja2.Environment, "compile", spy)
    return names


def test_a_serve_rebuild_does_not_compile_our_templates_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs makes a new Jinja environment for every build; serving, our templates' compiled code is
    kept by their source, and a changed template is compiled again."""
    compiled = compiled_templates(monkeypatch)
    site = _site(tmp_path)
    with _own_plugins():
        first = _build(site, tmp_path / "served", "serve")
        assert {"main.html", "base.html"} <= set(compiled)  # ours: main.html read as patientguide/main.html
        compiled.clear()
        assert _build(site, tmp_path / "served") == first
        assert "base.html" in compiled  # the theme's: compiled as MkDocs does
        assert not {"main.html", "patientguide/main.html"} & set(compiled)
        site.write("overrides/main.html",
                   '{% extends "patientguide/main.html" %}\n{% block footer %}Ours{% endblock %}\n')
        _edit(site, "mkdocs.yml", "  font: false\n", "  font: false\n  custom_dir: overrides\n")
        compiled.clear()
        served = _build(site, tmp_path / "served")
        assert "main.html" in compiled  # the site's own: compiled again
    assert _differs(served, _fresh(site, tmp_path / "fresh")) == []
    assert b"Ours" in served["index.html"]


INJECT = '''\
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor


class Inject(Preprocessor):
    def run(self, lines):
        return ['<a href="javascript:alert(1)">Hi</a>' if line.strip() == "PGTESTINJECT" else line for line in lines]


class InjectExtension(Extension):
    def extendMarkdown(self, md):
        md.preprocessors.register(Inject(md), "pg_test_inject", 25)


def makeExtension(**kwargs):
    return InjectExtension(**kwargs)
'''


def test_a_kept_render_still_stops_the_build_on_what_the_output_sanitizer_finds(
        tmp_path: Path, rendered: list[str]) -> None:
    """Text that reaches the page past the source checks (here a Markdown extension of the site's)
    stops every rebuild until it is gone, whether the page is rendered again or not."""
    from mkdocs.exceptions import Abort
    site = _site(tmp_path)
    site.write("pg_test_inject.py", INJECT)
    site.write("mkdocs.yml", site.config.read_text().replace("markdown_extensions: [",
                                                             "markdown_extensions: [pg_test_inject, "))
    _edit(site, "content/c.md", "Drink water every day.\n", "Drink water every day.\n\nPGTESTINJECT\n")
    env = {"PYTHONPATH": str(site.root)}
    with _own_plugins():
        for command in ("serve", None):
            with pytest.raises(Abort):
                _build(site, tmp_path / "served", command, **env)
            assert not (tmp_path / "served" / "c" / "index.html").exists()
        assert sorted(rendered) == sorted(PAGES)  # the second time from what was kept
        _edit(site, "content/c.md", "\nPGTESTINJECT\n", "")
        served = _build(site, tmp_path / "served", **env)
    assert sorted(rendered) == sorted([*PAGES, "c.md"])
    assert _differs(served, _fresh(site, tmp_path / "fresh", **env)) == []


# --- the theme's output (theme_output.py): a page's main.html is rendered again only when what it reads changed

OVERRIDE = ('{% extends "patientguide/main.html" %}\n'
            '{% block footer %}<p class="ours">Ours</p>{{ super() }}{% endblock %}\n')


def _themed_site(tmp_path: Path):  # noqa: ANN202
    """:func:`_site` with a custom_dir whose main.html extends ours."""
    site = _site(tmp_path)
    site.write("overrides/main.html", OVERRIDE)
    _edit(site, "mkdocs.yml", "  font: false\n", "  font: false\n  custom_dir: overrides\n")
    return site


@pytest.fixture
def themed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The pages whose theme template (``main.html``) was rendered, in order: a render makes a new
    Jinja context for it (a kept output does not)."""
    import jinja2
    seen: list[str] = []
    real = jinja2.Template.new_context

    def spy(self, vars=None, shared=False, locals=None):  # noqa: A002, ANN001, ANN202, FBT002
        if self.name == "main.html" and vars and vars.get("page") is not None:
            seen.append(vars["page"].file.src_uri)
        return real(self, vars, shared, locals)
    monkeypatch.setattr(jinja2.Template, "new_context", spy)
    return seen


#: A change to one thing a page's template reads → the pages whose template is rendered again.
THEME_CHANGES: dict[str, tuple[Callable, set[str]]] = {
    "the page's text": (lambda s: _edit(s, "content/a.md", "It can help", "Most people sweat less. It can help"),
                        {"a.md"}),
    "a page with no citation": (lambda s: _edit(s, "content/c.md", "every day", "each day"), {"c.md"}),
    "another page's title (the navigation)": (lambda s: _edit(s, "content/b.md", "title: B", "title: Bee"), set(PAGES)),
    "a page's heading in the nav": (lambda s: _edit(s, "mkdocs.yml", "  - c.md\n", "  - Water: c.md\n"), set(PAGES)),
    "mkdocs.yml extra": (lambda s: _edit(s, "mkdocs.yml", "extra:\n", "extra:\n  generator: false\n"), set(PAGES)),
    "site_name": (lambda s: _edit(s, "mkdocs.yml", "site_name: Test site", "site_name: Sweat guide"), set(PAGES)),
    "copyright": (lambda s: _edit(s, "mkdocs.yml", "docs_dir:", "copyright: Made by the clinic\ndocs_dir:"),
                  set(PAGES)),
    "a custom_dir template": (lambda s: _edit(s, "overrides/main.html", "Ours", "Theirs"), set(PAGES)),
    "a partial added to custom_dir": (lambda s: s.write("overrides/partials/copyright.html", "<p>Our own</p>\n"),
                                      set(PAGES)),
    "the clinic profile": (lambda s: _edit(s, "mkdocs.yml", "    country: GB\n",
                                           "    country: GB\n    phone: \"020 7946 0000\"\n"), set(PAGES)),
    "a reference's fields": (lambda s: _edit(s, "references/main.bib", "Iontophoresis for hyperhidrosis",
                                             "Iontophoresis for sweating"), set(PAGES)),
}


@pytest.mark.parametrize("change", THEME_CHANGES)
def test_a_serve_rebuild_renders_the_theme_again_only_for_what_changed(
        tmp_path: Path, themed: list[str], change: str) -> None:
    site = _themed_site(tmp_path)
    make_change, expected = THEME_CHANGES[change]
    with _own_plugins():
        before = _build(site, tmp_path / "served", "serve")
        assert sorted(themed) == sorted(PAGES)
        themed.clear()
        assert _build(site, tmp_path / "served") == before
        assert themed == []  # nothing changed: every page's output is the one kept
        make_change(site)
        after = _build(site, tmp_path / "served")
    assert sorted(themed) == sorted(expected)
    assert _differs(after, _fresh(site, tmp_path / "fresh")) == []
    assert any(k.endswith(".html") for k in _differs(after, before))  # the change shows in a page


def test_the_same_config_built_again_renders_no_page_s_theme_again(tmp_path: Path, themed: list[str]) -> None:
    """A host may build one config object again (as scripts/bench's serve does): what the plugin adds to
    it in ``on_config`` (the theme's folder, our Markdown extension) goes in once, and the kept outputs,
    keyed by the config too, are used."""
    site = _themed_site(tmp_path)
    with _own_plugins(), _process_as(site.root, {**_env(), "SOURCE_DATE_EPOCH": "1795996800"}):
        config = load_config(str(site.config), site_dir=str(tmp_path / "served"))
        config.plugins.on_startup(command="serve", dirty=False)
        build(config)
        assert sorted(themed) == sorted(PAGES)
        themed.clear()
        build(config)
    assert themed == []


def test_a_plain_build_renders_every_page_s_template(tmp_path: Path, themed: list[str]) -> None:
    """Nothing is kept by ``mkdocs build``, even with the same plugin objects twice."""
    site = _themed_site(tmp_path)
    with _own_plugins():
        first = _build(site, tmp_path / "one", "build")
        second = _build(site, tmp_path / "two", "build")
    assert sorted(themed) == sorted(PAGES * 2)
    assert first == second


HOOK = '''\
def on_page_context(context, page, config, nav):
    context["pg_test_stamp"] = page.file.src_uri
    return context
'''


def test_a_context_entry_another_plugin_adds_renders_the_theme_every_time(tmp_path: Path, themed: list[str]) -> None:
    """What the template would read there is not in the key: every page is rendered as usual."""
    site = _themed_site(tmp_path)
    site.write("hooks.py", HOOK)
    site.write("mkdocs.yml", site.config.read_text() + "hooks: [hooks.py]\n")
    with _own_plugins():
        first = _build(site, tmp_path / "served", "serve")
        themed.clear()
        assert _build(site, tmp_path / "served") == first
    assert sorted(themed) == sorted(PAGES)


def test_a_page_with_its_own_template_renders_the_theme_every_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only main.html's output is kept: a page whose front matter names another template is rendered as usual."""
    import jinja2
    seen: list[tuple[str, str]] = []
    real = jinja2.Template.new_context

    def spy(self, vars=None, shared=False, locals=None):  # noqa: A002, ANN001, ANN202, FBT002
        if vars and vars.get("page") is not None and self.name in ("main.html", "other.html"):
            seen.append((self.name, vars["page"].file.src_uri))
        return real(self, vars, shared, locals)
    monkeypatch.setattr(jinja2.Template, "new_context", spy)
    site = _themed_site(tmp_path)
    site.write("overrides/other.html", '{% extends "main.html" %}\n{% block footer %}Other{% endblock %}\n')
    _edit(site, "content/c.md", "title: C\n", "title: C\ntemplate: other.html\n")
    with _own_plugins():
        first = _build(site, tmp_path / "served", "serve")
        seen.clear()
        served = _build(site, tmp_path / "served")
    assert served == first and b"Other" in served["c/index.html"]
    assert seen == [("other.html", "c.md")]
    assert _differs(served, _fresh(site, tmp_path / "fresh")) == []


def test_a_second_build_in_the_same_process_gets_the_kept_site_result(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs hands the same plugin object to a second ``build`` command in one process; the first
    build forgot its checks once written (``Caches.forget_checks``), so the second must read the
    cache folder again, not check every page as if there were no cache."""
    from patientguide.checks import site as site_checks
    site = _site(tmp_path)
    checked: list[int] = []
    real = site_checks.check_site

    def spy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        checked.append(1)
        return real(*args, **kwargs)
    monkeypatch.setattr(site_checks, "check_site", spy)
    with _own_plugins():
        first = _build(site, tmp_path / "one", "build")
        assert checked == [1]
        second = _build(site, tmp_path / "two", "build")
    assert checked == [1], "the second build checked the site again instead of reading the kept result"
    assert not _differs(first, second)
