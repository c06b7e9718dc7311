"""theme_output's digest of a template's inputs: by content, every value in it, and nothing it
cannot key by content (the page is then rendered as usual)."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from markupsafe import Markup

from patientguide.theme_output import Unkeyable, _Feed


def _digest(value: Any) -> str:
    feed = _Feed("test")
    feed.value(value)
    return feed.hexdigest()


class Thing:
    def __init__(self, **kw: Any) -> None:
        self.__dict__.update(kw)


META = {"title": "A", "last_reviewed": datetime.date(2026, 1, 10), "pg": {"og": Markup("<meta>"), "n": [1, 2.5]}}


def test_equal_content_in_other_objects_gives_the_same_digest() -> None:
    import copy
    assert _digest([META, Thing(a=[1], b={"x"})]) == _digest([copy.deepcopy(META), Thing(a=[1], b={"x"})])


@pytest.mark.parametrize("other", [
    {**META, "title": "B"},
    {**META, "last_reviewed": datetime.date(2026, 1, 11)},
    {**META, "pg": {"og": "<meta>", "n": [1, 2.5]}},  # a str, not Markup
    {**META, "pg": {"og": Markup("<meta>"), "n": [1, 2.6]}},
    {"last_reviewed": META["last_reviewed"], "title": "A", "pg": META["pg"]},  # another order
])
def test_any_change_in_a_value_changes_the_digest(other: dict[str, Any]) -> None:
    assert _digest(other) != _digest(META)


def test_parts_do_not_run_together() -> None:
    assert _digest(["ab", "c"]) != _digest(["a", "bc"])
    assert _digest(Thing(a="b")) != _digest(Thing(ab=""))


def test_a_set_is_keyed_by_its_members_not_their_order() -> None:
    assert _digest({"pg-ref-1", "pg-ref-2", "a"}) == _digest({"a", "pg-ref-2", "pg-ref-1"})
    assert _digest({(1, 2), (3, 4)}) == _digest({(3, 4), (1, 2)})


def test_a_cycle_or_an_object_with_no_readable_state_cannot_be_keyed() -> None:
    loop: list[Any] = [1]
    loop.append(loop)
    with pytest.raises(Unkeyable):
        _digest(loop)
    with pytest.raises(Unkeyable):
        _digest({"x": object()})
