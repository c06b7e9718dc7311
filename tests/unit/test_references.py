"""BibTeX loading: every problem becomes a diagnostic with its place; nothing is dropped."""

from __future__ import annotations

import codecs

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


def test_math_links_and_thin_spaces_in_text_decode() -> None:
    from patientguide.latex import decode
    assert decode(r"24 $\pm$ 27 in 4.8\,\% [DOI:\href{https://doi.org/10.1000/x}{10.1000/x}] for \$5") == \
        "24 ± 27 in 4.8\u202f% [DOI:10.1000/x] for $5"


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


# --- problems kept with their entry; uncited entries only warn -------------------------------

def test_entry_problems_are_errors_when_cited_and_warnings_when_not() -> None:
    bib = load("@misc{noid,\n  title = {No identifier}\n}\n" + GOOD)
    assert [d.code for d in bib.file_diagnostics] == []
    (cited,) = bib.entry_diagnostics({"noid"})
    assert (cited.severity.value, cited.code) == ("error", "bib.missing-identifier")
    (uncited,) = bib.entry_diagnostics(set())
    assert str(uncited) == (
        "references/main.bib:1:1: warning: entry 'noid' has no doi, pmid or url (add the DOI or PubMed id you saw "
        "on the source, or its web address; a warning because no page cites 'noid') [bib.missing-identifier]")


def test_a_block_that_does_not_parse_stays_an_error_whatever_is_cited() -> None:
    bib = load("@article{a, title = {unclosed\n" + GOOD)
    assert [(d.severity.value, d.code) for d in bib.file_diagnostics] == [("error", "bib.parse-error")]
    assert bib.entry_diagnostics(set()) == []


# --- a missing comma between two fields --------------------------------------------------

@pytest.mark.parametrize(
    ("bibtex", "where", "between"),
    [
        pytest.param("@article{a,\n  author = {Doe, Jane},\n  title = {X}\n  year = {2001},\n  journal = {J},\n  doi = {10.1000/x}\n}\n",
                     "3:14", ("title", "year"), id="braces"),
        pytest.param("@article{a,\n  author = {Doe, Jane},\n  title = {X},\n  year = 2001\n  journal = {J},\n  doi = {10.1000/x}\n}\n",
                     "4:14", ("year", "journal"), id="number"),
        pytest.param('@article{a,\n  author = "Doe, Jane"\n  title = "X {"}",\n  year = 2001, journal = {J}, doi = {10.1000/x}}\n',
                     "2:23", ("author", "title"), id="quotes"),
        pytest.param("@article{a,\r\n  author = {Doe, Jane},\r\n  title = {X}\r\n  year = {2001},\r\n  journal = {J}, doi = {10.1000/x}}\r\n",
                     "3:14", ("title", "year"), id="crlf"),
        pytest.param("@article{a,\n  author = {Doe, Jane}, title = {X} year = {2001},\n  journal = {J}, doi = {10.1000/x}}\n",
                     "2:36", ("title", "year"), id="one-line"),
    ],
)
def test_missing_comma_is_reported_where_the_comma_belongs(bibtex: str, where: str, between: tuple[str, str]) -> None:
    bib = load(bibtex)
    before, after = between
    assert messages(bib) == [
        f"references/main.bib:{where}: error: missing comma between fields '{before}' and '{after}' of entry 'a' "
        f"(put a comma after the value of '{before}') [bib.missing-comma]"]
    ref = bib.lookup("a")
    assert (ref.get("title"), ref.year, ref.get("journal")) == ("X" if "X {" not in bibtex else 'X "', "2001", "J")


def test_a_value_that_swallowed_several_fields_gives_them_all_back() -> None:
    bib = load("@article{a,\n  author = {Doe, Jane}\n  title = {X}\n  year = 2001\n  journal = {J},\n  doi = {10.1000/x}\n}\n")
    assert [(d.line, d.col, d.code) for d in bib.diagnostics] == [
        (2, 23, "bib.missing-comma"), (3, 14, "bib.missing-comma"), (4, 14, "bib.missing-comma")]
    assert bib.lookup("a").authors[0].family == "Doe"


