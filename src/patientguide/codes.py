"""Every diagnostic code patientguide reports, in one table.

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


@dataclass(frozen=True, slots=True)
class Code:
    name: str
    default: Severity
    summary: str
    integrity: bool = False  # never lowered below error


_E, _W, _I = Severity.ERROR, Severity.WARNING, Severity.INFO

CODES: tuple[Code, ...] = (
    # citations
    Code("citation.unknown-key", _E, "a citation names a key that no reference file defines", True),
    # references
    Code("bib.parse-error", _E, "a BibTeX block could not be parsed", True),
    Code("bib.duplicate-key", _E, "two entries share a key (compared case-insensitively)", True),
    Code("bib.duplicate-field", _E, "an entry sets the same field twice", True),
    Code("bib.missing-field", _E, "an entry lacks a field its type requires", True),
    Code("bib.missing-identifier", _E, "an entry has none of doi, pmid or url", True),
    Code("bib.bad-doi", _E, "a doi field is not a DOI", True),
    Code("bib.bad-pmid", _E, "a pmid field is not a PubMed id", True),
    Code("bib.bad-url", _E, "a url field is not an http(s) address", True),
    Code("bib.no-files", _E, "the references folder holds no .bib file", True),
    Code("bib.unused-entry", _W, "an entry that no page cites"),
    # front matter
    Code("frontmatter.invalid", _E, "front matter is not valid YAML or not a mapping"),
    Code("frontmatter.unclosed", _E, "front matter opened with '---' is never closed"),
    Code("frontmatter.bad-type", _E, "a front-matter field has the wrong type"),
    Code("frontmatter.bad-date", _E, "a front-matter date is not a valid YYYY-MM-DD date"),
    Code("frontmatter.unknown-field", _W, "a front-matter field that patientguide does not know"),
    Code("frontmatter.missing-field", _W, "a page lacks a recommended front-matter field"),
    # review dates and reviewers
    Code("review.overdue", _W, "the page's next review date has passed"),
    Code("review.in-future", _E, "last_reviewed is after today"),
    Code("review.bad-interval", _E, "next_review_due is not after last_reviewed, or too far after it"),
    Code("review.incomplete", _E, "a page marked reviewed lacks its reviewer or dates"),
    Code("review.draft", _I, "the page is a draft, not yet reviewed by a clinician"),
    Code("review.unknown-reviewer", _E, "reviewed_by names no one in the reviewers file"),
    Code("reviewers.invalid", _E, "the reviewers file is not valid"),
    # reusable blocks
    Code("include.missing", _E, "an include names a block that does not exist or cannot be read", True),
    Code("include.outside-blocks", _E, "an include names a file outside the blocks folder", True),
    Code("include.cycle", _E, "a block includes itself, directly or through other blocks", True),
    Code("include.placeholder", _E, "a clinic placeholder is unknown or the site has no clinic profile", True),
    # configuration and files
    Code("config.invalid", _E, "a plugin option in mkdocs.yml is unknown or has a wrong value", True),
    Code("page.unreadable", _E, "a page could not be read as UTF-8 text", True),
    # safe content
    Code("safety.html-tag", _E, "raw HTML uses a tag outside the allow-list", True),
    Code("safety.html-attribute", _E, "raw HTML or an attribute list uses an attribute outside the allow-list", True),
    Code("safety.url-scheme", _E, "a link may only use http, https, mailto, tel or a relative address", True),
    Code("safety.output-sanitizer", _E, "the output sanitizer would change a built page", True),
    Code("safety.symlink", _E, "a symbolic link inside the docs folder", True),
    Code("safety.page-too-large", _E, "a page is larger than the limit", True),
    Code("safety.pathological-markdown", _E, "Markdown nested so deeply that converting it could take very long", True),
    # readability
    Code("readability.grade-high", _W, "a patient page's SMOG grade is above the target"),
    Code("readability.grade-too-high", _E, "a patient page's SMOG grade is above the limit"),
    # plain language and evidence
    Code("style.long-sentence", _W, "a sentence is longer than the limit"),
    Code("style.plain-word", _W, "a word has a plainer alternative"),
    Code("style.glossary-term", _W, "a glossary term's first use on a page is not linked (to the glossary or a page)"),
    Code("evidence.uncited-claim", _W, "a sentence or summary point makes a claim (an effect, a risk, a figure …) "
         "without a citation"),
    Code("evidence.no-citations", _W, "a page cites nothing"),
    # the clinic profile
    Code("clinic.invalid", _E, "the clinic profile is missing a field or has a wrong value"),
    Code("clinic.contrast", _E, "a clinic colour does not reach WCAG AA contrast (4.5:1)"),
    Code("clinic.bad-image", _E, "a logo or favicon is not an image of an allowed type, or is an unsafe SVG", True),
    Code("clinic.placeholder", _E, "a clinic profile value is still a new-brand placeholder", True),
    # the theme
    Code("theme.template-replaced", _W, "the site's own main.html replaces patientguide's page template instead of "
         "extending it"),
    # paths
    Code("path.outside-project", _E, "a path named in the config, a brand or a command resolves outside the project",
         True),
    Code("path.overwrite", _E, "a file the build writes would replace a file patientguide did not write", True),
)

BY_NAME: dict[str, Code] = {c.name: c for c in CODES}


def code(name: str) -> Code:
    """The code called ``name``; a name not in :data:`CODES` is a programming error."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"'{name}' is not a diagnostic code in patientguide.codes.CODES") from None
