"""The reviewers file: who may be named in a page's ``reviewed_by``.

```yaml
reviewers:
  jsmith:
    name: Dr Jane Smith
    credentials: MBBS, MRCP (Dermatology)
    role: Consultant dermatologist
    conflicts_of_interest: none
```
Each entry needs all four fields; problems are reported at their own ``line:col``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from . import diagnostics as dx

REQUIRED = ("name", "credentials", "role", "conflicts_of_interest")


def read_reviewers(path: Path, rel: str) -> tuple[dict[str, dict[str, Any]], list[dx.Diagnostic]]:
    """``{id: {name, credentials, role, conflicts_of_interest}}`` and the file's problems at
    ``rel:line:col``; an unreadable file gives ``{}`` and a diagnostic."""
    diags: list[dx.Diagnostic] = []

    def err(line: int, col: int, msg: str) -> None:
        diags.append(dx.make(rel, line, col, "reviewers.invalid", msg))

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        err(1, 0, f"cannot read the reviewers file: {e.strerror}")
        return {}, diags
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        err(mark.line + 1 if mark else 1, mark.column + 1 if mark else 1, f"not valid YAML: {getattr(e, 'problem', e)}")
        return {}, diags
    if root is None:
        return {}, diags
    if not isinstance(root, yaml.MappingNode):
        err(root.start_mark.line + 1, root.start_mark.column + 1, "the reviewers file must be a mapping")
        return {}, diags
    entries = root
    for k, v in root.value:
        if k.value == "reviewers":
            entries = v
    if not isinstance(entries, yaml.MappingNode):
        err(entries.start_mark.line + 1, entries.start_mark.column + 1, "'reviewers' must map ids to people")
        return {}, diags
    people: dict[str, dict[str, Any]] = {}
    for k, v in entries.value:
        rid = str(k.value)
        if not isinstance(v, yaml.MappingNode):
            err(v.start_mark.line + 1, v.start_mark.column + 1, f"reviewer '{rid}' must have name, credentials, role "
                "and conflicts_of_interest")
            continue
        fields = {str(fk.value): fv for fk, fv in v.value}
        person = {name: (node.value if isinstance(node, yaml.ScalarNode) else "") for name, node in fields.items()}
        missing = [f for f in REQUIRED if not str(person.get(f, "")).strip()]
        if missing:
            err(k.start_mark.line + 1, k.start_mark.column + 1,
                f"reviewer '{rid}' lacks " + ", ".join(f"'{m}'" for m in missing))
        people[rid] = person
    return people, diags
