"""Reusable blocks: text written once and included in every page that needs it, with the include
syntax of pymdownx.snippets (a line of its own: ``--8<-- "blocks/do-not-use.md"``), and clinic
placeholders (``{{ clinic.emergency_number }}``) filled from the clinic profile.

Unlike snippets' default, nothing is dropped silently: an include of a missing file, of a file
outside the blocks folder, or one that loops is an error at the include's own ``line:col``, and so
is an unknown placeholder. The expansion keeps a map from every character of the page as the
patient reads it back to the file and offset it came from, so a problem found in a block is
reported at the block's own ``file:line:col``, naming the page that included it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from . import diagnostics as dx
from .diagnostics import Diagnostic
from .source import SourceFile, split_front_matter

if TYPE_CHECKING:
    from .settings import Settings

INCLUDE = re.compile(r"^(?P<indent>[ \t]*)(?P<escape>;)?--8<--"
                     r"(?:[ \t]+(?P<q>[\"'])(?P<target>[^\"'\n]*)(?P=q))?[ \t]*$",
                     re.M)
PLACEHOLDER = re.compile(r"\{\{\s*(?P<name>clinic\.[A-Za-z_]+)\s*\}\}")
MAX_DEPTH = 8


@dataclass(frozen=True, slots=True)
class Segment:
    """``expanded[start:end]`` came from ``path`` at ``origin`` (character for character when
    ``exact``; otherwise all of it maps to ``origin``: a filled placeholder, an added indent)."""

    start: int
    end: int
    path: str
    origin: int
    exact: bool = True


@dataclass
class Expanded:
    """A page with its includes and placeholders filled in, and where each character came from."""

    text: str
    path: str  # the page
    segments: list[Segment] = field(default_factory=list)
    sources: dict[str, SourceFile] = field(default_factory=dict)  # path → its text, for positions
    blocks: list[str] = field(default_factory=list)  # included blocks, in order, each once
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def origin(self, offset: int) -> tuple[str, int, int]:
        """``(path, line, col)`` of the character at ``offset`` of the expanded text."""
        i = max(0, bisect.bisect_right([s.start for s in self.segments], offset) - 1)
        seg = self.segments[i] if self.segments else Segment(0, 0, self.path, 0)
        at = seg.origin + (min(offset, seg.end) - seg.start if seg.exact else 0)
        line, col = self.sources[seg.path].position(at)
        return seg.path, line, col

    def remap(self, d: Diagnostic, expanded_source: SourceFile) -> Diagnostic:
        """A diagnostic found in the expanded page, moved to where its text was written."""
        if d.path != self.path or not self.blocks and not self._filled:
            return d
        offset = expanded_source.line_start(d.line) + max(d.col - 1, 0)
        path, line, col = self.origin(offset)
        related = d.related if path == self.path else dx.included_from(self.path)
        return replace(d, path=path, line=line, col=col if d.col else 0, related=related)

    @property
    def _filled(self) -> bool:
        return any(not s.exact for s in self.segments)


class Blocks:
    """Where blocks may come from: files under ``blocks_dir``, named relative to ``root``."""

    def __init__(self, root: Path, blocks_dir: Path | None, rel: Callable[[Path], str]) -> None:
        self.root, self.dir, self.rel = root, blocks_dir, rel

    def resolve(self, target: str) -> tuple[Path | None, str | None]:
        """The block file for an include target, or ``None`` and why not."""
        if self.dir is None:
            return None, "this site has no blocks folder ('blocks_dir')"
        path = (self.root / target).resolve()
        folder = self.dir.resolve()
        if path != folder and folder not in path.parents:
            return None, f"it is outside the blocks folder '{self.rel(self.dir)}/'"
        if not path.is_file():
            return None, "no such file"
        return path, None


def site_blocks(settings: Settings) -> Blocks:
    """The site's blocks folder, as its settings name it."""
    return Blocks(settings.root, settings.blocks_dir, settings.rel)


def expand(text: str, path: str, blocks: Blocks | None, placeholders: dict[str, str] | None) -> Expanded:
    """Fill in a page's includes and placeholders (the front matter is left as it is)."""
    out = Expanded("", path)
    fm = split_front_matter(text)
    body_start = fm.body_start if fm else 0
    if "--8<--" not in text and "{{" not in text:  # nothing to fill in: the page as written, one piece
        out.text, out.sources[path] = text, SourceFile(path, text)
        out.segments = [Segment(0, len(text), path, 0)] if text else []
        return out
    pieces: list[str] = []
    _Expander(out, pieces, blocks, placeholders).copy(text, path, body_start, ())
    out.text = "".join(pieces)
    return out


