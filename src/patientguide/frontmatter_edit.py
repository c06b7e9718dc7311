"""Set a few top-level front-matter fields in place, keeping every other byte of the file.

No YAML round trip: the front matter is composed only to find where each value is written, and
the new value replaces exactly that span (a comment after it stays); a field that is not there
gets a line of its own after a related field, or before the closing ``---``, with the file's own
line ending. The result is read back and must hold the values asked for, or nothing is returned.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

import yaml

from .source import split_front_matter

_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/+-]*")


class EditError(Exception):
    """The front matter cannot be edited safely (missing, unclosed, not a mapping, or the result
    would not read back as asked)."""


@dataclass(frozen=True)
class _Span:
    start: int  # offsets into the whole text
    end: int
    text: str


def scalar(value: str | dt.date) -> str:
    """A value as YAML that reads back as exactly that value (a date stays a date)."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if _PLAIN.fullmatch(value) and yaml.safe_load(value) == value:
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def set_fields(text: str, values: dict[str, str | dt.date], after: dict[str, str] | None = None) -> str:
    """``text`` with each top-level field of ``values`` set (``after``: field → the field a new
    line goes after, when that one is there)."""
    fm = split_front_matter(text)
    if fm is None or not fm.closed:
        raise EditError("the page has no front matter between '---' lines" if fm is None else
                        "the page's front matter is never closed with '---'")
    try:
        root = yaml.compose(fm.text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as e:
        raise EditError(f"the front matter is not valid YAML: {getattr(e, 'problem', e)}") from e
    if root is not None and not isinstance(root, yaml.MappingNode):
        raise EditError("the front matter is not a mapping of 'key: value' lines")
    nodes = {str(k.value): (k, v) for k, v in (root.value if root is not None else [])}
    newline = "\r\n" if "\r\n" in text[:fm.body_start] else "\n"
    spans = [_span(fm.text, fm.start, nodes, name, scalar(value), (after or {}).get(name), newline)
             for name, value in values.items()]
    edited = text
    # from the end, so earlier offsets hold; new lines at one place keep the order of ``values``
    for _, s in sorted(enumerate(spans), key=lambda item: (item[1].start, item[1].end, item[0]), reverse=True):
        edited = edited[:s.start] + s.text + edited[s.end:]
    _check(edited, values)
    return edited


def _span(yaml_text: str, base: int, nodes: dict[str, tuple[yaml.Node, yaml.Node]], name: str, value: str,
          anchor: str | None, newline: str) -> _Span:
    """Where ``name``'s value is written and what replaces it (or where its new line goes)."""
    if name in nodes:
        key, node = nodes[name]
        if isinstance(node, yaml.ScalarNode) and node.value == "" and node.style is None:  # "name:" alone
            colon = yaml_text.index(":", key.end_mark.index)
            return _Span(base + colon + 1, base + colon + 1, " " + value)
        start, end = node.start_mark.index, node.end_mark.index
        kept = newline if yaml_text[start:end].endswith("\n") else ""  # a block scalar ends with its newline
        return _Span(base + start, base + end, value + kept)
    at = _line_after(yaml_text, nodes[anchor][1]) if anchor in nodes else len(yaml_text)
    prefix = newline if at == len(yaml_text) and yaml_text and not yaml_text.endswith("\n") else ""
    return _Span(base + at, base + at, f"{prefix}{name}: {value}{newline}")


def _line_after(yaml_text: str, node: yaml.Node) -> int:
    """The start of the line after a value (a block value's end is already there)."""
    end = node.end_mark.index
    if end > 0 and yaml_text[end - 1] == "\n":
        return end
    line_end = yaml_text.find("\n", end)
    return len(yaml_text) if line_end < 0 else line_end + 1


def _check(edited: str, values: dict[str, str | dt.date]) -> None:
    fm = split_front_matter(edited)
    try:
        data = yaml.safe_load(fm.text) if fm is not None else None
    except yaml.YAMLError as e:
        raise EditError(f"the edited front matter would not be valid YAML: {e}") from e
    if not isinstance(data, dict):
        raise EditError("the edited front matter would not be a mapping")
    wrong = [k for k, v in values.items() if data.get(k) != v]
    if wrong:
        raise EditError("the edited front matter would not read back as written: " + ", ".join(wrong))
