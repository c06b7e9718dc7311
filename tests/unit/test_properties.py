"""Property-based tests: random Markdown and BibTeX never crash the parsers, positions stay true."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patientguide.citations import parse_citations
from patientguide.references import load_references
from patientguide.source import SourceFile, mask

PIECES = ["@", "[", "]", ";", "-", "@a", "@{b c}", "[@k]", "[-@k]", "`", "```", "~~~", "\n", "\n\n", "    ",
          "<!--", "-->", "<", ">", "(", ")", "http://x/@y", "a@b.c", "\\@", "p. 3", ",", "!!! note\n",
          "- ", "> ", "| ", "---\n", "{", "}", "ç", "é", "\t", "#", "x", " "]
markdown = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=60).map("".join)

BIB_PIECES = ["@article{", "@misc{", "k1", ",", "title", "=", "{", "}", '"', "author", " and ", "\n", "@",
              "doi", "10.1/x", "pmid", "123", "url", "https://x", "\\c{c}", "{\\\"o}", "%", "@string{", "#", " "]
bibtex = st.lists(st.one_of(st.sampled_from(BIB_PIECES), st.text(max_size=4)), max_size=60).map("".join)

FAST = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(markdown)
def test_parse_never_crashes_and_positions_are_true(text: str) -> None:
    page = parse_citations(text)
    src = SourceFile("x", text)
    for c in page.citations:
        assert 0 <= c.start < c.end <= len(text)
        at = text.index("@", c.start)
        assert at - c.start in (0, 1)  # '@' or '-@'
        line, col = src.position(c.start)
        assert (c.line, c.col) == (line, col)
        assert src.line_text(line)[col - 1] in "@-"
    for g in page.groups:
        assert 0 <= g.start < g.end <= len(text)
    starts = [g.start for g in page.groups]
    assert starts == sorted(starts)
    for a, b in zip(page.groups, page.groups[1:]):
        assert a.end <= b.start  # groups never overlap, so rendering can splice them


@FAST
@given(markdown)
def test_mask_preserves_length_and_lines(text: str) -> None:
    m = mask(text)
    assert len(m) == len(text)
    assert m.count("\n") == text.count("\n")


@FAST
@given(bibtex)
def test_bibtex_never_crashes(text: str) -> None:
    bib = load_references([("r.bib", text)])
    n_lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1  # a lone CR ends a line too, as in editors
    for d in bib.diagnostics:
        assert 1 <= d.line <= n_lines + 1
        assert d.code.startswith("bib.")