def test_text_after_a_value_is_a_parse_error_at_that_text() -> None:
    bib = load("@misc{a,\n  title = {X} draft,\n  url = {https://x.org}\n}\n")
    assert messages(bib) == [
        "references/main.bib:2:15: error: unexpected text 'draft' after the value of field 'title' of entry 'a' "
        "(a value is {…}, \"…\", a number or a @string name; join parts with #) [bib.parse-error]"]


def test_field_set_twice_in_different_case_is_a_duplicate_and_the_first_value_counts() -> None:
    bib = load("@misc{a,\n  Title = {First},\n  title = {Second},\n  url = {https://x.org}\n}\n")
    assert messages(bib) == ["references/main.bib:3:3: error: entry 'a' sets field 'title' more than once [bib.duplicate-field]"]
    assert bib.lookup("a").get("title") == "First"


# --- values as reference managers write them -------------------------------------------

def test_macros_concatenation_case_and_escaped_addresses() -> None:
    bib = load(
        '@String{jaad = {J Am Acad Dermatol}}\n@STRING{ spr = "Springer" }\n'
        "@Article{k,\n  Author = {Doe, J.},\n  TITLE = {{T}itle with 50\\,\\% and $\\beta$},\n  Journal = JAAD,\n"
        "  Month = jan,\n  year = 2001,\n  publisher = spr # { International} # \" Publishing\",\n"
        "  URL = {https://example.org/a\\_b%20c},\n  DOI = {https://doi.org/10.1007/978-3-319-68617-2\\_95},\n}\n")
    assert bib.diagnostics == []
    ref = bib.lookup("k")
    assert ref.fields == {
        "title": "Title with 50\u202f% and β", "journal": "J Am Acad Dermatol", "month": "January", "year": "2001",
        "publisher": "Springer International Publishing", "url": "https://example.org/a_b%20c",
        "doi": "10.1007/978-3-319-68617-2_95"}


# --- crossref ---------------------------------------------------------------------------

CHAPTER = "@incollection{chap,\n  author = {Rycroft, R.},\n  title = {Occupational Contact Dermatitis},\n  pages = {343--400},\n  crossref = {Book1995},\n  doi = {10.1007/978-3-662-03104-9_20}\n}\n"
BOOK = "@book{book1995,\n  editor = {Rycroft, R. and Frosch, P. J.},\n  title = {Textbook of Contact Dermatitis},\n  shorttitle = {Textbook},\n  publisher = {Springer},\n  year = {1995},\n  url = {https://example.org/book}\n}\n"


@pytest.mark.parametrize("order", ["child-first", "parent-first", "other-file"])
def test_crossref_child_inherits_what_it_lacks_and_the_parents_title_as_booktitle(order: str) -> None:
    files = {"child-first": [("r.bib", CHAPTER + BOOK)], "parent-first": [("r.bib", BOOK + CHAPTER)],
             "other-file": [("a.bib", CHAPTER), ("b.bib", BOOK)]}[order]
    bib = load_references(files)
    assert bib.diagnostics == [] and bib.parents == {"chap": "book1995"}
    chap = bib.lookup("chap")
    assert chap.fields == {"booktitle": "Textbook of Contact Dermatitis", "publisher": "Springer", "year": "1995",
                           "title": "Occupational Contact Dermatitis", "pages": "343–400",
                           "doi": "10.1007/978-3-662-03104-9_20", "url": "https://example.org/book"}  # BibTeX copies it too
    assert [n.family for n in chap.editors] == ["Rycroft", "Frosch"] and chap.authors[0].family == "Rycroft"
    assert bib.used_keys({"chap"}) == {"chap", "book1995"}


