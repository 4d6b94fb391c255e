"""Matrix expressions as terms: the helpers the chain rule and the matrix differential share.

>>> import sympy as sp
>>> A, x = sp.MatrixSymbol("A", 2, 2), sp.MatrixSymbol("x", 2, 1)
>>> split(3 * A * x)
(3, [A, x])
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from .ops import lookup


def split(t):
    """A term as ``(scalar coefficient, [matrix factors])``."""
    if isinstance(t, sp.MatMul):
        return sp.Mul(*[a for a in t.args if not a.is_Matrix]), [a for a in t.args if a.is_Matrix]
    if isinstance(t, MatrixExpr):
        return sp.S.One, [t]
    return t, []


def expand_held(e):
    """Products distributed over sums, the operators' own arguments (element-wise bodies) left as written."""
    held = {a: sp.MatrixSymbol(f"_held{k}", *a.shape) for k, a in enumerate(
        {a for a in sp.preorder_traversal(e) if isinstance(a, MatrixExpr) and lookup(a) is not None})}
    return e.xreplace(held).expand().xreplace({v: k for k, v in held.items()})
