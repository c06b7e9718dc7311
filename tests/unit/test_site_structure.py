"""What the links check reads from mkdocs.yml: nav, validation levels, Markdown extensions."""

from __future__ import annotations

from pathlib import Path

import pytest

from patientguide.options import site_structure
from patientguide.settings import VALIDATION_DEFAULTS, ConfigError
from patientguide.yamlpos import PythonRef, config_chain, merged

CONFIG = Path("mkdocs.yml")


def test_mkdocs_defaults() -> None:
    assert site_structure({}, CONFIG).validation == {
        "nav.omitted_files": "info", "nav.not_found": "warn", "nav.absolute_links": "info",
        "links.not_found": "warn", "links.absolute_links": "info", "links.unrecognized_links": "info",
        "links.anchors": "info"} == VALIDATION_DEFAULTS


def test_a_key_at_the_top_applies_to_nav_and_links_unless_set_there() -> None:
    levels = site_structure({"validation": {"absolute_links": "warn", "not_found": "ignore",
                                            "links": {"not_found": "info"}, "nav": {"absolute_links": "relative_to_docs"}}},
                            CONFIG).validation
    assert levels["links.absolute_links"] == "warn" and levels["nav.absolute_links"] == "relative_to_docs"
    assert levels["nav.not_found"] == "ignore" and levels["links.not_found"] == "info"


@pytest.mark.parametrize("validation, message", [
    ({"links": {"anchors": "loud"}}, "'validation.links.anchors' must be one of warn, info, ignore, got 'loud'"),
    ({"anchors": "relative_to_docs"}, "'validation.links.anchors' must be one of warn, info, ignore"),
    ("warn", "'validation' must be a mapping"),
])
def test_bad_levels_are_configuration_errors(validation, message) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        site_structure({"validation": validation}, CONFIG)


def test_python_tags_are_kept_by_name_and_never_imported(tmp_path) -> None:
    (tmp_path / "mkdocs.yml").write_text(
        "markdown_extensions:\n  - toc:\n      slugify: !!python/object/apply:no_such_module.slugify\n"
        "        kwds: {case: lower}\n  - pymdownx.superfences:\n      custom_fences:\n"
        "        - name: m\n          format: !!python/name:no_such_module.fence\n"
        "exclude_docs: |\n  drafts/\nnav:\n  - index.md\n")
    site = site_structure(merged(config_chain(tmp_path / "mkdocs.yml")), tmp_path / "mkdocs.yml")
    toc, fences = site.markdown_extensions
    assert toc["toc"]["slugify"] == PythonRef("no_such_module.slugify", True, (), (("case", "lower"),))
    assert fences["pymdownx.superfences"]["custom_fences"][0]["format"] == PythonRef("no_such_module.fence")
    assert site.exclude_docs == "drafts/\n" and site.nav == ["index.md"]
