from __future__ import annotations

import pytest

from patientguide.source import SourceFile, mask, split_front_matter


@pytest.mark.parametrize(
    ("offset", "pos"),
    [(0, (1, 1)), (2, (1, 3)), (3, (1, 4)), (4, (2, 1)), (6, (3, 1))],
)
def test_position(offset: int, pos: tuple[int, int]) -> None:
    assert SourceFile("x", "abc\nd\nef").position(offset) == pos


def test_mask_keeps_length_and_newlines() -> None:
    text = "a `code` b\n```\nx\n```\n<!-- c -->\n"
    m = mask(text)
    assert len(m) == len(text)
    assert [i for i, ch in enumerate(m) if ch == "\n"] == [i for i, ch in enumerate(text) if ch == "\n"]
    assert "code" not in m and "x" not in m.split("\n")[2]


@pytest.mark.parametrize(
    ("text", "closed", "yaml"),
    [
        pytest.param("---\na: 1\n---\nbody", True, "a: 1\n", id="closed"),
        pytest.param("---\na: 1\n...\nbody", True, "a: 1\n", id="dots-close"),
        pytest.param("---\na: 1\n", False, "a: 1\n", id="unclosed"),
        pytest.param("\ufeff---\na: 1\n---\n", True, "a: 1\n", id="bom"),
    ],
)
def test_front_matter_split(text: str, closed: bool, yaml: str) -> None:
    fm = split_front_matter(text)
    assert fm is not None and fm.closed is closed and fm.text == yaml


@pytest.mark.parametrize("text", ["Key: value\n\nbody", "body\n---\n", " ---\na: 1\n---\n"])
def test_no_front_matter(text: str) -> None:
    assert split_front_matter(text) is None
