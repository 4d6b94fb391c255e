"""Derivative claims: sympy's matrix calculus as one witness, never the only one.

sympy differentiates ``g*u/||u||`` with respect to a MatrixSymbol ``u`` as
``(g/||u||) I``: it drops the norm's dependence on ``u``.  So a symbolic
result here is only a candidate; the caller always compares the claim with
finite differences, and a disagreement is reported.

>>> import sympy as sp
>>> from symbolic.algebra import Jac, Norm
>>> n = sp.Symbol("n", integer=True, positive=True); u = sp.MatrixSymbol("u", n, 1)
>>> str(sympy_jacobian(Jac(u, u)))
'I'
"""

from __future__ import annotations

from ..algebra import Dot, Grad, Jac, MatrixExpr, Norm, sp
from ..algebra.prove import prove_equal


def _differentiable(e):
    """Norms and Dots rewritten so that sympy's diff can see inside them."""
    def norm(X):
        if isinstance(X, MatrixExpr) and sp.sympify(X.shape[1]) == 1:
            return sp.sqrt((sp.Transpose(X) * X)[0, 0])
        return Norm(X)

    e = e.replace(lambda x: isinstance(x, Norm), lambda x: norm(x.args[0]))
    try:  # a 1x1 matrix expression keeps sympy's matrix calculus (x.T*H*x), element access does not
        as_matrix = e.replace(lambda x: isinstance(x, Dot), lambda x: x.args[0])
        if isinstance(as_matrix, MatrixExpr):
            return as_matrix
    except (TypeError, ValueError, AttributeError):
        pass
    e = e.replace(lambda x: isinstance(x, Dot), lambda x: x.args[0][0, 0])
    return e


def _back_to_dots(e):
    """``Sum(u[i, 0]**2, (i, 0, n - 1))`` back to ``Dot(u.T*u)``."""
    def is_sq_sum(x):
        if not isinstance(x, sp.Sum) or len(x.limits) != 1:
            return False
        body = x.args[0]
        return isinstance(body, sp.Pow) and body.exp == 2 and isinstance(body.base, sp.matrices.expressions.matexpr.MatrixElement)

    def conv(x):
        M = x.args[0].base.parent
        return Dot(sp.Transpose(M) * M)

    return e.replace(is_sq_sum, conv)


def sympy_jacobian(node):
    """sympy's own answer for a Jac/Grad node (numerator layout for Jac)."""
    Y, X = node.args
    Yd = _differentiable(Y)
    if isinstance(Yd, MatrixExpr) and Yd.shape == (1, 1) and not isinstance(X, MatrixExpr):
        Yd = Yd[0, 0]
    D = Yd.diff(X)
    if isinstance(node, Jac) and isinstance(D, MatrixExpr) and sp.sympify(X.shape[1]) == 1 and isinstance(Yd, MatrixExpr) and sp.sympify(Yd.shape[1]) == 1:
        pass  # sympy returns the vector-by-vector derivative in numerator layout
    if isinstance(node, Grad) and isinstance(D, MatrixExpr) and isinstance(Yd, MatrixExpr) and sp.sympify(Yd.shape[0]) != 1:
        D = sp.Transpose(D)
    return _back_to_dots(D)


def pull_constants(e):
    """Linearity of the derivative: constant scalar factors move out of Jac/Grad."""
    def pull(node):
        Y, X = node.args
        if isinstance(Y, (sp.Add, sp.MatAdd)):
            parts = [type(node)(a, X) for a in Y.args if a.has(X)]
            if len(parts) < len(Y.args) or len(parts) > 1:
                if not parts:
                    return sp.ZeroMatrix(*node.shape)  # the derivative of a constant
                return sp.MatAdd(*[pull(p) for p in parts]) if len(parts) > 1 else pull(parts[0])
        if not isinstance(Y, sp.Basic) or not Y.has(X):
            return sp.ZeroMatrix(*node.shape)
        if isinstance(Y, sp.MatMul):
            scalars = [f for a in Y.args if not isinstance(a, MatrixExpr) for f in sp.Mul.make_args(a)]
            mats = [a for a in Y.args if isinstance(a, MatrixExpr)]
            const = [f for f in scalars if not f.has(X)]
            if const:
                rest = [f for f in scalars if f.has(X)] + mats
                inner = sp.MatMul(*rest) if len(rest) > 1 else rest[0]
                return sp.Mul(*const) * pull(type(node)(inner, X))
        if isinstance(Y, sp.Mul):
            const = [a for a in Y.args if not a.has(X)]
            if const:
                rest = [a for a in Y.args if a not in const]
                return sp.Mul(*const) * pull(type(node)(sp.Mul(*rest), X))
        return node

    return e.replace(lambda x: isinstance(x, (Jac, Grad)), pull)


def symbolic_derivative(lhs, rhs, ctx) -> tuple[str | None, str | None]:
    """Replace each Jac/Grad by sympy's derivative and try to prove the equality.

    Returns ``(method or None, note)``; the note says when sympy's derivative
    differs from the claim (a disagreement the numeric check arbitrates).
    """
    lhs, rhs = pull_constants(lhs), pull_constants(rhs)
    try:
        method = prove_equal(lhs, rhs, ctx.canon, ctx.intervals)
    except (TypeError, ValueError, AttributeError):
        method = None
    if method:  # equal without differentiating anything (linearity, same derivative on both sides)
        return f"linearity of the derivative + {method}", None
    nodes = [a for e in (lhs, rhs) if isinstance(e, sp.Basic) for a in sp.preorder_traversal(e)
             if isinstance(a, (Jac, Grad))]
    if not nodes:
        return None, None
    repl = {}
    for nd in nodes:
        try:
            repl[nd] = sympy_jacobian(nd)
        except Exception as exc:  # sympy's matrix calculus raises many kinds of errors
            return None, f"sympy could not differentiate ({type(exc).__name__})"
    L, R = lhs.xreplace(repl), rhs.xreplace(repl)
    try:
        method = prove_equal(L, R, ctx.canon, ctx.intervals)
    except (TypeError, ValueError, AttributeError):
        method = None
    if method:
        return f"sympy matrix calculus + {method}", None
    return None, "sympy's matrix derivative disagrees with the claim (or could not be matched); finite differences decide"
