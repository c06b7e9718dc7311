"""theme.template-replaced: a site's own ``main.html`` that replaces patientguide's page template,
and with it the draft and overdue notices, review dates, brand bar, contact block, footer,
structured data and print header, instead of extending it."""

from __future__ import annotations

from .. import diagnostics as dx
from ..diagnostics import Diagnostic
from ..theme import PAGE_TEMPLATE, replaces_page_template, site_main_html
from .context import SiteContext


def check_page_template(site: SiteContext) -> list[Diagnostic]:
    main = site_main_html(site.settings.config_file)
    if main is None:
        return []
    try:
        text = main.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return []  # MkDocs reports a template it cannot read
    if not replaces_page_template(text):
        return []
    return [dx.make(site.settings.rel(main), 1, 1, "theme.template-replaced",
                    "this main.html replaces patientguide's page template: pages lose the draft and overdue "
                    "notices, review dates, brand bar, contact block, footer, structured data and print header",
                    f"start it with {{% extends \"{PAGE_TEMPLATE}\" %}} and override only the blocks you change")]
