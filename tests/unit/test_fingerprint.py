"""The review fingerprint: what changes it (a word, a block's text, a cited reference's field, the
key points) and what does not (whitespace, line endings, review fields of the front matter, an
uncited reference, the clinic's placeholders)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import GOOD_BIB
from patientguide.fingerprint import PATTERN, page_fingerprint
from patientguide.frontmatter import read_front_matter
from patientguide.includes import Blocks
from patientguide.references import load_references
from patientguide.source import SourceFile

PAGE = """\
---
title: Side effects
description: What can go wrong.
summary:
  - Most side effects are mild.
audience: patient
last_reviewed: 2026-01-10
next_review_due: 2027-01-10
status: draft
---

# Side effects

Most side effects are mild [@karakoc2002safe].
Tingling is common [@karakoc2002safe].

--8<-- "blocks/stop.md"
"""
BLOCK = "!!! danger \"Stop\"\n    Call {{ clinic.emergency_number }} if you feel faint [@bad2021leaflet].\n"
UNCITED = "\n@misc{spare, title = {Spare}, url = {https://example.org/spare}}\n"


@pytest.fixture
def blocks(tmp_path: Path) -> Blocks:
    (tmp_path / "blocks").mkdir()
    (tmp_path / "blocks" / "stop.md").write_text(BLOCK, encoding="utf-8")
    return Blocks(tmp_path, tmp_path / "blocks", lambda p: p.relative_to(tmp_path).as_posix())


def fp(text: str, blocks: Blocks, bib_text: str = GOOD_BIB + UNCITED) -> str:
    meta, _ = read_front_matter(SourceFile("content/a.md", text))
    bib = load_references([("references/main.bib", bib_text)])
    return page_fingerprint(text, "content/a.md", meta.values, blocks, bib)


def test_format_and_stability(blocks: Blocks) -> None:
    first = fp(PAGE, blocks)
    assert PATTERN.match(first)
    assert fp(PAGE, blocks) == first


@pytest.mark.parametrize("change", [
    pytest.param(lambda t: t.replace("Tingling is common", "Tingling is rare"), id="a-word"),
    pytest.param(lambda t: t.replace("  - Most side effects are mild.", "  - Side effects are mild."), id="key-point"),
    pytest.param(lambda t: t.replace("title: Side effects", "title: Side effect"), id="title"),
    pytest.param(lambda t: t.replace("[@karakoc2002safe].\nTingling", "[@bad2021leaflet].\nTingling"), id="citation"),
    pytest.param(lambda t: t.replace('--8<-- "blocks/stop.md"\n', ""), id="block-removed"),
])
def test_what_changes_it(blocks: Blocks, change) -> None:
    assert fp(change(PAGE), blocks) != fp(PAGE, blocks)


def test_a_block_text_changes_it(blocks: Blocks, tmp_path: Path) -> None:
    before = fp(PAGE, blocks)
    (tmp_path / "blocks" / "stop.md").write_text(BLOCK.replace("feel faint", "feel dizzy"), encoding="utf-8")
    assert fp(PAGE, blocks) != before


@pytest.mark.parametrize("field_change", [
    ("year = {2002}", "year = {2003}"),
    ("evidence = {study}", "evidence = {trial}"),
    ("doi = {10.1046/j.1365-4362.2002.01473.x}", "doi = {10.1046/j.1365-4362.2002.01474.x}"),
    ("Kalkan, M. Tunaya", "Kalkan, Tunaya"),
    ("year = {2021}, evidence = {leaflet}", "year = {2021}, evidence = {leaflet}, population = {children}"),
])
def test_a_cited_reference_field_changes_it(blocks: Blocks, field_change) -> None:
    old, new = field_change
    assert old in GOOD_BIB
    assert fp(PAGE, blocks, GOOD_BIB.replace(old, new) + UNCITED) != fp(PAGE, blocks)


@pytest.mark.parametrize("change", [
    pytest.param(lambda t: t.replace("mild [@karakoc2002safe].\nTingling", "mild   [@karakoc2002safe].\n\tTingling"),
                 id="spaces-and-tabs"),
    pytest.param(lambda t: t.replace("Most side effects are mild [@karakoc2002safe].",
                                     "Most side effects\nare mild [@karakoc2002safe]."), id="rewrapped"),
    pytest.param(lambda t: t.replace("\n", "\r\n"), id="crlf"),
    pytest.param(lambda t: t + "\n\n\n", id="trailing-blank-lines"),
    pytest.param(lambda t: t.replace("status: draft", "status: reviewed\nreviewed_by: jsmith\n"
                                     "review_fingerprint: sha256:" + "0" * 64), id="review-fields"),
    pytest.param(lambda t: t.replace("last_reviewed: 2026-01-10", "last_reviewed: 2026-02-01")
                 .replace("next_review_due: 2027-01-10", "next_review_due: 2027-02-01"), id="review-dates"),
    pytest.param(lambda t: t.replace("audience: patient", "audience: patient\ntags: [safety]"), id="other-field"),
])
def test_what_does_not_change_it(blocks: Blocks, change) -> None:
    assert fp(change(PAGE), blocks) == fp(PAGE, blocks)


def test_an_uncited_reference_does_not_change_it(blocks: Blocks) -> None:
    assert fp(PAGE, blocks, GOOD_BIB + UNCITED.replace("Spare", "Other")) == fp(PAGE, blocks)


def test_whitespace_inside_a_reference_field_does_not_change_it(blocks: Blocks) -> None:
    spaced = GOOD_BIB.replace("title = {Safe control of", "title = {Safe   control\n  of")
    assert fp(PAGE, blocks, spaced + UNCITED) == fp(PAGE, blocks)
