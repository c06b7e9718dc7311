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