@pytest.mark.parametrize(
    ("child_type", "parent", "expected"),
    [
        pytest.param("inproceedings", "@proceedings{p, title = {Proc. of X}, year = 2001, url = {https://x.org}}",
                     {"booktitle": "Proc. of X", "year": "2001"}, id="proceedings-title-is-booktitle"),
        pytest.param("inproceedings", "@proceedings{p, title = {T}, booktitle = {Own booktitle}, year = 2001, url = {https://x.org}}",
                     {"booktitle": "Own booktitle", "year": "2001"}, id="parents-own-booktitle-wins"),
        pytest.param("misc", "@misc{p, title = {Parent title}, year = 2001, url = {https://x.org}}",
                     {"title": "Parent title", "year": "2001"}, id="other-pairs-copy-title"),
    ],
)
def test_crossref_title_rules(child_type: str, parent: str, expected: dict) -> None:
    child = f"@{child_type}{{c, author = {{Doe, J.}}, crossref = {{p}}, url = {{https://c.org}}}}\n"
    ref = load(child + parent).lookup("c")
    assert {k: ref.get(k) for k in expected} == expected
    assert ref.get("url") == "https://c.org"


def test_child_still_reports_what_neither_it_nor_its_parent_has() -> None:
    bib = load(CHAPTER + BOOK.replace("  publisher = {Springer},\n", ""))
    assert messages(bib) == ["references/main.bib:1:1: error: @incollection entry 'chap' has no 'publisher' field [bib.missing-field]",
                             "references/main.bib:8:1: error: @book entry 'book1995' has no 'publisher' field [bib.missing-field]"]


def test_a_bad_identifier_a_cited_child_inherits_is_an_error_of_the_child() -> None:
    bib = load("@misc{c, title = {C}, crossref = {p}}\n@misc{p, title = {P}, url = {www.x.org}}\n")
    (child,) = [d for d in bib.entry_diagnostics({"c"}) if d.path and "inherits" in d.message]
    assert str(child) == ("references/main.bib:1:23: error: url 'www.x.org' that entry 'c' inherits from 'p' "
                          "is not an http(s) address [bib.bad-url]")


def test_unknown_crossref_is_an_error_at_the_field_with_did_you_mean() -> None:
    bib = load(CHAPTER.replace("Book1995", "book1959") + BOOK)
    assert messages(bib) == [
        "references/main.bib:5:3: error: entry 'chap' has crossref 'book1959', which no reference file defines "
        "(did you mean 'book1995'?) [bib.unknown-crossref]"]
    assert bib.parents == {}


def test_crossref_cycle_is_reported_once_and_does_not_hang() -> None:
    bib = load("@misc{a, title = {A}, url = {https://a.org}, crossref = {b}}\n"
               "@misc{b, title = {B}, url = {https://b.org}, crossref = {a}}\n")
    assert [d.code for d in bib.diagnostics] == ["bib.unknown-crossref"]
    assert "leads back to itself" in bib.diagnostics[0].message


def test_long_crossref_chain_resolves_without_recursion() -> None:
    n = 3000
    text = "".join(f"@misc{{e{i}, crossref = {{e{i + 1}}}}}\n" for i in range(n)) + f"@misc{{e{n}, title = {{Root}}, url = {{https://x.org}}}}\n"
    bib = load(text)
    assert bib.diagnostics == [] and bib.lookup("e0").get("title") == "Root"
    assert len(bib.used_keys({"e0"})) == n + 1


# --- @misc that is a journal article ------------------------------------------------------

