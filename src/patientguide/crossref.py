"""``crossref``: the fields a child entry inherits from its parent.

BibTeX's rule: the child gets every field of the parent that it does not set itself. biblatex
and biber refine it (``biblatex.def``, "DATA INHERITANCE"): the parent's ``title`` becomes the
child's ``booktitle`` when a chapter or paper points at its book or proceedings, ``maintitle``
under a multi-volume work and ``journaltitle`` for an article in a periodical; short and sort
titles are not inherited; nor are ``crossref``, ``ids``, ``label`` and the other fields that
identify an entry. Those defaults are followed here, plus one pairing that classic BibTeX files
use and biblatex leaves out: an ``@incollection`` whose parent is a ``@book``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

NOT_INHERITED = frozenset({
    "ids", "crossref", "xref", "entryset", "entrysubtype", "execute", "label", "options", "presort",
    "related", "relatedoptions", "relatedstring", "relatedtype", "shorthand", "shorthandintro", "sortkey",
})
_TITLES = ("title", "subtitle", "titleaddon")
_NOT_COPIED_WHEN_MAPPED = frozenset({"shorttitle", "sorttitle", "indextitle", "indexsorttitle", *_TITLES})

#: (parent types, child types, what the parent's title becomes in the child)
_TITLE_RULES: tuple[tuple[frozenset[str], frozenset[str], str], ...] = tuple(
    (frozenset(parents.split()), frozenset(children.split()), prefix) for parents, children, prefix in (
        ("mvbook", "book inbook bookinbook suppbook", "main"),
        ("mvcollection mvreference", "collection reference incollection inreference suppcollection", "main"),
        ("mvproceedings", "proceedings inproceedings", "main"),
        ("book", "inbook bookinbook suppbook incollection", "book"),
        ("collection reference", "incollection inreference suppcollection", "book"),
        ("proceedings", "inproceedings", "book"),
        ("periodical", "article suppperiodical", "journal"),
    ))


def title_prefix(parent_type: str, child_type: str) -> str:
    """``book`` (title → booktitle), ``main``, ``journal``, or ``""`` when titles are copied as they are."""
    for parents, children, prefix in _TITLE_RULES:
        if parent_type in parents and child_type in children:
            return prefix
    return ""


def inherited(parent_type: str, child_type: str, parent: Mapping[str, str],
              child_has: Collection[str]) -> dict[str, str]:
    """The parent's fields the child gets: only those it lacks; a parent's own ``booktitle`` wins
    over its ``title`` mapped to ``booktitle``."""
    prefix = title_prefix(parent_type, child_type)
    out: dict[str, str] = {}
    for name, value in parent.items():
        if name in NOT_INHERITED or (prefix and name in _NOT_COPIED_WHEN_MAPPED):
            continue
        if name not in child_has and value:
            out[name] = value
    if prefix:
        for name in _TITLES:
            target = "journaltitle" if (prefix, name) == ("journal", "title") else prefix + name
            if parent.get(name) and target not in child_has and target not in out:
                out[target] = parent[name]
    return out
