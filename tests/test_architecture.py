"""The package's shape: the core never imports MkDocs (only mkdocs_plugin.py may), and no two
modules import each other, directly or in a loop."""

from __future__ import annotations

import ast
import pkgutil
import subprocess
import sys
from pathlib import Path

import patientguide

PACKAGE = Path(patientguide.__file__).parent
CORE = sorted(m.name.removeprefix("patientguide.") for m in pkgutil.walk_packages(patientguide.__path__, "patientguide.")
              if m.name != "patientguide.mkdocs_plugin")


def test_core_modules_import_without_mkdocs() -> None:
    code = ("import sys; sys.modules['mkdocs'] = None; sys.modules['material'] = None\n"
            + "".join(f"import patientguide.{m}\n" for m in CORE)
            + "from patientguide.cli import main\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert "checks.site" in CORE and "citations" in CORE


def test_cli_check_runs_without_mkdocs(tmp_path) -> None:
    """The CLI's whole check path works with MkDocs made unimportable."""
    from conftest import make_site
    site = make_site(tmp_path)
    code = ("import sys; sys.modules['mkdocs'] = None; sys.modules['material'] = None\n"
            "from patientguide.cli import main; sys.exit(main(['check', '--today', '2026-11-24']))\n")
    r = subprocess.run([sys.executable, "-c", code], cwd=site.root, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Modules of the package that ``path`` imports (at any level, except under TYPE_CHECKING),
    each with the packages Python imports on the way."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for n in ast.walk(node)}
    out: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skip or not isinstance(node, ast.ImportFrom) or not node.level:
            continue
        base = package.split(".") if package else []
        base = base[:len(base) - (node.level - 1)] if node.level > 1 else base
        target = ".".join(base + (node.module.split(".") if node.module else []))
        for alias in node.names:
            full = f"{target}.{alias.name}" if target else alias.name
            out.add(full if (PACKAGE / full.replace(".", "/")).with_suffix(".py").exists() else target)
    closure = set()
    for t in out:
        parts = t.split(".")
        closure |= {".".join(parts[:i]) for i in range(1, len(parts) + 1)}
    # a module's own packages are already being imported when it runs: importing a sibling
    # adds no edge back to them (importing a name from one does: that is in ``out``)
    own = {".".join(name.split(".")[:i]) for i in range(1, name.count(".") + 1)}
    return {t for t in closure if t and t != name and (t not in own or t in out)}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for m in sorted(graph.get(n, ())):
            if state.get(m) == 1:
                return stack[stack.index(m):] + [m]
            if m not in state and (found := visit(m)):
                return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state and (found := visit(n)):
            return found
    return None


def test_no_import_cycles() -> None:
    graph = {_module_name(p): _imports(p) for p in PACKAGE.rglob("*.py")}
    assert graph["checks.site"] >= {"checks", "checks.safety"}  # the graph is really read
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


#: The longest a function may be (its def line to its last line): one job each.
MAX_FUNCTION_LINES = 50


def long_functions(source: str, limit: int = MAX_FUNCTION_LINES) -> list[tuple[str, int]]:
    """``(name, lines)`` of every function (methods and nested ones too) longer than ``limit``."""
    import ast

    return [(n.name, n.end_lineno - n.lineno + 1) for n in ast.walk(ast.parse(source))
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.end_lineno - n.lineno + 1 > limit]


def test_no_function_is_longer_than_fifty_lines() -> None:
    found = {f"{p.relative_to(PACKAGE.parent)}: {name} ({lines} lines)"
             for p in PACKAGE.rglob("*.py") for name, lines in long_functions(p.read_text(encoding="utf-8"))}
    assert not found, "split these functions: " + "; ".join(sorted(found))


def test_long_function_finder_counts_lines() -> None:
    body = "\n".join(f"    x{i} = {i}" for i in range(49))
    assert long_functions(f"def ok():\n{body}\n") == []  # 50 lines with its def
    method = "\n".join("    " + line for line in body.splitlines())
    assert long_functions(f"class A:\n    def long(self):\n{method}\n        y = 0\n") == [("long", 51)]