@pytest.mark.parametrize(
    ("fields", "signs", "hint"),
    [
        pytest.param("author = {Karako{\\c{c}}, Yunus}, title = {Safe control}, howpublished = {Journal article (Wiley Online Library)}, "
                     "doi = {10.1046/j.1365-4362.2002.01473.x}",
                     "howpublished 'Journal article (Wiley Online Library)'; DOI 10.1046/j.1365-4362.2002.01473.x of the form journals use",
                     "make it @article with journal, year, volume and pages", id="wiley-doi-and-howpublished"),
        pytest.param("title = {Leitungswasseriontophorese}, doi = {10.1007/s00105-012-2332-0}",
                     "DOI 10.1007/s00105-012-2332-0 of the form journals use",
                     "make it @article with author, journal, year, volume and pages", id="springer-journal-doi"),
        pytest.param("author = {Doe, J.}, title = {T}, year = 2004, howpublished = {Australas J Dermatol 2004;45(4):208--212}, pmid = {15527429}",
                     "howpublished 'Australas J Dermatol 2004;45(4):208–212'", "make it @article with journal, volume and pages",
                     id="citation-in-howpublished"),
        pytest.param("author = {Doe, J.}, title = {T}, journal = {Toxins}, year = 2013, volume = 5, pages = {821--840}, url = {https://x.org}",
                     "journal 'Toxins'", "make it @article", id="journal-field"),
        pytest.param("title = {Interventions for hyperhidrosis (Protocol)}, doi = {10.1002/14651858.CD015135}",
                     "DOI 10.1002/14651858.CD015135 of the form journals use",
                     "make it @article with author, journal, year, volume and pages", id="cochrane"),
        pytest.param("title = {T}, volume = 3, pages = {1--9}, pmid = {123}",
                     "a volume and pages; PubMed id 123", "make it @article with author, journal and year", id="two-weak-signs"),
    ],
)
def test_misc_that_is_a_journal_article_is_a_warning_naming_the_missing_fields(fields: str, signs: str, hint: str) -> None:
    (d,) = [d for d in load(f"@misc{{k, {fields}}}\n").diagnostics if d.code == "bib.incomplete-article"]
    assert str(d) == f"references/main.bib:1:1: warning: @misc entry 'k' looks like a journal article: {signs} ({hint}) [bib.incomplete-article]"


def test_an_incomplete_article_with_a_stated_reason_is_a_note() -> None:
    """An editor who could not see a journal's name says why the entry stays @misc; the check then
    lists it as a note (``check -v``) with that reason, never as a warning without one."""
    reason = "no record we could open shows the journal"
    (d,) = [d for d in load(f"@misc{{k, title = {{T}}, doi = {{10.3390/jcm15020640}}, incomplete = {{{reason}}}}}\n")
            .diagnostics if d.code == "bib.incomplete-article"]
    assert d.severity.value == "info" and d.hint == f"kept as @misc: {reason}"
    (blank,) = [d for d in load("@misc{k, title = {T}, doi = {10.3390/jcm15020640}, incomplete = { }}\n").diagnostics
                if d.code == "bib.incomplete-article"]
    assert blank.severity.value == "warning"  # a reason must say something


NOT_ARTICLES = {
    "leaflet": "@misc{leaflet, author = {{British Association of Dermatologists}}, title = {Iontophoresis (patient "
               "information leaflet)}, url = {https://www.skinhealthinfo.org.uk/condition/iontophoresis-for-hyperhidrosis/}}",
    "fda": "@misc{fda, author = {{U.S. Food and Drug Administration}}, title = {510(k) premarket notification {K192749}}, "
           "year = 2020, url = {https://510k.innolitics.com/search/K192749}}",
    "chapter": "@misc{chapter, title = {Iontophoresis}, howpublished = {Chapter in Kanerva's Occupational Dermatology}, "
               "doi = {10.1007/978-3-319-68617-2_95}}",
    "bookshelf": "@misc{bookshelf, title = {Hyperhidrosis}, howpublished = {StatPearls [Internet]}, pmid = {29083701}, "
                 "url = {https://www.ncbi.nlm.nih.gov/books/NBK459227/}}",
    "policy": "@online{policy, title = {Clinical Policy Bulletin 0229}, url = {http://es.aetna.com/cpb/medical/data/200_299/0229.html}}",
    "preprint": "@misc{preprint, title = {Preprint}, doi = {10.1101/2020.01.01.123456}}",
    "article": "@article{article, author = {Doe, J.}, title = {T}, journal = {J}, year = 2001, doi = {10.1046/j.1365-4362.2002.01473.x}}",
}


