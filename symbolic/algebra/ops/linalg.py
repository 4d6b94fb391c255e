"""Linear-algebra operators: the trace, the determinant, the log-determinant, the inverse, matrix powers.

Entries and diagonals are in :mod:`.entries`; Hadamard and Kronecker
products, ``vec`` and the ones vector in :mod:`.products`.

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
>>> apply_rewrites(sp.Determinant(2 * A.T * B))[0]
2**n*Determinant(A)*Determinant(B)
"""

from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from ..backend import DomainError, EvalError, _as_matrix
from ..nodes import Dot
from ._inverse_lemmas import woodbury
from .registry import Operator, Rewrite, register

__all__: list[str] = ["logdet"]


class LogDet(sp.Function):
    """``log det X``: defined where ``det X > 0`` (a positive-definite ``X``, for instance).

    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> LogDet(sp.MatrixSymbol("S", n, n))
    LogDet(S)
    """

    nargs = 1
    is_real = True


def logdet(X):
    """The log-determinant ``log det X`` of a square matrix (defined where ``det X > 0``).

    >>> from symbolic import Derivation, logdet
    >>> d = Derivation("d"); n = d.dim("n"); S = d.matrix("S", n, n, kinds=["spd"])
    >>> logdet(S)
    LogDet(S)
    """
    return LogDet(X)


def _square(X, what: str):
    if X.shape[0] != X.shape[1]:
        raise EvalError(f"the {what} of a {X.shape[0]} x {X.shape[1]} matrix: it must be square")
    return X


def _det_value(X, b):
    X = _square(X, "determinant")
    if b.mp:
        return mpmath.det(mpmath.matrix(X.tolist())) if X.shape[0] else mpmath.mpf(1)
    return float(np.linalg.det(X.astype(float)))


def _eval_det(e, inst, ev):
    return _det_value(_as_matrix(ev(e.arg, inst), inst.backend), inst.backend)


def _eval_logdet(e, inst, ev):
    b = inst.backend
    v = _det_value(_as_matrix(ev(e.args[0], inst), b), b)
    if not v > 0:
        raise DomainError("log-determinant of a matrix whose determinant is not positive")
    return b.fn("log")(v)


def _factors(M) -> tuple[sp.Expr, list]:
    """``M`` as a scalar coefficient and its matrix factors, grouped into square blocks
    (``det(A B)`` with ``A`` n x m and ``B`` m x n is one block)."""
    coeff, word = _word(M)
    blocks, start = [], 0
    for k in range(len(word)):
        if sp.simplify(word[start].shape[0] - word[k].shape[1]) == 0:
            blocks.append(word[start] if k == start else sp.MatMul(*word[start:k + 1]))
            start = k + 1
    if start != len(word):
        return coeff, [M if coeff == 1 else sp.MatMul(*word)]
    return coeff, blocks


def _det_split(M):
    """``det M`` as a product of determinants of atoms: ``det(cAB) = c^n det A det B`` (square
    blocks), ``det A^T = det A``, ``det A^{-1} = 1 / det A``, ``det A^k = (det A)^k``, ``det I = 1``."""
    if isinstance(M, sp.Identity):
        return sp.Integer(1)
    if isinstance(M, sp.Transpose):
        return _det_split(M.arg)
    if isinstance(M, sp.Inverse):
        return 1 / _det_split(M.arg)
    if isinstance(M, sp.MatPow) and M.exp.is_Integer:
        return _det_split(M.base) ** M.exp
    if isinstance(M, sp.MatMul):
        coeff, blocks = _factors(M)
        if len(blocks) > 1 or coeff != 1:
            return coeff ** M.shape[0] * sp.Mul(*[_det_split(f) for f in blocks])
    return sp.Determinant(M)


def _det_rewrite(e):
    out = _det_split(e.arg)
    return None if out == e else out


def _det_positive(M, ctx) -> bool:
    """``det M > 0`` follows from the facts: ``M`` is built from positive-definite matrices."""
    if isinstance(M, sp.Identity):
        return True
    if isinstance(M, (sp.Transpose, sp.Inverse)):
        return _det_positive(M.arg, ctx)
    if isinstance(M, sp.MatPow) and M.exp.is_Integer:
        return _det_positive(M.base, ctx)
    if isinstance(M, sp.MatMul):
        coeff, word = _word(M)
        return coeff.is_positive is True and all(_det_positive(f, ctx) for f in word)
    return ctx is not None and M in getattr(ctx, "positive_definite", ())


def _logdet_split(M, ctx):
    """``log det`` of a product as a sum, each step valid wherever the left side is defined:
    transposes and inverses always; ``log det(cA) = n log c + log det A`` for ``c > 0``; a product of
    square blocks only where every block's determinant is known positive (positive definite)."""
    if isinstance(M, sp.Identity):
        return sp.Integer(0)
    if isinstance(M, sp.Transpose):
        return _logdet_split(M.arg, ctx)
    if isinstance(M, sp.Inverse):
        return -_logdet_split(M.arg, ctx)
    if isinstance(M, sp.MatPow) and M.exp.is_Integer and (M.exp % 2 or _det_positive(M.base, ctx)):
        return M.exp * _logdet_split(M.base, ctx)
    if isinstance(M, sp.MatMul):
        coeff, blocks = _factors(M)
        if coeff.is_positive is True and coeff != 1:
            rest = sp.MatMul(*[a for a in M.args if a.is_Matrix])
            return M.shape[0] * sp.log(coeff) + _logdet_split(rest, ctx)
        if coeff == 1 and len(blocks) > 1 and all(_det_positive(f, ctx) for f in blocks):
            return sp.Add(*[_logdet_split(f, ctx) for f in blocks])
    return LogDet(M)


