"""The files MkDocs builds a site from, decided as MkDocs decides them."""

from __future__ import annotations

from pathlib import Path

from patientguide.settings import SiteStructure
from patientguide.site_files import Inclusion, dest_uri, site_files


def _docs(tmp_path: Path, names: list[str]) -> Path:
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("# x\n")
    return tmp_path


def test_addresses_as_mkdocs_gives_them() -> None:
    assert [dest_uri(u, True) for u in ("index.md", "a.md", "sub/README.md", "sub/b.md", "img/x.png")] == \
        ["index.html", "a/index.html", "sub/index.html", "sub/b/index.html", "img/x.png"]
    assert [dest_uri(u, False) for u in ("a.md", "sub/README.md")] == ["a.html", "sub/index.html"]


def test_dot_files_and_templates_are_excluded_by_default(tmp_path) -> None:
    docs = _docs(tmp_path, ["index.md", ".draft.md", ".git/x.md", "sub/.hidden/y.md", "templates/t.md",
                            "sub/templates/ok.md"])
    files = site_files(docs, SiteStructure(), True).files
    assert {u for u, inc in files.items() if inc.built} == {"index.md", "sub/templates/ok.md"}


def test_exclude_draft_and_not_in_nav_patterns(tmp_path) -> None:
    docs = _docs(tmp_path, ["index.md", "old/a.md", "wip.md", "extra/page.md", "keep.md"])
    site = SiteStructure(exclude_docs="old/\n", draft_docs="wip.md\n", not_in_nav="/extra/\n")
    files = site_files(docs, site, True, generated=["references.md", "old/gen.md"]).files
    assert files == {"index.md": Inclusion.INCLUDED, "keep.md": Inclusion.INCLUDED, "old/a.md": Inclusion.EXCLUDED,
                     "wip.md": Inclusion.DRAFT, "extra/page.md": Inclusion.NOT_IN_NAV,
                     "references.md": Inclusion.INCLUDED, "old/gen.md": Inclusion.EXCLUDED}


def test_readme_next_to_index_loses(tmp_path) -> None:
    docs = _docs(tmp_path, ["index.md", "README.md", "sub/README.md", "other/README.md", "other/index.md"])
    result = site_files(docs, SiteStructure(exclude_docs="other/index.md\n"), True)
    assert result.conflicts == [("README.md", "index.md")]
    assert "README.md" not in result.files and "sub/README.md" in result.files
    assert "other/README.md" in result.files  # the index next to it is excluded, so the README stays
