"""The print stylesheet turns ligatures off wherever a handout prints an address, a phone number
or an e-mail (a font with an "ff" ligature turned "side-effects" into "side-eﬀects" in a PDF)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CSS = (ROOT / "src" / "patientguide" / "assets" / "theme.css").read_text(encoding="utf-8")
TEMPLATE = (ROOT / "src" / "patientguide" / "templates" / "patientguide" / "main.html").read_text(encoding="utf-8")

#: Where a printed page shows addresses: the handout header (clinic phone and e-mail, the page's
#: address), the contact block, the reference lists' DOI and web links, the address printed after
#: each link to another site, and e-mail and phone links in the text.
ADDRESS_SELECTORS = {
    ".pg-handout-head", ".pg-contact", ".pg-references a", ".pg-bibliography a",
    '.md-typeset a[href^="http"]::after', '.md-typeset a[href^="mailto:"]', '.md-typeset a[href^="tel:"]',
}


def _print_rules(css: str) -> list[tuple[set[str], str]]:
    """(selectors, declarations) of every rule inside ``@media print { … }``."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    start = css.index("{", css.index("@media print")) + 1
    depth, end = 1, start
    while depth:
        depth += {"{": 1, "}": -1}.get(css[end], 0)
        end += 1
    block = css[start:end - 1]
    return [({s.strip() for s in sel.split(",")}, body) for sel, body in re.findall(r"([^{}]+)\{([^{}]*)\}", block)]


def _no_ligatures(selector: str) -> bool:
    for selectors, body in _print_rules(CSS):
        decls = {k.strip(): v.strip() for k, v in (d.split(":", 1) for d in body.split(";") if ":" in d)}
        if selector in selectors and decls.get("font-variant-ligatures") == "none" \
                and re.fullmatch(r'"liga" 0,\s*"clig" 0', decls.get("font-feature-settings", "")):
            return True
    return False


def test_printed_addresses_phones_and_emails_have_ligatures_off() -> None:
    # the template prints the clinic's phone and e-mail and the page's address only in the
    # handout header and the contact block, so turning ligatures off there covers all of them
    content = TEMPLATE[TEMPLATE.index("{% block content %}"):TEMPLATE.index("{% endblock %}", TEMPLATE.index("{% block content %}"))]
    head = content[content.index('class="pg-print-only pg-handout-head"'):content.index("<!--/pg-handout-head-->")]
    contact = content[content.index('<section class="pg-contact"'):]
    assert all(field in head for field in ("pg_clinic.phone", "pg_clinic.email", "pg.url"))
    assert all(field in contact for field in ("pg_clinic.phone", "pg_clinic.email", "pg_clinic.address"))
    outside = content.replace(head, "").replace(contact, "")
    assert not re.search(r"pg_clinic\.(phone|email|address|booking_url)|pg\.url", outside)
    missing = sorted(s for s in ADDRESS_SELECTORS if not _no_ligatures(s))
    assert not missing, f"print rules without 'font-variant-ligatures: none' and liga/clig 0: {missing}"
