r"""Derivative notation beyond ``\frac{\partial f}{\partial x}`` for the builder of :mod:`symbolic.read.build`:
a numerator that is an expression (``\frac{\lambda \partial E}{\partial W}``, ``\frac{-\partial E}{\partial x}``,
``\frac{\partial \sum_j W_{kj} x_j + b_k}{\partial b_k}``: the whole rest of the numerator is differentiated),
second derivatives (``\frac{\partial^2 f}{\partial x^2}``, ``\frac{\partial^2 f}{\partial^2 x}``,
``\frac{\partial^2 f}{\partial x \partial y}``, ``\nabla^2_x f``: the Hessian for a vector ``x``), a derivative
evaluated at a point (``\frac{\partial f}{\partial x}(x_0)``), and a derivative with respect to ``x_j`` where
``x`` is a declared vector (the entry ``j`` of ``x``, computed entry by entry).

>>> from symbolic.read.context import context_from_dict
>>> from symbolic.read.latex import read_chain
>>> t = context_from_dict({"dims": ["n"], "symbols": {"x": {"kind": "vector", "size": "n"}, "c": {}}})
>>> str(read_chain(r"\frac{c \partial x_k^2}{\partial x_k}", t.scope()).exprs[0])  # x_k: entry k of x
'2*c*Entry(x, k - 1)'
>>> str(read_chain(r"\frac{\partial}{\partial x_k} \sum_{j=1}^n x_j^2", t.scope()).exprs[0])
'2*Entry(x, k - 1)'
"""

from __future__ import annotations

import re

from lark import Tree

from ..algebra import Entry, MatrixExpr, sp
from ..exceptions import ReadError
from .shapes import _DiffOp, _factors, _is1x1, _is_vector, _scalar
from .unlabelled import refuse_or_read

_PARTIALS = ("partial", "partial_n", "partial_op", "partial_n_op")


class _NthDiff(_DiffOp):
    """``\\frac{\\partial^2}{\\partial x^2}`` (or mixed): an operator of order 2 waiting for what it differentiates."""

    def __init__(self, xs) -> None:
        super().__init__(xs[0])
        self.xs = xs


