r"""What the names of a submission mean: the context file, then defaults, then use.

An assignment's context file (TOML) declares its symbols (kind, shape,
assumptions), functions (kind, derivative bound) and sequences (size,
index, recurrence), once per assignment.  A name it does not declare gets
the defaults of ML writing: a bold capital is a matrix, a bold small letter
a vector, anything else a scalar; then use refines it: a plain letter that
is transposed is a vector (small) or a matrix (capital), and ``\sigma``,
``\phi``, ``\psi`` written before ``(`` are functions.  Plain capitals that
nothing settles are *open*: :func:`readings` gives one table per reading so
a line whose verdict depends on the choice is reported ambiguous.

The schema (every section optional; a bad key is an error naming the file and the key)::

    dims = ["n", "m"]                                   # symbolic dimensions
    [symbols.W]  kind = "matrix", shape = ["m", "n"], assumptions = ["symmetric"]
    [symbols.gamma]  assumptions = ["positive"]       # or interval = "[0, 1)"; kind = "index", lower = 1
    [symbols."f(x_0)"]  kind = "scalar"               # a value named as it is written
    [functions.sigma]  kind = "activation", derivative_bound = "gamma"
    [functions.f]  kind = "field", of = "x", at = "x_0", gradient = "g", hessian = "H"   # f: R^n -> R, g its gradient at x_0
    [sequences.h]  index = "t", size = "n", recurrence = "W*sigma(prev) + b", initial = "...", mean = "..."
    [sequences.v]  index = "t", recurrence = ["a*prev + e*g(t)", "b*prev + (1 - b)*g(t)"]   # two rules, both v_t
    [sequences.g]  index = "t", size = "n", law = "identically distributed"          # E[g_t] the same for all t
    [definitions.lambda_1]  args = ["A"], value = "LambdaMax(A)"     # lambda_1(W^T W)
    [definitions."sigma'"]  index = "k", value = "sigma_prime(W*g(k - 1))"   # sigma'_{t+1}
    [definitions.theta_incr]  index = "t", value = ["-v(t)", "-d*v(t)"]   # one value per update rule, in order
    [questions."4".definitions.y]  value = "sigma(Dot(w.T*x))", inherit = false   # in 4's own lines only, not 4.1
    [definitions."u'"]  written = "u - \\epsilon \\nabla_u L"    # LaTeX as the statement writes it, read like a line
    hypotheses = ["LambdaMax(W.T*W) <= delta**2/gamma**2"]            # what the assignment assumes
    [questions."2".symbols.g]  kind = "vector"        # a section for question 2 and its sub-questions
    [graph."h^a"]  value = "W*x + b"                  # the network the statement defines: one node a table
    [graph.L]  of = ["w"]                             # a node no formula gives: an arbitrary scalar function of w
    [graph."o^a"]  value = "V*h", also = ["O^a"]     # O^a: another spelling of the node o^a

A name the context defines (a ``definitions`` entry with no index nor argument, a ``graph`` node with a
value, the ``gradient`` or ``hessian`` of a field) is never a new name of the submission: a line
``name = ...`` restates the context, a claim checked against its definition (:meth:`SymbolTable.defined`).
A ``definitions`` entry holds in its question and the sub-questions under it, unless ``inherit = false``
(then in its question's own lines only, where a sub-question uses the name for something else).

The ``graph`` section is the computation graph of the statement, one node per name: ``value`` computes
it from the symbols and the nodes before it (written in that order), ``of`` makes it an arbitrary
differentiable scalar function of those nodes (its gradient there is a free vector, ``grad_w(L)``).
A node's kind and shape are its ``symbols`` declaration's, else its value's.  A node written in a line
is its value at the input (the forward pass); ``d f / d v`` for a node ``v`` (or an entry ``v_j``) is the
derivative of everything computed from ``v`` with ``v`` free, the backprop convention
(:mod:`symbolic.read.graph`).

>>> ctx = context_from_dict({"dims": ["n"], "symbols": {"W": {"kind": "matrix"}},
...                          "questions": {"2": {"symbols": {"W": {"kind": "scalar"}}}}})
>>> ctx.for_question("1").kind("W", bold=False), ctx.for_question("2.1").kind("W", bold=False)
('matrix', 'scalar')

>>> t = SymbolTable()
>>> t.kind("W", bold=True), t.kind("w", bold=True), t.kind("alpha", bold=False)
('matrix', 'vector', 'scalar')
>>> t.from_use({"A": {"transposed"}}).kind("A", bold=False)
'matrix'
"""

