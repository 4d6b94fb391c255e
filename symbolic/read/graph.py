r"""The computation graph of an assignment: derivatives with respect to intermediate quantities (backprop).

The context's ``graph`` section (:mod:`symbolic.read.context`) names the nodes the statement computes,
``h^a = W x + b``, ``h^s = rect(h^a)``, ..., each from the symbols and the nodes before it; a node without a
formula (``of = ["w"]``) is an arbitrary differentiable scalar function of the nodes named.  While a line is
read, a node is a symbol of its own (its *marker*), so that a derivative can be taken with respect to it;
once the line is built every marker is replaced by its value at the input, the forward pass (:meth:`Graph.forward`).

``d f / d v`` for a node ``v`` follows the backprop convention: every node computed from ``v`` is replaced by
its formula, so ``f`` becomes a function of ``v`` (and of what does not depend on ``v``, held fixed); that
function is differentiated now, by the chain rule of :mod:`symbolic.algebra.chain` (or entry by entry for a
derivative with respect to an entry ``v_j``), cross-checked by central differences on two random instances
before it is used, and evaluated at the forward pass.  An arbitrary function ``L`` of ``w`` enters through its
gradient at the point, a free vector ``grad_w(L)``: ``d L / d u = J_w(u)^T grad_w(L)``; a derivative of that
gradient (a second derivative of ``L``) is refused, never taken as 0.

>>> from symbolic.read.context import context_from_dict
>>> from symbolic.read.latex import read_chain
>>> t = context_from_dict({"dims": ["n"], "symbols": {"u": {"kind": "vector"}, "g": {}},
...                        "graph": {"w": {"value": "g*u"}, "L": {"of": ["w"]}}})
>>> [str(e) for e in read_chain(r"\nabla_u L = g \nabla_w L", t.scope()).exprs]
['g*grad_w(L)', 'g*grad_w(L)']
"""

from __future__ import annotations

from sympy.matrices.expressions.matexpr import MatrixElement

from ..algebra import Dot, Entry, Grad, Jac, MatrixExpr, sp
from ..exceptions import InvalidInputError, ReadError

_ROUNDS = 64  # a graph of more nodes than this is not a network a statement writes


