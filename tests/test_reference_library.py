"""A shared reference library as reference managers export it: only what pages cite can stop the build.

The fixture ``fixtures/library-export.bib`` holds 102 real records in the styles of EndNote, Zotero,
TeXMed (PubMed) and JabRef, with Windows line endings, entries without any identifier, crossref'd
chapters, @string macros, abstracts and keywords with LaTeX, odd field casing and accents.
"""

from __future__ import annotations

import codecs
import json
import re
from collections import Counter
from pathlib import Path

from conftest import GOOD_BIB, Site, make_site, page

FIXTURE = Path(__file__).parent / "fixtures" / "library-export.bib"
CITES = ("Most people with it never see a doctor [@doolittle_hyperhidrosis_2016]. Sweating that starts late "
         "may have another cause [@Walling2011]. Work can irritate the skin [@Rycroft1995occupational].\n")
SUMMARY = ("references/: warning: 98 entries are not cited on any page (listed in 'patientguide check --report' "
           "and --format json) [bib.unused-entry]")


def library_site(tmp_path: Path, body: str = CITES, options: str = "", name: str = "library") -> Site:
    site = make_site(tmp_path / name, {"content/index.md": page("Home", "# Home\n\n" + body)}, options, bib=None)
    (site.root / "references").mkdir()
    (site.root / "references" / "library.bib").write_bytes(FIXTURE.read_bytes())
    return site


def codes(stdout: str) -> Counter:
    return Counter(re.findall(r"\[([\w.-]+)\]$", stdout, re.M))


def test_problems_of_uncited_entries_are_warnings_and_unused_entries_one_line(tmp_path) -> None:
    data = FIXTURE.read_bytes()  # the fixture: a Windows export of 102 entries
    assert data.count(b"\r\n") == data.count(b"\n") > 1000
    assert len(re.findall(rb"^@(?!string|comment)\w+\{", data, re.I | re.M)) == 102
    site = library_site(tmp_path)
    r = site.check()
    assert r.returncode == 0, r.stdout
    assert "patientguide: 0 errors, 45 warnings in 1 page and 102 references" in r.stderr
    # the three cited entries do not say what kind of source they are (bib.missing-evidence)
    assert codes(r.stdout) == {"bib.missing-identifier": 30, "bib.missing-field": 4, "bib.incomplete-article": 7,
                               "bib.unused-entry": 1, "bib.missing-evidence": 3}
    assert SUMMARY in r.stdout.splitlines()
    rycroft = [line for line in r.stdout.splitlines() if "Rycroft1995occupational" in line]
    assert [c for line in rycroft for c in codes(line)] == ["bib.missing-evidence"]  # crossref: no false "no booktitle …"
    assert site.check("--strict").returncode == 1  # warnings still fail a strict build ...
    quiet = library_site(tmp_path, name="quiet", options="severity:\n  bib.unused-entry: ignore\n  bib.missing-identifier: ignore\n"
                                               "  bib.missing-field: ignore\n  bib.incomplete-article: ignore\n"
                                               "  bib.missing-evidence: ignore")
    r = quiet.check("--strict")  # ... unless the library's own problems are set aside
    assert (r.returncode, r.stdout) == (0, ""), r.stdout + r.stderr


def test_positions_in_the_crlf_file_point_at_the_entry(tmp_path) -> None:
    r = library_site(tmp_path).check()
    lines = FIXTURE.read_text(encoding="utf-8").split("\n")
    checked = 0
    for m in re.finditer(r"^references/library\.bib:(\d+):(\d+): warning: .*?entry '([^']+)'", r.stdout, re.M):
        line, col, key = int(m.group(1)), int(m.group(2)), m.group(3)
        assert lines[line - 1][col - 1:].lower().startswith("@") and "{" + key + "," in lines[line - 1], m.group(0)
        checked += 1
    assert checked == 44  # 41 problems of uncited entries, 3 cited entries without an evidence kind


def test_a_cited_entry_with_a_problem_is_still_an_error(tmp_path) -> None:
    site = library_site(tmp_path, CITES + "A toxin helps [@RN30].\n")
    r = site.check()
    assert r.returncode == 1
    line = FIXTURE.read_text(encoding="utf-8").split("\n").index("@article{RN30,") + 1
    assert (f"references/library.bib:{line}:1: error: entry 'RN30' has no doi, pmid or url (add the DOI or PubMed id "
            "you saw on the source, or its web address) [bib.missing-identifier]") in r.stdout.splitlines()
    ignored = library_site(tmp_path, CITES + "A toxin helps [@RN30].\n", name="ignored", options="severity:\n  bib.missing-identifier: ignore")
    r = ignored.check()  # setting the code aside hides uncited entries only: the cited one stays an error
    assert r.returncode == 1 and codes(r.stdout)["bib.missing-identifier"] == 1 and "'RN30'" in r.stdout


