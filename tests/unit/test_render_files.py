"""What a render keeps in ``cache_dir`` is a copy made for writing (rendercache.RenderFiles.storable):
every block made, each lean form as its text, and the page that is still being built left as it was."""

from __future__ import annotations

import pickle
from pathlib import Path

from patientguide.render import PageCitations, RenderedPage
from patientguide.rendercache import Made, RenderFiles


def _page() -> RenderedPage:
    page = RenderedPage("Some text [@a].", PageCitations(), nonce="0a1b2c3d4e")
    page.add_block("references", lambda: "<ol><li>A</li></ol>")
    page.add_block("bibliography", lambda: "<ul><li>B</li></ul>", searchable=True, lean=lambda: "B")
    page.swaps["m"] = ("text", 1, 2)
    page.lean_content = "as search read it"
    return page


def test_the_copy_to_write_has_every_block_made_and_each_lean_form_as_its_text(tmp_path: Path) -> None:
    page = _page()
    stored = RenderFiles(tmp_path).storable(page)
    assert stored is not page and stored.state is page.state and stored.nonce == page.nonce
    assert stored.blocks == {"references": "<ol><li>A</li></ol>", "bibliography": "<ul><li>B</li></ul>"}
    assert stored.made == stored.blocks and stored.early == {"bibliography"}
    assert isinstance(stored.lean_blocks["bibliography"], Made) and stored.lean_blocks["bibliography"]() == "B"
    assert stored.lean_content is None and stored.swaps == {"m": ("text", 1, 2)} and stored.swaps is not page.swaps
    again = pickle.loads(pickle.dumps(stored, pickle.HIGHEST_PROTOCOL))  # no callable left but Made
    assert again.blocks == stored.blocks and again.lean_blocks["bibliography"]() == "B"


def test_the_page_being_built_is_left_as_it_was(tmp_path: Path) -> None:
    page = _page()
    makers, lean = dict(page.blocks), dict(page.lean_blocks)
    RenderFiles(tmp_path).storable(page)
    assert page.blocks == makers and all(callable(m) for m in page.blocks.values())
    assert page.lean_blocks == lean and not isinstance(page.lean_blocks["bibliography"], Made)
    assert page.lean_content == "as search read it" and page.swaps == {"m": ("text", 1, 2)}
