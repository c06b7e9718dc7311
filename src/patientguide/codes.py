"""Every diagnostic code patientguide reports, in one table (:data:`CODES`).

A code is a stable name (``bib.duplicate-key``) with a default severity, a one-line summary and
whether it is an *integrity* code: integrity codes guard what a patient could be misled or
harmed by (an unknown citation, a broken reference, unsafe HTML) and can never be set below
error. The checks name codes by string; :func:`code` rejects a name that is not in this table,
and a test checks that every code here is emitted somewhere and every emitted code is here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Severity(str, enum.Enum):
    """How serious a diagnostic is. ``ignore`` drops it."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    IGNORE = "ignore"

    @property
    def rank(self) -> int:
        return _RANK[self.value]


_RANK = {"error": 3, "warning": 2, "info": 1, "ignore": 0}


@dataclass(frozen=True, slots=True, eq=False, repr=False)  # never compared or shown: fewer generated methods
class Code:
    """A diagnostic code: its name, default severity, summary and whether it is integrity or per entry."""

    name: str
    default: Severity
    summary: str
    integrity: bool = False  # never lowered below error
    per_entry: bool = False  # a problem inside one reference entry: a warning while no page cites it


ERROR, WARNING, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

#: Every code: its default severity, a summary, whether it is an integrity code (never set below
#: error: it guards what could mislead or harm a patient) and whether it is a problem inside one
#: reference entry (``per_entry``: a warning while no page cites the entry, which a severity setting
#: may then raise or hide). The checks name codes by string; a test checks that every code here is
#: reported somewhere and every reported code is here. Python, not a data file: a build imports it
#: with no parsing, and the cache of results (``pagecache.code_digest``) sees every change to it.
CODES: tuple[Code, ...] = (
    Code("citation.unknown-key", ERROR, "a citation names a key that no reference file defines", integrity=True),

    Code("bib.parse-error", ERROR, "a BibTeX block could not be parsed", integrity=True, per_entry=True),
    Code("bib.duplicate-key", ERROR, integrity=True, per_entry=True,
         summary="two entries share a key (compared case-insensitively)"),
    Code("bib.duplicate-field", ERROR, "an entry sets the same field twice", integrity=True, per_entry=True),
    Code("bib.missing-field", ERROR, "an entry lacks a field its type requires", integrity=True, per_entry=True),
    Code("bib.missing-identifier", ERROR, "an entry has none of doi, pmid or url", integrity=True, per_entry=True),
    Code("bib.bad-doi", ERROR, "a doi field is not a DOI", integrity=True, per_entry=True),
    Code("bib.bad-pmid", ERROR, "a pmid field is not a PubMed id", integrity=True, per_entry=True),
    Code("bib.bad-url", ERROR, "a url field is not an http(s) address", integrity=True, per_entry=True),
    Code("bib.no-files", ERROR, "the references folder holds no .bib file", integrity=True),
    Code("bib.missing-comma", ERROR, integrity=True, per_entry=True,
         summary="two fields of an entry are not separated by a comma"),
    Code("bib.unknown-crossref", ERROR, integrity=True, per_entry=True,
         summary="a crossref field names a key that no reference file defines"),
    Code("bib.incomplete-article", WARNING,
         summary="a @misc or @online entry is a journal article without a journal article's fields"),
    Code("bib.encoding", ERROR, "a reference file is not UTF-8 (or UTF-16 with a byte-order mark)", integrity=True),
    Code("bib.unreadable", ERROR, "a reference file could not be read", integrity=True),
    Code("bib.unused-entry", WARNING, "an entry that no page cites"),
    Code("bib.unknown-evidence", ERROR, per_entry=True,
         summary="an entry's evidence or population field has a value patientguide does not know"),
    Code("bib.missing-evidence", WARNING, "a cited entry does not say what kind of source it is (evidence = {...})"),

    Code("frontmatter.invalid", ERROR, "front matter is not valid YAML or not a mapping"),
    Code("frontmatter.unclosed", ERROR, "front matter opened with '---' is never closed"),
    Code("frontmatter.bad-type", ERROR, "a front-matter field has the wrong type"),
    Code("frontmatter.bad-date", ERROR, "a front-matter date is not a valid YYYY-MM-DD date"),
    Code("frontmatter.unknown-field", WARNING, "a front-matter field that patientguide does not know"),
    Code("frontmatter.missing-field", WARNING, "a page lacks a recommended front-matter field"),

    Code("review.overdue", WARNING, "the page's next review date has passed"),
    Code("review.in-future", ERROR, "last_reviewed is after today"),
    Code("review.bad-interval", ERROR, "next_review_due is not after last_reviewed, or too far after it"),
    Code("review.incomplete", ERROR, "a page marked reviewed lacks its reviewer or dates"),
    Code("review.draft", INFO, "the page is a draft, not yet reviewed by a clinician"),
    Code("review.unknown-reviewer", ERROR, "reviewed_by names no one in the reviewers file"),
    Code("review.stale", WARNING,
         summary="a reviewed page changed since its sign-off (its text, blocks or cited references), or its "
                 "review fingerprint is missing or malformed"),

    Code("reviewers.invalid", ERROR, "the reviewers file is not valid"),

    Code("include.missing", ERROR, "an include names a block that does not exist or cannot be read", integrity=True),
    Code("include.outside-blocks", ERROR, "an include names a file outside the blocks folder", integrity=True),
    Code("include.cycle", ERROR, "a block includes itself, directly or through other blocks", integrity=True),
    Code("include.placeholder", ERROR, integrity=True,
         summary="a clinic placeholder is unknown or the site has no clinic profile"),

    Code("links.not-in-nav", INFO, "a page that the nav of mkdocs.yml does not list"),
    Code("links.missing-file", WARNING, "a link or image whose file is not in the site"),
    Code("links.broken-anchor", INFO, "a link to an anchor that the page does not have"),
    Code("links.absolute", INFO, "a link that starts with '/' (left as it is)"),
    Code("links.unrecognized", INFO, "a relative link that names no file (left as it is)"),
    Code("links.excluded-page", INFO, "a link to a page excluded from the built site"),
    Code("links.conflicting-page", WARNING, "two files of one folder get one address"),
    Code("nav.not-found", WARNING, "a nav entry that is not a page of the site"),
    Code("nav.absolute", INFO, "a nav entry that starts with '/'"),
    Code("nav.excluded", INFO, "a nav entry for a page excluded from the built site"),

    Code("theme.template-replaced", WARNING,
         summary="the site's own main.html replaces patientguide's page template instead of extending it"),

    Code("config.invalid", ERROR, "a plugin option in mkdocs.yml is unknown or has a wrong value", integrity=True),

    Code("page.unreadable", ERROR, "a page could not be read as UTF-8 text", integrity=True),

    Code("safety.html-tag", ERROR, "raw HTML uses a tag outside the allow-list", integrity=True),
    Code("safety.html-attribute", ERROR, integrity=True,
         summary="raw HTML or an attribute list uses an attribute outside the allow-list"),
    Code("safety.url-scheme", ERROR, integrity=True,
         summary="a link may only use http, https, mailto, tel or a relative address"),
    Code("safety.output-sanitizer", ERROR, "the output sanitizer would change a built page", integrity=True),
    Code("safety.symlink", ERROR, "a symbolic link inside the docs folder", integrity=True),
    Code("safety.page-too-large", ERROR, "a page is larger than the limit", integrity=True),
    Code("safety.pathological-markdown", ERROR, integrity=True,
         summary="Markdown nested so deeply that converting it could take very long"),

    Code("readability.grade-high", WARNING, "a patient page's SMOG grade is above the target"),
    Code("readability.grade-too-high", ERROR, "a patient page's SMOG grade is above the limit"),

    Code("style.long-sentence", WARNING, "a sentence is longer than the limit"),
    Code("style.plain-word", WARNING, "a word has a plainer alternative"),
    Code("style.glossary-term", WARNING,
         summary="a glossary term's first use on a page is not linked (to the glossary or a page)"),

    Code("evidence.uncited-claim", WARNING,
         summary="a sentence or summary point makes a claim (an effect, a risk, a figure …) without a citation"),
    Code("evidence.no-citations", WARNING, "a page cites nothing"),
    Code("evidence.weak-support", WARNING,
         summary="a sentence says how well a treatment works or how safe it is, and only makers' information or "
                 "leaflets support it"),

    Code("clinic.invalid", ERROR, "the clinic profile is missing a field or has a wrong value"),
    Code("clinic.contrast", ERROR, "a clinic colour does not reach WCAG AA contrast (4.5:1)"),
    Code("clinic.bad-image", ERROR, integrity=True,
         summary="a logo or favicon is not an image of an allowed type, or is an unsafe SVG"),
    Code("clinic.placeholder", ERROR, "a clinic profile value is still a new-brand placeholder", integrity=True),

    Code("path.outside-project", ERROR, integrity=True,
         summary="a path named in the config, a brand or a command resolves outside the project"),
    Code("path.overwrite", ERROR, integrity=True,
         summary="a file the build writes would replace a file patientguide did not write"),

    # the Zensical build (patientguide zensical-build): what the MkDocs plugin does there and Zensical cannot
    Code("zensical.no-bibliography-page", ERROR, integrity=True,
         summary="the bibliography page is missing; Zensical cannot generate it"),
    Code("zensical.not-converted", ERROR, integrity=True,
         summary="a built page was not converted by the patientguide Markdown extension"),
)
BY_NAME: dict[str, Code] = {c.name: c for c in CODES}


def code(name: str) -> Code:
    """The code called ``name``; a name not in :data:`CODES` is a programming error."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"'{name}' is not a diagnostic code in patientguide.codes.CODES") from None
