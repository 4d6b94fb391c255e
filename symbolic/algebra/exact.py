"""Exact evaluation at a point: is an expression really undefined there, or only in floating point?

A side that raises a domain error at 60 digits may still be defined: ``log(1 -
sigmoid(451))`` is ``log(e^-451 / (1 + e^-451))``, a finite number that 60
digits cannot resolve (``1 - sigmoid(451)`` rounds to 0).  Before a point
where one side is undefined counts as a counterexample, the side is evaluated
exactly: the point's values are substituted as exact rationals (matrices as
explicit matrices) and sympy evaluates the result with its own adaptive
precision.  Only an exact ``nan``, ``zoo``, a complex value or a singular
matrix confirms the pole; anything sympy cannot settle is not a pole.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> exactly_undefined(sp.log(1 - 1 / (1 + sp.exp(-x))), {x: 451.0})
False
>>> exactly_undefined((x**2 - 1) / (x - 1), {x: 1.0})
True
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.matrices.common import NonInvertibleMatrixError
from sympy.matrices.expressions.matexpr import MatrixExpr

#: Nodes whose meaning is not a closed sympy formula (sampled function families, sequences): never settled exactly.
_OPAQUE = (AppliedUndef,)


def _exact(v):
    if isinstance(v, np.ndarray):
        return sp.ImmutableMatrix([[_exact(x) for x in row] for row in np.atleast_2d(v)])
    try:
        return sp.Rational(Fraction(str(v)))  # the decimal the value prints as: exact, and small when shrunk
    except (ValueError, TypeError):
        return sp.Rational(float(v))


def exactly_undefined(expr, values: dict, *, digits: int = 60) -> bool:
    """Whether ``expr`` is undefined at ``values`` (symbol -> number or array) by exact evaluation.

    ``False`` also when sympy cannot settle it: only a confirmed pole counts.
    """
    if not isinstance(expr, sp.Basic) or expr.atoms(*_OPAQUE) or _has_opaque_node(expr):
        return False
    subs = {k: _exact(v) for k, v in values.items() if isinstance(k, (sp.Symbol, sp.MatrixSymbol))}
    try:
        e = expr.doit() if expr.has(sp.Derivative) else expr
        e = e.xreplace(subs)
        if isinstance(e, MatrixExpr) or getattr(e, "is_Matrix", False):
            e = sp.ImmutableMatrix(e.as_explicit()) if isinstance(e, MatrixExpr) else e
            entries = list(e)
        else:
            entries = [e.doit()]
        for x in entries:
            x = sp.simplify(x) if x.has(sp.nan, sp.zoo) else x
            if x.has(sp.nan, sp.zoo) or x in (sp.oo, -sp.oo):
                return True
            v = sp.N(x, digits, strict=False)
            if v.has(sp.nan, sp.zoo) or v.is_real is False:
                return True
            if not v.is_Number:
                return False  # sympy could not reduce it to a number: not settled, so no pole
        return False
    except (NonInvertibleMatrixError, ZeroDivisionError):
        return True
    except Exception:  # noqa: BLE001 - anything sympy cannot evaluate settles nothing
        return False


def _has_opaque_node(expr) -> bool:
    """stepcheck's own nodes sympy cannot evaluate exactly (an applied function family, a sequence term)."""
    names = {"Apply", "SeqTerm", "MatProd", "Expect", "MatExpect", "Jac", "Grad", "Hessian", "Limit"}
    return any(type(a).__name__ in names for a in sp.preorder_traversal(expr))
