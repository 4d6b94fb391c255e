"""Linear-algebra operators: the trace (more of the family: determinant, ... are added here).

Each operator is declared once, with its evaluation, LaTeX, text names,
mistakes and lemmas; see :mod:`.registry`.

>>> import sympy as sp
>>> from symbolic.algebra.ops import lookup, apply_rewrites
>>> n = sp.Symbol("n", integer=True, positive=True)
>>> A, B = sp.MatrixSymbol("A", n, n), sp.MatrixSymbol("B", n, n)
>>> lookup(sp.Trace(A)).name
'trace'
>>> apply_rewrites(sp.Trace(B * A))[0] == apply_rewrites(sp.Trace(A * B))[0]
True
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from ..backend import _as_matrix
from ..nodes import Dot
from .registry import Operator, Rewrite, register

__all__: list[str] = []


def _eval_trace(e, inst, ev):
    X = _as_matrix(ev(e.arg, inst), inst.backend)
    if X.shape[0] != X.shape[1]:
        from ..backend import EvalError

        raise EvalError(f"the trace of a {X.shape[0]} x {X.shape[1]} matrix: it must be square")
    return sum((X[i, i] for i in range(X.shape[0])), inst.backend.num(0))


def _word(M) -> tuple[sp.Expr, list]:
    """``M`` as a scalar coefficient and its list of matrix factors."""
    if isinstance(M, sp.MatMul):
        coeff = sp.Mul(*[a for a in M.args if not a.is_Matrix])
        return coeff, [a for a in M.args if a.is_Matrix]
    return sp.Integer(1), [M]


def _cyclic(e):
    """``tr(ABC) = tr(BCA) = tr((ABC)^T)``: the rotation of the factors (or of the transposed word)
    that sorts first, a 1 x 1 product when there is one; ``tr(A + B) = tr A + tr B`` and
    ``tr(cA) = c tr A`` on the way."""
    M = e.arg
    if isinstance(M, sp.MatAdd):
        return sp.Add(*[sp.Trace(a) for a in M.args])
    if isinstance(M, sp.Transpose):
        return sp.Trace(M.arg)
    coeff, word = _word(M)
    if len(word) == 1 and coeff == 1:
        return None
    flipped = [sp.Transpose(a).doit() if not isinstance(a, sp.Transpose) else a.arg for a in reversed(word)]
    candidates = []
    for w in (word, flipped):
        for k in range(len(w)):
            rot = w[k:] + w[:k]
            candidates.append((tuple(sp.srepr(a) for a in rot), rot))
    scalar = [c for c in candidates if c[1][0].shape[0] == 1 and c[1][-1].shape[1] == 1]
    _, best = min(scalar or candidates, key=lambda c: c[0])
    inner = best[0] if len(best) == 1 else sp.MatMul(*best)
    if scalar:  # tr(A x x^T) = x^T A x: the trace of a 1 x 1 product is its entry
        return coeff * Dot(inner)
    return coeff * sp.Trace(inner)


def _trace_mutants(e):
    M = e.arg
    if isinstance(M, MatrixExpr) and M.is_square:
        yield "operator", f"tr({M}) squared", sp.Trace(M) ** 2
    if isinstance(M, sp.MatMul) and len(_word(M)[1]) == 2:
        a, b = _word(M)[1]
        if a.shape == b.T.shape and (a.shape[0] != a.shape[1]):
            yield "transpose", f"tr({M}) with a transposed factor", sp.Trace(a * b.T) if a.shape == b.shape else None


register(Operator(
    "trace", sp.Trace, evaluate=_eval_trace,
    latex=lambda e, pr: r"\operatorname{tr}\left( %s \right)" % pr(e.arg),
    text=("tr", "trace", "Trace"), mutations=_trace_mutants,
    rewrites=(Rewrite("trace cyclicity", _cyclic),), family="linalg",
    doc="the sum of the diagonal entries of a square matrix",
))
