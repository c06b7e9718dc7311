"""scripts/bench's account of where a build's time went: beside the plugin's handlers and the garbage collection,
three of the host's own steps (MkDocs writing files, Jinja rendering templates, Python-Markdown converting pages),
so that a run shows which of them moves the rest of the build."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import load_bench


@pytest.fixture(scope="module")
def bench():
    return load_bench()


def test_a_real_build_reports_its_writes_renders_and_conversions(tmp_path: Path, bench) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    for n in range(3):
        (docs / f"page-{n}.md").write_text(f"# Page {n}\n\nSome *text* on page {n}.\n", encoding="utf-8")
    cfg = tmp_path / "mkdocs.yml"
    cfg.write_text("site_name: Parts\ntheme:\n  name: material\n  font: false\nplugins:\n  - patientguide:\n"
                   "      enabled: false\n", encoding="utf-8")
    wall, peak, where = bench.run_build(cfg, tmp_path / "site")
    assert set(where) == set(bench.WHERE)
    for step in ("write_s", "render_s", "markdown_s"):
        assert 0 < where[step] < wall, (step, where)
    assert where["write_s"] + where["render_s"] + where["markdown_s"] < wall
    assert (tmp_path / "site" / "page-2" / "index.html").is_file()


def test_the_where_line_gives_each_step_as_the_median_of_the_paired_differences(bench) -> None:
    def build(ours: float, write: float, render: float, markdown: float) -> dict[str, float]:
        return {"cpu_s": 1.0, "gc_s": 0.0, "ours_s": ours, "write_s": write, "render_s": render, "markdown_s": markdown}
    where = {"on": [build(0.07, 0.05, 0.40, 0.09), build(0.07, 0.06, 0.42, 0.09), build(0.07, 0.20, 0.41, 0.10)],
             "off": [build(0.0, 0.04, 0.39, 0.08), build(0.0, 0.02, 0.40, 0.08), build(0.0, 0.05, 0.40, 0.08)]}
    line = bench.where_line({"on": [1.1, 1.1, 1.1], "off": [1.0, 1.0, 1.0]}, where)
    assert line.endswith("; of the rest, writing files +40, template renders +10, Markdown +10")


def test_results_without_the_steps_keep_the_line_as_it_was(bench) -> None:
    where = {"on": [{"cpu_s": 1.1, "gc_s": 0.0, "ours_s": 0.07}], "off": [{"cpu_s": 1.0, "gc_s": 0.0, "ours_s": 0.0}]}
    line = bench.where_line({"on": [1.1], "off": [1.0]}, where)
    assert "of the rest" not in line and line.endswith("+30 (wall) / +30 (CPU)")


def _tmpfs_mounts() -> list[Path]:
    try:
        lines = Path("/proc/mounts").read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    return [Path(parts[1]) for parts in map(str.split, lines) if len(parts) > 2 and parts[2] == "tmpfs"]


def test_a_run_makes_its_sites_in_memory_only_where_a_tmpfs_has_the_room(tmp_path: Path, bench) -> None:
    assert bench.work_dir(tmp_path, needed=0) is None  # a folder on no tmpfs of its own: the system's default
    mounts = [m for m in _tmpfs_mounts() if m.is_dir()]
    if not mounts:
        pytest.skip("no tmpfs on this machine")
    assert bench.work_dir(mounts[0], needed=0) == str(mounts[0])
    assert bench.work_dir(mounts[0], needed=1 << 62) is None  # not enough room: the default too
