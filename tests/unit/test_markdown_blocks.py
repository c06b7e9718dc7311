"""A block's placeholder paragraph passes through Python-Markdown whole (markdown_blocks)."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from markdown.util import AtomicString

from patientguide.markdown_blocks import TOKEN, BlockTokensExtension
from patientguide.render import PageCitations, RenderedPage

EXTENSIONS = ["toc", "admonition", "tables", "attr_list"]
T = "PGBLOCK0123456789references"


@pytest.mark.parametrize("name", ["references", "keypoints", "bibliography"])
def test_token_is_the_paragraph_add_block_makes(name: str) -> None:
    page = RenderedPage("Some text [@a].", PageCitations(), nonce="0a1b2c3d4e")
    assert TOKEN.fullmatch(page.add_block(name, "<ol></ol>"))


@pytest.mark.parametrize("source", [
    pytest.param(f"# Title\n\n{T}\n\nText *here*.\n\n## References\n\n{T}\n", id="title-and-end"),
    pytest.param(f"{T}\n", id="alone"),
    pytest.param(f"{T}\nand *more* text on the next line\n", id="not-alone: an ordinary paragraph"),
    pytest.param(f"{T} *x*\n", id="lookalike with emphasis"),
    pytest.param(f"- item\n\n    {T}\n", id="in a list item"),
    pytest.param(f"> {T}\n", id="in a quote"),
    pytest.param(f"    {T}\n", id="indented: code"),
    pytest.param("PGBLOCK0123456789\n", id="no name: not a token"),
])
def test_html_is_the_same_with_the_extension(source: str) -> None:
    plain = markdown.Markdown(extensions=EXTENSIONS).convert(source)
    assert markdown.Markdown(extensions=[*EXTENSIONS, BlockTokensExtension()]).convert(source) == plain


def _paragraph_texts(source: str) -> list[object]:
    md = markdown.Markdown(extensions=[*EXTENSIONS, BlockTokensExtension()])
    root = md.parser.parseDocument(source.split("\n")).getroot()
    return [p.text for p in root.iter("p")]


def test_only_a_whole_token_is_atomic() -> None:
    texts = _paragraph_texts(f"{T}\n\nText *here*.\n\n{T}\nmore\n\n{T} x\n")
    assert [isinstance(t, AtomicString) for t in texts] == [True, False, False, False]
    assert texts[0] == T


def test_the_plugin_adds_the_extension_to_the_build() -> None:
    from mkdocs.config import load_config
    root = Path(__file__).resolve().parents[2]
    config = load_config(str(root / "mkdocs.yml"))
    for _ in range(2):  # a host may build the same config again (a serve rebuild): added once
        config = config.plugins.on_config(config)
        assert sum(isinstance(e, BlockTokensExtension) for e in config.markdown_extensions) == 1
