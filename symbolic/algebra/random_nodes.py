"""The nodes of random quantities beyond ``Expect``/``MatExpect``: the variance and the covariance.

Their rules (evaluation by exact reduction, LaTeX, text names) are declared in
:mod:`symbolic.algebra.ops.random`; the reduction itself is in
:func:`symbolic.algebra.rewrite.reduce_expectations`.

>>> Var(sp.Symbol("z")).is_real
True
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

__all__ = ["Var", "Cov"]


class Var(sp.Function):
    """The variance ``E[X^2] - E[X]^2`` of a scalar (or 1 x 1) random expression.

    >>> Var(sp.Symbol("z")).args
    (z,)
    """

    nargs = 1
    is_commutative = True
    is_real = True


class Cov(MatrixExpr):
    """The covariance matrix ``E[x x^T] - E[x] E[x]^T`` of a random vector.

    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> Cov(sp.MatrixSymbol("x", n, 1)).shape
    (n, n)
    """

    def __new__(cls, X):
        return sp.Basic.__new__(cls, sp.sympify(X))

    @property
    def shape(self):
        r = self.args[0].shape[0]
        return (r, r)

    def doit(self, **hints):
        return self

    def _eval_transpose(self):
        return self
