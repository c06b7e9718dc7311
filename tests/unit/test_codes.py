"""The code table is the whole truth: every code in it is reported somewhere, every code the
package reports is in it, and severity settings know every code before any check is imported."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

import patientguide
from patientguide.codes import BY_NAME, CODES, code

PACKAGE = Path(patientguide.__file__).parent


def _reported_codes() -> set[str]:
    """Code names passed to ``make()`` or ``Diagnostic()`` anywhere in the package."""
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            if name in ("make", "Diagnostic"):
                found |= {a.value for a in node.args[:6] if isinstance(a, ast.Constant) and isinstance(a.value, str)
                          and re.fullmatch(r"[a-z]+\.[a-z-]+", a.value)}
    return found


def _all_code_literals() -> set[str]:
    text = "".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py") if p.name != "codes.py")
    return {c.name for c in CODES if f'"{c.name}"' in text}


def test_every_reported_code_is_declared() -> None:
    reported = _reported_codes()
    assert len(reported) > 20  # the scan really finds the calls
    assert reported <= set(BY_NAME), reported - set(BY_NAME)


def test_every_declared_code_is_used() -> None:
    assert _all_code_literals() == set(BY_NAME), set(BY_NAME) - _all_code_literals()


def test_codes_are_unique_and_unknown_names_are_refused() -> None:
    assert len(CODES) == len(BY_NAME)
    with pytest.raises(KeyError, match="not a diagnostic code"):
        code("citation.unknwon-key")


def test_severity_override_needs_no_check_module_imported() -> None:
    """A severity for a code whose check module was never imported is accepted (it used to be
    rejected as an unknown code, because codes were registered when their module was imported)."""
    code_text = ("import sys\n"
                 "from patientguide.diagnostics import SeverityPolicy\n"
                 "sev, problems = SeverityPolicy.validate({'style.long-sentence': 'ignore', 'readability.grade-high': 'error'})\n"
                 "assert not problems, problems\n"
                 "assert not any(m.startswith('patientguide.checks') for m in sys.modules), sorted(sys.modules)\n")
    r = subprocess.run([sys.executable, "-c", code_text], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_check_order_is_the_declared_tuple() -> None:
    """Checks run in the order listed in patientguide.checks, whatever was imported first."""
    code_text = ("import patientguide.checks.glossary, patientguide.checks.safety\n"
                 "from patientguide.checks import PAGE_CHECKS\n"
                 "print(' '.join(c.__name__ for c in PAGE_CHECKS))\n")
    r = subprocess.run([sys.executable, "-c", code_text], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    names = r.stdout.split()
    assert names[0] == "check_raw_html" and names[-1] == "check_glossary_links"
    from patientguide.checks import PAGE_CHECKS
    assert names == [c.__name__ for c in PAGE_CHECKS]