from __future__ import annotations

import re

import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from ..exceptions import InvalidInputError
from .field_spec import FIELD_KEYS, FieldSpec, field_spec
from .graph_spec import NodeSpec, canonical, graph_section  # noqa: F401 - canonical: used here and re-exported

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10: the tomli backport (a dependency there)
    import tomli as tomllib

KINDS = ("scalar", "vector", "matrix", "index")
DEFAULT_FUNCTIONS = frozenset({"sigma", "phi", "varphi", "psi"})
_GREEK = frozenset("alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi "
                   "varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega ell".split())
_SYMBOL_KEYS = {"kind", "shape", "size", "assumptions", "interval", "lower", "latex", "depends_on"}
_FUNCTION_KEYS = {"kind", "derivative_bound", "properties", "latex"}
_SEQUENCE_KEYS = {"size", "index", "recurrence", "start", "initial", "mean", "law", "latex"}
_DEFINITION_KEYS = {"value", "written", "index", "args", "latex", "inherit"}
_SECTIONS = ("dims", "symbols", "functions", "sequences", "definitions", "hypotheses", "graph")


@dataclass(frozen=True)
class SymbolSpec:
    """A declared symbol: kind, shape (rows, cols as text), assumptions.

    >>> SymbolSpec("W", "matrix", ("n", "m")).shape
    ('n', 'm')
    """

    name: str
    kind: str
    shape: tuple[str, ...] = ()
    assumptions: tuple[str, ...] = ()
    interval: str | None = None
    lower: int = 0
    depends_on: tuple[str, ...] = ()  # the declared names it is computed from (h^s of h^a): never held constant


@dataclass(frozen=True)
class FunctionSpec:
    """A declared element-wise function (``kind`` as in Derivation.function)."""

    name: str
    kind: str = "activation"
    derivative_bound: str | None = None


@dataclass(frozen=True)
class SequenceSpec:
    """A declared sequence; ``recurrence`` is text in the engine's safe syntax, ``prev`` its previous term."""

    name: str
    index: str
    size: str | None = None
    recurrence: str | None = None
    start: int = 0
    initial: str | None = None
    mean: str | None = None
    law: str | None = None  # "identically distributed": every term has the same (unknown) mean
    alternatives: tuple[str, ...] = ()  # the other update rules the assignment writes for the same name


@dataclass(frozen=True)
class DefinitionSpec:
    """A named definition of the assignment: ``name`` stands for ``value`` (the engine's safe syntax).

    With ``index`` it is a family ``name_k`` (``value`` in ``k``); with ``args`` a function
    ``name(x)`` (``value`` in ``x``), such as a Taylor model.

    >>> DefinitionSpec("D", "diag(sigma_prime(W*g(k)))", index="k").index
    'k'
    """

    name: str
    value: str
    index: str | None = None
    args: tuple[str, ...] = ()
    alternatives: tuple[str, ...] = ()  # its values under the other update rules the assignment writes
    inherit: bool = True  # False: it holds in its question's own lines, not in its sub-questions
    written: bool = False  # True: ``value`` is LaTeX as the statement writes it, read like a line of the submission


