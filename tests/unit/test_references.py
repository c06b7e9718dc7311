"""BibTeX loading: every problem becomes a diagnostic with its place; nothing is dropped."""

from __future__ import annotations

import pytest

from patientguide.references import load_references, parse_names


def load(text: str, path: str = "references/main.bib", *more: tuple[str, str]):
    return load_references([(path, text), *more])


def messages(bib) -> list[str]:
    return [str(d) for d in bib.diagnostics]


GOOD = "@article{k1, author={Doe, Jane}, title={T}, journal={J}, year=2001, doi={10.1000/xyz}}\n"


def test_good_entry_loads_clean() -> None:
    bib = load(GOOD)
    assert bib.diagnostics == []
    assert bib.lookup("K1").key == "k1"


@pytest.mark.parametrize(
    ("bibtex", "expected"),
    [
        pytest.param("@article{a, title = {unclosed\n@misc{b, title={x}, url={https://x.org}}\n",
                     "references/main.bib:1:1: error: cannot parse BibTeX block '@article{a, title = {unclosed': "
                     "unexpected block start: `@misc`. Was still looking for field-value closing `}` [bib.parse-error]",
                     id="parse-error"),
        pytest.param(GOOD + "@article{K1, author={X, Y}, title={T}, journal={J}, year=2001, doi={10.1000/x}}\n",
                     "references/main.bib:2:1: error: duplicate key 'K1' (first defined as 'k1' at references/main.bib:1) [bib.duplicate-key]",
                     id="duplicate-key-case-insensitive"),
        pytest.param("@article{d,\n  author={X, Y},\n  title={A},\n  title={B},\n  journal={J}, year=1, pmid={1}}\n",
                     "references/main.bib:4:3: error: entry 'd' sets field 'title' more than once [bib.duplicate-field]",
                     id="duplicate-field"),
        pytest.param("@article{m, title={T}, journal={J}, year=2000, doi={10.1000/x}}\n",
                     "references/main.bib:1:1: error: @article entry 'm' has no 'author' field [bib.missing-field]",
                     id="missing-author"),
        pytest.param("@book{b, author={X, Y}, title={T}, year=2000, url={https://x.org}}\n",
                     "references/main.bib:1:1: error: @book entry 'b' has no 'publisher' field [bib.missing-field]",
                     id="book-missing-publisher"),
        pytest.param("@misc{n, title={No identifier}}\n",
                     "references/main.bib:1:1: error: entry 'n' has no doi, pmid or url (add the DOI or PubMed id "
                     "you saw on the source, or its web address) [bib.missing-identifier]",
                     id="missing-identifier"),
        pytest.param("@misc{x,\n  title={T},\n  doi={11.2/abc}}\n",
                     "references/main.bib:3:3: error: doi '11.2/abc' of entry 'x' is not a DOI (a DOI looks like "
                     "'10.1111/j.1524-4725.2007.33192.x') [bib.bad-doi]",
                     id="bad-doi"),
        pytest.param("@misc{x,\n  title={T},\n  pmid={PMC123}}\n",
                     "references/main.bib:3:3: error: pmid 'PMC123' of entry 'x' is not a PubMed id (a PMID is digits "
                     "only, such as '15280843') [bib.bad-pmid]",
                     id="bad-pmid"),
        pytest.param("@misc{x, title={T}, url={www.example.org}}\n",
                     "references/main.bib:1:21: error: url 'www.example.org' of entry 'x' is not an http(s) address [bib.bad-url]",
                     id="bad-url"),
    ],
)
def test_errors_are_reported_with_position(bibtex: str, expected: str) -> None:
    assert expected in messages(load(bibtex))


def test_duplicate_across_files_names_both_places() -> None:
    bib = load(GOOD, "references/a.bib", ("references/b.bib", "\n\n" + GOOD))
    (d,) = bib.diagnostics
    assert (d.path, d.line, d.code) == ("references/b.bib", 3, "bib.duplicate-key")
    assert d.related == "references/a.bib:1"


def test_doi_url_prefix_is_normalised() -> None:
    bib = load("@misc{x, title={T}, doi={https://doi.org/10.1000/abc}}")
    assert bib.diagnostics == [] and bib.lookup("x").doi == "10.1000/abc"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param(r"Karako{\c{c}}, Yunus", [("Karakoç", "Yunus", "")], id="cedilla"),
        pytest.param(r"H{\"o}lzle, E. and Sch{\"a}fer, J", [("Hölzle", "E.", ""), ("Schäfer", "J", "")], id="umlauts"),
        pytest.param("{British Association of Dermatologists}", [("", "", "British Association of Dermatologists")],
                     id="corporate-stays-whole"),
        pytest.param("{Barnes and Noble}", [("", "", "Barnes and Noble")], id="corporate-with-and"),
        pytest.param("Jane Doe", [("Doe", "Jane", "")], id="first-last"),
        pytest.param("Ludwig van Beethoven", [("van Beethoven", "Ludwig", "")], id="von-part"),
        pytest.param("Doe, Jr, John", [("Doe Jr", "John", "")], id="jr"),
        pytest.param("Doe, J. and others", [("Doe", "J.", ""), ("", "", "others")], id="and-others"),
    ],
)
def test_parse_names(raw: str, expected: list[tuple[str, str, str]]) -> None:
    assert [(n.family, n.given, n.literal) for n in parse_names(raw)] == expected


def test_title_accents_and_braces_decode() -> None:
    bib = load(r"@misc{x, title={{Tap} water at {\'E}cole -- 50\% {\ss}}, url={https://x.org}}")
    assert bib.lookup("x").get("title") == "Tap water at École – 50% ß"


def test_cache_reuses_parse_in_memory_and_on_disk(tmp_path) -> None:
    from patientguide.references import ReferenceCache
    mem = ReferenceCache(tmp_path)
    first = load_references([("r.bib", GOOD)], mem)
    again = load_references([("r.bib", GOOD)], mem)
    assert (mem.misses, mem.hits) == (1, 1)
    other_process = ReferenceCache(tmp_path)
    from_disk = load_references([("r.bib", GOOD)], other_process)
    assert (other_process.misses, other_process.hits) == (0, 1)
    assert from_disk.lookup("k1").get("title") == first.lookup("k1").get("title") == again.lookup("k1").get("title")
    changed = load_references([("r.bib", GOOD.replace("{T}", "{Changed}"))], other_process)
    assert other_process.misses == 1 and changed.lookup("k1").get("title") == "Changed"


def test_damaged_cache_file_is_ignored(tmp_path) -> None:
    from patientguide.references import ReferenceCache
    load_references([("r.bib", GOOD)], ReferenceCache(tmp_path))
    for f in tmp_path.glob("bib-*.pickle"):
        f.write_bytes(b"not a pickle")
    fresh = ReferenceCache(tmp_path)
    assert load_references([("r.bib", GOOD)], fresh).lookup("k1") is not None and fresh.misses == 1