def test_leaflets_web_pages_and_device_records_are_not_articles() -> None:
    """Among leaflets, device records, policies, a book chapter, a preprint and a real @article, only the
    @misc with a journal DOI is flagged."""
    text = "\n".join(NOT_ARTICLES.values()) + "\n@misc{misfiled, title = {T}, doi = {10.1046/j.1365-4362.2002.01473.x}}\n"
    flagged = {d.message.split("'")[1] for d in load(text).diagnostics if d.code == "bib.incomplete-article"}
    assert flagged == {"misfiled"}


# --- reading files: encodings -------------------------------------------------------------

def codecs_bom(encoding: str) -> bytes:
    return {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}[encoding]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param("@misc{k, title = {Karakoç}, url = {https://x.org}}\r\n".encode("utf-8-sig"), "Karakoç", id="utf8-bom"),
        pytest.param(codecs_bom("utf-16-le") + "@misc{k, title = {Hölzle}, url = {https://x.org}}\r\n".encode("utf-16-le"),
                     "Hölzle", id="utf16-le-bom"),
        pytest.param(codecs_bom("utf-16-be") + "@misc{k, title = {Ørsted}, url = {https://x.org}}\n".encode("utf-16-be"),
                     "Ørsted", id="utf16-be-bom"),
    ],
)
def test_utf8_and_utf16_with_a_byte_order_mark_are_read(tmp_path, data: bytes, expected: str) -> None:
    from patientguide.references import read_bib_file
    p = tmp_path / "x.bib"
    p.write_bytes(data)
    text, problems = read_bib_file(p, "references/x.bib")
    assert problems == [] and load(text).lookup("k").get("title") == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param("% library\r\n@misc{k,\r\n  title = {Caf".encode() + b"\xe9 au lait},\r\n}\r\n",
                     "references/x.bib:3:15: error: reference file is not UTF-8 text: byte 0xE9 is not UTF-8 (in "
                     "Windows-1252 it would be 'é') (save it as UTF-8; UTF-16 with a byte-order mark is read too) [bib.encoding]",
                     id="windows-1252-crlf"),
        pytest.param("@misc{k, title = {x}}\r".encode() + b"\x81",
                     "references/x.bib:2:1: error: reference file is not UTF-8 text: byte 0x81 is not UTF-8 (save it as "
                     "UTF-8; UTF-16 with a byte-order mark is read too) [bib.encoding]", id="after-old-mac-newline"),
        pytest.param("@misc{k}\n".encode("utf-16-le"),
                     "references/x.bib:1:2: error: reference file is not UTF-8 text: it holds NUL bytes, so it is probably "
                     "UTF-16 without a byte-order mark (save it as UTF-8; UTF-16 with a byte-order mark is read too) [bib.encoding]",
                     id="utf16-without-bom"),
        pytest.param(codecs_bom("utf-16-le") + "@misc{k,\n t".encode("utf-16-le") + b"\x00\xd8" + "x".encode("utf-16-le"),
                     "references/x.bib:2:3: error: reference file is not UTF-8 text: not valid UTF-16-LE, although it starts "
                     "with that byte-order mark (save it as UTF-8; UTF-16 with a byte-order mark is read too) [bib.encoding]",
                     id="broken-utf16"),
    ],
)
def test_a_file_that_is_not_utf8_gets_the_place_of_the_first_bad_byte(tmp_path, data: bytes, expected: str) -> None:
    from patientguide.references import read_bib_file
    p = tmp_path / "x.bib"
    p.write_bytes(data)
    text, problems = read_bib_file(p, "references/x.bib")
    assert text is None and [str(d) for d in problems] == [expected]
