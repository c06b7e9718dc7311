"""``main.html``, when it is ours, is read as ``patientguide/main.html``: one level of ``extends`` less, the same page."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from patientguide.rendermemo import OurPageTemplate
from patientguide.theme import TEMPLATES

# A theme's base.html with the blocks patientguide/main.html fills, and the variables they read.
BASE = """<html><head>{% block extrahead %}{% endblock %}</head><body>
{% block header %}<header>theme</header>{% endblock %}
{% block content %}<article>{{ page.content }}</article>{% endblock %}
{% block footer %}<footer>theme</footer>{% endblock %}
{% block scripts %}<script src="a.js"></script>{% endblock %}</body></html>"""
CONTEXT = {"page": {"content": "<p>Text</p>", "meta": {"pg": {"draft": True, "url": "https://x.org/a/"}}},
           "config": {"extra": {}}, "pg_clinic": None, "pg_footer_links": []}


def _env(tmp_path: Path, *, site_main: str | None = None, wrapped: bool) -> jinja2.Environment:
    theme, custom = tmp_path / "theme", tmp_path / "custom"
    theme.mkdir(exist_ok=True)
    (theme / "base.html").write_text(BASE)
    dirs = [str(TEMPLATES), str(theme)]
    if site_main is not None:
        custom.mkdir(exist_ok=True)
        (custom / "main.html").write_text(site_main)
        dirs.insert(0, str(custom))
    loader: jinja2.BaseLoader = jinja2.FileSystemLoader(dirs)
    env = jinja2.Environment(loader=OurPageTemplate(loader) if wrapped else loader)
    env.filters["url"] = lambda value: value  # MkDocs' filter
    return env


def test_our_main_html_is_read_as_the_template_it_extends(tmp_path: Path) -> None:
    env = _env(tmp_path, wrapped=True)
    assert Path(env.get_template("main.html").filename or "") == TEMPLATES / "patientguide" / "main.html"
    page = env.get_template("main.html").render(CONTEXT)
    assert "Draft &mdash; not yet reviewed by a clinician." in page and "<script defer src=" in page
    assert page == _env(tmp_path, wrapped=False).get_template("main.html").render(CONTEXT)


@pytest.mark.parametrize("site_main", [
    '{% extends "patientguide/main.html" %}{% block footer %}<footer>clinic</footer>{% endblock %}',
    '{% extends "base.html" %}',
])
def test_a_site_s_own_main_html_is_read_as_it_is(tmp_path: Path, site_main: str) -> None:
    env = _env(tmp_path, site_main=site_main, wrapped=True)
    assert Path(env.get_template("main.html").filename or "") == tmp_path / "custom" / "main.html"
    page = env.get_template("main.html").render(CONTEXT)
    assert page == _env(tmp_path, site_main=site_main, wrapped=False).get_template("main.html").render(CONTEXT)
    assert ("<footer>clinic</footer>" in page) == ("clinic" in site_main)


def test_a_build_s_environment_reads_our_main_html_so() -> None:
    from mkdocs.config import load_config

    from patientguide import rendermemo
    config = load_config(str(Path(__file__).resolve().parents[2] / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    env = config.theme.get_env()
    rendermemo.all_converted(env, None, None, config.plugins["patientguide"].settings, lambda src: None)
    assert isinstance(env.loader, OurPageTemplate)
    assert Path(env.get_template("main.html").filename or "") == TEMPLATES / "patientguide" / "main.html"


def test_the_clinic_s_text_reaches_every_page_escaped_and_in_ascii(tmp_path: Path) -> None:
    """A clinic named with letters beyond ASCII: the page says the same, written as character
    references (charrefs.py), and the profile's text is still escaped."""
    import html
    import textwrap

    from patientguide.clinic import load_clinic
    from patientguide.sitepage import clinic_for_pages
    config = tmp_path / "mkdocs.yml"
    config.write_text(textwrap.dedent("""\
        site_name: Test
        extra:
          clinic:
            name: Hautklinik Zürich <Süd>
            colors: {primary: "#00695c", accent: "#ad1457"}
            phone: 044 123 45 67
            email: haut@zuerich.example
            address: [Rämistrasse 100, 8091 Zürich]
            country: CH
            publisher: Universitätsspital
            locale: de-CH
        """), encoding="utf-8")
    clinic, problems = load_clinic(config, lambda p: p.name, root=tmp_path)
    assert clinic is not None and not [d for d in problems if d.severity == "error"]
    page = _env(tmp_path, wrapped=True).get_template("main.html").render(
        {**CONTEXT, "pg_clinic": clinic_for_pages(clinic), "nav": {"homepage": None}, "base_url": ".."})
    assert page.isascii()
    assert "<strong>Hautklinik Z&#252;rich &lt;S&#252;d&gt;</strong>" in page  # escaped once, then ASCII
    assert "R&#228;mistrasse 100<br>8091 Z&#252;rich" in page and "Published by Universit&#228;tsspital." in page
    assert "Hautklinik Zürich <Süd>" in html.unescape(page)
