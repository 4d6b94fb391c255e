r"""Entries of declared vectors and matrices in a submission: ``W_{kj}``, ``o_k(x)``, derivatives with respect
to an entry (computed entry by entry, never 0 by default), indicators.

>>> import sympy as sp
>>> from symbolic.read.context import context_from_dict
>>> from symbolic.read.latex import read_chain
>>> t = context_from_dict({"dims": ["m"], "symbols": {"v^a": {"kind": "vector", "size": "m"}}})
>>> str(read_chain(r"\frac{\partial}{\partial v_k^a} \log \sum_{i=1}^m \exp(v_i^a)", t.scope()).exprs[0])
'exp(Entry(v^a, k - 1))/Sum(exp(Entry(v^a, i - 1)), (i, 1, m))'
"""

from __future__ import annotations

from ..algebra import Dot, Entry, MatrixExpr, Step, sp
from ..exceptions import ReadError
from .shapes import _is1x1

_CONDITIONS = {"GT": sp.StrictGreaterThan, "LT": sp.StrictLessThan, "GE": sp.GreaterThan, "LE": sp.LessThan,
               "EQ": sp.Eq, "NEQ": sp.Ne}


def depends_on(table, name: str) -> set[str]:
    """The declared names that ``name`` is computed from, transitively (the context's ``depends_on``).

    >>> from symbolic.read.context import context_from_dict
    >>> t = context_from_dict({"symbols": {"h": {"kind": "vector", "depends_on": ["z"]},
    ...                                    "z": {"kind": "vector", "depends_on": ["W"]}}})
    >>> sorted(depends_on(t, "h"))
    ['W', 'z']
    """
    out: set[str] = set()
    todo = [name]
    while todo:
        spec = table.symbols.get(todo.pop())
        for n in getattr(spec, "depends_on", ()):
            if n not in out:
                out.add(n)
                todo.append(n)
    return out


