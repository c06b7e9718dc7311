"""Every check, in the order it runs. Nothing registers itself: to add a check, write a function
that takes a :class:`PageContext` (or :class:`SiteContext`) and returns diagnostics, declare its
codes in :mod:`patientguide.codes`, and list it here.

Page checks run on each page in turn; site checks run once every page is done.
"""

from __future__ import annotations

from .citations import check_reference_entries, check_unknown_keys
from .context import PageCheck, PageContext, SiteCheck, SiteContext
from .evidence import check_page_cites_something, check_uncited_claims, check_uncited_summary
from .glossary import check_glossary_links
from .links import check_links
from .readability import check_reading_grade
from .review import check_review
from .safety import check_raw_html
from .sources import check_evidence_kinds, check_weak_support
from .style import check_long_sentences, check_plain_words
from .theme import check_page_template

PAGE_CHECKS: tuple[PageCheck, ...] = (
    check_raw_html,              # safety.*: tags, attributes and addresses outside the allow-lists
    check_review,                # review.*: review dates, reviewer, draft status
    check_unknown_keys,          # citation.unknown-key
    check_reading_grade,         # readability.*: SMOG against the target and the limit
    check_long_sentences,        # style.long-sentence
    check_plain_words,           # style.plain-word
    check_uncited_claims,        # evidence.uncited-claim: sentences
    check_uncited_summary,       # evidence.uncited-claim: front-matter summary points
    check_page_cites_something,  # evidence.no-citations
    check_weak_support,          # evidence.weak-support: effects and risks backed only by makers or leaflets
    check_glossary_links,        # style.glossary-term
)

SITE_CHECKS: tuple[SiteCheck, ...] = (
    check_reference_entries,     # bib.*: each entry, an error if cited, else a warning; bib.unused-entry
    check_evidence_kinds,        # bib.missing-evidence: a cited entry that does not say what kind of source it is
    check_links,                 # links.*, nav.*: what MkDocs' strict build rejects, with positions
    check_page_template,         # theme.template-replaced: a custom_dir main.html that drops ours
)

__all__ = ["PAGE_CHECKS", "SITE_CHECKS", "PageCheck", "PageContext", "SiteCheck", "SiteContext"]
