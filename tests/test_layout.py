"""The package's shape: data flows records -> graph -> {sparql, network, explorer, ...} -> cli.

Every import inside ``zhanaozen_graph`` (module level or inside a function, relative or absolute) is read
with :mod:`ast`; a lower layer never imports a higher one, layers of the same rank never import each other,
and no module takes part in an import circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "zhanaozen_graph"

# The layers, lowest first. A unit is a subpackage or a top-level module.
RANK = {
    "errors": 0,
    "output": 0,
    "records": 1,
    "graph": 2,
    "sparql": 3,
    "network": 3,
    "explorer": 3,
    "timeline": 3,
    "reports": 3,
    "synth": 3,
    "extract": 3,
    "exports": 3.5,  # reads the timeline (3) for other tools; below the CLI
    "cli": 4,
    "__init__": 5,
    "__main__": 5,
}


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__" and len(parts) > 1:
        parts = parts[:-1]
    return ".".join(parts)


def import_edges(root: Path) -> list[tuple[str, str, int]]:
    """(importer, imported, line) for every import of a module of the package under ``root``."""
    modules = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    packages = {m for m, p in modules.items() if p.name == "__init__.py"}
    edges = []
    for name, path in modules.items():
        here = name.split(".") if name in packages else name.split(".")[:-1]
        if name == "__init__":
            here = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.level:
                base = here[: len(here) - (node.level - 1)]
                mod = base + (node.module.split(".") if node.module else [])
                for alias in node.names:
                    sub = ".".join([*mod, alias.name])
                    targets.append(sub if sub in modules else ".".join(mod) or "__init__")
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(root.name + "."):
                targets.append(node.module.split(".", 1)[1])  # type: ignore[union-attr]
            elif isinstance(node, ast.Import):
                targets += [a.name.split(".", 1)[1] for a in node.names if a.name.startswith(root.name + ".")]
            edges += [(name, t, node.lineno) for t in targets if t != name]
    return edges


def violations(root: Path, rank: dict[str, int]) -> list[str]:
    """One line per upward or sideways import between layers, and per import circle."""
    edges = import_edges(root)
    out = []
    for src, dst, line in edges:
        a, b = src.split(".")[0], dst.split(".")[0]
        for unit in (a, b):
            if unit not in rank:
                out.append(f"{src}:{line}: '{unit}' has no layer; add it to RANK in tests/test_layout.py")
        if a != b and a in rank and b in rank and rank[b] >= rank[a]:
            out.append(f"{src}:{line}: imports {dst} (layer {rank[b]}), not below its own layer {rank[a]}")
    graph: dict[str, set[str]] = {}
    for src, dst, _ in edges:
        graph.setdefault(src, set()).add(dst)
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 1:
                out.append("circle: " + " -> ".join([*stack[stack.index(n) :], n]))
            elif n not in state:
                visit(n)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    return out


def test_the_package_imports_only_downwards_and_has_no_circle() -> None:
    assert violations(PACKAGE, RANK) == []


def test_the_layers_are_the_pipeline() -> None:
    units = {
        p.stem if p.is_file() else p.name
        for p in PACKAGE.iterdir()
        if p.suffix == ".py" or (p / "__init__.py").exists()
    }
    assert units == set(RANK)
    assert {"records", "graph", "sparql", "network", "explorer", "cli"} <= units


@pytest.fixture
def toy(tmp_path: Path) -> Path:
    root = tmp_path / "zhanaozen_graph"
    for rel, text in {
        "__init__.py": "from .graph.build import build\n",
        "errors.py": "",
        "records/__init__.py": "",
        "records/load.py": "from ..errors import E\n\ndef f():\n    from ..graph.build import g\n",
        "graph/__init__.py": "",
        "graph/build.py": "from ..records.load import f\nfrom zhanaozen_graph.sparql import q\n",
        "sparql/__init__.py": "from .a import x\n",
        "sparql/a.py": "from .b import y\n",
        "sparql/b.py": "from . import a\n",
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_the_checker_finds_an_upward_import_a_sideways_one_and_a_circle(toy: Path) -> None:
    rank = {"errors": 0, "records": 1, "graph": 2, "sparql": 2, "__init__": 5}
    assert violations(toy, rank) == [
        "graph.build:2: imports sparql (layer 2), not below its own layer 2",
        "records.load:4: imports graph.build (layer 2), not below its own layer 1",
        "circle: graph.build -> records.load -> graph.build",
        "circle: sparql.a -> sparql.b -> sparql.a",
    ]


def test_the_checker_names_a_unit_without_a_layer(toy: Path) -> None:
    (toy / "extra.py").write_text("from .errors import E\n")
    rank = {"errors": 0, "records": 1, "graph": 2, "sparql": 3, "__init__": 5}
    assert violations(toy, rank)[0] == "extra:1: 'extra' has no layer; add it to RANK in tests/test_layout.py"