class EntryMixin:
    """Entries of declared vectors and matrices: ``W_{kj}``, ``o_k(x)``, derivatives with respect to an entry,
    indicators ``I_{\\{a > b\\}}`` and ``\\mathbb{1}[a > b]``."""

    def matrix_entry(self, name: str, sub):
        r"""``W_{kj}``, ``W_{k,j}``, ``W^{(1)}_{i1}`` of a declared matrix: entry (k, j), numbered from 1; None when
        the subscript is not two indices (one letter or number each)."""
        parts = list(sub.children) if getattr(sub, "data", None) in ("mul", "tuple") else []
        if getattr(sub, "data", None) == "mul" and len(parts) == 2 and getattr(parts[0], "data", None) == "mul":
            return None
        if len(parts) != 2 or not all(self.is_name(p) or getattr(p, "data", None) in ("number", "digit")
                                      or self.index_name(p) is not None for p in parts):
            return None
        m = self.scope.symbol(name, False)
        for p, dim in zip(parts, m.shape):
            self.declare_index(p, dim)
        i, j = (_scalar_of(self.value(p)) for p in parts)
        for k in (i, j):
            if getattr(k, "is_Integer", False) and k < 1:
                raise ReadError(f"{name}_{{{self.label(sub)}}}: entries are numbered from 1")
        return m[i - 1, j - 1]

    def entry_at(self, head, args):
        r"""``o_k(x)``: the entry ``o_k`` of a declared vector, applied to the input it is computed from: its value
        (with a note); None when ``head`` is no such entry or the argument is not one vector."""
        if len(args) != 1:
            return None
        v = self.value(head)
        if not isinstance(v, Entry) or not isinstance(v.args[0], (sp.MatrixSymbol, MatrixExpr)):
            return None
        x = self.value(args[0])
        if not (isinstance(x, MatrixExpr) and sp.sympify(x.shape[1]) == 1 and sp.sympify(x.shape[0]) != 1):
            return None  # o_k(t) of a scalar: a product or an application, two readings
        self._note(f"{self.label(head)}({self.label(args[0])}) is read as the entry {v} (its value at the input "
                   f"{x}), not as {v} times {x}")
        return v

    def entry_derivative(self, f, x):
        r"""``\partial f / \partial v_k`` for ``x`` an entry of a declared vector ``v`` (or matrix): computed entry by
        entry (``d v_i / d v_k`` is the Kronecker delta); refused where ``f`` holds ``v`` whole, a vector or
        matrix whose dependence on ``v`` is unknown or declared, or a name defined by a line before."""
        from ..algebra import Grad

        parent = x.args[0] if isinstance(x, Entry) else x.parent
        if not isinstance(parent, sp.MatrixSymbol):
            raise ReadError(f"a derivative with respect to {x}, an entry of an expression, is not read yet")
        if isinstance(f, MatrixExpr):
            if not (sp.sympify(f.shape[0]) == 1 and sp.sympify(f.shape[1]) == 1):
                raise ReadError(f"the derivative of {f} (a matrix) with respect to the entry {x} is not read yet")
            f = Dot(f)
        if isinstance(f, sp.Symbol):  # a bare name: its dependence on x is what a line defines, or unknown
            return Grad(f, x)
        base = sp.IndexedBase(sp.Dummy(str(parent)))
        table = self.scope.table
        defined = {str(s) for s, _ in getattr(self.scope.d, "definitions", ())}

        def indexed(e):
            if isinstance(e, Entry) and e.args[0] == parent:
                return base[e.args[1]]
            if isinstance(e, sp.matrices.expressions.matexpr.MatrixElement) and e.parent == parent:
                return base[e.i, e.j]
            return None

        g = f.replace(lambda e: indexed(e) is not None, indexed)
        target = indexed(x)
        g = _fresh_bound(g, target.free_symbols)  # d/dW_{kj} of \sum_j W_{kj} x_j: the sum's j is not the free j
        for a in sp.preorder_traversal(g):
            if isinstance(a, sp.MatrixSymbol) or (isinstance(a, sp.Symbol) and str(a) in defined):
                name = str(a)
                if a == parent:
                    raise ReadError(f"the derivative of {f} with respect to the entry {x}: {parent} appears whole "
                                    "(not entry by entry), not read yet")
                if isinstance(a, sp.MatrixSymbol) and (name not in table.symbols
                                                       or str(parent) in depends_on(table, name)):
                    raise ReadError(f"the derivative of {f} with respect to the entry {x}: how {name} depends on "
                                    f"{parent} is unknown or declared (depends_on), not read yet")
                if name in defined:
                    raise ReadError(f"the derivative of {f} with respect to the entry {x}: it holds {name}, "
                                    "defined by a line before, not read yet")
            if isinstance(a, (Grad,)) or type(a).__name__ in ("Jac", "Hessian", "Apply", "SeqTerm"):
                raise ReadError(f"the derivative of {f} with respect to the entry {x} is not read yet")
        held = {a: sp.Dummy(str(a)) for a in sp.preorder_traversal(g) if isinstance(a, Entry)}  # b_k: a constant
        d = _declared_derivatives(sp.diff(g.xreplace(held), target), base, parent, table)
        d = d.xreplace({v: k for k, v in held.items()})
        d = d.replace(lambda e: isinstance(e, sp.Sum), lambda e: _delta_sum(e, parent))
        d = d.replace(lambda e: isinstance(e, sp.Sum), lambda e: _delta_sum_at(e, target, parent))
        back = {a: (Entry(parent, a.indices[0]) if len(a.indices) == 1 else parent[a.indices[0], a.indices[1]])
                for a in sp.preorder_traversal(d) if isinstance(a, sp.Indexed) and a.base == base}
        return self.plain_entries(d.xreplace(back))

    def indicator(self, cond):
        r"""``I_{\\{a > b\\}}``, ``\\mathbb{1}[a > b]``: 1 where the condition holds, else 0 (a > b is Step(a - b),
        0 at a = b; the others a Piecewise)."""
        a, rel, b = cond.children
        x, y = _scalar_of(self.value(a)), _scalar_of(self.value(b))
        kind = rel.children[0].type
        if kind == "GT":
            return Step(x - y)
        if kind == "LT":
            return Step(y - x)
        return sp.Piecewise((1, _CONDITIONS[kind](x, y)), (0, True))

    def indicator_factors(self, factors) -> list:
        r"""The values of a product's factors, ``\mathbb{1}`` and the bracketed condition after it one indicator."""
        values, k = [], 0
        while k < len(factors):
            f = factors[k]
            if (self.is_name(f) and self.name_of(f)[0] == "bb_1" and k + 1 < len(factors)
                    and getattr(factors[k + 1], "data", None) == "condition"):
                values.append(self.indicator(factors[k + 1]))
                k += 2
                continue
            if (self.is_name(f) and self.name_of(f)[0] == "bb_E" and "bb_E" not in self.scope.table.symbols
                    and k + 1 < len(factors) and getattr(factors[k + 1], "data", None) == "paren"):
                values.append(self.expectation(factors[k + 1]))  # \mathbb{E}[v_t]: one factor
                k += 2
                continue
            values.append(self.value(f))
            k += 1
        return values

    def expectation(self, paren):
        r"""``\mathbb{E}[x]``: the expectation over the random quantities the context declares (a sequence's
        terms; the common mean of an identically distributed one), by linearity where the engine reduces it."""
        from ..algebra import Expect, MatExpect

        return self.expectation_of(self.value(paren.children[0]))

    def expectation_of(self, x):
        r"""The expectation of the value ``x`` read inside ``\mathbb{E}[..]``, or a ReadError when nothing in it
        is random by the context."""
        from ..algebra import Expect, MatExpect

        seqs = self.scope.table.sequences
        if not any((isinstance(a, sp.core.function.AppliedUndef) and type(a).__name__ in seqs)
                   or (type(a).__name__ == "SeqTerm" and str(a.args[0]) in seqs) for a in sp.preorder_traversal(x)):
            # nothing in it is random by the context: read as constants, E[x y] = E[x] E[y] would be proved
            raise ReadError("an expectation is not read yet where no term of a sequence the context declares "
                            "(a random quantity) is inside")
        return MatExpect(x) if isinstance(x, MatrixExpr) and not _is1x1(x) else Expect(_scalar_of(x))

    def b_condition(self, *_):
        raise ReadError("a condition (a > b) outside an indicator I_{..} or \\mathbb{1}[..] is not read yet")


