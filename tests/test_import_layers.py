"""Threadline's modules import one another without cycles: each layer imports only downward.

The graph is read from the source with ``ast`` (nothing is imported): module-level imports
only, leaving out those inside functions and under ``if TYPE_CHECKING``. A second check
keeps the layers that once imported each other from doing so again, lazily or not."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "threadline"


def _modules() -> dict[str, tuple[Path, bool]]:
    """Dotted name -> (file, is a package's __init__)."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        out[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return out


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(body: list[ast.stmt], *, nested: bool) -> list[ast.Import | ast.ImportFrom]:
    """The import statements run when the module loads (``nested``: also those in functions
    and classes, wherever they are)."""
    if nested:
        tree = ast.Module(body=body, type_ignores=[])
        return [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]
    out: list[ast.Import | ast.ImportFrom] = []
    for stmt in body:
        if isinstance(stmt, ast.Import | ast.ImportFrom):
            out.append(stmt)
        elif isinstance(stmt, ast.If) and not _is_type_checking(stmt):
            out += _imports(stmt.body + stmt.orelse, nested=False)
        elif isinstance(stmt, ast.Try):
            handlers = [s for h in stmt.handlers for s in h.body]
            out += _imports(stmt.body + handlers + stmt.orelse + stmt.finalbody, nested=False)
    return out


def _targets(
    node: ast.Import | ast.ImportFrom, name: str, is_package: bool, modules: dict
) -> set[str]:
    if isinstance(node, ast.Import):
        return {a.name for a in node.names if a.name in modules}
    base = node.module or ""
    if node.level:  # relative: from the module's package, one level up per extra dot
        package = name.split(".") if is_package else name.split(".")[:-1]
        package = package[: len(package) - node.level + 1]
        base = ".".join([*package, base] if base else package)
    out = set()
    for alias in node.names:
        if f"{base}.{alias.name}" in modules:  # from threadline import jobs
            out.add(f"{base}.{alias.name}")
        elif base in modules:
            out.add(base)
    return out


def import_graph(*, nested: bool = False) -> dict[str, set[str]]:
    modules = _modules()
    graph = {}
    for name, (path, is_package) in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        found = set()
        for node in _imports(tree.body, nested=nested):
            found |= _targets(node, name, is_package, modules)
        graph[name] = found - {name}
    return graph


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One cycle as a path (first module repeated at the end), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_the_package_has_no_import_cycle() -> None:
    cycle = find_cycle(import_graph())
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_finder_reports_the_path() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


LAYERS = ("threadline.actions", "threadline.scoring", "threadline.api", "threadline.dashboard")


def _layer(module: str) -> str:
    return next((layer for layer in LAYERS if module.startswith(f"{layer}.")), module)


# Lower layer -> layers it must not import even inside a function: the way around a cycle
# that only hides it. Actions ask jobs for work through threadline.delivery.events.
FORBIDDEN = {
    "threadline.scoring": ("threadline.actions", "threadline.delivery.jobs", "threadline.api"),
    "threadline.actions": ("threadline.delivery.jobs", "threadline.api", "threadline.dashboard"),
    "threadline.api": ("threadline.dashboard",),
}


@pytest.mark.parametrize("lower", sorted(FORBIDDEN))
def test_a_lower_layer_does_not_import_a_higher_one_even_lazily(lower: str) -> None:
    graph = import_graph(nested=True)
    wrong = sorted(
        f"{module} -> {target}"
        for module, targets in graph.items()
        if _layer(module) == lower
        for target in targets
        if _layer(target) in FORBIDDEN[lower]
    )
    assert wrong == []