@dataclass(frozen=True)
class SymbolTable:
    """The meaning of every name: declared, inferred from use, or by default."""

    symbols: Mapping[str, SymbolSpec] = field(default_factory=dict)
    functions: Mapping[str, FunctionSpec] = field(default_factory=dict)
    sequences: Mapping[str, SequenceSpec] = field(default_factory=dict)
    dims: tuple[str, ...] = ("n",)
    file: str | None = None
    inferred: Mapping[str, str] = field(default_factory=dict)
    definitions: Mapping[str, DefinitionSpec] = field(default_factory=dict)
    questions: Mapping[str, "SymbolTable"] = field(default_factory=dict)
    hypotheses: tuple[str, ...] = ()
    graph: Mapping[str, NodeSpec] = field(default_factory=dict)
    fields: Mapping[str, FieldSpec] = field(default_factory=dict)

    def defined(self, name: str) -> str | None:
        """What the context defines ``name`` to be (a definition with no index nor argument, a node of the graph
        with a value, a derivative of a field at its point), in words; None for a name it does not define.
        A line ``name = ...`` of the submission then restates the context: a claim, never a new definition.

        >>> t = context_from_dict({"symbols": {"x": {"kind": "vector"}, "g": {"kind": "vector"}},
        ...                        "functions": {"f": {"kind": "field", "of": "x", "at": "x_0", "gradient": "g"}},
        ...                        "definitions": {"z": {"value": "2*x"}}})
        >>> t.defined("g"), t.defined("z"), t.defined("x")
        ('the gradient of f at x_0', 'z = 2*x', None)
        """
        spec = self.definitions.get(name)
        if spec is not None and spec.index is None and not spec.args:
            return f"{name} = {spec.value}"
        node = self.graph.get(name)
        if node is not None and node.value is not None:
            return f"{name} = {node.value}"
        for f in self.fields.values():
            for what, named in (("gradient", f.gradient), ("Hessian", f.hessian)):
                if named == name:
                    return f"the {what} of {f.name} at {f.at}"
        return None

    def for_question(self, question: str | None) -> "SymbolTable":
        """The table of one question: the context's ``[questions."2"]`` sections applied over the rest.

        A section applies to its question and to the sub-questions under it (``"2"`` to ``2.1``),
        the most specific last; a name it declares replaces the same name of every other kind.

        >>> t = context_from_dict({"symbols": {"g": {"kind": "vector"}},
        ...                        "questions": {"4": {"symbols": {"g": {"kind": "scalar"}}}}})
        >>> t.for_question("4.2").kind("g", bold=False), t.for_question("3").kind("g", bold=False)
        ('scalar', 'vector')
        """
        table = self
        q = str(question or "")
        for key in sorted(self.questions, key=len):
            if q == key:
                table = table._over(self.questions[key])
            elif q.startswith(key + ".") or q.startswith(key + " "):  # a sub-question: its inherited definitions
                sec = self.questions[key]
                table = table._over(replace(sec, definitions={k: v for k, v in sec.definitions.items() if v.inherit}))
        return replace(table, questions={})

    def _over(self, sec: "SymbolTable") -> "SymbolTable":
        names = set(sec.symbols) | set(sec.functions) | set(sec.sequences) | set(sec.definitions) | set(sec.graph) \
            | set(sec.fields)

        def keep(m: Mapping, new: Mapping) -> dict:
            return {**{k: v for k, v in m.items() if k not in names}, **new}

        return replace(self, symbols=keep(self.symbols, sec.symbols), functions=keep(self.functions, sec.functions),
                       sequences=keep(self.sequences, sec.sequences),
                       definitions=keep(self.definitions, sec.definitions), graph=keep(self.graph, sec.graph),
                       fields=keep(self.fields, sec.fields),
                       dims=tuple(dict.fromkeys(self.dims + sec.dims)),
                       hypotheses=tuple(dict.fromkeys(self.hypotheses + sec.hypotheses)))

    def kind(self, name: str, *, bold: bool) -> str:
        """The kind of ``name``: the context's, else inferred from use, else the default.

        >>> SymbolTable().kind("x", bold=False)
        'scalar'
        """
        if name in self.symbols:
            return self.symbols[name].kind
        if name in self.inferred:
            return self.inferred[name]
        base = name.split("_")[0].split("^")[0].rstrip("'")
        if base in self.inferred:
            return self.inferred[base]
        if bold and len(base) == 1 and base.isalpha():
            return "matrix" if base.isupper() else "vector"
        if bold and base in ("Lambda", "Sigma", "Theta", "Phi", "Psi", "Omega", "Gamma", "Delta"):
            return "matrix"
        if bold and base.isalpha() and base.islower() and len(base) > 1 and base not in ("ell",):
            return "vector"  # a bold Greek small letter: \boldsymbol{\theta}
        return "scalar"

    def is_function(self, name: str) -> bool:
        """Whether ``name`` written before ``(`` is a function application.

        >>> SymbolTable().is_function("sigma"), SymbolTable().is_function("x")
        (True, False)
        """
        return name in self.functions or (name not in self.symbols and name in DEFAULT_FUNCTIONS)

    def from_use(self, uses: Mapping[str, set]) -> "SymbolTable":
        """A table refined by how names are used (``uses``: name -> set of features).

        >>> SymbolTable().from_use({"x": {"transposed"}}).kind("x", bold=False)
        'vector'
        """
        inferred = dict(self.inferred)
        for name, feats in uses.items():
            if name in self.symbols or name in self.functions or name in inferred:
                continue
            if name == "\\langle":  # the submission defines its own inner product: <a, b> is not a^T b
                inferred[name] = "defined"
                continue
            base = name.split("_")[0]
            if "bold" in feats and len(base) == 1:
                inferred[name] = "matrix" if base.isupper() else "vector"
            elif feats & {"transposed", "partner"} and len(base) == 1 and base.isalpha():
                inferred[name] = "matrix" if base.isupper() else "vector"
            elif "upper" in feats and len(name) == 1 and not feats & {"bold", "several"}:
                inferred[name] = "index"  # the upper bound of a sum counts its terms: an integer >= 0, never -1 or 0.5
            elif "bold" not in feats and name not in DEFAULT_FUNCTIONS and ("several" in feats or (
                    "called" in feats and "product" not in feats and len(name) > 1 and name.isalpha()
                    and name not in _GREEK)):  # \mathrm{CE}(y): a word before "(" names a function
                inferred[name] = "function"  # f(x, y) somewhere: f(x) elsewhere is its value, never f times x
        return replace(self, inferred=inferred)

    def open_names(self, uses: Mapping[str, set]) -> list[str]:
        """Plain capitals whose kind nothing settles (scalar or matrix?).

        >>> SymbolTable().open_names({"A": {"product"}, "x": set()})
        ['A']
        """
        return sorted(n for n, f in uses.items() if len(n) == 1 and n.isupper() and "product" in f
                      and n not in self.symbols and n not in self.inferred and "bold" not in f)

    def open_calls(self, uses: Mapping[str, set]) -> list[str]:
        """Single letters written only before ``(`` (``h(x)``): a function applied, or a factor? Both are read.

        >>> SymbolTable().open_calls({"h": {"called"}, "a": {"called", "product"}, "sigma": {"called"}})
        ['h']
        """
        return sorted(n for n, f in uses.items() if len(n) == 1 and n.isalpha() and "called" in f
                      and not f & {"product", "bold", "transposed"} and n not in self.symbols
                      and n not in self.functions and n not in self.inferred and n not in self.graph)

    def with_kind(self, name: str, kind: str) -> "SymbolTable":
        """The same table with ``name`` read as ``kind``.

        >>> SymbolTable().with_kind("A", "matrix").kind("A", bold=False)
        'matrix'
        """
        return replace(self, inferred={**self.inferred, name: kind})

    def scope(self, derivation=None):
        """A scope that declares names into ``derivation`` (a fresh one when None) as they are met.

        >>> SymbolTable().scope().symbol("x", True).shape
        (n, 1)
        """
        from .scope import Scope

        return Scope(self, derivation)


