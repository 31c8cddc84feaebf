"""One way through the code: the apps import each other in one direction, never in a cycle,
and a function-level import of ``tirage…`` says why (an AST scan of ``src/tirage``).

The layers, lowest first (``docs/adr/0025-one-way-through-the-code.md``): an app imports
only apps of lower layers. ``letters`` is a leaf: it renders and sends documents for
anyone above ``applications`` and imports nothing of theirs.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

import tirage

SRC = Path(tirage.__file__).parent
LAYERS: list[set[str]] = [
    {"sortition", "audit", "geo", "ops"},  # infrastructure: imports no other app
    {"calls"},
    {"backoffice", "site"},  # the staff shell, the public shell
    {"accounts"},
    {"applications"},
    {"letters"},  # a leaf: renders and sends documents given data
    {"draws"},
    {"council"},
    {"meetings"},
    {"opinions"},
    {"opendata"},
    {"reports"},
    {"demo"},  # fictional data: imports anything, imported by nothing
]
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}
ROOT_MODULES = {"__init__", "__main__", "settings", "urls", "wsgi"}  # the project, not an app


def _modules():
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield path, path.relative_to(SRC)


def _imports(tree: ast.Module):
    """``(module, node, inside a function)`` for each ``tirage…`` import."""
    parents: dict[ast.AST, ast.AST] = {}
    for node in ast.walk(tree):
        for child in ast.iter_child_nodes(node):
            parents[child] = node
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            if name == "tirage" or name.startswith("tirage."):
                up, in_function = node, False
                while up in parents:
                    up = parents[up]
                    if isinstance(up, ast.FunctionDef | ast.AsyncFunctionDef):
                        in_function = True
                        break
                yield name, node, in_function, parents


def _app_of(relative: Path) -> str:
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def _edges() -> dict[str, dict[str, list[str]]]:
    edges: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for path, relative in _modules():
        app = _app_of(relative)
        for name, node, _in_function, _parents in _imports(ast.parse(path.read_text("utf-8"))):
            target = name.split(".")[1] if "." in name else "tirage"
            if target not in (app, "tirage") and app not in ROOT_MODULES:
                edges[app][target].append(f"{relative}:{node.lineno}")
    return edges


def test_every_app_has_a_layer():
    apps = {_app_of(rel) for _path, rel in _modules()} - ROOT_MODULES
    assert apps - set(RANK) == set(), "place the new app in LAYERS (and in the ADR)"


def test_apps_import_only_lower_layers():
    wrong = [
        f"{app} → {target} ({places[0]})"
        for app, targets in _edges().items()
        for target, places in targets.items()
        if RANK.get(target, -1) >= RANK[app]
    ]
    assert wrong == []


def test_no_import_cycle_between_apps():
    edges = {app: set(targets) for app, targets in _edges().items()}
    cycles = []
    for start in edges:
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in edges.get(node, ()):
                if nxt == start:
                    cycles.append(" → ".join([*path, start]))
                elif nxt not in path:
                    stack.append((nxt, [*path, nxt]))
    assert cycles == []


def _explained(lines: list[str], node: ast.stmt, parents: dict) -> bool:
    """A comment on the import's line or just above, or an ``except ImportError`` around it."""
    if "#" in lines[node.lineno - 1]:
        return True
    above = [lines[i].strip() for i in range(max(0, node.lineno - 4), node.lineno - 1)]
    if any(line.startswith("#") for line in above):
        return True
    up = node
    while up in parents:
        up = parents[up]
        if isinstance(up, ast.Try):
            return any(
                isinstance(h.type, ast.Name) and h.type.id in {"ImportError", "ModuleNotFoundError"}
                for h in up.handlers
            )
    return False


def test_function_level_imports_say_why():
    silent = []
    for path, relative in _modules():
        text = path.read_text("utf-8")
        lines = text.splitlines()
        for name, node, in_function, parents in _imports(ast.parse(text)):
            if in_function and not _explained(lines, node, parents):
                silent.append(f"{relative}:{node.lineno} {name}")
    assert silent == []


@pytest.mark.parametrize(
    ("source", "cycle"),
    [
        ({"a": {"b"}, "b": {"a"}}, True),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, False),
    ],
)
def test_the_cycle_search_finds_a_cycle(source, cycle, monkeypatch):
    monkeypatch.setattr(
        __import__(__name__, fromlist=["_edges"]),
        "_edges",
        lambda: {a: {t: ["x"] for t in ts} for a, ts in source.items()},
    )
    if cycle:
        with pytest.raises(AssertionError):
            test_no_import_cycle_between_apps()
    else:
        test_no_import_cycle_between_apps()
