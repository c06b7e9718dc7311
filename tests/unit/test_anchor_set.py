"""A page's anchor ids as MkDocs keeps them: the host's set and ours, held once across pages."""

from __future__ import annotations

from patientguide.anchor_set import AS_TUPLE, PageAnchorIds


def test_it_is_a_set_of_the_host_s_ids_and_ours() -> None:
    host = {"home", "pg-ref-1"}
    ids = PageAnchorIds(host, ["pg-ref-1", "pg-ref-2", "pg-cite-1-1"])
    assert "home" in ids and "pg-ref-2" in ids and "pg-cite-1-1" in ids and "nowhere" not in ids
    assert sorted(ids) == ["home", "pg-cite-1-1", "pg-ref-1", "pg-ref-2"] and len(ids) == 4  # no id twice
    assert ids | {"x"} == {"home", "pg-cite-1-1", "pg-ref-1", "pg-ref-2", "x"} and type(ids | {"x"}) is set
    assert ids == {"home", "pg-cite-1-1", "pg-ref-1", "pg-ref-2"}
    ids.add("later")
    ids.discard("pg-ref-2")
    ids.discard("home")
    assert sorted(ids) == ["later", "pg-cite-1-1", "pg-ref-1"] and "later" in host and len(ids) == 3
    assert repr(ids) == "PageAnchorIds(['later', 'pg-cite-1-1', 'pg-ref-1'])"
    assert sorted(PageAnchorIds(None, ["a"])) == ["a"] and sorted(PageAnchorIds(["b"], [])) == ["b"]


def test_two_pages_hold_each_of_our_names_once() -> None:
    a = PageAnchorIds(set(), ["pg-ref-" + str(1)])  # made at run time: not the same string object
    b = PageAnchorIds(set(), ["pg-ref-1".replace("-1", "-" + "1")])
    assert next(iter(a)) is next(iter(b))


def test_a_page_with_many_ids_still_finds_one_quickly() -> None:
    many = [f"ref-key{i}" for i in range(AS_TUPLE * 10)]
    ids = PageAnchorIds({"references"}, many)
    assert isinstance(ids._ours, frozenset) and "ref-key599" in ids and len(ids) == len(many) + 1
    ids.discard("ref-key3")
    assert "ref-key3" not in ids and isinstance(ids._ours, frozenset)
