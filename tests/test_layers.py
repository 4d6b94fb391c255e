"""The house rule on imports, checked on the source: no import circles, lower layers never import higher ones.

Every ``import`` statement of every module under ``symbolic/`` counts, at module level or
inside a function (a function-level import is still a dependency; it only hides it from
import time).  An import of one's own enclosing package (``from . import sp``) is not an
edge: Python runs the package's ``__init__`` first anyway, and ``symbolic/__init__.py``
imports lazily.
"""

from __future__ import annotations

import ast
from pathlib import Path

import symbolic

ROOT = Path(symbolic.__file__).resolve().parent  # the package under test (PYTHONPATH picks the worktree)


def modules(root: Path = ROOT) -> dict[str, Path]:
    """Dotted module name -> file, for every ``.py`` file under ``root`` (a package is its ``__init__``)."""
    out = {}
    for p in sorted(root.rglob("*.py")):
        parts = list(p.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = p
    return out


def _targets(node, current: str, mods: dict[str, Path]) -> list[str]:
    """The modules of the package that one import statement in ``current`` imports."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names if a.name in mods]
    package = current if mods[current].name == "__init__.py" else current.rpartition(".")[0]
    if node.level:
        base = package.split(".")[: len(package.split(".")) - node.level + 1]
        mod = ".".join(base + ([node.module] if node.module else []))
    else:
        mod = node.module or ""
    out = []
    for a in node.names:
        if f"{mod}.{a.name}" in mods:  # from pkg import submodule
            out.append(f"{mod}.{a.name}")
        elif mod in mods:
            out.append(mod)
    return out


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Module -> the package's modules it imports anywhere in its source (own enclosing packages left out)."""
    mods = modules(root)
    graph: dict[str, set[str]] = {m: set() for m in mods}
    for m, p in mods.items():
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"), filename=str(p))):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                for t in _targets(node, m, mods):
                    if t != m and not m.startswith(t + "."):
                        graph[m].add(t)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            v, children = work[-1]
            for w in children:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                    break
                if w in on_stack:
                    low[v] = min(low[v], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        comp.append(w)
                        if w == v:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))
    return out


def _circle(graph: dict[str, set[str]], comp: list[str]) -> list[str]:
    """One concrete circle inside the component ``comp``: a -> b -> ... -> a (shortest from its first module)."""
    members = set(comp)
    start = comp[0]
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        nxt = []
        for v in frontier:
            for w in sorted(graph[v] & members):
                if w == start:
                    return paths[v] + [start]
                if w not in paths:
                    paths[w] = paths[v] + [w]
                    nxt.append(w)
        frontier = nxt
    return comp


def _in(module: str, folder: str) -> bool:
    return module == folder or module.startswith(folder + ".")


def test_the_graph_sees_imports_inside_functions_and_relative_imports(tmp_path):
    pkg = tmp_path / "symbolic"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("from .a import f\n")
    (pkg / "sub" / "a.py").write_text("def f():\n    from .b import g\n    return g\n")
    (pkg / "sub" / "b.py").write_text("from . import a\nfrom symbolic import top\n")
    (pkg / "top.py").write_text("import symbolic.sub.b\n")
    graph = import_graph(pkg)
    assert graph["symbolic.sub.a"] == {"symbolic.sub.b"}
    assert graph["symbolic.sub.b"] == {"symbolic.sub.a", "symbolic.top"}
    assert graph["symbolic.sub"] == {"symbolic.sub.a"}
    assert cycles(graph) == [["symbolic.sub.a", "symbolic.sub.b", "symbolic.top"]]
    assert _circle(graph, ["symbolic.sub.a", "symbolic.sub.b"]) == ["symbolic.sub.a", "symbolic.sub.b",
                                                                    "symbolic.sub.a"]


def test_no_import_cycles():
    graph = import_graph()
    found = cycles(graph)
    assert not found, "import cycles under symbolic/:\n" + "\n".join(
        f"  {' -> '.join(_circle(graph, comp))}   (component: {', '.join(comp)})" for comp in found)


# The pipeline, bottom to top: a module may import its own layer and the layers below it, never one above.
# exceptions and budget are the house's shared vocabulary, below every layer.
LAYERS = [("symbolic.algebra",), ("symbolic.model",), ("symbolic.checks", "symbolic.codecheck"),
          ("symbolic.verdicts",), ("symbolic.read",), ("symbolic.emit",), ("symbolic.app",)]
BASE = ("symbolic.exceptions", "symbolic.budget")
# The REPL verbs, the one sanctioned way up, each a function-level import: a Derivation checks itself
# (``d.check()``) and a derivation or a result shows itself in a notebook (``_repr_latex_``).
REPL_HOOKS = {
    ("symbolic.model.derivation", "symbolic.verdicts.engine"),
    ("symbolic.model.derivation", "symbolic.emit.notebook"),
    ("symbolic.model.results", "symbolic.emit.notebook"),
}


def layer_of(module: str) -> int | None:
    """The rank of the layer a module belongs to (None for the package itself and the shared base)."""
    return next((i for i, folders in enumerate(LAYERS) for f in folders if _in(module, f)), None)


def upward_imports(graph: dict[str, set[str]]) -> list[str]:
    """Every import of a higher layer, REPL hooks left out."""
    return sorted(f"{m} imports {t}" for m, ts in graph.items() for t in ts
                  if layer_of(m) is not None and layer_of(t) is not None and layer_of(t) > layer_of(m)
                  and (m, t) not in REPL_HOOKS)


def test_every_module_belongs_to_a_layer():
    graph = import_graph()
    stray = sorted(m for m in graph if layer_of(m) is None and m not in BASE + ("symbolic", "symbolic.__main__"))
    assert not stray, "modules outside the layer folders: " + ", ".join(stray)
    for folder in (f for folders in LAYERS for f in folders):
        assert any(_in(m, folder) for m in graph), f"{folder} does not exist any more: update LAYERS"


def test_an_upward_import_is_found(tmp_path):
    graph = {"symbolic.algebra.x": {"symbolic.app.cli"}, "symbolic.app.cli": {"symbolic.algebra.x"},
             "symbolic.model.derivation": {"symbolic.verdicts.engine"}}
    assert upward_imports(graph) == ["symbolic.algebra.x imports symbolic.app.cli"]


def test_lower_layers_never_import_higher_ones():
    bad = upward_imports(import_graph())
    assert not bad, "a lower layer imports a higher one:\n  " + "\n  ".join(bad)


def test_the_repl_hooks_are_still_needed():
    graph = import_graph()
    gone = sorted(f"{m} -> {t}" for m, t in REPL_HOOKS if t not in graph.get(m, set()))
    assert not gone, "REPL_HOOKS lists imports that no longer exist: " + ", ".join(gone)