def _declared_derivatives(d, base, parent, table):
    """``d`` with each derivative ``f'(v_i)`` of a declared function ``f`` at an entry of ``parent`` (sympy's
    unevaluated ``Derivative(f(v_i), v_i)``) as the entry ``i`` of the element-wise ``f'`` applied to
    ``parent``, the graph's ``Apply(f', v)``; a derivative at any other argument stays (and is not read)."""
    from ..algebra.nodes import Apply

    def at_entry(e):
        if isinstance(e, sp.Derivative) and len(e.variables) == 1:
            f, (u,) = e.expr, e.variables
        elif isinstance(e, sp.Subs) and isinstance(e.expr, sp.Derivative) and len(e.variables) == 1 \
                and e.expr.variables == e.variables:
            f, u = e.expr.expr.xreplace({e.variables[0]: e.point[0]}), e.point[0]
        else:
            return None
        if not (isinstance(f, sp.core.function.AppliedUndef) and str(f.func) in table.functions
                and f.args == (u,) and isinstance(u, sp.Indexed) and u.base == base):
            return None
        fprime = Apply(sp.Symbol(f"{f.func}'"), parent)
        return Entry(fprime, u.indices[0]) if len(u.indices) == 1 else fprime[u.indices[0], u.indices[1]]

    return d.replace(lambda e: at_entry(e) is not None, at_entry) if isinstance(d, sp.Basic) else d


def _scalar_of(v):
    if isinstance(v, MatrixExpr):
        if sp.sympify(v.shape[0]) == 1 and sp.sympify(v.shape[1]) == 1:
            return Dot(v)
        raise ReadError(f"a matrix ({v}) where a scalar is needed")
    return v


