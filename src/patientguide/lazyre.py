"""Regular expressions compiled when first used, not when their module is imported: a check whose
results all come from the cache (``patientguide check`` with nothing changed) imports the
parsers but never runs them, and compiling their patterns was a tenth of its time."""

from __future__ import annotations

import re
from typing import Any, cast

#: What a compiled pattern offers besides ``pattern``: bound to the instance at the first use, so
#: later calls cost what calls on the compiled pattern cost.
_FORWARDED = ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split", "scanner",
              "flags", "groups", "groupindex")


class _Pattern:
    def __init__(self, pattern: str, flags: int) -> None:
        self.pattern = pattern  # as re.Pattern.pattern: read without compiling
        self._flags = flags

    def __getattr__(self, name: str) -> Any:
        compiled = re.compile(self.pattern, self._flags)
        for attr in _FORWARDED:
            setattr(self, attr, getattr(compiled, attr))
        return getattr(compiled, name)


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:  # noqa: A001 - as re.compile
    """``re.compile(pattern, flags)``, done at the first search, match, sub … on it."""
    return cast("re.Pattern[str]", _Pattern(pattern, flags))
