"""The nodes of the norms family and the user's constructor :func:`norm`.

One node class per norm (``Norm`` of :mod:`symbolic.algebra.nodes` is the
2-norm of a vector and the spectral norm of a matrix): each class is one
operator of the registry, and a lemma matches a norm by its class, never by
an argument that could be any expression.

>>> import sympy as sp
>>> n = sp.Symbol("n", integer=True, positive=True)
>>> x = sp.MatrixSymbol("x", n, 1)
>>> type(norm(x, 1)).__name__, type(norm(x, sp.oo)).__name__, type(norm(x)).__name__
('Norm1', 'NormInf', 'Norm')
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from ..nodes import Norm


class _NormNode(sp.Function):
    nargs = 1
    is_commutative = True
    is_real = True
    is_nonnegative = True


class Norm1(_NormNode):
    """``||x||_1 = sum_i |x_i|`` of a vector; of a matrix, the induced norm (largest absolute column sum)."""


class NormInf(_NormNode):
    """``||x||_inf = max_i |x_i|`` of a vector; of a matrix, the induced norm (largest absolute row sum)."""


class Frobenius(_NormNode):
    """``||A||_F = sqrt(sum_ij A_ij^2) = sqrt(tr(A^T A))``."""


class Nuclear(_NormNode):
    """``||A||_* = sum of the singular values of A`` (the trace norm)."""


#: The orders ``norm`` accepts, and the node of each.
_ORDERS = {2: Norm, "2": Norm, 1: Norm1, "1": Norm1, "inf": NormInf, "oo": NormInf, "fro": Frobenius,
           "F": Frobenius, "nuc": Nuclear, "*": Nuclear}


def norm(x, p=2):
    """The ``p``-norm of ``x``: ``p`` is 2 (default; spectral of a matrix), 1, ``sp.oo``, ``"fro"`` or ``"nuc"``.

    >>> import sympy as sp
    >>> A = sp.MatrixSymbol("A", 3, 2)
    >>> norm(A, "fro"), norm(A, "nuc"), norm(A)
    (Frobenius(A), Nuclear(A), Norm(A))
    """
    if p is sp.oo or p == float("inf"):
        p = "inf"
    key = p if isinstance(p, str) else (int(p) if sp.sympify(p).is_Integer else p)
    cls = _ORDERS.get(key)
    if cls is None:
        raise ValueError(f"norm of order {p!r}: the orders are 1, 2, oo (infinity), 'fro' and 'nuc'")
    return cls(x)


def is_vector(X) -> bool:
    """Whether ``X`` is a matrix expression with one row or one column (its shape says so symbolically).

    >>> import sympy as sp
    >>> is_vector(sp.MatrixSymbol("x", 3, 1)), is_vector(sp.MatrixSymbol("A", 3, 3))
    (True, False)
    """
    return isinstance(X, MatrixExpr) and (sp.sympify(X.shape[1]) == 1 or sp.sympify(X.shape[0]) == 1)


def length(X):
    """The number of entries of a vector ``X``.

    >>> import sympy as sp
    >>> length(sp.MatrixSymbol("x", sp.Symbol("n"), 1))
    n
    """
    return X.shape[0] * X.shape[1]


NORMS = (Norm, Norm1, NormInf, Frobenius, Nuclear)
