"""The layer rule of `experiments/`: imports point down only, and no import circle.

Layers, bottom to top (docs/architecture.md): `paths`; `spec`; `store`; `run`
and `calibrate`; `claims` (reads only stored results, so never imports `run`);
`present`; and on top `cli`, `__main__` and the package's `__init__`. Every
import counts, also one inside a function or under `TYPE_CHECKING`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = "experiments"
PACKAGE_DIR = Path(__file__).resolve().parents[1] / PACKAGE

# layer -> the layers its modules may import (its own included)
ALLOWED = {
    "paths": {"paths"},
    "spec": {"paths", "spec"},
    "store": {"paths", "spec", "store"},
    "run": {"paths", "spec", "store", "run"},
    "calibrate": {"paths", "spec", "store", "run", "calibrate"},
    "claims": {"paths", "spec", "store", "claims"},
    "present": {"paths", "spec", "store", "run", "calibrate", "claims", "present"},
    "top": {"paths", "spec", "store", "run", "calibrate", "claims", "present", "top"},
}
TOP = {PACKAGE, f"{PACKAGE}.cli", f"{PACKAGE}.__main__"}


def layer_of(module: str) -> str:
    """The layer of an `experiments` module (dotted name)."""
    if module in TOP:
        return "top"
    parts = module.split(".")
    if parts[0] != PACKAGE or len(parts) < 2 or parts[1] not in ALLOWED:
        raise ValueError(f"{module}: in no layer; add it to ALLOWED and docs/architecture.md")
    return parts[1]


def module_name(path: Path, root: Path) -> str:
    """The dotted name of a source file under `root` (the folder holding the package)."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(source: str, module: str, modules: set[str]) -> set[str]:
    """The `experiments` modules (from `modules`) or names that `source` imports.

    `from experiments.present import charts` counts as importing
    `experiments.present.charts`; `from experiments import load_results`
    counts as importing the package itself (the top layer). A module with
    modules below it is a package (its `__init__`).
    """
    is_package = any(other.startswith(f"{module}.") for other in modules)
    package = module if is_package else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            names = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        else:
            continue
        found |= {name for name in names if name == PACKAGE or name.startswith(f"{PACKAGE}.")}
    return found


def import_graph(sources: dict[str, str]) -> dict[str, set[str]]:
    """Module -> the `experiments` modules it imports, from module name -> source."""
    modules = set(sources)
    return {name: imports_of(source, name, modules) - {name} for name, source in sources.items()}


def layer_violations(graph: dict[str, set[str]]) -> list[str]:
    """Every import that points up or sideways across layers."""
    return sorted(
        f"{module} ({layer_of(module)}) imports {target} ({layer_of(target)})"
        for module, targets in graph.items()
        for target in targets
        if layer_of(target) not in ALLOWED[layer_of(module)]
    )


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import circle among the modules, as a path that ends where it starts, or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt in TOP or nxt not in graph:
                continue  # the package's __init__ runs before anything inside it; not an edge
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


def package_sources() -> dict[str, str]:
    """Module name -> source of every module of the installed-from-checkout package."""
    root = PACKAGE_DIR.parent
    return {
        module_name(path, root): path.read_text(encoding="utf-8")
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
    }


def test_every_module_is_in_a_layer():
    for module in package_sources():
        layer_of(module)


def test_imports_point_down_only():
    assert layer_violations(import_graph(package_sources())) == []


def test_no_import_cycle():
    assert find_cycle(import_graph(package_sources())) is None


def test_the_checks_can_fail():
    sources = {
        "experiments": "from experiments.run.runner import run_experiment\n",
        "experiments.paths": "",
        "experiments.spec.schema": "",
        "experiments.spec.loader": (
            "from experiments.spec import schema\n"
            "def f():\n    from experiments.run.runner import go\n"  # up, inside a function
        ),
        "experiments.store.writer": "from experiments import load_results\n",  # the top layer
        "experiments.run.runner": "from experiments.spec.loader import x\n",
        "experiments.claims.assess": "import experiments.run.runner\n",  # claims never import run
        "experiments.present.charts": "from . import report\n",
        "experiments.present.report": "from .charts import draw\n",
    }
    graph = import_graph(sources)
    assert graph["experiments.spec.loader"] == {"experiments.spec.schema", "experiments.run.runner"}
    assert graph["experiments.present.charts"] == {"experiments.present.report"}
    assert layer_violations(graph) == [
        "experiments.claims.assess (claims) imports experiments.run.runner (run)",
        "experiments.spec.loader (spec) imports experiments.run.runner (run)",
        "experiments.store.writer (store) imports experiments (top)",
    ]
    assert find_cycle(graph) == [  # the circle through an import inside a function
        "experiments.run.runner",
        "experiments.spec.loader",
        "experiments.run.runner",
    ]
    graph["experiments.spec.loader"] = {"experiments.spec.schema"}
    assert find_cycle(graph) == [  # the circle of relative imports
        "experiments.present.charts",
        "experiments.present.report",
        "experiments.present.charts",
    ]
    graph["experiments.present.report"] = set()
    assert find_cycle(graph) is None
    with pytest.raises(ValueError, match="in no layer"):
        layer_of("experiments.elsewhere.module")
