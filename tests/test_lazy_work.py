"""Work a build does not need is not done: a page that comes back from the page cache does not
load the page checks' heavy helpers (the claim rules' regular expressions), and a cold check
still runs every check on every page."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import clinic_yaml, make_site, page

_CHECK_AND_LIST = ("import sys\n"
                   "from patientguide.cli import main\n"
                   "code = main(['check', '-q', '--today', '2026-11-24'])\n"
                   "print(' '.join(m for m in sys.modules if m.startswith('patientguide')))\n"
                   "sys.exit(code)\n")


def _modules_after_check(root: Path, **env: str) -> set[str]:
    r = subprocess.run([sys.executable, "-c", _CHECK_AND_LIST], cwd=root, capture_output=True, text=True,
                       env={**_env(), **env})
    assert r.returncode in (0, 1), r.stderr
    return set(r.stdout.split())


def _env() -> dict[str, str]:
    import os
    return {k: v for k, v in os.environ.items() if k != "PATIENTGUIDE_NO_CACHE"}


def test_a_warm_check_does_not_load_the_claim_rules(tmp_path: Path) -> None:
    site = make_site(tmp_path, {"content/a.md": page("A", "# A\n\nIt can help most people [@karakoc2002safe].\n")})
    cold = _modules_after_check(site.root)
    assert "patientguide.claims" in cold  # the first check runs every check on every page
    warm = _modules_after_check(site.root)  # every page from the page cache
    assert "patientguide.claims" not in warm
    assert "patientguide.claims" in _modules_after_check(site.root, PATIENTGUIDE_NO_CACHE="1")


def test_a_rebuild_reuses_formatted_references_and_a_changed_one_is_formatted_again(tmp_path: Path,
                                                                                     monkeypatch) -> None:
    """mkdocs serve: the reference cache gives back the same entries while the .bib file is unchanged,
    and their formatting is reused without even computing its content key; an edited entry is new."""
    from conftest import GOOD_BIB
    from patientguide import caches as caches_module
    from patientguide.caches import Caches
    from patientguide.references import load_references

    keys: list[str] = []
    real_key = caches_module.content_key
    monkeypatch.setattr(caches_module, "content_key", lambda *parts: keys.append(parts[0]) or real_key(*parts))
    caches = Caches(tmp_path)

    def build(bib: str) -> tuple[str, str]:
        ref = load_references([("main.bib", bib)], caches.references).entries["karakoc2002safe"]
        out = caches.format_reference(ref)
        caches.flush_output()
        return out

    first = build(GOOD_BIB)
    assert keys == ["reference"] and "Safe control" in first[0]
    keys.clear()
    assert build(GOOD_BIB) == first and keys == []  # the same entry: nothing computed
    edited = build(GOOD_BIB.replace("Safe control", "Safer control"))
    assert keys == ["reference"] and "Safer control" in edited[0]
    keys.clear()
    again = Caches(tmp_path)  # the next process: from the disk copy, by content
    ref = load_references([("main.bib", GOOD_BIB)], again.references).entries["karakoc2002safe"]
    assert again.format_reference(ref) == first


def test_script_hashes_are_kept_by_page_content(tmp_path: Path, monkeypatch) -> None:
    """The CSP's inline-script hashes: a built page that did not change is not scanned again; a
    changed script is hashed anew, from any build's cache folder."""
    from patientguide import security_headers
    from patientguide.caches import Caches

    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text("<p>A</p><script>one()</script>")
    (site / "index.html").write_text("<script>two()</script><script src=x.js></script>")
    scanned: list[str] = []
    real = security_headers.inline_script_hashes
    monkeypatch.setattr(security_headers, "inline_script_hashes", lambda html: scanned.append(html) or real(html))
    cold = security_headers.site_hashes(site)
    assert len(cold) == 2 and len(scanned) == 2
    assert security_headers.write_headers(site, None, Caches(tmp_path / "cache")) == security_headers.all_headers(cold)
    scanned.clear()
    assert security_headers.site_hashes(site, Caches(tmp_path / "cache").script_hashes) == cold  # the next build
    assert scanned == []
    (site / "a" / "index.html").write_text("<p>A</p><script>three()</script>")
    changed = security_headers.site_hashes(site, Caches(tmp_path / "cache").script_hashes)
    assert scanned == ["<p>A</p><script>three()</script>"]
    assert changed == security_headers.site_hashes(site) != cold


