"""Page front matter: a typed schema with positions.

YAML is composed (not just loaded) so that every key and value keeps its line and column;
an error about ``next_review_due`` points at that field's own line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import yaml

from . import diagnostics as dx
from . import yamlpos
from .diagnostics import Diagnostic
from .source import SourceFile, split_front_matter

STATUSES = ("draft", "reviewed")
AUDIENCES = ("patient", "carer", "professional", "general")


@dataclass(frozen=True)
class FieldSpec:
    kind: str  # str, date, list[str], bool, enum
    required: bool = False
    choices: tuple[str, ...] = ()


SCHEMA: dict[str, FieldSpec] = {
    "title": FieldSpec("str", True),
    "description": FieldSpec("str", True),
    "summary": FieldSpec("list[str]", True),
    "audience": FieldSpec("enum", True, AUDIENCES),
    "last_reviewed": FieldSpec("date", True),
    "next_review_due": FieldSpec("date", True),
    "status": FieldSpec("enum", True, STATUSES),
    "reviewed_by": FieldSpec("str"),
    "review_fingerprint": FieldSpec("str"),  # written by `patientguide sign-off` (review_state.py)
    "published": FieldSpec("bool"),
    "readability_exempt": FieldSpec("str"),
    "evidence_exempt": FieldSpec("str"),
    "lang": FieldSpec("str"),
    "translation_of": FieldSpec("str"),
    "translated_by": FieldSpec("str"),
    # MkDocs and Material's own keys, accepted as they are
    "template": FieldSpec("any"), "hide": FieldSpec("any"), "icon": FieldSpec("any"),
    "tags": FieldSpec("any"), "search": FieldSpec("any"), "subtitle": FieldSpec("any"),
    "robots": FieldSpec("any"),
}


@dataclass
class PageMeta:
    """Parsed, typed front matter; ``positions`` maps each key to its value's (line, col)."""

    values: dict[str, Any] = field(default_factory=dict)
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    has_front_matter: bool = False
    body_start: int = 0
    invalid: bool = False  # the front matter could not be read (already reported)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def pos(self, key: str) -> tuple[int, int]:
        return self.positions.get(key, (1, 1))



def parse_front_matter(src: SourceFile) -> tuple[PageMeta, list[Diagnostic]]:
    """Front matter → :class:`PageMeta` plus diagnostics (bad YAML, not a mapping, unclosed)."""
    fm = split_front_matter(src.text)
    meta = PageMeta()
    if fm is None:
        return meta, []
    meta.has_front_matter, meta.body_start = True, fm.body_start
    if not fm.closed:
        meta.invalid = True
        return meta, [dx.make(src.path, 1, 1, "frontmatter.unclosed",
                              "front matter starts with '---' but has no closing '---'")]
    first_line = src.position(fm.start)[0]
    node, problem = _compose(fm.text, src.path, first_line)
    if problem or not isinstance(node, yaml.MappingNode):
        meta.invalid = problem is not None
        return meta, [problem] if problem else []
    return meta, _read_fields(meta, node, src.path, first_line)


def _compose(text: str, path: str, first_line: int) -> tuple[yaml.Node | None, Diagnostic | None]:
    """The front matter's node tree, or the problem that stops it being read as a mapping."""
    try:
        node = yamlpos.compose(text)
    except yaml.YAMLError as e:
        line, col = yamlpos.error_position(e) or (1, 1)
        return None, dx.make(path, first_line + line - 1, col, "frontmatter.invalid",
                             f"front matter is not valid YAML: {yamlpos.error_problem(e)}")
    if node is not None and not isinstance(node, yaml.MappingNode):
        line, col = yamlpos.position(node)
        return None, dx.make(path, first_line + line - 1, col, "frontmatter.invalid",
                             "front matter must be a mapping of 'key: value' lines")
    return node, None


