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
from . import yamlpos

REQUIRED = ("name", "credentials", "role", "conflicts_of_interest")


def read_reviewers(path: Path, rel: str) -> tuple[dict[str, dict[str, Any]], list[dx.Diagnostic]]:
    """``{id: {name, credentials, role, conflicts_of_interest}}`` and the file's problems at
    ``rel:line:col``; an unreadable file gives ``{}`` and a diagnostic."""
    try:
        root = yamlpos.compose(path.read_text(encoding="utf-8"))
    except OSError as e:
        return {}, [dx.make(rel, 1, 0, "reviewers.invalid", f"cannot read the reviewers file: {e.strerror}")]
    except yaml.YAMLError as e:
        line, col = yamlpos.error_position(e) or (1, 1)
        return {}, [dx.make(rel, line, col, "reviewers.invalid", f"not valid YAML: {yamlpos.error_problem(e)}")]
    if root is None:
        return {}, []
    if not isinstance(root, yaml.MappingNode):
        return {}, [dx.make(rel, *yamlpos.position(root), "reviewers.invalid", "the reviewers file must be a mapping")]
    found = yamlpos.child(root, "reviewers")
    entries = found[1] if found else root
    if not isinstance(entries, yaml.MappingNode):
        return {}, [dx.make(rel, *yamlpos.position(entries), "reviewers.invalid", "'reviewers' must map ids to people")]
    people: dict[str, dict[str, Any]] = {}
    diags: list[dx.Diagnostic] = []
    for k, v in entries.value:
        person, problem = _person(str(k.value), k, v, rel)
        if person is not None:
            people[str(k.value)] = person
        diags += [problem] if problem else []
    return people, diags


def _person(rid: str, key: yaml.Node, node: yaml.Node, rel: str) -> tuple[dict[str, Any] | None, dx.Diagnostic | None]:
    if not isinstance(node, yaml.MappingNode):
        return None, dx.make(rel, *yamlpos.position(node), "reviewers.invalid",
                             f"reviewer '{rid}' must have name, credentials, role and conflicts_of_interest")
    person = {str(fk.value): (fv.value if isinstance(fv, yaml.ScalarNode) else "") for fk, fv in node.value}
    missing = [f for f in REQUIRED if not str(person.get(f, "")).strip()]
    if missing:
        return person, dx.make(rel, *yamlpos.position(key), "reviewers.invalid",
                               f"reviewer '{rid}' lacks " + ", ".join(f"'{m}'" for m in missing))
    return person, None
