"""Page front matter: a typed schema with positions, and review-date rules.

YAML is composed (not just loaded) so that every key and value keeps its line and column;
an error about ``next_review_due`` points at that field's own line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Callable

import yaml

from . import diagnostics as dx
from .diagnostics import Diagnostic
from .source import SourceFile, split_front_matter

REVIEW_OVERDUE = dx.register("review.overdue", dx.Severity.WARNING, "the page's next review date has passed")
REVIEW_FUTURE = dx.register("review.in-future", dx.Severity.ERROR, "last_reviewed is after today")
REVIEW_ORDER = dx.register("review.bad-interval", dx.Severity.ERROR,
                           "next_review_due is not after last_reviewed, or too far after it")
REVIEW_INCOMPLETE = dx.register("review.incomplete", dx.Severity.ERROR,
                                "a page marked reviewed lacks its reviewer or dates")
REVIEW_DRAFT = dx.register("review.draft", dx.Severity.INFO, "the page is a draft, not yet reviewed by a clinician")
REVIEW_UNKNOWN_REVIEWER = dx.register("review.unknown-reviewer", dx.Severity.ERROR,
                                      "reviewed_by names no one in the reviewers file")

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



_COMPOSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml keeps marks and is ~10x faster


def _construct(node: yaml.Node, loader: yaml.SafeLoader) -> Any:
    return loader.construct_object(node, deep=True)


def parse_front_matter(src: SourceFile) -> tuple[PageMeta, list[Diagnostic]]:
    """Front matter → :class:`PageMeta` plus diagnostics (bad YAML, not a mapping, unclosed)."""
    fm = split_front_matter(src.text)
    meta = PageMeta()
    if fm is None:
        return meta, []
    meta.has_front_matter = True
    meta.body_start = fm.body_start
    diags: list[Diagnostic] = []
    yaml_line, _ = src.position(fm.start)
    if not fm.closed:
        diags.append(dx.make(src.path, 1, 1, dx.FRONTMATTER_UNCLOSED,
                             "front matter starts with '---' but has no closing '---'"))
        meta.invalid = True
        return meta, diags
    try:
        node = yaml.compose(fm.text, Loader=_COMPOSER)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = yaml_line + (mark.line if mark else 0)
        col = (mark.column + 1) if mark else 1
        problem = getattr(e, "problem", None) or str(e)
        diags.append(dx.make(src.path, line, col, dx.FRONTMATTER_INVALID,
                             f"front matter is not valid YAML: {problem}"))
        meta.invalid = True
        return meta, diags
    if node is None:
        return meta, diags
    if not isinstance(node, yaml.MappingNode):
        diags.append(dx.make(src.path, yaml_line + node.start_mark.line, node.start_mark.column + 1,
                             dx.FRONTMATTER_INVALID, "front matter must be a mapping of 'key: value' lines"))
        meta.invalid = True
        return meta, diags
    loader = yaml.SafeLoader("")
    for knode, vnode in node.value:
        key = str(knode.value)
        kpos = (yaml_line + knode.start_mark.line, knode.start_mark.column + 1)
        vpos = (yaml_line + vnode.start_mark.line, vnode.start_mark.column + 1)
        if key in meta.values:
            diags.append(dx.make(src.path, *kpos, dx.FRONTMATTER_INVALID,
                                 f"front-matter field '{key}' is set more than once"))
            continue
        try:
            value = _construct(vnode, loader)
        except (yaml.YAMLError, ValueError, TypeError, OverflowError) as e:
            if isinstance(vnode, yaml.ScalarNode):
                value = vnode.value  # e.g. an impossible date such as 2026-13-45: the type check reports it
            else:
                diags.append(dx.make(src.path, *vpos, dx.FRONTMATTER_BAD_TYPE,
                                     f"front-matter field '{key}' has a value YAML cannot read: {getattr(e, 'problem', e)}"))
                continue
        meta.values[key] = value
        meta.positions[key] = vpos
        meta.positions["@" + key] = kpos
        if isinstance(vnode, yaml.SequenceNode):  # each item's own position: "summary[0]", …
            for i, item in enumerate(vnode.value):
                meta.positions[f"{key}[{i}]"] = (yaml_line + item.start_mark.line, item.start_mark.column + 1)
    return meta, diags


def _check_type(key: str, spec: FieldSpec, value: Any, path: str, pos: tuple[int, int]) -> tuple[Any, Diagnostic | None]:
    def bad(msg: str, code: str = dx.FRONTMATTER_BAD_TYPE, hint: str | None = None) -> tuple[Any, Diagnostic]:
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
        return bad(f"'{key}' must be a date written YYYY-MM-DD, got {_describe(value)}", dx.FRONTMATTER_BAD_DATE)
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


def _add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def check_meta(meta: PageMeta, path: str, *, today: dt.date, max_years: int = 3,
               require_review: bool = False, reviewers: dict[str, Any] | None = None,
               is_content_page: bool = True) -> list[Diagnostic]:
    """Schema and review-date rules for one page's front matter (mutates values to typed ones)."""
    diags: list[Diagnostic] = []
    for key in list(meta.values):
        spec = SCHEMA.get(key)
        if spec is None:
            hint = dx.did_you_mean(key, SCHEMA)
            diags.append(dx.make(path, *meta.pos("@" + key), dx.FRONTMATTER_UNKNOWN_FIELD,
                                 f"unknown front-matter field '{key}'", hint))
            continue
        value, problem = _check_type(key, spec, meta.values[key], path, meta.pos(key))
        if problem:
            diags.append(problem)
            del meta.values[key]
        else:
            meta.values[key] = value
    if not is_content_page:
        return diags
    bad = {d.message.split("'")[1] for d in diags if d.code in (dx.FRONTMATTER_BAD_TYPE, dx.FRONTMATTER_BAD_DATE)}
    missing = [] if meta.invalid else [k for k, s in SCHEMA.items()
                                       if s.required and k not in meta.values and k not in bad]
    if missing:
        diags.append(dx.make(path, 1, 1, dx.FRONTMATTER_MISSING_FIELD,
                             "front matter lacks " + ", ".join(f"'{k}'" for k in missing)))
    last, nxt = meta.get("last_reviewed"), meta.get("next_review_due")
    status = meta.get("status")
    if isinstance(last, dt.date) and last > today:
        diags.append(dx.make(path, *meta.pos("last_reviewed"), REVIEW_FUTURE,
                             f"last_reviewed {last.isoformat()} is after today ({today.isoformat()})"))
    if isinstance(last, dt.date) and isinstance(nxt, dt.date):
        limit = _add_years(last, max_years)
        if nxt <= last:
            diags.append(dx.make(path, *meta.pos("next_review_due"), REVIEW_ORDER,
                                 f"next_review_due {nxt.isoformat()} is not after last_reviewed {last.isoformat()}"))
        elif nxt > limit:
            diags.append(dx.make(path, *meta.pos("next_review_due"), REVIEW_ORDER,
                                 f"next_review_due {nxt.isoformat()} is more than {max_years} years after "
                                 f"last_reviewed {last.isoformat()}", f"review by {limit.isoformat()} at the latest"))
    if isinstance(nxt, dt.date) and nxt < today:
        who = meta.get("reviewed_by")
        by = f" by '{who}'" if who else ""
        when = f" (reviewed {last.isoformat()}{by})" if isinstance(last, dt.date) else ""
        diags.append(dx.make(path, *meta.pos("next_review_due"), REVIEW_OVERDUE,
                             f"next_review_due {nxt.isoformat()} has passed{when}"))
    reviewer = meta.get("reviewed_by")
    if reviewer is not None and reviewers is not None and reviewer not in reviewers:
        diags.append(dx.make(path, *meta.pos("reviewed_by"), REVIEW_UNKNOWN_REVIEWER,
                             f"reviewed_by '{reviewer}' is not in the reviewers file",
                             dx.did_you_mean(str(reviewer), reviewers)))
    if status == "reviewed":
        lacking = [k for k in ("reviewed_by", "last_reviewed", "next_review_due") if k not in meta.values]
        if lacking:
            diags.append(dx.make(path, *meta.pos("status"), REVIEW_INCOMPLETE,
                                 "status 'reviewed' needs " + ", ".join(f"'{k}'" for k in lacking)))
    elif status == "draft":
        d = dx.make(path, *meta.pos("status"), REVIEW_DRAFT, "page is a draft, not yet reviewed by a clinician")
        if require_review:
            d = dx.Diagnostic(d.path, d.line, d.col, dx.Severity.ERROR, d.code,
                              "page is a draft, and this build requires every page to be reviewed")
        diags.append(d)
    return diags