def _read_fields(meta: PageMeta, node: yaml.MappingNode, path: str, first_line: int) -> list[Diagnostic]:
    """Each field's value and position (an item of a list keeps its own: ``summary[0]``)."""
    diags: list[Diagnostic] = []
    loader = yaml.SafeLoader("")

    def at(n: yaml.Node) -> tuple[int, int]:
        line, col = yamlpos.position(n)
        return first_line + line - 1, col

    for knode, vnode in node.value:
        key = str(knode.value)
        if key in meta.values:
            diags.append(dx.make(path, *at(knode), "frontmatter.invalid",
                                 f"front-matter field '{key}' is set more than once"))
            continue
        try:
            value = loader.construct_object(vnode, deep=True)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as e:
            if not isinstance(vnode, yaml.ScalarNode):
                diags.append(dx.make(path, *at(vnode), "frontmatter.bad-type",
                                     f"front-matter field '{key}' has a value YAML cannot read: "
                                     f"{getattr(e, 'problem', e)}"))
                continue
            value = vnode.value  # e.g. an impossible date such as 2026-13-45: the type check reports it
        meta.values[key], meta.positions[key], meta.positions["@" + key] = value, at(vnode), at(knode)
        if isinstance(vnode, yaml.SequenceNode):
            for i, item in enumerate(vnode.value):
                meta.positions[f"{key}[{i}]"] = at(item)
    return diags


def _check_type(key: str, spec: FieldSpec, value: Any, path: str,
                pos: tuple[int, int]) -> tuple[Any, Diagnostic | None]:
    def bad(msg: str, code: str = "frontmatter.bad-type", hint: str | None = None) -> tuple[Any, Diagnostic]:
        return None, dx.make(path, *pos, code, msg, hint)

    if spec.kind == "any":
        return value, None
    if spec.kind == "str":
        if not isinstance(value, str) or not value.strip():
            return bad(f"'{key}' must be a non-empty text, got {_describe(value)}")
        return value, None
    if spec.kind == "bool":
        if not isinstance(value, bool):
            return bad(f"'{key}' must be true or false, got {_describe(value)}")
        return value, None
    if spec.kind == "list[str]":
        if isinstance(value, str) and value.strip():
            return [value], None
        if not isinstance(value, list) or not value or not all(isinstance(v, str) and v.strip() for v in value):
            return bad(f"'{key}' must be a list of short texts, got {_describe(value)}")
        return value, None
    if spec.kind == "enum":
        if not isinstance(value, str) or value not in spec.choices:
            hint = dx.did_you_mean(str(value), spec.choices)
            return bad(f"'{key}' must be one of {', '.join(spec.choices)}, got {_describe(value)}", hint=hint)
        return value, None
    if spec.kind == "date":
        if isinstance(value, dt.datetime):
            return value.date(), None
        if isinstance(value, dt.date):
            return value, None
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip()), None
            except ValueError:
                pass
        return bad(f"'{key}' must be a date written YYYY-MM-DD, got {_describe(value)}", "frontmatter.bad-date")
    return value, None


def _describe(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, (list, dict)):
        return "a list" if isinstance(value, list) else "a mapping"
    return f"'{value}'"


def read_front_matter(src: SourceFile, *, is_content_page: bool = True) -> tuple[PageMeta, list[Diagnostic]]:
    """Parse and type one page's front matter: unknown fields, wrong types and (on content
    pages) missing required fields are diagnostics; values become typed (dates are dates)."""
    meta, diags = parse_front_matter(src)
    diags += _type_fields(meta, src.path)
    if is_content_page and not meta.invalid:
        diags += _missing_fields(meta, src.path, diags)
    return meta, diags


def _type_fields(meta: PageMeta, path: str) -> list[Diagnostic]:
    diags: list[Diagnostic] = []
    for key in list(meta.values):
        spec = SCHEMA.get(key)
        if spec is None:
            hint = dx.did_you_mean(key, SCHEMA)
            diags.append(dx.make(path, *meta.pos("@" + key), "frontmatter.unknown-field",
                                 f"unknown front-matter field '{key}'", hint))
            continue
        value, problem = _check_type(key, spec, meta.values[key], path, meta.pos(key))
        if problem:
            diags.append(problem)
            del meta.values[key]
        else:
            meta.values[key] = value
    return diags


def _missing_fields(meta: PageMeta, path: str, found: list[Diagnostic]) -> list[Diagnostic]:
    bad = {d.message.split("'")[1] for d in found if d.code in ("frontmatter.bad-type", "frontmatter.bad-date")}
    missing = [k for k, s in SCHEMA.items() if s.required and k not in meta.values and k not in bad]
    if not missing:
        return []
    lacks = ", ".join(f"'{k}'" for k in missing)
    return [dx.make(path, 1, 1, "frontmatter.missing-field", f"front matter lacks {lacks}")]
