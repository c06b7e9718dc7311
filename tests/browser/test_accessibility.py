"""axe-core (WCAG 2.0–2.2 A and AA rules) on every page of the guide, at phone and desktop
widths: zero violations. And the keyboard: skip link, menu, search and citations."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import SEARCH, open_search

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        if os.environ.get("PG_REQUIRE_BROWSER") == "1":
            pytest.fail("axe-core is missing: run `make test` (it installs tests/browser/node_modules)")
        pytest.skip("axe-core not installed (make test installs it with npm)")
    return AXE.read_text(encoding="utf-8")


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1366, "height": 900}],
                         ids=["mobile", "desktop"])
def test_no_axe_violations_on_any_page(real_site, browser, axe_source, viewport) -> None:
    server, site_dir = real_site
    # axe is injected through the DevTools protocol; the site's own CSP stays as served
    context = browser.new_context(viewport=viewport, bypass_csp=True)
    page = context.new_page()
    found = {}
    paths = sorted(p.relative_to(site_dir).parent.as_posix() for p in site_dir.rglob("index.html"))
    for path in paths:
        page.goto(server.url + ("" if path == "." else path + "/"), wait_until="networkidle")
        page.evaluate(axe_source)
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
        for v in result["violations"]:
            found.setdefault(path, []).append(f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}")
    context.close()
    assert found == {}


def test_dark_scheme_contrast(real_site, browser, axe_source) -> None:
    """The brand's colours in the dark (slate) scheme: links, accent and the clinic blocks pass
    axe's contrast rules too (the plugin derives dark link shades from the profile)."""
    server, _ = real_site
    context = browser.new_context(viewport={"width": 1366, "height": 900}, bypass_csp=True)
    page = context.new_page()
    found = {}
    for path in ("", "what-to-expect/", "references/"):
        page.goto(server.url + path, wait_until="networkidle")
        if page.evaluate("document.body.getAttribute('data-md-color-scheme')") != "slate":
            page.locator("form[data-md-component=palette] label:visible").first.click()  # the theme's toggle
        assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
        # the toggle's hover tooltip (Zensical's in <body>, outside the landmarks: axe's region rule) fades in and
        # out, and the new scheme's colours fade in: the pointer leaves, as a user's would, and axe runs once no
        # transition is running (mid-fade, text has colours no theme shows at rest)
        page.mouse.move(1, 450)
        page.wait_for_function("() => ![...document.querySelectorAll('[id^=__tooltip], .md-tooltip, .md-tooltip2')]"
                               ".some(t => t.checkVisibility({opacityProperty: true, visibilityProperty: true}))"
                               " && document.getAnimations().length === 0", timeout=5000)
        page.evaluate(axe_source)
        result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)
        for v in result["violations"]:
            found.setdefault(path, []).append(f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']} "
                                              f"{v['nodes'][0].get('failureSummary', '')[-160:]}")
    context.close()
    assert found == {}


def test_keyboard(real_site, browser) -> None:
    server, _ = real_site
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(server.url + "what-to-expect/", wait_until="networkidle")
    # the first Tab reaches the skip link, which moves focus past the header
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('md-skip')")
    page.keyboard.press("Enter")
    page.wait_for_function("location.hash !== ''", timeout=10000)
    # the phone menu's button is a keyboard control: Tab reaches it, Enter opens the menu and
    # moves focus into it, Escape closes it and returns focus to the button
    page.goto(server.url + "what-to-expect/", wait_until="networkidle")
    button = page.locator("label[for='__drawer'] button.pg-header-toggle")
    assert button.get_attribute("aria-label") == "Open the menu"
    assert button.get_attribute("aria-expanded") == "false"
    is_menu_button = "document.activeElement.matches(\"label[for='__drawer'] button\")"
    for _ in range(6):
        page.keyboard.press("Tab")
        if page.evaluate(is_menu_button):
            break
    else:
        pytest.fail("Tab never reached the menu button")
    page.keyboard.press("Enter")
    assert page.evaluate("document.getElementById('__drawer').checked")
    assert button.get_attribute("aria-expanded") == "true"
    assert page.evaluate("document.activeElement.classList.contains('md-nav__link')")
    page.keyboard.press("Escape")
    assert not page.evaluate("document.getElementById('__drawer').checked")
    assert page.evaluate(is_menu_button)
    # the navigation links are in the tab order too
    page.goto(server.url + "what-to-expect/", wait_until="networkidle")
    reached = []
    for _ in range(12):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("document.activeElement.className + ' ' "
                                     "+ (document.activeElement.getAttribute('href') || '') + ' ' "
                                     "+ (document.activeElement.getAttribute('aria-label') || '')"))
    assert any(SEARCH[server.engine]["header"] in r for r in reached)
    assert any("md-nav__link" in r for r in reached)
    # search opens with the keyboard ("/" from the page) and takes typing
    page.goto(server.url + "what-to-expect/", wait_until="networkidle")  # a fresh page: nothing focused
    box = open_search(page, server.engine)
    page.keyboard.type("pacemaker", delay=20)
    assert box.input_value() == "pacemaker"
    # the index loads in a worker: wait for a result for this query
    result = page.locator(f"{SEARCH[server.engine]['result']}[href*='h=pacemaker']").first
    result.wait_for(state="visible", timeout=30000)
    page.keyboard.press("Escape")
    # citations are reachable with Tab and show their reference
    page.goto(server.url + "what-to-expect/", wait_until="networkidle")
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('pg-cite')"):
            break
    else:
        pytest.fail("no citation reached with Tab")
    assert page.locator("#pg-tip").is_visible()
    described = page.evaluate("document.activeElement.getAttribute('aria-describedby')")
    assert page.locator("#pg-tip").inner_text().strip() == page.locator(f"#{described}").inner_text().strip()
    context.close()