class DerivativeMixin:
    """Builders for derivative notation (``value``, ``mul``, ``derivative`` are the builder's)."""

    def derivative_frac(self, num, den):
        r"""``\frac{num}{den}`` when ``den`` is a ``\partial`` form (``\partial x``, ``\partial x^2``,
        ``\partial^2 x``, ``\partial x \partial y``) and ``num`` holds a leading ``\partial``; else None."""
        split = self._split_partial(num)
        if split is None:
            return None
        coefs, negative, order, body = split
        k = self._order(order)
        xs = self._variables(den, k)
        if xs is None:
            return None
        if body is not None and self.is_name(body) and self.name_of(body)[0] in self.scope.table.fields:
            spec = self.scope.table.fields[self.name_of(body)[0]]
            if all(x == self.scope.symbol(spec.of, False) for x in xs):  # no point written: at any x
                self.field_derivative(spec, len(xs), None)
        if body is None:
            if coefs or negative:
                raise ReadError("a coefficient before a derivative operator \\frac{c \\partial}{\\partial x} "
                                "is not read yet")
            return _DiffOp(xs[0]) if len(xs) == 1 else _NthDiff(xs)
        value = self.nth_derivative(self.value(body), xs)
        for c in coefs:
            value = self.mul(self.value(c), value)
        return -value if negative else value

    def apply_op(self, op, body):
        """The derivative operator ``op`` applied to the value ``body``."""
        if isinstance(op, _NthDiff):
            return self.nth_derivative(body, op.xs)
        return self.derivative(body, op.x)

    def nth_derivative(self, f, xs):
        r"""The derivative of ``f`` with respect to ``xs`` in turn (the last written first); twice with respect to
        one column vector, the Hessian (``hessian``)."""
        if len(xs) == 1:
            return self.derivative(f, xs[0])
        if len(xs) == 2 and xs[0] == xs[1] and _is_vector(xs[0]):
            from ..algebra.ops.calculus import hessian

            if isinstance(f, MatrixExpr) and not _is1x1(f):
                raise ReadError(f"the second derivative of {f} (a matrix) with respect to {xs[0]} is not read yet")
            first = self.derivative(f, xs[0])  # refuses what a first derivative refuses (unknown dependences)
            if not isinstance(first, MatrixExpr):
                raise ReadError(f"the second derivative of {f} with respect to {xs[0]} is not read yet")
            return hessian(_scalar(f), xs[0])
        if any(isinstance(x, MatrixExpr) and not _is1x1(x) for x in xs):
            raise ReadError("a mixed second derivative with respect to vectors or matrices is not read yet")
        value = f
        for x in reversed(xs):
            value = self.derivative(value, x)
        return value

    def _split_partial(self, t):
        """``(coefficients, negated, order, body)`` of a numerator that starts with a ``\\partial`` (after
        coefficients and a sign), ``body`` the whole rest of it (None for an operator); else None."""
        data = getattr(t, "data", None)
        if data == "partial":
            return [], False, 1, t.children[1]
        if data == "partial_n":
            return [], False, t.children[1], t.children[2]
        if data == "partial_op":
            return [], False, 1, None
        if data == "partial_n_op":
            return [], False, t.children[1], None
        if data in ("neg", "pos"):
            inner = self._split_partial(t.children[1])
            if inner is None:
                return None
            coefs, negative, order, body = inner
            return coefs, negative != (data == "neg"), order, body
        if data == "mul":
            factors = _factors(t)
            for k, f in enumerate(factors):
                inner = self._split_partial(f) if getattr(f, "data", None) in _PARTIALS else None
                if inner is None:
                    continue
                coefs, negative, order, body = inner
                rest = factors[k + 1:]
                if body is None and rest:
                    body, rest = rest[0], rest[1:]
                for r in rest:
                    body = Tree("mul", [body, r])
                if any(_has_partial(c) for c in factors[:k]):
                    return None
                return factors[:k] + coefs, negative, order, body
            return None
        if data in ("add", "sub"):
            left, op, right = t.children
            inner = self._split_partial(left)
            if inner is None or inner[3] is None:
                return None
            coefs, negative, order, body = inner
            return coefs, negative, order, Tree(data, [body, op, right])
        return None

    def _order(self, order) -> int:
        if order == 1:
            return 1
        k = self.value(order)
        if k not in (1, 2):
            raise ReadError(f"a derivative of order {k} is not read yet (only the first and second)")
        return int(k)

    def _variables(self, den, k: int):
        """The variables of the denominator of a derivative of order ``k`` (None when it is no ``\\partial`` form)."""
        data = getattr(den, "data", None)
        if data == "mul":
            parts = _factors(den)
            if not all(getattr(p, "data", None) == "partial" for p in parts):
                return None
            if len(parts) != k:
                raise ReadError(f"a derivative of order {k} with {len(parts)} variables in its denominator")
            return [self.value(p.children[1]) for p in parts]
        if data == "partial":
            x = den.children[1]
            if k == 1:
                return [self.value(x)]
            if getattr(x, "data", None) == "power" and self.value(x.children[1]) == k:  # \partial x^2
                v = self.value(x.children[0])
                return [v] * k
            raise ReadError(f"a derivative of order {k} whose denominator is not \\partial x^{k}")
        if data == "partial_n":  # \partial^2 x: a common spelling of \partial x^2
            if self.value(den.children[1]) != k:
                raise ReadError(f"a derivative of order {k} whose denominator is not \\partial x^{k}")
            v = self.value(den.children[2])
            self._note(f"\\partial^{k} {v} in the denominator is read as \\partial {v}^{k}")
            return [v] * k
        return None

    def b_partial_n(self, *_):
        raise ReadError("a \\partial^2 outside a derivative \\frac{\\partial^2 f}{\\partial x^2}")

    b_partial_n_op = b_partial_n

    def b_nabla_n(self, _tok, sub, k, body):
        if self.value(k) != 2:
            raise ReadError(f"\\nabla^{self.label(k)} is not read yet (only \\nabla^2, the Hessian)")
        x = self.value(sub)
        if not _is_vector(x):
            raise ReadError(f"\\nabla^2 with respect to {x}, which is not a column vector: not read yet")
        self._note(f"\\nabla^2_{{{x}}} is read as the Hessian (not the Laplacian, its trace)")
        return self.nth_derivative(self.value(body), [x, x])

    def b_nabla_n_sup(self, tok, k, sub, body):
        return self.b_nabla_n(tok, sub, k, body)

    def b_nabla_n_bare(self, *_):
        raise ReadError("a \\nabla^2 without its variable (\\nabla^2_x f) is not read yet")

    def b_func_frac(self, tok, frac, num, den):
        r"""``\log \frac{a}{b}``: the function applied to the fraction, as ``\log x``."""
        return self.b_func(tok, Tree("frac", [frac, num, den]))

    def derivative_at(self, head, args):
        r"""``\frac{\partial f}{\partial x}(x_0)``: the derivative evaluated at ``x_0``, when ``x_0`` is one name
        of ``x``'s shape and of its letter (``x_0``, ``x^*``, ``x'``); else None (then a product)."""
        data = getattr(head, "data", None)
        if len(args) != 1 or data not in ("frac", "nabla", "nabla_n", "nabla_n_sup"):
            return None
        if data == "frac" and not (getattr(head.children[2], "data", None) in ("partial", "partial_n", "mul")
                                   and self._split_partial(head.children[1]) is not None):
            return None
        point = args[0]
        field = self._field_at(head, point)
        if field is not None:
            return field
        letter = self._letter(point)
        d = self.value(head)
        if isinstance(d, _DiffOp):
            return None
        xs = self._frac_variables(head)
        if letter is None or not xs or any(self._letter(x) != letter or x is point for x in xs):
            return None
        x = self.value(xs[0])
        at = self.value(point)
        if not isinstance(x, (sp.Symbol, sp.MatrixSymbol)) or x == at or getattr(x, "shape", None) != getattr(at, "shape", None):
            return None
        defs = dict(getattr(self.scope.d, "definitions", ()))
        d = d.xreplace({s: v for s, v in defs.items() if s in getattr(d, "free_symbols", ())})
        if at in d.free_symbols:
            raise ReadError(f"the derivative at {at} of an expression that holds {at} already is not read yet")
        self._note(f"({at}) after the derivative is read as the derivative evaluated at {x} = {at}, not a product")
        return d.xreplace({x: at})

    def _field_at(self, head, point):
        r"""``\frac{\partial f}{\partial x}(x_0)`` (or ``\partial^2``) of a field ``f`` the context declares: the
        symbol it names for that derivative at its point; a ReadError at another point or for an order it does
        not name; None when ``f`` is no field (or the variable is not the field's)."""
        if getattr(head, "data", None) != "frac":
            return None
        split = self._split_partial(head.children[1])
        if split is None or split[0] or split[1] or split[3] is None or not self.is_name(split[3]):
            return None
        spec = self.scope.table.fields.get(self.name_of(split[3])[0])
        xs = self._variables(head.children[2], self._order(split[2])) if spec is not None else None
        if not xs or any(x != self.scope.symbol(spec.of, False) for x in xs):
            return None
        return self.field_derivative(spec, len(xs), self.value(point))

    def field_derivative(self, spec, order: int, at):
        """The symbol the context names for the derivative of order ``order`` of the field ``spec`` at ``at``."""
        named = {1: spec.gradient, 2: spec.hessian}.get(order)
        what = {1: "gradient", 2: "Hessian"}.get(order, f"derivative of order {order}")
        if at is None:
            raise ReadError(f"the {what} of {spec.name} at any {spec.of}: the context names it at {spec.at} only")
        if at != self.scope.symbol(spec.at, False):
            raise ReadError(f"the {what} of {spec.name} at {at}: the context names it at {spec.at} only")
        if named is None:
            raise ReadError(f"the {what} of {spec.name}: the context names no such derivative")
        self._note(f"the {what} of {spec.name} at {spec.at} is {named} (the context's declaration)")
        return self.scope.symbol(named, False)

    def _frac_variables(self, head):
        data = getattr(head, "data", None)
        if data == "nabla":
            return [head.children[1]]
        if data == "nabla_n":
            return [head.children[1]]
        if data == "nabla_n_sup":
            return [head.children[2]]
        den = head.children[2]
        parts = _factors(den) if getattr(den, "data", None) == "mul" else [den]
        out = []
        for p in parts:
            v = p.children[-1]
            if getattr(v, "data", None) == "power":
                v = v.children[0]
            out.append(v)
        return out

    def _letter(self, t):
        """The letter of a name, subscripted, primed or starred name (``x``, ``x_0``, ``x'``, ``x^*``), else None."""
        data = getattr(t, "data", None)
        if self.is_name(t):
            return self.name_of(t)[0]
        if data in ("subscript", "prime", "power") and self.is_name(t.children[0]):
            return self.name_of(t.children[0])[0]
        return None

    def entry_alias(self, f, x):
        r"""``\partial f / \partial x_j`` where ``x_j`` is read as a plain name but ``x`` is a declared vector that
        ``f`` holds: the derivative with respect to the entry ``j`` of ``x`` (the plain names ``x_i`` in ``f`` are
        its entries too), written back with the plain names; None when ``x`` is no such name.  Read as a name
        independent of ``x``, the derivative would be 0."""
        spec = self._vector_of(x)
        if spec is None:
            return None
        vec, _index = spec
        holds = any(isinstance(a, Entry) and a.args[0] == vec for a in sp.preorder_traversal(f)) \
            or vec in getattr(f, "free_symbols", ())
        if not holds:
            return None
        aliases = {}
        for s in getattr(f, "free_symbols", set()) | {x}:
            got = self._vector_of(s) if isinstance(s, sp.Symbol) else None
            if got is not None and got[0] == vec:
                aliases[s] = Entry(vec, got[1] - 1)
        g = f.xreplace(aliases) if isinstance(f, sp.Basic) else f
        d = self.entry_derivative(g, aliases[x])
        back = {e: s for s, e in aliases.items()}
        d = d.xreplace(back)
        left = [a for a in sp.preorder_traversal(d)
                if isinstance(a, sp.KroneckerDelta) or (isinstance(a, Entry) and a.args[0] == vec
                                                        and not (a.args[1].free_symbols & _bound_in(d)))]
        if left:
            raise ReadError(f"the derivative of {f} with respect to {x} (an entry of {vec}) leaves {left[0]}: "
                            "not read yet")
        self._note(f"{x} in the derivative is read as the entry {aliases[x]} of the declared vector {vec}")
        return d

    def unlabelled_variable(self, f, x):
        r"""``\partial f / \partial W_{kj}`` where ``f`` does not hold ``W`` but holds a labelled ``W^{(1)}``: two
        readings, the entry of ``W^{(1)}`` or a variable of its own (see :mod:`symbolic.read.unlabelled`): the
        derivative (0) under the second reading in force, else None."""
        return refuse_or_read(self, f, x)

    def _vector_of(self, x):
        """``(v, j)`` when ``x`` is the plain name ``v_j`` of a one-letter index ``j`` and ``v`` a declared vector."""
        if not isinstance(x, sp.Symbol):
            return None
        m = re.fullmatch(r"([A-Za-z]+)_([A-Za-z])", x.name)
        table = self.scope.table
        if m is None or x.name in table.symbols:
            return None
        spec = table.symbols.get(m.group(1))
        if spec is None or spec.kind != "vector":
            return None
        return self.scope.symbol(m.group(1), True), self.scope.symbol(m.group(2), False)


def _has_partial(t) -> bool:
    return getattr(t, "data", None) in _PARTIALS or any(_has_partial(c) for c in getattr(t, "children", ()))


def _bound_in(e) -> set:
    out = set()
    for a in sp.preorder_traversal(e):
        if isinstance(a, (sp.Sum, sp.Product)):
            out |= {lim[0] for lim in a.limits}
    return out
