"""YAML with positions: the one place the core reads YAML files (``mkdocs.yml`` and the files it
``INHERIT``\\ s, the reviewers file, front matter), so every value keeps its ``line:col``.

``mkdocs.yml`` is read without MkDocs: unknown tags (``!ENV``, ``!!python/name:``) load as plain
values, and ``INHERIT:`` is followed (relative to the file that names it) with mappings
deep-merged as MkDocs does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple, TypeVar

import yaml

#: libyaml keeps marks and is about ten times faster; PyYAML's own loader where it is missing.
FAST_LOADER: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlError(Exception):
    """A YAML file that cannot be read: ``path:line:col: problem``."""


def position(node: yaml.Node) -> tuple[int, int]:
    """1-based ``(line, col)`` of a node."""
    return node.start_mark.line + 1, node.start_mark.column + 1


def error_position(e: yaml.YAMLError) -> tuple[int, int] | None:
    mark = getattr(e, "problem_mark", None)
    return (mark.line + 1, mark.column + 1) if mark else None


def error_problem(e: yaml.YAMLError) -> str:
    return str(getattr(e, "problem", None) or e)


def compose(text: str) -> yaml.Node | None:
    """The node tree of a YAML text (raises ``yaml.YAMLError``)."""
    return yaml.compose(text, Loader=FAST_LOADER)


def child(node: yaml.Node | None, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    """``(key node, value node)`` of ``key`` in a mapping node; in a list (MkDocs' plugin list),
    the item ``key`` or ``{key: ...}`` counts as the key too."""
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return k, v
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if isinstance(item, yaml.ScalarNode) and item.value == key:
                return item, item
            found = child(item, key) if isinstance(item, yaml.MappingNode) else None
            if found:
                return found
    return None


def is_null(node: yaml.Node | None) -> bool:
    return node is None or (isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null"))


# --- mkdocs.yml and its INHERIT chain -----------------------------------------------------
T = TypeVar("T")


def leaves(data: Any, kind: type[T]) -> Iterator[T]:
    """Every value of type ``kind`` in YAML loaded as plain data (nested mappings and lists), in order."""
    if isinstance(data, kind):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from leaves(value, kind)
    elif isinstance(data, list):
        for item in data:
            yield from leaves(item, kind)


class PythonRef(NamedTuple):
    """A ``!!python/name:`` or ``!!python/object/apply:`` value, kept by name: reading a config
    never imports anything (``anchors`` resolves the toc's ``slugify`` when it needs it)."""

    name: str
    call: bool = False  # object/apply: call ``name`` with these arguments
    args: tuple = ()
    kwds: tuple[tuple[str, Any], ...] = ()


class _TolerantLoader(yaml.SafeLoader):
    """SafeLoader that keeps unknown tags as plain values instead of failing."""


def _unknown_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        return os.environ.get(str(value)) if suffix in ("ENV", "!ENV") else value
    if isinstance(node, yaml.SequenceNode):
        seq = loader.construct_sequence(node, deep=True)
        if suffix in ("ENV", "!ENV") and seq:
            return next((os.environ[str(n)] for n in seq[:-1] if os.environ.get(str(n)) is not None), seq[-1])
        return seq
    return loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]


def _python_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    """``!!python/name:x`` and ``!!python/object/apply:x`` become :class:`PythonRef` (never imported here)."""
    if suffix.startswith("name:"):
        return PythonRef(suffix[5:])
    if not suffix.startswith("object/apply:"):
        return _unknown_tag(loader, suffix, node)
    args: Any = ()
    kwds: Any = {}
    if isinstance(node, yaml.SequenceNode):
        args = loader.construct_sequence(node, deep=True)
    elif isinstance(node, yaml.MappingNode):
        value = loader.construct_mapping(node, deep=True)
        args, kwds = value.get("args", ()), value.get("kwds", {})
    return PythonRef(suffix[13:], True, tuple(args or ()), tuple(sorted((kwds or {}).items())))


_TolerantLoader.add_multi_constructor("!", _unknown_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _python_tag)


class ConfigFile(NamedTuple):
    """One file of an ``INHERIT`` chain, with its node tree (``None`` if it could not be read)."""

    path: Path
    root: yaml.Node | None

    def data(self) -> dict:
        if self.root is None:
            return {}
        value = _TolerantLoader("").construct_document(self.root)
        return value if isinstance(value, dict) else {}


def compose_chain(config_file: Path) -> list[ConfigFile]:
    """Like :func:`config_chain`, but a file that cannot be read is kept with no node tree (for
    readers of positions, once the config reader has reported the problem)."""
    chain: list[ConfigFile] = []
    path: Path | None = config_file.resolve()
    while path is not None and all(f.path != path for f in chain):
        try:
            root = _compose_file(path)
        except YamlError:
            root = None
        chain.append(ConfigFile(path, root))
        path = _parent(path, root)
    return list(reversed(chain))


def _parent(path: Path, root: yaml.Node | None) -> Path | None:
    parent = child(root, "INHERIT")
    return (path.parent / str(parent[1].value)).resolve() if parent and isinstance(parent[1], yaml.ScalarNode) else None


def config_chain(config_file: Path) -> list[ConfigFile]:
    """The files of ``config_file``'s ``INHERIT`` chain, from the top parent down to it.

    Raises :class:`YamlError` for a file that cannot be read, is not YAML or not a mapping,
    and for a chain that loops.
    """
    chain: list[ConfigFile] = []
    path: Path | None = config_file.resolve()
    while path is not None:
        if any(f.path == path for f in chain):
            raise YamlError(f"{path}: INHERIT loops back to itself")
        root = _compose_file(path)
        chain.append(ConfigFile(path, root))
        path = _parent(path, root)
    return list(reversed(chain))


def _compose_file(path: Path) -> yaml.Node | None:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as e:
        raise YamlError(f"cannot read config file '{path}': {e.strerror}") from e
    except UnicodeDecodeError as e:
        raise YamlError(f"{path}: not UTF-8 text (byte {e.start})") from e
    try:
        root = compose(text)
    except yaml.YAMLError as e:
        at = error_position(e)
        where = f"{path}:{at[0]}:{at[1]}" if at else str(path)
        raise YamlError(f"{where}: invalid YAML: {error_problem(e)}") from e
    if root is not None and not isinstance(root, yaml.MappingNode):
        raise YamlError(f"{path}: the config must be a mapping")
    return root


def merged(chain: list[ConfigFile]) -> dict:
    """The chain's settings as MkDocs sees them: each file deep-merged over its parent."""
    data: dict = {}
    for f in chain:
        data = _merge(data, f.data())
    data.pop("INHERIT", None)
    return data


def _merge(parent: Any, child_value: Any) -> Any:
    if isinstance(parent, dict) and isinstance(child_value, dict):
        out = dict(parent)
        for k, v in child_value.items():
            out[k] = _merge(parent[k], v) if k in parent else v
        return out
    return child_value


def value_position(chain: list[ConfigFile], keys: tuple[str, ...]) -> tuple[Path, int, int]:
    """Where ``keys`` (e.g. ``("plugins", "patientguide", "cache_dir")``) was set: the value's
    position in the nearest file of the chain that sets it; else the deepest enclosing key that
    is written (``patientguide:``); else the start of the config file."""
    best: tuple[int, Path, yaml.Node | None] = (0, chain[-1].path if chain else Path("mkdocs.yml"), None)
    for path, root in reversed(chain):
        depth, at = _find(root, keys)
        if depth == len(keys) and at is not None:
            return (path, *position(at))
        if depth > best[0]:
            best = (depth, path, at)
    return (best[1], *position(best[2])) if best[2] is not None else (best[1], 1, 1)


def key_position(chain: list[ConfigFile], keys: tuple[str, ...]) -> tuple[Path, int, int] | None:
    """Where the key at the end of ``keys`` is written in the nearest file that sets it."""
    for path, root in reversed(chain):
        depth, at = _find(root, keys, key=True)
        if depth == len(keys) and at is not None:
            return (path, *position(at))
    return None


def _find(root: yaml.Node | None, keys: tuple[str, ...], key: bool = False) -> tuple[int, yaml.Node | None]:
    """How many of ``keys`` are written under ``root``, and the node to point at: the value (or
    its key) when all are, else the deepest key that is."""
    node, at = root, None
    for depth, name in enumerate(keys, 1):
        found = child(node, name)
        if found is None:
            return depth - 1, at
        node = found[1]
        at = found[1] if depth == len(keys) and not key else found[0]
    return len(keys), at