def test_setting_an_integrity_code_to_error_makes_uncited_entries_errors_too(tmp_path) -> None:
    def count(stdout: str, severity: str) -> int:
        return len(re.findall(rf": {severity}: .*\[bib\.missing-identifier\]$", stdout, re.M))
    default = library_site(tmp_path).check().stdout
    assert (count(default, "warning"), count(default, "error")) == (30, 0)
    strict = library_site(tmp_path, name="strict", options="severity:\n  bib.missing-identifier: error").check()
    assert strict.returncode == 1 and (count(strict.stdout, "warning"), count(strict.stdout, "error")) == (0, 30)


def test_unused_entries_are_listed_in_json_and_in_the_report(tmp_path) -> None:
    site = library_site(tmp_path)
    code, report = site.check_json()
    unused = report["unused_references"]
    assert code == 0 and len(unused) == 98
    assert {"key": "RN1", "path": "references/library.bib", "line": 15} in unused
    keys = {u["key"] for u in unused}
    assert "Rycroft1995textbook" not in keys and "ContactDermatitis2020" in keys  # a cited chapter's book is used
    assert [d["message"] for d in report["diagnostics"] if d["code"] == "bib.unused-entry"] == [
        "98 entries are not cited on any page"]
    text = site.check("--report").stdout
    assert "98 references not cited on any page:" in text and "| RN1 | references/library.bib:15 |" in text


def test_crossref_chapter_is_formatted_with_its_book() -> None:
    from patientguide.formatting import format_reference
    from patientguide.references import load_references
    bib = load_references([("references/library.bib", FIXTURE.read_text(encoding="utf-8"))])
    text, _ = format_reference(bib.lookup("Rycroft1995occupational"))
    assert text == ("Rycroft RJG. Occupational Contact Dermatitis. In: Rycroft RJG, Menné T, Frosch PJ, eds. Textbook of "
                    "Contact Dermatitis. Springer-Verlag; 1995. doi:10.1007/978-3-662-03104-9_20")


def test_one_unused_entry_is_named_and_github_annotations_have_no_line_0(site_factory) -> None:
    site = site_factory({"content/index.md": page("Home", "# Home\n\nOnly one [@karakoc2002safe].\n")})
    r = site.check("--format", "github")
    assert r.stdout == ("::warning file=references/,title=bib.unused-entry::1 entry ('bad2021leaflet') is not cited on "
                        "any page (listed in 'patientguide check --report' and --format json)\n")


def test_a_bib_file_that_is_not_utf8_is_reported_at_the_first_bad_byte(site_factory) -> None:
    site = site_factory()
    (site.root / "references" / "old.bib").write_bytes(b"% from an old export\r\n@misc{x,\r\n  title = {Caf\xe9},\r\n}\r\n")
    r = site.check()
    assert r.returncode == 1
    assert r.stdout == ("references/old.bib:3:15: error: reference file is not UTF-8 text: byte 0xE9 is not UTF-8 (in "
                        "Windows-1252 it would be 'é') (save it as UTF-8; UTF-16 with a byte-order mark is read too) "
                        "[bib.encoding]\n")


def test_utf16_and_utf8_with_a_byte_order_mark_are_read(site_factory) -> None:
    site = site_factory({"content/index.md": page("Home", "# Home\n\nIt helps [@karakoc2002safe; @bad2021leaflet; "
                                                            "@le; @be; @u8].\n")})
    entry = "@misc{{{key}, title = {{Hölzle {key}}}, url = {{https://example.org/{key}}}, evidence = {{leaflet}}}}\r\n"
    (site.root / "references" / "le.bib").write_bytes(codecs.BOM_UTF16_LE + entry.format(key="le").encode("utf-16-le"))
    (site.root / "references" / "be.bib").write_bytes(codecs.BOM_UTF16_BE + entry.format(key="be").encode("utf-16-be"))
    (site.root / "references" / "u8.bib").write_bytes(codecs.BOM_UTF8 + entry.format(key="u8").encode("utf-8"))
    r = site.check()
    assert (r.returncode, r.stdout) == (0, ""), r.stdout


def test_missing_comma_in_a_crlf_file_is_reported_at_the_comma(site_factory) -> None:
    bib = GOOD_BIB.replace("  title = {Iontophoresis for hyperhidrosis},", "  title = {Iontophoresis for hyperhidrosis}")
    site = site_factory(bib=bib.replace("\n", "\r\n"))
    r = site.check()
    assert r.returncode == 1
    assert r.stdout == ("references/main.bib:14:44: error: missing comma between fields 'title' and 'year' of entry "
                        "'bad2021leaflet' (put a comma after the value of 'title') [bib.missing-comma]\n")


def test_unknown_crossref_of_a_cited_entry_is_an_error_at_the_field(site_factory) -> None:
    site = site_factory(bib=GOOD_BIB.replace("  urldate = {2026-11-24}", "  crossref = {karakoc2020safe}"))
    r = site.check()
    assert r.returncode == 1
    assert r.stdout == ("references/main.bib:17:3: error: entry 'bad2021leaflet' has crossref 'karakoc2020safe', which "
                        "no reference file defines (did you mean 'karakoc2002safe'?) [bib.unknown-crossref]\n")


def test_json_lists_no_unused_references_when_every_entry_is_cited(site_factory) -> None:
    code, report = site_factory().check_json()
    assert code == 0 and report["unused_references"] == [] and json.dumps(report)
