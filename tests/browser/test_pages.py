"""Every page of the real guide, served by nginx with the generated headers, in Chromium:
no Content-Security-Policy violations, no request to any other origin, no cookies; search,
the palette toggle, navigation and citation tooltips work."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from .conftest import SEARCH, open_search

pytestmark = pytest.mark.browser

WATCH = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
  e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + (e.sourceFile || '') + ':' + e.lineNumber));
"""


def pages(site_dir) -> list[str]:
    out = []
    for p in sorted(site_dir.rglob("index.html")):
        rel = p.relative_to(site_dir).parent.as_posix()
        out.append("" if rel == "." else rel + "/")
    return out


@pytest.fixture
def context(browser):
    ctx = browser.new_context(viewport={"width": 1366, "height": 900})
    ctx.add_init_script(WATCH)
    yield ctx
    ctx.close()


def test_every_page_no_csp_violations_no_third_party_requests(real_site, context) -> None:
    server, site_dir = real_site
    origin = urlparse(server.url).netloc
    foreign: list[str] = []
    context.on("request", lambda req: foreign.append(req.url)
               if urlparse(req.url).scheme in ("http", "https") and urlparse(req.url).netloc != origin else None)
    problems = {}
    paths = pages(site_dir)
    assert len(paths) >= 15
    page = context.new_page()
    console = []
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    for path in paths:
        response = page.goto(server.url + path, wait_until="networkidle")
        assert response.status == 200, path
        headers = response.headers
        assert "script-src 'self' 'sha256-" in headers["content-security-policy"]
        assert "unsafe-inline" not in headers["content-security-policy"].split("script-src")[1].split(";")[0]
        assert headers["referrer-policy"] == "no-referrer"
        violations = page.evaluate("window.__cspViolations")
        if violations:
            problems[path] = violations
    assert problems == {}
    assert console == []
    assert foreign == []
    assert context.cookies() == []


def test_search_palette_navigation_and_tooltips(real_site, context) -> None:
    server, _ = real_site
    search = SEARCH[server.engine]
    page = context.new_page()
    page.goto(server.url + "side-effects/", wait_until="networkidle")
    # search: type a query, open the first result
    box = open_search(page, server.engine)
    page.keyboard.type("compensatory", delay=30)
    assert box.input_value() == "compensatory"
    first = page.locator(f"{search['result']}[href*='h=compensatory']").first
    first.wait_for(state="visible", timeout=30000)  # the index loads in a worker
    target = first.get_attribute("href").split("?")[0]
    first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.split("?")[0].split("#")[0] == target.split("#")[0]
    assert "compensatory" in page.content().lower()
    # palette toggle switches to dark and back
    scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
    page.locator("form[data-md-component=palette] label:visible").first.click()
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") != scheme
    # navigation: follow a link in the sidebar
    page.goto(server.url, wait_until="networkidle")
    page.locator("nav.md-nav--primary a[href$='what-to-expect/']").first.click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith("/what-to-expect/")
    # citation tooltip on keyboard focus, hidden with Escape
    link = page.locator("a.pg-cite").first
    link.focus()
    tip = page.locator("#pg-tip")
    tip.wait_for(state="visible", timeout=5000)
    ref_id = link.get_attribute("aria-describedby")
    assert tip.inner_text().strip() == page.locator(f"#{ref_id}").inner_text().strip()
    page.keyboard.press("Escape")
    assert tip.is_hidden()
    # and on hover
    page.locator("a.pg-cite").nth(1).hover()
    tip.wait_for(state="visible", timeout=5000)
    assert page.evaluate("window.__cspViolations") == []
