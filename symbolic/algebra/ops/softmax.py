"""Softmax and log-sum-exp: of a column vector, and row by row of a matrix.

``softmax(z)`` of a column vector normalizes its entries; ``softmax(S)`` of
a matrix (whose number of columns is not the literal 1) normalizes each row,
as attention does.  Which one is decided by the symbolic shape, never by a
sampled size.  ``logsumexp`` follows the same rule (a scalar of a vector, a
column of a matrix's rows).

>>> import sympy as sp
>>> n = sp.Symbol("n", integer=True, positive=True)
>>> z = sp.MatrixSymbol("z", n, 1)
>>> from symbolic.algebra.ops import apply_rewrites
>>> c = sp.Symbol("c", real=True)
>>> apply_rewrites(softmax(z + c * sp.OneMatrix(n, 1)))[0] == softmax(z)
True
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from ..backend import _as_matrix
from ..nodes import DiagOf, LogSumExp, Softmax, SumEntries
from .activations import Z, Elementwise
from .registry import Operator, Rewrite, register

__all__ = ["softmax", "log_softmax", "logsumexp", "LogSumExpRows"]


def _is_vector(X) -> bool:
    return sp.sympify(X.shape[1]) == 1


class LogSumExpRows(MatrixExpr):
    """The column of ``logsumexp`` of each row of a matrix."""

    def __new__(cls, X):
        return sp.Basic.__new__(cls, X)

    @property
    def shape(self):
        return (self.args[0].shape[0], sp.Integer(1))

    def doit(self, **hints):
        return self

    def _sympystr(self, printer) -> str:
        return "logsumexp(%s)" % printer._print(self.args[0])


def _softmax_row(v, b):
    m = max(v)
    ex = [b.fn("exp")(x - m) for x in v] if b.mp else np.exp(v - m)
    total = sum(ex)
    return [x / total for x in ex] if b.mp else ex / total


def _eval_softmax(e, inst, ev):
    b = inst.backend
    v = _as_matrix(ev(e.args[0], inst), b)
    if _is_vector(e.args[0]):  # a column vector: over its entries (the float path of the former evaluator)
        m = max(v.ravel())
        ex = b.elementwise(lambda z: b.fn("exp")(z - m), v) if b.mp else np.exp(v - m)
        return ex / sum(ex.ravel())
    out = b.zeros(*v.shape)
    for i in range(v.shape[0]):
        out[i, :] = _softmax_row(v[i, :], b)
    return out


def _lse(v, b):
    m = max(v)
    return m + b.fn("log")(sum(b.fn("exp")(x - m) for x in v))


def _eval_lse(e, inst, ev):
    b = inst.backend
    return _lse(_as_matrix(ev(e.args[0], inst), b).ravel(), b)


def _eval_lse_rows(e, inst, ev):
    b = inst.backend
    v = _as_matrix(ev(e.args[0], inst), b)
    out = b.zeros(v.shape[0], 1)
    for i in range(v.shape[0]):
        out[i, 0] = _lse(v[i, :], b)
    return out


def _shift(z):
    """``z`` as ``(rest, c)`` when ``z = rest + c 1`` with ``c`` a scalar (the side condition), else ``None``."""
    if not isinstance(z, sp.MatAdd) or not _is_vector(z):
        return None
    rest, shift = [], sp.S.Zero
    for t in z.args:
        coeff, mats = (sp.Mul(*[a for a in t.args if not a.is_Matrix]), [a for a in t.args if a.is_Matrix]) \
            if isinstance(t, sp.MatMul) else (sp.S.One, [t])
        if len(mats) == 1 and isinstance(mats[0], sp.OneMatrix) and not coeff.has(sp.MatrixSymbol) \
                and not any(isinstance(a, MatrixExpr) for a in sp.preorder_traversal(coeff)):
            shift += coeff
        else:
            rest.append(t)
    if shift == 0 or not rest:
        return None
    return (rest[0] if len(rest) == 1 else sp.MatAdd(*rest)), shift


def _softmax_shift(e):
    found = _shift(e.args[0])
    return None if found is None else Softmax(found[0])


def _lse_shift(e):
    found = _shift(e.args[0])
    return None if found is None else LogSumExp(found[0]) + found[1]


def _softmax_mutants(e):
    yield "operator", f"{e} unnormalized (exp)", Elementwise(sp.Lambda(Z, sp.exp(Z)), e.args[0])


def _softmax_sums(e):
    """``softmax(S) 1 = 1``: each row of a matrix's (row-wise) softmax sums to one.

    >>> m, k = sp.symbols("m k", integer=True, positive=True)
    >>> S = sp.MatrixSymbol("S", m, k)
    >>> _softmax_sums(sp.MatMul(2, sp.MatrixSymbol("A", 3, m), Softmax(S), sp.OneMatrix(k, 1)))
    2*A*1
    """
    coeff = [a for a in e.args if not isinstance(a, MatrixExpr)]
    mats = [a for a in e.args if isinstance(a, MatrixExpr)]
    for k in range(len(mats) - 1):
        a, b = mats[k], mats[k + 1]
        if not (isinstance(a, Softmax) and not _is_vector(a) and isinstance(b, sp.OneMatrix)):
            continue
        new = sp.OneMatrix(a.shape[0], b.shape[1])
        rest = mats[:k] + [new] + mats[k + 2:]
        return sp.MatMul(*coeff, *rest) if len(rest) + len(coeff) > 1 else rest[0]
    return None


register(Operator(
    "softmax", Softmax, evaluate=_eval_softmax,
    latex=lambda e, pr: r"\operatorname{softmax}\left( %s \right)" % pr(e.args[0]),
    text=("softmax", "Softmax"), build=lambda X: softmax(X), mutations=_softmax_mutants, family="softmax",
    jacobian=lambda e, D: ((DiagOf(e) - e * e.T) * D(e.args[0])) if _is_vector(e) else None,
    rewrites=(Rewrite("softmax shift invariance", _softmax_shift),
              Rewrite("softmax rows sum to one", _softmax_sums, head=sp.MatMul)), postfix=True,
    text_form=lambda e, pr: "softmax(%s)" % pr(e.args[0]), canon=lambda e, inside: Softmax(inside(e.args[0])),
    doc="exp(z) / sum(exp(z)) of a column vector; of each row of a matrix",
))
register(Operator(
    "logsumexp", LogSumExp, evaluate=_eval_lse,
    latex=lambda e, pr: r"\operatorname{logsumexp}\left( %s \right)" % pr(e.args[0]),
    text=("logsumexp", "LogSumExp"), build=lambda X: logsumexp(X), family="softmax",
    jacobian=lambda e, D: Softmax(e.args[0]).T * D(e.args[0]),
    mutations=lambda e: iter([("operator", f"{e} without its log",
                               SumEntries(Elementwise(sp.Lambda(Z, sp.exp(Z)), e.args[0])))]),
    rewrites=(Rewrite("logsumexp(z + c 1) = logsumexp(z) + c", _lse_shift),),
    text_form=lambda e, pr: "logsumexp(%s)" % pr(e.args[0]),
    doc="log(sum_i exp(z_i)) of a column vector",
))
register(Operator(
    "logsumexp_rows", LogSumExpRows, evaluate=_eval_lse_rows,
    latex=lambda e, pr: r"\operatorname{logsumexp}\left( %s \right)" % pr(e.args[0]),
    text=("logsumexp_rows",), family="softmax", doc="the logsumexp of each row of a matrix",
    text_form=lambda e, pr: "logsumexp_rows(%s)" % pr(e.args[0]),
))


def softmax(X):
    """``exp(z) / sum exp(z)`` of a column vector; each row of a matrix normalized.

    >>> import sympy as sp
    >>> softmax(sp.MatrixSymbol("S", 3, 4)).shape
    (3, 4)
    """
    return Softmax(X)


def logsumexp(X):
    """``log sum exp`` of a column vector (a scalar), of each row of a matrix (a column).

    >>> import sympy as sp
    >>> logsumexp(sp.MatrixSymbol("S", 3, 4)).shape
    (3, 1)
    """
    return LogSumExp(X) if _is_vector(X) else LogSumExpRows(X)


def log_softmax(X):
    """``log softmax(z)`` entry by entry (the lemma ``log-softmax = z - logsumexp(z)`` rewrites it).

    >>> import sympy as sp
    >>> str(log_softmax(sp.MatrixSymbol("z", 3, 1)))
    'log(Softmax(z))'
    """
    return Elementwise(sp.Lambda(Z, sp.log(Z)), Softmax(X))
