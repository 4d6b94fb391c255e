"""Gradients of scalar expressions with respect to a matrix, by the matrix differential.

For a scalar ``Y`` built from registered operators that declare a ``gradient`` rule
(``det``, ``log det``, ``tr``) of matrices affine in ``X``, and ordinary scalar functions of
those, ``dY = sum_p (dY/dp) dp`` and each operator gives ``dp/dX`` through :func:`dual`: the
gradient of ``tr(G^T M(X))`` for an affine ``M`` (``d det M = det M tr(M^{-1} dM)``, so
``grad det M = det M * dual(M, M^{-T})``).  One symbolic witness, cross-checked numerically by
the caller, like the chain rule of :mod:`.chain`.

>>> import sympy as sp
>>> n = sp.Symbol("n", integer=True, positive=True)
>>> X, A = sp.MatrixSymbol("X", n, n), sp.MatrixSymbol("A", n, n)
>>> matrix_gradient(sp.Trace(A * X), X)
A.T
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from .ops import lookup
from .terms import expand_held as _expand, split as _split


class NoGradient(ValueError):
    """The expression is not one the matrix differential here can differentiate."""


def _terms(M):
    """``M`` as a list of ``(scalar coefficient, [matrix factors])`` terms, products distributed over sums."""
    out = []
    for t in sp.MatAdd.make_args(_expand(M) if isinstance(M, MatrixExpr) else M):
        out.append(_split(t))
    return out


def dual(M, X, G):
    """The gradient with respect to ``X`` of ``tr(G^T M)``, for ``M`` affine in ``X`` (``X`` or ``X^T``
    once per term, between factors free of ``X``); else :class:`NoGradient`.

    >>> import sympy as sp
    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> X, A, B, G = (sp.MatrixSymbol(s, n, n) for s in "XABG")
    >>> dual(A * X * B, X, G)
    A.T*G*B.T
    >>> dual(X.T, X, G)
    G.T
    """
    parts = []
    for c, mats in _terms(M):
        if not any(f.has(X) for f in mats) and not sp.sympify(c).has(X):
            continue
        if sp.sympify(c).has(X):
            raise NoGradient("a scalar factor depending on the variable inside a matrix")
        hits = [k for k, f in enumerate(mats) if f.has(X)]
        if len(hits) != 1 or mats[hits[0]] not in (X, X.T):
            raise NoGradient(f"{X} enters a product other than once, as itself or its transpose")
        k = hits[0]
        P = sp.MatMul(*mats[:k]) if k > 1 else (mats[0] if k == 1 else sp.Identity(X.shape[0]))
        post = mats[k + 1:]
        Q = sp.MatMul(*post) if len(post) > 1 else (post[0] if post else sp.Identity(X.shape[1]))
        g = P.T * G * Q.T if mats[k] == X else Q * G.T * P
        parts.append(c * g)
    if not parts:
        return sp.ZeroMatrix(*X.shape)
    return sp.MatAdd(*parts).doit() if len(parts) > 1 else parts[0].doit()


def matrix_gradient(Y, X):
    """``dY/dX`` (the shape of ``X``) for a scalar ``Y`` of operators with a ``gradient`` rule; else
    :class:`NoGradient`.

    >>> import sympy as sp
    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> X = sp.MatrixSymbol("X", n, n)
    >>> matrix_gradient(2 * sp.Determinant(X), X)
    (2*Determinant(X))*X.T**(-1)
    """
    parts = []

    def visit(a):
        if not isinstance(a, sp.Basic) or not a.has(X):
            return
        op = lookup(a)
        if op is not None and op.gradient is not None:
            parts.append((a, op))
            return
        if isinstance(a, (MatrixExpr, sp.Symbol)) or a.is_Matrix:
            raise NoGradient(f"{X} inside {type(a).__name__}, which declares no gradient rule")
        for b in a.args:
            visit(b)

    visit(Y)
    if not parts:
        raise NoGradient(f"no operator with a gradient rule holds {X}")
    parts = list(dict.fromkeys(parts))
    ts = [sp.Dummy("p", real=True, nonzero=True) for _ in parts]
    plain = Y.xreplace({p: t for (p, _), t in zip(parts, ts)})
    if plain.has(X):
        raise NoGradient(f"{X} outside the operators with a gradient rule")
    back = {t: p for (p, _), t in zip(parts, ts)}
    out = []
    for (p, op), t in zip(parts, ts):
        coeff = sp.simplify(sp.diff(plain, t)).xreplace(back)
        if coeff != 0:
            g = op.gradient(p, X, lambda M, G: dual(M, X, G))
            if g is None:
                raise NoGradient(f"no gradient rule applies to {type(p).__name__}")
            out.append(coeff * g)
    if not out:
        return sp.ZeroMatrix(*X.shape)
    return sp.MatAdd(*out) if len(out) > 1 else out[0]