def _logdet_rewrite(e, ctx):
    out = _logdet_split(e.args[0], ctx)
    return None if out == e else out


def _det_mutants(e):
    M = e.arg
    yield "operator", f"det({M}) squared", sp.Determinant(M) ** 2
    coeff, word = _word(M)
    if coeff != 1 and word:
        yield "factor", "det of a multiple without the power n", coeff * sp.Determinant(sp.MatMul(*word))
    if isinstance(M, sp.Inverse):
        yield "operator", "det of an inverse taken as the determinant", sp.Determinant(M.arg)


def _logdet_mutants(e):
    M = e.args[0]
    yield "sign", f"logdet({M}) with its sign flipped", -LogDet(M)
    yield "operator", f"logdet({M}) as det", sp.Determinant(M)


def _eval_inverse(e, inst, ev):
    return inst.backend.inv(_as_matrix(ev(e.arg, inst), inst.backend))


def _eval_matpow(e, inst, ev):
    b = inst.backend
    base = _as_matrix(ev(e.base, inst), b)
    k = int(e.exp)
    if k < 0:
        base, k = b.inv(base), -k
    out = b.eye(base.shape[0])
    for _ in range(k):
        out = out @ base
    return out


def _eval_trace(e, inst, ev):
    X = _square(_as_matrix(ev(e.arg, inst), inst.backend), "trace")
    return sum((X[i, i] for i in range(X.shape[0])), inst.backend.num(0))


def _word(M) -> tuple[sp.Expr, list]:
    """``M`` as a scalar coefficient and its list of matrix factors."""
    if isinstance(M, sp.MatMul):
        coeff = sp.Mul(*[a for a in M.args if not a.is_Matrix])
        return coeff, [a for a in M.args if a.is_Matrix]
    return sp.Integer(1), [M]


def _cyclic(e, ctx=None):
    """``tr(ABC) = tr(BCA) = tr((ABC)^T)``: the rotation of the factors (or of the transposed word)
    that sorts first, a 1 x 1 product when there is one; ``tr(A + B) = tr A + tr B`` and
    ``tr(cA) = c tr A`` on the way; ``S^T = S`` for a matrix the context knows is symmetric."""
    M = e.arg
    if isinstance(M, sp.MatAdd):
        return sp.Add(*[sp.Trace(a) for a in M.args])
    if isinstance(M, sp.Transpose):
        return sp.Trace(M.arg)
    symmetric = (getattr(ctx, "symmetric", frozenset()) | getattr(ctx, "psd", frozenset())) if ctx else frozenset()

    def plain(a):  # S^T -> S for a symmetric S
        return a.arg if isinstance(a, sp.Transpose) and a.arg in symmetric else a

    coeff, word = _word(M)
    word = [plain(a) for a in word]
    if len(word) == 1 and coeff == 1:
        return None if word[0] == M else sp.Trace(word[0])
    flipped = [plain(sp.Transpose(a).doit()) if not isinstance(a, sp.Transpose) else a.arg for a in reversed(word)]
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
    text=("tr", "trace", "Trace"), mutations=_trace_mutants, text_form=lambda e, pr: "tr(%s)" % pr(e.arg),
    rewrites=(Rewrite("trace cyclicity", _cyclic, contextual=True),), family="linalg",
    gradient=lambda e, X, dual: dual(e.arg, sp.Identity(e.arg.shape[0])),  # d tr M = tr(dM)
    doc="the sum of the diagonal entries of a square matrix",
))

register(Operator(
    "determinant", sp.Determinant, evaluate=_eval_det,
    latex=lambda e, pr: r"\det\left( %s \right)" % pr(e.arg),
    text=("det", "Determinant"), mutations=_det_mutants, text_form=lambda e, pr: "det(%s)" % pr(e.arg),
    rewrites=(Rewrite("determinant of a product", _det_rewrite),), family="linalg", sympy_diff=False,
    gradient=lambda e, X, dual: e * dual(e.arg, e.arg.inverse().T),  # d det M = det M tr(M^{-1} dM)
    doc="the determinant of a square matrix (sp.Determinant, X.det(), sp.det)",
))

register(Operator(
    "logdet", LogDet, evaluate=_eval_logdet,
    latex=lambda e, pr: r"\log\det\left( %s \right)" % pr(e.args[0]),
    text=("logdet", "LogDet"), mutations=_logdet_mutants, text_form=lambda e, pr: "log det(%s)" % pr(e.args[0]),
    rewrites=(Rewrite("log-determinant of a product", _logdet_rewrite, contextual=True),), family="linalg",
    gradient=lambda e, X, dual: dual(e.args[0], e.args[0].inverse().T),  # d log det M = tr(M^{-1} dM)
    sympy_diff=False, doc="log det X, defined where det X > 0",
))

register(Operator(
    "inverse", sp.Inverse, evaluate=_eval_inverse, text=("inv", "inverse", "Inverse"), family="linalg",
    rewrites=(Rewrite("Woodbury identity (Sherman-Morrison)", woodbury, contextual=True),),
    doc="the inverse of a square matrix (printed by the printer's own rule)",
))

register(Operator(
    "matrix power", sp.MatPow, evaluate=_eval_matpow, text=("MatPow",), family="linalg",
    doc="an integer power of a square matrix (negative: of its inverse)",
))
