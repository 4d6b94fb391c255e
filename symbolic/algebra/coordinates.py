r"""Coordinate by coordinate: a vector identity linear in its vector atoms, with scalar coefficients, is one scalar identity.

``beta^t v_0 + sum_{i=1}^t beta^{t-i} (1 - beta) g_i``, with ``v_0`` and the ``g_i`` vectors, is a linear
combination of vectors with scalar coefficients: its k-th coordinate is the same combination of the k-th
coordinates, and the coordinates never meet.  So two such sides are equal for every value of the vectors
exactly when the scalar forms (each vector atom replaced by one scalar unknown) are equal for every value
of those unknowns: :func:`coordinatewise` gives that scalar form, or None when the expression is not of
that kind (a matrix times a vector, a transpose, a product of two vectors, a vector inside a scalar).

>>> from .nodes import MatSum, SeqTerm
>>> i, t = sp.Symbol("i", integer=True), sp.Symbol("t", integer=True)
>>> b, n = sp.Symbol("b"), sp.Symbol("n")
>>> coordinatewise(b * sp.MatrixSymbol("v", n, 1) + MatSum(b**i * SeqTerm(sp.Symbol("g"), i, n, 1), i, 1, t))
b*v__coord + Sum(b**i*g__coord(i), (i, 1, t))
>>> coordinatewise(sp.MatrixSymbol("W", n, n) * sp.MatrixSymbol("v", n, 1)) is None
True
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from .nodes import MatSum, SeqTerm

__all__ = ["coordinatewise"]


class _NotLinear(Exception):
    pass


def coordinatewise(expr):
    """The scalar form of a vector expression linear in its vector atoms (see the module docstring), else None."""
    if not isinstance(expr, MatrixExpr) or sp.sympify(expr.shape[1]) != 1 or sp.sympify(expr.shape[0]) == 1:
        return None
    try:
        return _coord(expr, sp.sympify(expr.shape[0]))
    except _NotLinear:
        return None


def _scalar_free(c) -> bool:
    return not any(isinstance(a, MatrixExpr) for a in sp.preorder_traversal(c))


def _coord(e, rows):
    if not isinstance(e, MatrixExpr):
        raise _NotLinear
    if sp.sympify(e.shape[0]) != rows or sp.sympify(e.shape[1]) != 1:
        raise _NotLinear
    if isinstance(e, sp.ZeroMatrix):
        return sp.Integer(0)
    if isinstance(e, sp.MatrixSymbol):
        return sp.Symbol(f"{e.name}__coord", real=True)
    if isinstance(e, SeqTerm):
        return sp.Function(f"{e.name}__coord", real=True)(e.index)
    if isinstance(e, sp.MatAdd):
        return sp.Add(*[_coord(a, rows) for a in e.args])
    if isinstance(e, sp.MatMul):
        mats = [a for a in e.args if isinstance(a, MatrixExpr)]
        coeff = [a for a in e.args if not isinstance(a, MatrixExpr)]
        if len(mats) != 1 or not all(_scalar_free(c) for c in coeff):
            raise _NotLinear
        return sp.Mul(*coeff) * _coord(mats[0], rows)
    if isinstance(e, MatSum):
        body, i, lo, hi = e.args
        return sp.Sum(_coord(body, rows), (i, lo, hi))
    raise _NotLinear