def test_script_hashes_kept_under_a_pages_sha1_key_are_not_read_as_its_key(tmp_path: Path, monkeypatch) -> None:
    """A cache folder from before the page key was XXH3 holds each page's script hashes under the page's SHA-1:
    the page is scanned again, its real hashes are the ones given, and the old entry goes at the next write."""
    import hashlib

    from patientguide import security_headers
    from patientguide.caches import Caches

    site = tmp_path / "site"
    site.mkdir()
    page = "<p>A</p><script>one()</script>"
    (site / "index.html").write_text(page)
    old_key = hashlib.sha1(page.encode()).hexdigest()
    before = Caches(tmp_path / "cache").script_hashes
    before.put(old_key, frozenset({"'sha256-not-this-page'"}))
    before.flush()
    scanned: list[str] = []
    real = security_headers.inline_script_hashes
    monkeypatch.setattr(security_headers, "inline_script_hashes", lambda html: scanned.append(html) or real(html))
    assert security_headers.site_hashes(site, Caches(tmp_path / "cache").script_hashes) == sorted(real(page))
    assert scanned == [page]
    assert old_key not in Caches(tmp_path / "cache").script_hashes.entries


def test_a_rebuild_with_one_changed_page_pickles_only_that_result(tmp_path: Path, monkeypatch) -> None:
    """The page cache keeps each result pickled on its own: after one page changed, the flush
    pickles that result and writes the others' bytes as they were; the next process gets them back."""
    import pickle

    from patientguide import diskcache
    from patientguide.pagecache import KeptResults

    kept = KeptResults(tmp_path, "pages-1.pickle")
    for key in ("a", "b", "c"):
        kept.put(key, {"page": key, "problems": (key * 3,)})
    kept.flush()
    pickled: list[object] = []
    real_dumps = pickle.dumps
    monkeypatch.setattr(pickle, "dumps", lambda obj, *a, **k: pickled.append(obj) or real_dumps(obj, *a, **k))
    assert kept.get("a") == {"page": "a", "problems": ("aaa",)} and kept.get("b") is not None
    kept.put("c2", {"page": "c", "problems": ("edited",)})  # 'c' changed: a new key; the old one is not used
    kept.flush()
    assert pickled == [{"page": "c", "problems": ("edited",)}]
    again = KeptResults(tmp_path, "pages-1.pickle")  # the next process
    assert sorted(again.entries) == ["a", "b", "c2"] and again.get("c2") == {"page": "c", "problems": ("edited",)}
    diskcache.store(tmp_path, "old.pickle", {"a": {"page": "a"}})  # the format before: results pickled together
    assert KeptResults(tmp_path, "old.pickle").get("a") is None


def test_a_build_that_only_keeps_entries_reads_the_digest_of_their_keys_not_the_entries(tmp_path: Path) -> None:
    """A warm build keeps the formatted references its kept renders used (:meth:`KeptResults.keep`)
    without unpickling the file's entries: if it kept every entry and no other, the file's digest of
    its keys says so, and nothing is read or written; otherwise the file is read and what is kept written."""
    import pickle

    from patientguide.pagecache import KeptResults

    first = KeptResults(tmp_path, "formatted-1.pickle")
    for key in ("a", "b", "c"):
        first.put(key, f"reference {key}")
    first.flush()
    file = tmp_path / "formatted-1.pickle"
    written = file.stat().st_mtime_ns
    warm = KeptResults(tmp_path, "formatted-1.pickle")
    for key in ("c", "a", "b", "a"):
        warm.keep(key)
    warm.flush()
    assert warm._entries is None and file.stat().st_mtime_ns == written  # not read, not written
    assert sorted(KeptResults(tmp_path, "formatted-1.pickle").entries) == ["a", "b", "c"]

    fewer = KeptResults(tmp_path, "formatted-1.pickle")
    for key in ("a", "gone"):  # 'gone' is not in the file; 'b' and 'c' were not used
        fewer.keep(key)
    fewer.flush()
    again = KeptResults(tmp_path, "formatted-1.pickle")
    assert sorted(again.entries) == ["a"] and again.get("a") == "reference a"
    again.keep("a")
    again.flush()  # the file's entries are read, and equal what was used: not written
    assert sorted(KeptResults(tmp_path, "formatted-1.pickle").entries) == ["a"]

    header = pickle.dumps(("patientguide keys", "digest"))
    for older in (pickle.dumps({"a": pickle.dumps("reference a")}),  # no digest, no checksums
                  header + pickle.dumps({"a": pickle.dumps("reference a")})):  # no checksums
        (tmp_path / "formatted-1.pickle").write_bytes(older)
        kept = KeptResults(tmp_path, "formatted-1.pickle")
        kept.keep("a")
        kept.flush()
        assert KeptResults(tmp_path, "formatted-1.pickle").get("a") is None  # an older file: recomputed