class _Expander:
    def __init__(self, out: Expanded, pieces: list[str], blocks: Blocks | None,
                 placeholders: dict[str, str] | None) -> None:
        self.out, self.pieces, self.blocks, self.placeholders = out, pieces, blocks, placeholders
        self.length = 0

    def emit(self, text: str, path: str, origin: int, exact: bool = True) -> None:
        if text:
            self.out.segments.append(Segment(self.length, self.length + len(text), path, origin, exact))
            self.pieces.append(text)
            self.length += len(text)

    def copy(self, text: str, path: str, start: int, stack: tuple[Path, ...], indent: str = "") -> None:
        """Copy ``text`` of ``path``: up to ``start`` (the front matter) as it is, the rest line by line."""
        self.out.sources.setdefault(path, SourceFile(path, text))
        self.emit(text[:start], path, 0)
        pos = start
        for line in text[start:].split("\n"):
            self.emit(indent, path, pos, exact=False)
            m = INCLUDE.match(line)
            if m and not m.group("escape"):
                self.include(m, path, pos, stack, indent)
            elif m:  # ';--8<--': shown without the ';', as snippets does
                i = m.start("escape")
                self.fill(line[:i], path, pos)
                self.fill(line[i + 1:], path, pos + i + 1)
            else:
                self.fill(line, path, pos)
            pos += len(line) + 1
            if pos <= len(text):
                self.emit("\n", path, pos - 1)

    def fill(self, line: str, path: str, origin: int) -> None:
        """One line, with its clinic placeholders filled in."""
        pos = 0
        for m in PLACEHOLDER.finditer(line):
            self.emit(line[pos:m.start()], path, origin + pos)
            value = self.placeholder(m, path, origin)
            self.emit(value, path, origin + m.start(), exact=value == m.group(0))
            pos = m.end()
        self.emit(line[pos:], path, origin + pos)

    def placeholder(self, m: re.Match, path: str, origin: int) -> str:
        name = m.group("name")
        if self.placeholders is None:
            self.error(path, origin + m.start(), "include.placeholder",
                       f"'{m.group(0)}' cannot be filled: the site has no clinic profile that loads "
                       "('extra.clinic' in mkdocs.yml)")
            return m.group(0)
        if name not in self.placeholders:
            self.error(path, origin + m.start(), "include.placeholder", f"unknown placeholder '{m.group(0)}'",
                       dx.did_you_mean(name, self.placeholders))
            return m.group(0)
        return self.placeholders[name]

    def include(self, m: re.Match, path: str, origin: int, stack: tuple[Path, ...], indent: str) -> None:
        at = origin + len(m.group("indent"))
        target = m.group("target")
        if not target:
            self.error(path, at, "include.missing", "an include needs one file name: --8<-- \"blocks/name.md\"")
            return
        file, why = self.blocks.resolve(target) if self.blocks else (None, "this site has no blocks folder")
        if file is None:
            self.error(path, at, "include.outside-blocks" if "outside" in str(why) else "include.missing",
                       f"cannot include '{target}': {why}")
            return
        if file in stack or len(stack) >= MAX_DEPTH:
            rel = self.blocks.rel if self.blocks else str
            self.error(path, at, "include.cycle", f"'{target}' includes itself (through "
                       + " → ".join(rel(p) for p in (*stack, file)) + ")")
            return
        self.read_block(file, at, path, stack, indent + m.group("indent"))

    def read_block(self, file: Path, at: int, path: str, stack: tuple[Path, ...], indent: str) -> None:
        assert self.blocks is not None
        rel = self.blocks.rel(file)
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as e:
            self.error(path, at, "include.missing", f"cannot read '{rel}': {getattr(e, 'strerror', None) or e}")
            return
        if rel not in self.out.blocks:
            self.out.blocks.append(rel)
        self.copy(text.rstrip("\n"), rel, 0, (*stack, file), indent)

    def error(self, path: str, offset: int, code: str, message: str, hint: str | None = None) -> None:
        line, col = self.out.sources[path].position(offset)
        related = None if path == self.out.path else dx.included_from(self.out.path)
        self.out.diagnostics.append(dx.make(path, line, col, code, message, hint, related))