class Graph:
    """The nodes of one scope's context graph: markers, formulas, forward values (see the module docstring).

    >>> from symbolic.read.context import context_from_dict
    >>> t = context_from_dict({"symbols": {"x": {}}, "graph": {"z": {"value": "2*x"}, "y": {"value": "z**2"}}})
    >>> g = graph_of(t.scope()); z, y = g.marker["z"], g.marker["y"]
    >>> g.is_node(y), sorted(map(str, g.descendants(z))), str(g.forward(y)), str(g.expand(y + z, z))
    (True, ['y'], '4*x**2', 'z**2 + z')
    """

    def __init__(self, scope) -> None:
        self.scope = scope
        self.marker: dict[str, sp.Basic] = {}  # node name -> its symbol while a line is read
        self.value: dict = {}  # node name -> its formula in the markers of the nodes before it
        self.grad: dict = {}  # arbitrary node name -> {argument marker: the free gradient symbol}
        self.fwd: dict = {}  # marker -> the node's value at the input
        self.spelled: dict = {}  # another spelling of a node (also = [...]) -> its marker
        d = scope.d
        for name, spec in scope.table.graph.items():
            if name != spec.name:  # another spelling of a node (also = [...]): the same marker
                continue
            try:
                value = None if spec.value is None else scope._parse(spec.value)
            except InvalidInputError as err:
                raise InvalidInputError(f"graph.{name}: {err.message} (a node's value may use the symbols and "
                                        "the nodes listed before it)", symbol=scope.table.file) from None
            decl = d.decls.get(name)
            if decl is not None and getattr(decl, "symbol", None) is not None:
                m = decl.symbol
                if value is not None and _shape(m) != _shape(value):
                    raise InvalidInputError(f"graph.{name}: its value is {_shape(value)}, its declaration "
                                            f"{_shape(m)}", symbol=scope.table.file)
            elif value is None or not isinstance(value, MatrixExpr):
                m = d.scalar(name)
            else:
                m = d.matrix(name, *value.shape)
            self.marker[name] = m
            if value is not None:
                self.value[name] = value
                self.fwd[m] = value.xreplace(self.fwd)
                continue
            grads = {}
            for arg in spec.of:
                a = self.marker.get(arg) or getattr(d.decls.get(arg), "symbol", None)
                if a is None:
                    raise InvalidInputError(f"graph.{name}: of {arg!r}, which is neither a node before it nor a "
                                            "declared symbol", symbol=scope.table.file)
                g = f"grad_{arg}({name})"
                grads[a] = d.matrix(g, *a.shape) if isinstance(a, MatrixExpr) else d.scalar(g)
            self.grad[name] = grads
        self._nodes = {m: n for n, m in self.marker.items()}
        for name, spec in scope.table.graph.items():
            if name != spec.name and spec.name in self.marker:
                self.spelled[name] = self.marker[spec.name]

    def node(self, name: str):
        """The marker of node ``name`` (or of the node it is another spelling of).

        >>> from symbolic.read.context import context_from_dict
        >>> s = context_from_dict({"symbols": {"x": {}}, "graph": {"y": {"value": "x", "also": ["Y"]}}}).scope()
        >>> graph_of(s).node("Y") is graph_of(s).node("y")
        True
        """
        return self.spelled.get(name) or self.marker[name]

    # -- structure -------------------------------------------------------------
    def is_node(self, e) -> bool:
        """Whether ``e`` is the marker of a node.

        >>> from symbolic.read.context import context_from_dict
        >>> s = context_from_dict({"symbols": {"x": {}}, "graph": {"y": {"value": "x"}}}).scope()
        >>> graph_of(s).is_node(s.symbol("y", False)), graph_of(s).is_node(s.symbol("x", False))
        (True, False)
        """
        return e in self._nodes

    def descendants(self, v) -> set:
        """The markers of the nodes computed from the symbol ``v`` (directly or through other nodes).

        >>> from symbolic.read.context import context_from_dict
        >>> s = context_from_dict({"symbols": {"x": {}}, "graph": {"z": {"value": "x"}, "y": {"value": "z"}}}).scope()
        >>> sorted(map(str, graph_of(s).descendants(s.symbol("x", False))))
        ['y', 'z']
        """
        out: set = set()
        for name, m in self.marker.items():  # in file order: a node's inputs come before it
            inputs = self._inputs(name)
            if v in inputs or inputs & out:
                out.add(m)
        return out

    def _inputs(self, name: str) -> set:
        if name in self.value:
            return set(_free(self.value[name]))
        return set(self.grad[name])

    def ancestors(self, name: str) -> set:
        """The symbols and node markers that node ``name`` is computed from, transitively.

        >>> from symbolic.read.context import context_from_dict
        >>> t = context_from_dict({"symbols": {"x": {}}, "graph": {"z": {"value": "2*x"}, "y": {"value": "z"}}})
        >>> sorted(map(str, graph_of(t.scope()).ancestors("y")))
        ['x', 'z']
        """
        out: set = set()
        todo = [name]
        while todo:
            for s in self._inputs(todo.pop()):
                if s not in out:
                    out.add(s)
                    if s in self._nodes:
                        todo.append(self._nodes[s])
        return out

    def at_its_input(self, name: str, arg) -> bool:
        """Whether ``name(arg)`` names the node itself: ``arg`` is what it is computed from (``L(u)``,
        ``L(w)``, ``w(g u/||u||)``), at the forward pass.

        >>> from symbolic.read.context import context_from_dict
        >>> t = context_from_dict({"symbols": {"x": {}, "a": {}}, "graph": {"y": {"value": "2*x"}}})
        >>> s = t.scope(); g = graph_of(s)
        >>> g.at_its_input("y", s.symbol("x", False)), g.at_its_input("y", s.symbol("a", False))
        (True, False)
        """
        here = self.forward(arg)
        name = self._nodes[self.node(name)]
        return any(here == self.forward(a) for a in self.ancestors(name) | {self.marker[name]})

    def forward(self, e):
        """``e`` with every node replaced by its value at the input (an arbitrary node stays itself).

        >>> from symbolic.read.context import context_from_dict
        >>> s = context_from_dict({"symbols": {"x": {}}, "graph": {"y": {"value": "x + 1"}, "L": {"of": ["y"]}}}).scope()
        >>> str(graph_of(s).forward(s.symbol("y", False) * s.symbol("L", False)))
        'L*(x + 1)'
        """
        if not isinstance(e, sp.Basic) or not self.fwd:
            return e
        return e.xreplace(self.fwd)

    # -- the derivative --------------------------------------------------------
    def expand(self, f, v):
        """``f`` as a function of ``v``: every node computed from ``v`` replaced by its formula, an arbitrary
        node ``L`` of ``w`` by ``grad_w(L)^T w`` (its first-order part: exact for a first derivative where ``f``
        is ``L`` times a factor free of ``v``).

        >>> from symbolic.read.context import context_from_dict
        >>> s = context_from_dict({"symbols": {"x": {}}, "graph": {"y": {"value": "x**2"}, "L": {"of": ["y"]}}}).scope()
        >>> str(graph_of(s).expand(3 * s.symbol("L", False), s.symbol("x", False)))
        '3*grad_y(L)*x**2'
        """
        down = self.descendants(v)
        for name, grads in self.grad.items():
            m = self.marker[name]
            if m not in down or not f.has(m):
                continue
            if not _linear_in(f, m, down | {v}):
                raise ReadError(f"a derivative of {f} with respect to {v}: {name} is an arbitrary function, and "
                                "this expression of it is not read yet (only a multiple of it)")
        for _ in range(_ROUNDS):
            rules = {m: self.value[n] for n, m in self.marker.items() if m in down and n in self.value}
            for n, grads in self.grad.items():
                if self.marker[n] in down:
                    rules[self.marker[n]] = sum((Dot(g.T * a) if isinstance(a, MatrixExpr) else g * a
                                                 for a, g in grads.items()), sp.S.Zero)
            new = f.xreplace(rules) if isinstance(f, sp.Basic) else f
            if new == f:
                return f
            f = new
        raise ReadError("the graph's nodes do not terminate (a node computed from itself)")

    def unknown(self, F, v):
        """A name of ``F`` whose dependence on ``v`` nothing declares (a name defined by a line, or undeclared),
        outside the indices of entries; or None.

        >>> from symbolic.read.context import context_from_dict
        >>> s = context_from_dict({"symbols": {"x": {}}, "graph": {"y": {"value": "x"}}}).scope()
        >>> x, q = s.symbol("x", False), s.symbol("q", False)
        >>> graph_of(s).unknown(x * q, x), graph_of(s).unknown(x**2, x)
        (q, None)
        """
        known = set(self.marker.values()) | {g for gs in self.grad.values() for g in gs.values()} | {v}
        table, defined = self.scope.table, {s for s, _ in getattr(self.scope.d, "definitions", ())}
        indices = {s for a in sp.preorder_traversal(F) if isinstance(a, Entry) for s in a.args[1].free_symbols}
        indices |= {s for a in sp.preorder_traversal(F) if isinstance(a, MatrixElement)
                    for s in (a.i, a.j) if isinstance(s, sp.Basic) for s in s.free_symbols}
        for s in sorted(_free(F), key=str):
            if s in known or (s in indices and not isinstance(s, sp.MatrixSymbol)) or str(s) in table.functions:
                continue
            spec = table.symbols.get(str(s))
            if s in defined or (spec is None and str(s) not in table.dims) or getattr(spec, "depends_on", ()):
                return s
        return None

    def second_order(self, f, v) -> str | None:
        """Why ``d f / d v`` would be a second derivative of an arbitrary node, or None.

        >>> from symbolic.read.context import context_from_dict
        >>> s = context_from_dict({"symbols": {"x": {}}, "graph": {"L": {"of": ["x"]}}}).scope()
        >>> g = graph_of(s); grad = g.grad["L"][s.symbol("x", False)]
        >>> g.second_order(grad, s.symbol("x", False))[:40]
        'the derivative of grad_x(L) with respect'
        """
        for name, grads in self.grad.items():
            for a, g in grads.items():
                if isinstance(f, sp.Basic) and f.has(g) and (a == v or a in self.descendants(v)):
                    return (f"the derivative of {f} with respect to {v} holds {g}, the gradient of the arbitrary "
                            f"function {name}: its dependence on {v} (a second derivative of {name}) is unknown")
        return None