_BUILD_AND_LIST = ("import sys\n"
                   "from mkdocs.commands.build import build\n"
                   "from mkdocs.config import load_config\n"
                   "cfg = load_config('mkdocs.yml', site_dir=sys.argv[1])\n"
                   "cfg.plugins.on_startup(command='build', dirty=False)\n"
                   "build(cfg)\n"
                   "print(' '.join(sys.modules))\n")
#: What only rendering a page (its render not kept) or scoring its reading grade needs.
RENDER_ONLY = {"patientguide.sanitize", "patientguide.safe_html", "patientguide.includes", "patientguide.anchors",
               "patientguide.search_view", "patientguide.prose", "patientguide.syllables", "difflib",
               # a page's report, kept pickled and not read (KeptPages): its parts' classes are not needed
               "patientguide.citations", "patientguide.readability", "patientguide.frontmatter",
               "patientguide.source"}


def _modules_after_build(root: Path, out: Path, **env: str) -> set[str]:
    r = subprocess.run([sys.executable, "-c", _BUILD_AND_LIST, str(out)], cwd=root, capture_output=True, text=True,
                       env={**_env(), "NO_MKDOCS_2_WARNING": "1", **env})
    assert r.returncode == 0, r.stderr
    return set(r.stdout.split())


def test_a_warm_build_does_not_import_what_only_rendering_a_page_needs(tmp_path: Path) -> None:
    """Each page's render comes back from cache_dir: the sanitizer, the block expander, the search
    view, the readability scorer, the citation parser and the front matter reader are not even
    imported (each costs start-up time)."""
    site = make_site(tmp_path, {"content/a.md": page("A", "# A\n\nIt can help most people [@karakoc2002safe].\n")})
    assert RENDER_ONLY <= _modules_after_build(site.root, tmp_path / "cold")  # the first build renders every page
    warm = _modules_after_build(site.root, tmp_path / "warm")
    assert not RENDER_ONLY & warm
    assert "patientguide.render" in warm  # the kept renders are read
    assert RENDER_ONLY <= _modules_after_build(site.root, tmp_path / "nocache", PATIENTGUIDE_NO_CACHE="1")
    page_a = Path("a", "index.html")
    assert (tmp_path / "warm" / page_a).read_bytes() == (tmp_path / "nocache" / page_a).read_bytes()


