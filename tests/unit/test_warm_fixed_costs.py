"""A warm build's fixed costs are cut without doing less: the security headers still read every
built page whole (one reused buffer, a walk with ``os.scandir``) and find the same files as
``os.walk`` did; the code digest still covers every source file of the package, and the library
versions in it equal ``importlib.metadata``'s without importing it where a folder listing tells."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from patientguide import pagecache, security_headers
from patientguide.caches import Caches


def _walked_like_before(site: Path) -> list[str]:
    """What the headers read before: ``*.html`` files as ``os.walk`` finds them (linked folders not entered)."""
    return sorted(os.path.join(folder, name) for folder, _dirs, files in os.walk(site)
                  for name in files if name.endswith(".html"))


def _hashes_like_before(site: Path) -> list[str]:
    found: set[str] = set()
    for path in _walked_like_before(site):
        found |= security_headers.inline_script_hashes(Path(path).read_bytes().decode("utf-8", errors="replace"))
    return sorted(found)


@pytest.fixture
def built(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "a" / "b").mkdir(parents=True)
    (site / "a" / "b" / "index.html").write_text("<script>deep()</script>")
    filler = "<p>" + "x" * 1000 + "</p>\n"  # a page bigger than the read buffer, its script at the very end
    (site / "big.html").write_text(filler * 700 + "<SCRIPT>atTheEnd()</SCRIPT>")
    (site / "bytes.html").write_bytes(b"<p>\xff\xfe</p><script>\xe2\x82 broken()</script>")  # not UTF-8: replaced
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("<script>notPublished()</script>")
    (outside / "page.html").write_text("<script>linkedFile()</script>")
    (site / "linked-folder.html").symlink_to(outside, target_is_directory=True)  # never entered, never read
    (site / "linked-folder").symlink_to(outside, target_is_directory=True)
    (site / "linked.html").symlink_to(outside / "page.html")  # a linked file is read, as before
    (site / "style.css").write_text("<script>notHtml()</script>")
    return site


def test_script_hashes_cover_the_same_pages_read_whole(built: Path, tmp_path: Path) -> None:
    before = _hashes_like_before(built)
    assert len(before) == 4  # deep, atTheEnd, broken (as decoded), linkedFile
    assert security_headers.site_hashes(built) == before
    assert security_headers.site_hashes(built, Caches(tmp_path / "cache").script_hashes) == before  # cold cache
    assert security_headers.site_hashes(built, Caches(tmp_path / "cache").script_hashes) == before  # warm
    (built / "big.html").write_text("<p>small</p>")
    assert security_headers.site_hashes(built, Caches(tmp_path / "cache").script_hashes) == \
        _hashes_like_before(built) != before  # the page's new bytes, not the old ones left in the buffer


def test_the_code_digest_reads_every_source_file(tmp_path: Path) -> None:
    package = tmp_path / "pkg"
    (package / "checks" / "__pycache__").mkdir(parents=True)
    (package / "__pycache__").mkdir()
    for rel in ("a.py", "checks/__init__.py", "checks/z.py", "checks/__pycache__/z.cpython-311.py",
                "__pycache__/a.py", "notes.txt", "templates.py.j2"):
        (package / rel).write_text("x = 1\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "linked.py").write_text("x = 2\n")
    (package / "linked").symlink_to(elsewhere, target_is_directory=True)  # os.walk does not enter it
    walked = sorted(
        (name if rel == "." else f"{rel}/{name}")
        for folder, dirs, files in os.walk(package)
        if "__pycache__" not in Path(folder).relative_to(package).parts
        for rel in [os.path.relpath(folder, package).replace(os.sep, "/")]
        for name in files if name.endswith(".py"))
    assert pagecache._sources(str(package)) == walked == ["a.py", "checks/__init__.py", "checks/z.py"]


def test_pages_seen_as_written_are_not_read_back_unless_their_size_changed(built: Path, tmp_path: Path,
                                                                           monkeypatch) -> None:
    """``on_post_page`` hands each page over as MkDocs writes it (security_headers.page_written): the
    headers take its scripts from there, and read the file only if something rewrote it since."""
    before = _hashes_like_before(built)
    written: security_headers.Written = {}
    for rel in ("a/b/index.html", "big.html"):
        security_headers.page_written((built / rel).read_text(), str(built / rel), written,
                                      Caches(tmp_path / "cache").script_hashes)
    read: list[str] = []
    real = security_headers._read_into
    monkeypatch.setattr(security_headers, "_read_into", lambda path, buf: read.append(path) or real(path, buf))
    assert security_headers.site_hashes(built, Caches(tmp_path / "cache").script_hashes, written) == before
    assert sorted(os.path.relpath(p, built) for p in read) == ["bytes.html", "linked.html"]  # not seen written
    read.clear()
    (built / "big.html").write_text("<p>rewritten</p><script>byAnotherPlugin()</script>")  # after on_post_page
    after = security_headers.site_hashes(built, Caches(tmp_path / "cache").script_hashes, written)
    assert "big.html" in [os.path.relpath(p, built) for p in read]
    assert after == _hashes_like_before(built) != before  # the file's scripts, not the page's as it was handed over


def _metadata_asked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names ``importlib.metadata.version`` is asked for (it answers from a fake table)."""
    import importlib.metadata
    asked: list[str] = []

    def version(name: str) -> str:
        asked.append(name)
        if name == "eggy":
            return "2.0"
        raise importlib.metadata.PackageNotFoundError(name)
    monkeypatch.setattr(importlib.metadata, "version", version)
    return asked


def test_installed_versions_come_from_the_dist_info_folders_without_importlib_metadata(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A name with no ``.dist-info`` on a path of plain folders is not installed: importlib.metadata
    (about 25 ms to import) is not asked, as it was for every absent optional library."""
    (tmp_path / "Some_Lib-1.4.dist-info").mkdir()
    (tmp_path / "other-3.dist-info").mkdir()
    monkeypatch.setattr(sys, "path", [str(tmp_path / "missing"), str(tmp_path)])
    asked = _metadata_asked(monkeypatch)
    assert pagecache.installed_versions(("some-lib", "absent")) == {"some-lib": "1.4", "absent": ""}
    assert asked == []


@pytest.mark.parametrize("setup", ["egg-info", "zip on the path", "another finder"])
def test_installed_versions_ask_importlib_metadata_where_a_listing_cannot_tell(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setup: str) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    path = [str(folder)]
    if setup == "egg-info":
        (folder / "eggy-2.0-py3.11.egg-info").mkdir()
    elif setup == "zip on the path":
        (tmp_path / "bundle.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
        path.append(str(tmp_path / "bundle.zip"))
    else:
        class Finder:
            @staticmethod
            def find_distributions(*args: object, **kwargs: object) -> list[object]:
                return []
        monkeypatch.setattr(sys, "meta_path", [Finder, *sys.meta_path])
    monkeypatch.setattr(sys, "path", path)
    asked = _metadata_asked(monkeypatch)
    versions = pagecache.installed_versions(("eggy",))
    assert asked == ["eggy"]
    assert versions == {"eggy": "2.0"}


def test_installed_versions_agree_with_importlib_metadata_here() -> None:
    import importlib.metadata
    names = (*pagecache.LIBRARIES, "mkdocs", "not-installed-anywhere")
    expected = {}
    for name in names:
        try:
            expected[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            expected[name] = ""
    assert pagecache.installed_versions(names) == expected