def _fresh_bound(g, free):
    """``g`` with the indices of its sums that are also in ``free`` renamed (a bound index is not the free one)."""
    def rename(s):
        clash = [lim[0] for lim in s.limits if lim[0] in free]
        return s.xreplace({i: sp.Dummy(str(i), integer=True) for i in clash}) if clash else s

    return g.replace(lambda e: isinstance(e, (sp.Sum, sp.Product)), rename) if isinstance(g, sp.Basic) else g


def _delta_sum(s, parent):
    """``sum_{i=1}^{n} g(i) delta(i - 1, k - 1)`` over all the entries of ``parent`` (1..its size): g(k), the
    Piecewise of an index out of range dropped only then (k names an entry of ``parent``, so it is in range)."""
    from sympy.concrete.delta import deltasummation

    if len(s.limits) != 1 or not s.function.has(sp.KroneckerDelta):
        return s
    i, lo, hi = s.limits[0]
    if lo != 1 or sp.sympify(parent.shape[1]) != 1 or sp.sympify(hi) != sp.sympify(parent.shape[0]):
        return s
    return deltasummation(s.function, (i, lo, hi), no_piecewise=True)


def _delta_sum_at(s, target, parent):
    """A sum over index ``i`` of ``1..size`` of a term with ``delta(i - 1, t)``, ``t`` the index of ``target`` at
    a position of that size (an entry of ``parent``, so ``t`` is in range): the term at ``i - 1 = t``."""
    from sympy.concrete.delta import deltasummation

    if not s.function.has(sp.KroneckerDelta):
        return s
    at = list(target.indices)
    sizes = [sp.sympify(parent.shape[0])] if len(at) == 1 else [sp.sympify(n) for n in parent.shape]
    body, limits = s.function, list(s.limits)
    for lim in list(limits):
        i, lo, hi = lim
        pairs = [(p, t) for p, t in enumerate(at) if body.has(sp.KroneckerDelta(i - 1, t))]
        if lo != 1 or len(pairs) != 1 or sp.sympify(hi) != sizes[pairs[0][0]]:
            continue
        body = deltasummation(body, (i, lo, hi), no_piecewise=True)
        limits.remove(lim)
    return sp.Sum(body, *limits) if limits else body


def bound_entry_indices(exprs, scope) -> None:
    """A free name used only as the index of entries (``o_k^a``) of vectors of one size ``m``, declared by default
    as a real scalar, becomes an integer index 1..m (the same symbol): never drawn as 0.5, which would make
    ``Entry(o, k - 1)`` and ``KroneckerDelta(k, y)`` disagree and refute a true line.

    >>> from symbolic.read.context import context_from_dict
    >>> from symbolic.read.latex import read_chain
    >>> s = context_from_dict({"dims": ["m"], "symbols": {"v^a": {"kind": "vector", "size": "m"}}}).scope()
    >>> bound_entry_indices(read_chain("v_k^a", s).exprs, s); type(s.d.decls["k"]).__name__, s.d.decls["k"].upper
    ('IndexDecl', m)
    """
    from ..model.declarations import IndexDecl, ScalarDecl

    sizes: dict = {}
    for e in exprs:
        for a in sp.preorder_traversal(e) if isinstance(e, sp.Basic) else ():
            if isinstance(a, Entry) and isinstance(a.args[1], sp.Basic) and isinstance(a.args[0], MatrixExpr):
                for s in a.args[1].free_symbols:
                    if isinstance(s, sp.Symbol) and a.args[1] == s - 1:
                        sizes.setdefault(s, set()).add(sp.sympify(a.args[0].shape[0]))
    for s, size in sizes.items():
        decl = scope.d.decls.get(str(s))
        if (len(size) == 1 and isinstance(decl, ScalarDecl) and decl.symbol == s and str(s) not in scope.table.symbols
                and decl.lower is None and decl.upper is None and not decl.integer and len(str(s)) == 1):
            scope.d.decls[str(s)] = IndexDecl(str(s), decl.symbol, 1, 6, None, size.pop())
