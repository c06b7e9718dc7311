"""Python-Markdown extension that passes our block placeholders through whole: each paragraph that is
exactly a block's token (``PGBLOCK<page digest><name>``, :meth:`render.RenderedPage.add_block`) becomes
that paragraph with its text marked atomic, so no inline pattern is tried on it. The HTML is the same as
without the extension (``<p>PGBLOCK…</p>``, which :meth:`render.RenderedPage.fill` replaces); Markdown
just does less: about 0.2 M instructions a placeholder (a page has one or two) went to trying every
inline pattern and every block processor on a line that none can change.

The MkDocs plugin adds it to ``markdown_extensions`` (``on_config``, once); under Zensical the ``patientguide``
Markdown extension registers the same processor.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

from markdown import Extension, Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.util import AtomicString

#: The whole of a block's placeholder paragraph, as :meth:`render.RenderedPage.add_block` makes it.
TOKEN = re.compile(r"PGBLOCK[0-9a-f]{10}[a-z]+")
#: Tried first, before any processor that would test the line with a pattern of its own.
PRIORITY = 200


class BlockTokens(BlockProcessor):
    """A block that is one placeholder, and nothing else, as a paragraph whose text is atomic."""

    def test(self, parent: etree.Element, block: str) -> bool:
        return block.startswith("PGBLOCK") and TOKEN.fullmatch(block) is not None

    def run(self, parent: etree.Element, blocks: list[str]) -> None:
        etree.SubElement(parent, "p").text = AtomicString(blocks.pop(0))


class BlockTokensExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        register(md)


def add_to(extensions: list[Any]) -> None:
    """Add the extension to a host's list of them, once: a host may build one config again (a serve rebuild
    of the same config object), and the list is part of what the theme's kept output is keyed by."""
    if not any(isinstance(e, BlockTokensExtension) for e in extensions):
        extensions.append(BlockTokensExtension())


def register(md: Markdown) -> None:
    md.parser.blockprocessors.register(BlockTokens(md.parser), "patientguide-blocks", PRIORITY)
