"""diskcache.prefetch: every kept file is asked for at once (a hint to the kernel), nothing else."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from patientguide import diskcache


def _hinted(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Each (file, advice) the kernel is given, by the file's real path."""
    calls: list[tuple[str, int]] = []
    monkeypatch.setattr(os, "posix_fadvise",
                        lambda fd, offset, length, how: calls.append((os.readlink(f"/proc/self/fd/{fd}"), how)))
    return calls


@pytest.mark.skipif(not hasattr(os, "posix_fadvise") or not Path("/proc/self/fd").is_dir(), reason="Linux only")
def test_every_file_in_the_folder_and_its_folders_is_hinted_once(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "renders-1").mkdir()
    files = [tmp_path / "memo-1.pickle", tmp_path / "renders-1" / "a.pickle", tmp_path / "renders-1" / "b.pickle"]
    for i, f in enumerate(files):
        f.write_bytes(bytes([i]) * 10)
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "c.pickle").write_bytes(b"x")
    (tmp_path / "linked").symlink_to(outside, target_is_directory=True)  # not entered: not the cache's
    calls = _hinted(monkeypatch)
    assert diskcache.prefetch(tmp_path) == 3
    assert sorted(calls) == sorted((str(f.resolve()), os.POSIX_FADV_WILLNEED) for f in files)
    assert [f.read_bytes() for f in files] == [bytes([i]) * 10 for i in range(3)]  # only a hint: nothing changed


def test_no_cache_or_no_folder_hints_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _hinted(monkeypatch) if hasattr(os, "posix_fadvise") else []
    assert diskcache.prefetch(None) == 0
    assert diskcache.prefetch(tmp_path / "missing") == 0
    assert calls == []


def test_a_system_without_the_hint_is_left_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "memo-1.pickle").write_bytes(b"x")
    monkeypatch.delattr(os, "posix_fadvise", raising=False)
    assert diskcache.prefetch(tmp_path) == 0


def test_a_refused_hint_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "memo-1.pickle").write_bytes(b"x")

    def refuse(fd: int, offset: int, length: int, how: int) -> None:
        raise OSError(22, "Invalid argument")

    monkeypatch.setattr(os, "posix_fadvise", refuse, raising=False)
    monkeypatch.setattr(os, "POSIX_FADV_WILLNEED", 3, raising=False)
    assert diskcache.prefetch(tmp_path) == 0
