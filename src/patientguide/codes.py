"""Every diagnostic code patientguide reports, in one table (``codes.yml``, beside this module).

A code is a stable name (``bib.duplicate-key``) with a default severity, a one-line summary and
whether it is an *integrity* code: integrity codes guard what a patient could be misled or
harmed by (an unknown citation, a broken reference, unsafe HTML) and can never be set below
error. The checks name codes by string; :func:`code` rejects a name that is not in this table,
and a test checks that every code here is emitted somewhere and every emitted code is here.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from pathlib import Path

import yaml

from .yamlpos import FAST_LOADER


class Severity(str, enum.Enum):
    """How serious a diagnostic is. ``ignore`` drops it."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    IGNORE = "ignore"

    @property
    def rank(self) -> int:
        return _RANK[self.value]


_RANK = {"error": 3, "warning": 2, "info": 1, "ignore": 0}


@dataclass(frozen=True, slots=True, eq=False, repr=False)  # never compared or shown: fewer generated methods
class Code:
    name: str
    default: Severity
    summary: str
    integrity: bool = False  # never lowered below error
    per_entry: bool = False  # a problem inside one reference entry: a warning while no page cites it


def _read_table() -> tuple[Code, ...]:
    with open(Path(__file__).with_name("codes.yml"), encoding="utf-8") as fh:  # package data, beside this module
        table = yaml.load(fh, Loader=FAST_LOADER)
    return tuple(Code(name, Severity(row["severity"]), row["summary"], bool(row.get("integrity")),
                      bool(row.get("per_entry"))) for name, row in table.items())


#: Every code, in the order of ``codes.yml``.
CODES: tuple[Code, ...] = _read_table()
BY_NAME: dict[str, Code] = {c.name: c for c in CODES}


def code(name: str) -> Code:
    """The code called ``name``; a name not in :data:`CODES` is a programming error."""
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"'{name}' is not a diagnostic code in patientguide.codes.CODES") from None
