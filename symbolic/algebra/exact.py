"""Exact evaluation at a point: is an expression really undefined there, or only in floating point?

A side that raises a domain error at 60 digits may still be defined: ``log(1 -
sigmoid(451))`` is ``log(e^-451 / (1 + e^-451))``, a finite number that 60
digits cannot resolve (``1 - sigmoid(451)`` rounds to 0).  Before a point
where one side is undefined counts as a counterexample, the side is evaluated
exactly: the point's values are substituted as exact rationals (matrices as
explicit matrices) and sympy evaluates the result with its own adaptive
precision.  An exact ``nan``, ``zoo``, a complex value or a singular matrix
confirms the pole (``True``); a finite real value refutes it (``False``);
where sympy cannot settle it (stepcheck's own nodes, such as an index out of
range, which the evaluator decides exactly anyway) the answer is ``None``.

>>> import sympy as sp
>>> x = sp.Symbol("x", real=True)
>>> exactly_undefined(sp.log(1 - 1 / (1 + sp.exp(-x))), {x: 451.0})
False
>>> exactly_undefined((x**2 - 1) / (x - 1), {x: 1.0})
True
>>> exactly_undefined(sp.Function("f")(x), {x: 1.0}) is None
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


def exactly_undefined(expr, values: dict, *, digits: int = 60) -> bool | None:
    """Whether ``expr`` is undefined at ``values`` (symbol -> number or array) by exact evaluation;
    ``None`` where sympy cannot settle it."""
    if not isinstance(expr, sp.Basic) or expr.atoms(*_OPAQUE) or _has_opaque_node(expr):
        return None
    subs = {k: _exact(v) for k, v in values.items() if isinstance(k, (sp.Symbol, sp.MatrixSymbol))}
    try:
        e = expr.doit() if expr.has(sp.Derivative) else expr
        e = _formulas(e)
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
                return None  # sympy could not reduce it to a number: not settled
        return False
    except (NonInvertibleMatrixError, ZeroDivisionError):
        return True
    except Exception:  # noqa: BLE001 - anything sympy cannot evaluate settles nothing
        return None


def _formulas(expr):
    """Each registered scalar operator written as its exact formula: the first of its equality lemmas
    whose right side no longer holds the operator (``sigmoid(z) = 1 / (1 + exp(-z))``)."""
    from .ops import lookup

    def formula(node):
        op = lookup(node)
        for lemma in (op.rewrites if op else ()):
            if lemma.contextual or lemma.head is not None:
                continue
            try:
                new = lemma.apply(node)
            except Exception:  # noqa: BLE001 - a lemma that does not apply here
                continue
            if new is not None and not new.has(type(node)):
                return new
        return node

    for _ in range(4):  # a formula may hold another operator (GELU's normal CDF): a few rounds
        new = expr.replace(lambda n: isinstance(n, sp.Function) and lookup(n) is not None, formula)
        if new == expr:
            break
        expr = new
    return expr


def _has_opaque_node(expr) -> bool:
    """stepcheck's own nodes sympy cannot evaluate exactly (an applied function family, a sequence term)."""
    names = {"Apply", "SeqTerm", "MatProd", "MatSum", "Expect", "MatExpect", "Jac", "Grad", "Hessian", "Limit"}
    return any(type(a).__name__ in names for a in sp.preorder_traversal(expr))
