"""Glossary terms that are not on a page at all are ruled out by a plain search in the page's
lower-case text; a term the case-insensitive pattern would find is never ruled out."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from patientguide.checks.glossary import _absent, _first_use, _lowered

LETTERS = "swetaSWETAglndGLND -'\u017f\u212a\u0130\u0131éÉß\n"


@given(st.text(alphabet=LETTERS, max_size=60), st.text(alphabet="sweatSWEAT glnd-'é", min_size=1, max_size=8))
def test_a_term_the_pattern_finds_is_never_ruled_out(text: str, term: str) -> None:
    if _first_use(term, text, []) is not None:
        assert not _absent(term, _lowered(text))


def test_terms_in_any_case_and_lookalike_letters() -> None:
    assert _absent("Sweat gland", _lowered("Nothing about it here."))
    assert not _absent("Sweat gland", _lowered("Your SWEAT GLANDS work."))
    long_s = "Your \u017fweat glands work."  # 'ſ' matches 's' when case is ignored
    assert _first_use("sweat gland", long_s, []) is not None and not _absent("sweat gland", _lowered(long_s))
    assert not _absent("Ménière", _lowered("Nothing here."))  # a term beyond ASCII: always searched
