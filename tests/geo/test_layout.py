"""The library's layout holds: imports inside ``geo`` point one way and form no cycle.

DESIGN section 2: ``analyse``/``export`` -> ``store``/``read`` -> ``spatial`` -> the base
modules (settings, errors, schema, ...). Every import counts, at module level or inside a
function: an import put off to dodge a cycle is still a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

GEO = Path(__file__).resolve().parents[2] / "geo"

#: How far up each part of geo sits; a module imports only from its own rank or below.
RANKS = {
    "settings": 0,
    "errors": 0,
    "schema": 0,
    "rules": 0,
    "auth": 0,
    "finding_ids": 0,
    "_parallel": 0,
    "spatial": 1,
    "read": 2,
    "store": 3,
    "analyse": 4,
    "export": 5,
    "demo": 6,
}


def _module_name(path: Path) -> str:
    parts = path.relative_to(GEO.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(GEO.rglob("*.py"))}


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The geo modules ``path`` imports (a name imported from a package counts as the
    submodule when there is one, else as the package)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "geo"}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] != "geo":
                continue
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                found.add(sub if sub in modules else node.module)
    return found - {"geo"}


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    skip = {"geo", "geo.__main__"}  # the public API and the command-line start sit above all
    return {
        name: {m for m in _imports(path, modules) if m in modules and m not in skip}
        for name, path in modules.items()
        if name not in skip
    }


def _rank(module: str) -> int:
    return RANKS[module.split(".")[1]]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected part of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            part = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                part.append(top)
                if top == node:
                    break
            if len(part) > 1 or node in graph.get(node, ()):
                found.append(sorted(part))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_every_part_of_geo_has_a_rank():
    unranked = {m.split(".")[1] for m in _graph()} - set(RANKS)
    assert not unranked, f"add {sorted(unranked)} to RANKS (DESIGN section 2 says where)"


def test_imports_inside_geo_form_no_cycle():
    assert _cycles(_graph()) == []


def test_imports_inside_geo_point_down():
    upward = [
        f"{module} imports {target}"
        for module, targets in sorted(_graph().items())
        for target in sorted(targets)
        if _rank(target) > _rank(module)
    ]
    assert upward == []


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"geo.a": {"geo.b"}, "geo.b": {"geo.a"}}, [["geo.a", "geo.b"]]),
        (
            {"geo.a": {"geo.b"}, "geo.b": {"geo.c"}, "geo.c": {"geo.a"}},
            [["geo.a", "geo.b", "geo.c"]],
        ),
        ({"geo.a": {"geo.b"}, "geo.b": set()}, []),
    ],
)
def test_the_cycle_finder_finds_cycles(graph, expected):
    assert _cycles(graph) == expected


def test_a_lazy_import_counts(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from geo.read.projects import read_projects\n")
    assert _imports(module, {"geo.read.projects": module}) == {"geo.read.projects"}


#: Where the environment is read (DESIGN section 5, settings one way): the settings themselves,
#: the app's start-up and the command line's.
READS_ENVIRONMENT = {"geo/settings.py", "ui/app_settings.py", "cli/commands.py"}


def _reads_environment(source: str) -> bool:
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv", "from_env"}:
            return True
        if isinstance(node, ast.ImportFrom) and node.module == "os":
            if {a.name for a in node.names} & {"environ", "getenv"}:
                return True
    return False


def test_the_environment_is_read_only_at_start_up():
    root = GEO.parent
    readers = {
        str(path.relative_to(root))
        for folder in ("geo", "ui", "layers", "cli", "pages")
        for path in sorted((root / folder).rglob("*.py"))
        if _reads_environment(path.read_text(encoding="utf-8"))
    }
    assert readers == READS_ENVIRONMENT


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("import os\nos.environ.get('X')", True),
        ("from os import getenv\ngetenv('X')", True),
        ("Settings.from_env()", True),
        ("import os\nos.path.join('a')", False),
    ],
)
def test_an_environment_read_is_seen(source, expected):
    assert _reads_environment(source) is expected