def graph_of(scope) -> Graph | None:
    """The graph of ``scope``'s context (built once, on first use), or None when the context declares none.

    >>> from symbolic.read.context import context_from_dict
    >>> t = context_from_dict({"symbols": {"x": {}}, "graph": {"y": {"value": "x**2"}}})
    >>> str(graph_of(t.scope()).forward(graph_of(t.scope()).marker["y"]))
    'x**2'
    """
    if not scope.table.graph:
        return None
    g = scope.__dict__.get("_graph")
    if g is None:
        g = scope.__dict__["_graph"] = Graph(scope)
    return g


def graph_derivative(builder, f, x):
    r"""``d f / d x`` by the graph (the backprop convention), or None when neither ``x`` nor what ``f`` is
    computed from is a node depending on ``x`` (the builder's own derivative then applies).

    >>> from symbolic.read.context import context_from_dict
    >>> from symbolic.read.latex import read_chain
    >>> t = context_from_dict({"symbols": {"x": {}}, "graph": {"y": {"value": "x**3"}}})
    >>> str(read_chain(r"\frac{\partial y}{\partial x}", t.scope()).exprs[0])
    '3*x**2'
    """
    graph = graph_of(builder.scope)
    if graph is None:
        return None
    v = x.args[0] if isinstance(x, Entry) else getattr(x, "parent", x)
    if not isinstance(v, (sp.Symbol, sp.MatrixSymbol)):
        return None
    why = graph.second_order(f, v)
    if why is not None:
        raise ReadError(why)
    down = graph.descendants(v)
    if not graph.is_node(v) and not (isinstance(f, sp.Basic) and any(f.has(m) for m in down)):
        held = [m for m in graph.marker.values() if isinstance(f, sp.Basic) and f.has(m)]
        spec = builder.scope.table.symbols.get(str(v))  # x_j of no declared vector, O^a computed from h^s
        if held and not down and (spec is None or spec.depends_on):
            what = "neither declared nor a node" if spec is None else "not a node of the graph (declared by depends_on)"
            raise ReadError(f"a derivative of {held[0]} (a node of the graph) with respect to {x}, which is {what}: "
                            "how it depends on it is unknown, not read yet")
        return None
    F = graph.expand(f, v)
    unknown = graph.unknown(F, v)
    if unknown is not None:
        raise ReadError(f"a derivative with respect to {x}: how {unknown} depends on {v} is unknown (neither "
                        "declared by the context nor a node of its graph), not read yet")
    if isinstance(F, MatrixExpr) and _is1x1(F):
        F = Dot(F)
    if x is not v:  # an entry v_j or W_kj: entry by entry where the formula allows it, else from the whole
        try:
            return builder.entry_derivative(F, x)
        except ReadError:
            pass
        if isinstance(F, MatrixExpr):
            raise ReadError(f"the derivative of {F} ({F.shape[0]}x{F.shape[1]}) with respect to the entry {x} "
                            "is not read yet")
        whole = _eager(builder.scope, F, v)
        return Entry(whole, x.args[1]) if isinstance(x, Entry) else MatrixElement(whole, x.i, x.j)
    return _eager(builder.scope, F, v)