def readings(table: SymbolTable, uses: Mapping[str, set], limit: int = 2) -> list[tuple[str, SymbolTable]]:
    """The readings to check: one, or (when plain capitals are open) all-scalar and all-matrix.

    >>> [r for r, _ in readings(SymbolTable(), {"A": {"product"}, "B": {"product"}})]
    ['A, B scalars', 'A, B matrices']
    """
    table = table.from_use(uses)
    names = table.open_names(uses)
    calls = [n for n in table.open_calls(uses) if n not in names]
    if not names and not calls:
        return [("", table)]
    scalar = matrix = table
    for n in names:
        scalar, matrix = scalar.with_kind(n, "scalar"), matrix.with_kind(n, "matrix")
    for n in calls:  # h(x): h times x in the first reading, the function h applied to x in the second
        matrix = matrix.with_kind(n, "function")
    who = ", ".join(names)
    one = [f"{who} scalar{'s' if len(names) > 1 else ''}"] if names else []
    two = [f"{who} matri{'ces' if len(names) > 1 else 'x'}"] if names else []
    if calls:
        one.append(f"{', '.join(calls)}(..) a product")
        two.append(f"{', '.join(calls)} a function")
    return [("; ".join(one), scalar), ("; ".join(two), matrix)][:limit]


def load_context(path: str | Path) -> SymbolTable:
    """Read an assignment's context file (TOML); errors name the file and the key.

    >>> load_context("/no/such.toml")
    Traceback (most recent call last):
    ...
    symbolic.exceptions.InvalidInputError: symbol '/no/such.toml': cannot read the context file (no such file)
    """
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidInputError("cannot read the context file (no such file)", symbol=str(path)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInputError(f"cannot read the context file ({exc})", symbol=str(path)) from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInputError(f"the context file is not valid TOML ({exc})", symbol=str(path)) from None
    return context_from_dict(data, str(path))


def context_from_dict(data: Mapping[str, Any], file: str = "<context>", where: str = "") -> SymbolTable:
    """Build a table from parsed TOML; errors name the file, the key and the symbol.

    >>> t = context_from_dict({"dims": ["n", "m"], "symbols": {"W": {"kind": "matrix", "shape": ["m", "n"]}}})
    >>> t.symbols["W"].shape, t.dims
    (('m', 'n'), ('n', 'm'))
    >>> context_from_dict({"symbols": {"W": {"kind": "tensor"}}}, "a.toml")
    Traceback (most recent call last):
    ...
    symbolic.exceptions.InvalidInputError: symbol 'a.toml': kind 'tensor' of symbols.W: expected one of scalar, vector, matrix, index
    """
    allowed = set(_SECTIONS) | ({"assignment", "questions", "rubric"} if not where else set())
    unknown = set(data) - allowed
    if unknown:
        raise InvalidInputError(f"unknown section {where}{sorted(unknown)[0]!r} in the context file; expected "
                                f"{', '.join(sorted(allowed))}", symbol=file)
    dims = tuple(str(d) for d in data.get("dims", [] if where else ["n"]))
    base = dims or ("n",)
    symbols = {}
    for name, spec in _table(data, "symbols", file, where).items():
        spec = _keys(spec, _SYMBOL_KEYS, file, f"{where}symbols.{name}")
        kind = spec.get("kind", "scalar")
        if kind not in KINDS:
            raise InvalidInputError(f"kind {kind!r} of {where}symbols.{name}: expected one of {', '.join(KINDS)}",
                                    symbol=file)
        shape = tuple(str(s) for s in _list(spec, "shape", file, f"{where}symbols.{name}"))
        if kind == "vector":
            shape = (str(spec.get("size", shape[0] if shape else base[0])), "1")
        elif kind == "matrix" and len(shape) != 2:
            shape = (base[0], base[0]) if not shape else (shape[0], shape[0])
        assumptions = tuple(str(a) for a in _list(spec, "assumptions", file, f"{where}symbols.{name}"))
        name = canonical(name)
        symbols[name] = SymbolSpec(name, kind, shape, assumptions, spec.get("interval"), int(spec.get("lower", 0)),
                                   tuple(canonical(str(n)) for n in spec.get("depends_on", ())))
    functions, fields = {}, {}
    for name, spec in _table(data, "functions", file, where).items():
        if isinstance(spec, Mapping) and spec.get("kind") == "field":  # f: R^n -> R, its derivatives named at a point
            fields[name] = field_spec(name, _keys(spec, FIELD_KEYS, file, f"{where}functions.{name}"), file, where)
            continue
        spec = _keys(spec, _FUNCTION_KEYS, file, f"{where}functions.{name}")
        bound = spec.get("derivative_bound")
        functions[name] = FunctionSpec(name, spec.get("kind", "activation"), None if bound is None else str(bound))
    sequences = {}
    for name, spec in _table(data, "sequences", file, where).items():
        spec = _keys(spec, _SEQUENCE_KEYS, file, f"{where}sequences.{name}")
        if "index" not in spec:
            raise InvalidInputError(f"{where}sequences.{name} needs its index", symbol=file)
        rules = spec.get("recurrence")
        if not (rules is None or isinstance(rules, str) or (isinstance(rules, list) and rules)):
            raise InvalidInputError(f"{where}sequences.{name}.recurrence must be a text or a non-empty list of texts",
                                    symbol=file)
        rules = [rules] if rules is None or isinstance(rules, str) else [str(r) for r in rules]
        if spec.get("law") not in (None, "identically distributed"):
            raise InvalidInputError(f"{where}sequences.{name}.law must be \"identically distributed\"", symbol=file)
        sequences[name] = SequenceSpec(name, str(spec["index"]), None if "size" not in spec else str(spec["size"]),
                                       rules[0], int(spec.get("start", 0)), spec.get("initial"),
                                       spec.get("mean"), spec.get("law"), tuple(rules[1:]))
    definitions = {}
    for name, spec in _table(data, "definitions", file, where).items():
        spec = _keys(spec, _DEFINITION_KEYS, file, f"{where}definitions.{name}")
        if ("value" in spec) == ("written" in spec) or ("written" in spec and ("index" in spec or "args" in spec)):
            raise InvalidInputError(f"{where}definitions.{name} needs its value, or (no index nor args) the value "
                                    "written as the statement writes it (written = \"u - \\\\epsilon \\\\nabla_u L\"), "
                                    "not both", symbol=file)
        if "written" in spec:
            spec = {**spec, "value": str(spec["written"])}
        args = tuple(str(a) for a in _list(spec, "args", file, f"{where}definitions.{name}"))
        values = spec["value"] if isinstance(spec["value"], list) and spec["value"] else [spec["value"]]
        inherit = spec.get("inherit", True)
        if not isinstance(inherit, bool):
            raise InvalidInputError(f"{where}definitions.{name}.inherit must be true or false", symbol=file)
        definitions[name] = DefinitionSpec(name, str(values[0]), spec.get("index"), args, tuple(map(str, values[1:])),
                                           inherit, "written" in spec)
    questions = {}
    for q, sec in _table(data, "questions", file, where).items():
        questions[str(q)] = context_from_dict(_keys(sec, set(_SECTIONS), file, f"questions.{q}"), file,
                                              f"questions.{q}.")
    graph = graph_section(_table(data, "graph", file, where), file, where)
    hypotheses = tuple(str(h) for h in _list(data, "hypotheses", file, where.rstrip(".") or "the file"))
    return SymbolTable(symbols, functions, sequences, dims, file, {}, definitions, questions, hypotheses, graph, fields)


def _table(data: Mapping, key: str, file: str, where: str) -> dict:
    value = data.get(key, {})
    if not isinstance(value, Mapping):
        raise InvalidInputError(f"{where}{key} must be a table (e.g. [{where}{key}.NAME])", symbol=file)
    return dict(value)


def _list(spec: Mapping, key: str, file: str, where: str) -> list:
    value = spec.get(key, [])
    if isinstance(value, str) or not isinstance(value, (list, tuple)):
        raise InvalidInputError(f"{where}.{key} must be a list, e.g. {key} = [\"n\"]", symbol=file)
    return list(value)


def _keys(spec, allowed: set, file: str, where: str) -> dict:
    if not isinstance(spec, Mapping):
        raise InvalidInputError(f"{where} must be a table of keys", symbol=file)
    bad = set(spec) - allowed
    if bad:
        raise InvalidInputError(f"unknown key {sorted(bad)[0]!r} in {where}; expected {', '.join(sorted(allowed))}",
                                symbol=file)
    return dict(spec)
