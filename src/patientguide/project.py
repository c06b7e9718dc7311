"""The project: which paths are inside it, and where in its config files a value was written.

Every path that a config, a brand or a command names is resolved with :func:`resolve_inside`
(symbolic links followed, even dangling ones) and must land inside the project root, or inside
a narrower folder such as the docs folder. A config value's position is found through the
``INHERIT`` chain (:func:`patientguide.yamlpos.value_position`), so an error points at the line that set it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import diagnostics as dx
from .yamlpos import compose_chain, value_position


class OutsideProject(ValueError):
    """``path`` resolves to ``resolved``, which is not inside ``folder``."""

    def __init__(self, path: Path, resolved: Path, folder: Path, reason: str | None = None) -> None:
        super().__init__(reason or f"'{path}' resolves to '{resolved}', outside '{folder}'")
        self.path, self.resolved, self.folder, self.reason = path, resolved, folder, reason


def real(path: Path) -> Path:
    """``path`` made absolute with every symbolic link followed (a dangling one too)."""
    return Path(os.path.realpath(path))


def is_inside(resolved: Path, folder: Path) -> bool:
    """Whether the resolved ``resolved`` is ``folder`` (resolved) or lies below it."""
    top = real(folder)
    return resolved == top or top in resolved.parents


def resolve_inside(path: Path, folder: Path) -> Path:
    """The one rule for "inside the project": ``path`` with symbolic links resolved, if that is
    ``folder`` or below it; else :class:`OutsideProject`. ``..`` and absolute paths need no
    special case: they are judged by where they lead."""
    if "\0" in str(path):
        raise OutsideProject(path, path, folder, "contains a NUL character, which no file name can")
    resolved = real(path)
    if not is_inside(resolved, folder):
        raise OutsideProject(path, resolved, real(folder))
    return resolved


def outside_message(what: str, written: str, err: OutsideProject, boundary: str = "the project root") -> str:
    """"plugin option 'x' '../a' resolves to '/a', outside the project root '/p'"."""
    written = written.replace("\0", "\\0")
    if err.reason:
        return f"{what} '{written}' {err.reason}"
    where = "is" if str(err.resolved) == written else f"resolves to '{err.resolved}',"
    return f"{what} '{written}' {where} outside {boundary} '{err.folder}'"


# --------------------------------------------------------------------------- the config's own paths

@dataclass(frozen=True, eq=False)  # never compared (its repr keys the kept results): fewer generated methods
class NamedPath:
    """A path a config names: where it is written, what it is called, where it leads."""

    keys: tuple[str, ...]  # ("plugins", "patientguide", "cache_dir")
    name: str  # "plugin option 'cache_dir'"
    written: str  # the value as written
    path: Path  # joined to its base folder, symbolic links not yet followed
    writes: bool = False  # the build writes here (a cache or a generated file)
    marker: str | None = None  # a file the build writes starts with this; any other file there is not ours


def check_config_paths(config_file: Path, root: Path, docs_dir: Path, named: list[NamedPath],
                       rel: Callable[[Path], str], root_keys: tuple[str, ...] | None = None) -> list[dx.Diagnostic]:
    """Every path of ``named`` resolves inside ``root``; nothing the build writes lands in the
    published docs folder. ``root_keys`` names the option that set ``root``, if one did:
    the config file itself must then lie inside it."""
    chain = compose_chain(config_file)
    if root_keys is not None:
        try:
            resolve_inside(config_file, root)
        except OutsideProject:
            path, line, col = value_position(chain, root_keys)
            return [dx.make(rel(path), line, col, "path.outside-project",
                            f"project_root resolves to '{real(root)}', which does not contain '{real(config_file)}'")]
    hint = None if root_keys is not None or len(chain) < 2 else \
        "a brand in brands/<id>/ sets 'project_root: ../..' under 'plugins: patientguide:'"
    diags = []
    for n in named:
        try:
            resolved = resolve_inside(n.path, root)
        except OutsideProject as e:
            path, line, col = value_position(chain, n.keys)
            diags.append(dx.make(rel(path), line, col, "path.outside-project",
                                 outside_message(n.name, n.written, e), hint))
            continue
        if n.writes and is_inside(resolved, docs_dir):
            path, line, col = value_position(chain, n.keys)
            diags.append(dx.make(rel(path), line, col, "path.outside-project",
                                 f"{n.name} '{n.written}' resolves to '{resolved}', inside the docs folder "
                                 f"'{real(docs_dir)}', which is published; the build writes there"))
        elif n.marker is not None and not _written_by_us(resolved, n.marker):
            path, line, col = value_position(chain, n.keys)
            diags.append(dx.make(rel(path), line, col, "path.overwrite",
                                 f"{n.name} '{n.written}' is '{resolved}', which patientguide did not write; "
                                 "the build would replace it", "name a new file, or delete that one"))
    return sorted(diags, key=lambda d: d.sort_key)


def _written_by_us(path: Path, marker: str) -> bool:
    """``path`` does not exist yet, or is a file that starts with ``marker``."""
    if not path.exists():
        return True
    if not path.is_file():
        return False
    try:
        with open(path, "rb") as fh:
            return fh.read(len(marker.encode())) == marker.encode()
    except OSError:
        return False