def _eager(scope, F, v):
    """``d F / d v`` now (a column or scalar ``F``; ``v`` a symbol), cross-checked by central differences."""
    from ..algebra.chain import NoRule, chain_derivative

    if isinstance(v, sp.Symbol):
        if isinstance(F, MatrixExpr):
            raise ReadError(f"the derivative of the matrix {F} with respect to the scalar {v} is not read yet")
        return sp.diff(F, v)
    if isinstance(F, MatrixExpr) and not (sp.sympify(F.shape[1]) == 1 and sp.sympify(v.shape[1]) == 1):
        raise ReadError(f"the derivative of {F} ({F.shape[0]}x{F.shape[1]}) with respect to {v} is not read yet")
    node = Jac(F, v) if isinstance(F, MatrixExpr) else Grad(F, v)
    try:
        D = chain_derivative(node)
    except (NoRule, TypeError, ValueError, AttributeError) as err:
        if isinstance(F, MatrixExpr):
            raise ReadError(f"the derivative of {F} with respect to {v} through the graph: {err}; not read yet") from None
        from .term_derivative import term_by_term  # tr(W^T W): sympy's, term by term, cross-checked below

        D = term_by_term(F, v)
    _cross_check(scope, node, D)
    return D


def _cross_check(scope, node, D) -> None:
    """The chain rule's ``D`` against central differences of ``node`` on two random instances: a
    disagreement, or a value that cannot be computed, leaves the line UNREAD (one witness is never trusted)."""
    import mpmath
    import numpy as np

    from ..algebra import differences
    from ..algebra.backend import Backend, EvalError, close
    from ..algebra.evaluate import evaluate
    from ..checks.sampling import Sampler, to_backend

    F, v = node.args
    sampler = Sampler(scope.d, seed=0)
    where = {s for e in (F, D) for a in sp.preorder_traversal(e) if isinstance(a, (Entry, MatrixElement))
             for i in (a.args[1:] if isinstance(a, Entry) else (a.i, a.j)) for s in sp.sympify(i).free_symbols}
    lower = {decl.symbol: decl.lower for decl in scope.d.decls.values() if type(decl).__name__ == "IndexDecl"}
    mp = Backend("mp", 30)  # central differences at 30 digits: an error near 1e-20, no float64 rounding
    for k in range(2):
        try:  # the indices of entries (the class y, an entry j) at their first value: in range of every size
            inst = to_backend(sampler.instance(k, overrides={s: max(lower.get(s, 1), 1) for s in where}), mp)
            with mpmath.workdps(mp.dps):
                got = np.asarray(evaluate(D, inst), dtype=float)
                if sp.sympify(v.shape[1]) == 1:
                    J = np.asarray(differences.jacobian(F, v, inst, evaluate), dtype=float)
                    want = J if isinstance(node, Jac) else J.T
                else:
                    want = np.asarray(differences.matrix_gradient(F, v, inst, evaluate), dtype=float)
        except (EvalError, ArithmeticError, TypeError, ValueError, KeyError, IndexError, AttributeError) as err:
            raise ReadError(f"the derivative of {F} with respect to {v} through the graph could not be "
                            f"cross-checked numerically ({type(err).__name__}: {err}); not read yet") from None
        ok, err = close(got.reshape(want.shape) if got.size == want.size else got, want, 1e-9)
        if not ok:
            raise ReadError(f"the chain rule and central differences disagree on the derivative of {F} with "
                            f"respect to {v} (relative error {err:.1e}); not read")


def _free(e) -> list:
    return [s for s in getattr(e, "free_symbols", ()) if isinstance(s, (sp.Symbol, sp.MatrixSymbol))]


def _shape(e) -> tuple:
    if isinstance(e, MatrixExpr):
        return (sp.sympify(e.shape[0]), sp.sympify(e.shape[1]))
    return (sp.Integer(1), sp.Integer(1))


def _is1x1(e) -> bool:
    return sp.sympify(e.shape[0]) == 1 and sp.sympify(e.shape[1]) == 1


def _linear_in(f, m, varying: set) -> bool:
    """Whether ``f`` is ``m`` times a factor free of ``m`` and of ``varying``, plus terms free of ``m``."""
    if f == m:
        return True
    if isinstance(f, sp.Add):
        return all(_linear_in(t, m, varying) or not t.has(m) for t in f.args)
    if isinstance(f, sp.Mul) and m in f.args:
        rest = f / m
        return not any(rest.has(s) for s in varying | {m})
    return False
