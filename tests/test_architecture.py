"""House rules that keep the layers apart (docs/architecture.md): no Qt below the ui, small
modules, and imports that only point down (no import cycle, the desktop app never reaches the
command line)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
from collections import deque
from collections.abc import Callable, Collection, Iterable, Mapping
from itertools import pairwise
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 400
NOT_PRODUCT = {"tests", "benchmarks"}  # top-level folders the size rule leaves out
NEVER_SOURCE = {".venv", ".demo", ".git", "__pycache__", ".mypy_cache", ".ruff_cache"}

ImportGraph = dict[str, dict[str, int]]
"""Module -> {project module it imports: line of its first import statement}."""


# --- the import graph --------------------------------------------------------------------------


def product_packages(root: Path) -> list[str]:
    """The top-level packages pyproject ships ([tool.setuptools.packages.find] include)."""
    config = tomllib.loads((root / "pyproject.toml").read_text())
    patterns: list[str] = config["tool"]["setuptools"]["packages"]["find"]["include"]
    return sorted({pattern.rstrip("*").split(".")[0] for pattern in patterns})


def module_files(root: Path, packages: Iterable[str]) -> dict[str, Path]:
    """Every module of `packages` under `root` by dotted name (a package by its __init__.py)."""
    modules: dict[str, Path] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _absolute(node: ast.ImportFrom, importer: str, is_package: bool) -> str:
    """The module named by `from ... import` in `importer`, relative dots resolved."""
    if node.level == 0:
        return node.module or ""
    parts = (importer if is_package else importer.rpartition(".")[0]).split(".")
    parts = parts[: len(parts) - (node.level - 1)]
    return ".".join([*parts, node.module] if node.module else parts)


def imported_modules(importer: str, path: Path, known: Collection[str]) -> dict[str, int]:
    """The modules of `known` that `importer` (source `path`) imports anywhere: at module level,
    in functions, under TYPE_CHECKING. `from pkg import name` imports the submodule pkg.name when
    there is one, else pkg. The parents a module needs (a.b for a.b.c) are not imports."""
    is_package = path.name == "__init__.py"
    found: dict[str, int] = {}
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, importer, is_package)
            names = (f"{base}.{alias.name}" for alias in node.names)
            targets = [name if name in known else base for name in names]
        else:
            continue
        for target in targets:
            if target in known and target != importer:
                found[target] = min(found.get(target, node.lineno), node.lineno)
    return found


def import_graph(root: Path, packages: Iterable[str]) -> ImportGraph:
    modules = module_files(root, packages)
    return {name: imported_modules(name, path, modules) for name, path in modules.items()}


def import_cycles(graph: Mapping[str, Collection[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    lowest: dict[str, int] = {}  # the lowest index reachable from the module on the stack
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = lowest[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for target in sorted(graph.get(module, ())):
            if target not in index:
                visit(target)
                lowest[module] = min(lowest[module], lowest[target])
            elif target in on_stack:
                lowest[module] = min(lowest[module], index[target])
        if lowest[module] == index[module]:
            component: list[str] = []
            while not component or component[-1] != module:
                component.append(stack.pop())
                on_stack.discard(component[-1])
            if len(component) > 1:
                components.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return sorted(components)


def import_chain(
    graph: Mapping[str, Collection[str]], start: str, goal: Callable[[str], bool]
) -> list[str] | None:
    """The shortest chain of imports from `start` to a module meeting `goal`, or None."""
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        module = queue.popleft()
        for target in sorted(graph.get(module, ())):
            if target in came_from:
                continue
            came_from[target] = module
            if goal(target):
                chain = [target]
                while chain[-1] != start or len(chain) == 1:
                    chain.append(came_from[chain[-1]])
                return chain[::-1]
            queue.append(target)
    return None


def cycle_through(graph: Mapping[str, Collection[str]], module: str) -> list[str] | None:
    """The shortest chain of imports from `module` back to itself, or None."""
    return import_chain(graph, module, lambda target: target == module)


def describe(chain: list[str], graph: ImportGraph) -> str:
    """`a -> b -> c`, each arrow with the line of the import."""
    steps = [f"{a} -(line {graph[a][b]})-> " for a, b in pairwise(chain)]
    return "".join(steps) + chain[-1]


def project_graph() -> ImportGraph:
    return import_graph(ROOT, product_packages(ROOT))


# --- the rules ---------------------------------------------------------------------------------


def test_core_and_shared_never_import_qt() -> None:
    code = (
        "import sys, pkgutil, importlib\n"
        "import shared, fieldapp.core, fieldapp.sync.engine, fieldapp.sync.autosync, fieldapp.cli\n"
        "for pkg in (shared, fieldapp.core, fieldapp.sync, fieldapp.cli):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def product_sources(root: Path) -> list[Path]:
    """Every .py file outside tests/, benchmarks/ and virtual envs, caches and demo data."""
    found: list[Path] = []
    for folder, subfolders, files in os.walk(root):
        here = Path(folder)
        subfolders[:] = [
            name
            for name in subfolders
            if name not in NEVER_SOURCE and not (here == root and name in NOT_PRODUCT)
        ]
        found += [here / name for name in files if name.endswith(".py")]
    return sorted(found)


def test_modules_stay_small() -> None:
    sources = product_sources(ROOT)
    assert {ROOT / "dev.py", ROOT / "fieldapp" / "cli" / "program.py"} <= set(sources)
    too_big = {
        str(p.relative_to(ROOT)): n
        for p in sources
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert too_big == {}


def test_no_import_cycle() -> None:
    graph = project_graph()
    assert {"shared", "fieldapp", "sync_server", "fieldapp.cli.program"} <= graph.keys()
    cycles = import_cycles(graph)
    chains = [cycle_through(graph, component[0]) for component in cycles]
    assert cycles == [], "\n".join(describe(chain, graph) for chain in chains if chain)


def test_the_desktop_app_never_imports_the_command_line() -> None:
    graph = project_graph()

    def command_line(module: str) -> bool:
        return module == "fieldapp.cli" or module.startswith("fieldapp.cli.")

    ui = [m for m in graph if m == "fieldapp.ui" or m.startswith("fieldapp.ui.")]
    assert "fieldapp.ui.app" in ui
    chains = [chain for m in ui if (chain := import_chain(graph, m, command_line))]
    assert chains == [], "\n".join(describe(chain, graph) for chain in chains)


# --- the graph itself, on made-up trees --------------------------------------------------------


def write_tree(root: Path, files: Mapping[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


TREE = {
    "pkg/__init__.py": "from pkg.core import VALUE\n",
    "pkg/core.py": "import os\nimport shared.contracts\n\nVALUE = 1\n",
    "pkg/ui/__init__.py": "",
    "pkg/ui/app.py": (
        "from pkg import core\n"  # the submodule, not pkg
        "from pkg.ui import page, missing\n"  # a submodule, and a name of pkg.ui
        "\n\n"
        "def run():\n"
        "    from ..cli import main\n"  # function level, relative
        "    return main\n"
    ),
    "pkg/ui/page.py": "from . import widgets\nfrom .widgets import Button\n",
    "pkg/ui/widgets.py": "import pkg.core as core\n",
    "pkg/cli.py": "from pkg import VALUE\n",
    "shared/__init__.py": "",
    "shared/contracts.py": "from typing import Any\n",
}


def test_import_graph_resolves_every_import_form(tmp_path: Path) -> None:
    graph = import_graph(write_tree(tmp_path, TREE), ["pkg", "shared"])
    assert graph == {
        "pkg": {"pkg.core": 1},
        "pkg.core": {"shared.contracts": 2},
        "pkg.ui": {},
        "pkg.ui.app": {"pkg.core": 1, "pkg.ui.page": 2, "pkg.ui": 2, "pkg.cli": 6},
        "pkg.ui.page": {"pkg.ui.widgets": 1},
        "pkg.ui.widgets": {"pkg.core": 1},
        "pkg.cli": {"pkg": 1},
        "shared": {},
        "shared.contracts": {},
    }
    assert import_chain(graph, "pkg.ui.page", lambda m: m.startswith("pkg.cli")) is None
    assert import_chain(graph, "pkg.ui", lambda m: m == "pkg.cli") is None
    assert import_chain(graph, "pkg.ui.app", lambda m: m == "shared.contracts") == [
        "pkg.ui.app",
        "pkg.core",
        "shared.contracts",
    ]


def test_import_cycles_are_found_even_through_function_level_imports(tmp_path: Path) -> None:
    acyclic = import_graph(write_tree(tmp_path / "acyclic", TREE), ["pkg", "shared"])
    assert import_cycles(acyclic) == []

    cyclic_tree = {**TREE, "pkg/core.py": "def late():\n    from pkg.ui.app import run\n"}
    cyclic = import_graph(write_tree(tmp_path / "cyclic", cyclic_tree), ["pkg", "shared"])
    assert import_cycles(cyclic) == [
        ["pkg", "pkg.cli", "pkg.core", "pkg.ui.app", "pkg.ui.page", "pkg.ui.widgets"]
    ]
    assert cycle_through(cyclic, "pkg.ui") is None
    assert cycle_through(cyclic, "pkg.core") == [
        "pkg.core",
        "pkg.ui.app",
        "pkg.core",
    ]
    assert describe(["pkg.core", "pkg.ui.app", "pkg.core"], cyclic) == (
        "pkg.core -(line 2)-> pkg.ui.app -(line 1)-> pkg.core"
    )


def test_import_cycles_lists_each_component_apart() -> None:
    graph = {"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"e"}, "e": {"c", "a"}, "f": {"f"}}
    assert import_cycles(graph) == [["a", "b"], ["c", "d", "e"]]
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
