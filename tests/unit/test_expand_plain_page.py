"""A page with nothing to fill in (no include, no placeholder) is expanded in one piece: the same
text, and every character maps back to the same line and column as the line-by-line expansion
gives."""

from __future__ import annotations

from hypothesis import assume, given
from hypothesis import strategies as st

from patientguide.includes import Expanded, _Expander, expand
from patientguide.source import split_front_matter


def _line_by_line(text: str, path: str) -> Expanded:
    out = Expanded("", path)
    fm = split_front_matter(text)
    pieces: list[str] = []
    _Expander(out, pieces, None, None).copy(text, path, fm.body_start if fm else 0, ())
    out.text = "".join(pieces)
    return out


@given(st.text(alphabet=st.sampled_from(list("ab -#:\n\t{}<8é")), max_size=200))
def test_a_page_with_nothing_to_fill_maps_every_character_as_before(text: str) -> None:
    assume("--8<--" not in text and "{{" not in text)
    fast, slow = expand(text, "content/a.md", None, None), _line_by_line(text, "content/a.md")
    assert fast.text == slow.text == text
    assert [fast.origin(i) for i in range(len(text) + 2)] == [slow.origin(i) for i in range(len(text) + 2)]
    assert fast.blocks == slow.blocks == [] and fast.diagnostics == slow.diagnostics == []


def test_front_matter_page_in_one_piece() -> None:
    text = "---\ntitle: A\n---\n\n# A\n\nSome text.\nMore.\n"
    fast, slow = expand(text, "content/a.md", None, None), _line_by_line(text, "content/a.md")
    assert len(fast.segments) == 1 < len(slow.segments)
    assert [fast.origin(i) for i in range(len(text))] == [slow.origin(i) for i in range(len(text))]