def test_a_site_without_a_clinic_profile_does_not_import_the_code_that_reads_one(tmp_path: Path) -> None:
    """MkDocs merges every INHERIT'ed file's ``extra``: without ``extra.clinic`` there is no profile to
    read, and a warm build does not import the profile's reader (its checks, its colours; a cold build's
    site checks may)."""
    reader = {"patientguide.clinic", "patientguide.colour"}
    site = make_site(tmp_path / "plain", {"content/a.md": page("A", "# A\n\nIt can help most people [@karakoc2002safe].\n")})
    _modules_after_build(site.root, tmp_path / "cold")
    assert not reader & _modules_after_build(site.root, tmp_path / "warm")
    assert "Test Clinic" not in (tmp_path / "warm" / "a" / "index.html").read_text(encoding="utf-8")
    branded = make_site(tmp_path / "branded", {"content/a.md": page("A", "# A\n\nIt can help most people [@karakoc2002safe].\n")})
    branded.write("mkdocs.yml", branded.config.read_text() + clinic_yaml())
    _modules_after_build(branded.root, tmp_path / "branded-cold")
    assert reader <= _modules_after_build(branded.root, tmp_path / "branded-site")
    assert "Test Clinic" in (tmp_path / "branded-site" / "a" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("file_read", [False, True])
def test_keep_all_keeps_what_keep_keeps_one_by_one(tmp_path: Path, file_read: bool) -> None:
    """A kept render's uses are kept by cache, each cache's keys at once (rendercache.LiveUses)."""
    from patientguide.pagecache import KeptResults

    first = KeptResults(tmp_path, "formatted-1.pickle")
    for key in ("a", "b", "c"):
        first.put(key, f"reference {key}")
    first.flush()
    one, bulk = KeptResults(tmp_path, "formatted-1.pickle"), KeptResults(tmp_path, "formatted-1.pickle")
    if file_read:  # then a key the file does not have is not kept
        assert one.entries and bulk.entries
    for key in ("a", "gone", "c"):
        one.keep(key)
    bulk.keep_all(["a", "gone", "c"])
    assert one.used == bulk.used == ({"a", "c"} if file_read else {"a", "gone", "c"})


def test_a_disabled_plugin_imports_none_of_the_code_that_builds_pages(tmp_path: Path) -> None:
    """MkDocs imports the plugin's module for ``enabled: false`` too; from there on it does nothing, so
    it imports nothing more (a plain build's start-up is not ours)."""
    site = make_site(tmp_path, options="enabled: false")
    loaded = {m for m in _modules_after_build(site.root, tmp_path / "out") if m.startswith("patientguide")}
    assert "patientguide.mkdocs_plugin" in loaded
    assert not {"patientguide.rendermemo", "patientguide.diskcache", "patientguide.sitepage"} & loaded
    assert (tmp_path / "out" / "index.html").is_file()


_BUILD_AND_COUNT_IMPORTS = (
    "import builtins, sys\n"
    "from mkdocs.commands.build import build\n"
    "from mkdocs.config import load_config\n"
    "cfg = load_config('mkdocs.yml', site_dir=sys.argv[1])\n"
    "real, calls = builtins.__import__, []\n"
    "def counted(name, globals=None, locals=None, fromlist=(), level=0):\n"
    "    calls.append((globals or {}).get('__name__', ''))\n"
    "    return real(name, globals, locals, fromlist, level)\n"
    "def pages_start(nav, **kwargs):\n"
    "    builtins.__import__ = counted\n"
    "cfg.plugins.events['nav'].append(pages_start)\n"
    "cfg.plugins.on_startup(command='build', dirty=False)\n"
    "build(cfg)\n"
    "builtins.__import__ = real\n"
    "import collections; print(collections.Counter(c for c in calls if c.startswith('patientguide')).most_common(), file=sys.stderr)\n"
    "print(sum(c.startswith('patientguide') for c in calls))\n")


def test_a_warm_build_s_pages_make_no_import_calls_that_grow_with_the_site(tmp_path: Path) -> None:
    """From the navigation on, a warm build's handlers and the kept renders it reads do not go through the
    import system page by page: the modules every page uses are held from the first page on, and a pickled
    class is found in its module as loaded (pickling.LoadedModules). At 1000 pages each such call cost 2 to
    5 us (docs/performance.md, "Per-page look-ups held")."""
    pages = {f"content/p{i}.md": page(f"P{i}", f"# P{i}\n\nIt can help most people [@karakoc2002safe].\n")
             for i in range(40)}
    site = make_site(tmp_path, pages)

    def import_calls(out: str) -> int:
        r = subprocess.run([sys.executable, "-c", _BUILD_AND_COUNT_IMPORTS, str(tmp_path / out)], cwd=site.root,
                           capture_output=True, text=True, env={**_env(), "NO_MKDOCS_2_WARNING": "1"})
        assert r.returncode == 0, r.stderr
        return int(r.stdout.split()[-1])

    assert import_calls("cold") > 100  # rendering every page: the sanitizer's, the head's ... as they are used
    assert import_calls("warm") < 20  # a few once a build, not one or more a page (41 pages)


def test_a_held_block_is_read_back_without_the_import_system() -> None:
    """A page's held block (and a kept render: rendercache._Reader) finds each pickled class in its loaded
    module; the same objects come back as through pickle.loads."""
    import builtins

    from patientguide.held_pages import HeldPages
    from patientguide.lazytext import Lazy
    from patientguide.rendercache import KeptArticle

    held = HeldPages(unpacked=0)
    made = Lazy(lambda: "{}")
    str(made)  # a made one pickles as its text, as a page's structured data waits
    held.hold("a.md", KeptArticle(3, 7, "<p>whole</p>", "key"), {"jsonld": made, "draft": True})
    assert held.block("a.md") is not None
    calls: list[str] = []
    real = builtins.__import__
    builtins.__import__ = lambda name, *rest, **kw: calls.append(name) or real(name, *rest, **kw)
    try:
        article, data = held.take("a.md")
    finally:
        builtins.__import__ = real
    assert calls == []
    assert (type(article), article.text, article.key, str(data["jsonld"]), data["draft"]) == (
        KeptArticle, "<p>whole</p>", "key", "{}", True)
