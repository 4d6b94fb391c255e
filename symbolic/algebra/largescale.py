"""Faster float64 routes for large instances: norms of products, long sums.

The evaluator's tree walk forms every matrix and visits every term.  At the
sizes of a real network (n in the hundreds, T in the thousands) that costs
``T n^3`` flops and one SVD per factor.  Three routes avoid it, each taken
only in float64 and only where it applies; otherwise they return ``None`` and
the tree walk runs as before (and the high-precision re-check always takes the
tree walk):

* :func:`norm`: ``||X||`` for a product ``X`` (a ``MatMul`` or a ``MatProd``)
  of size at least :data:`~.linops.MIN_SIZE`, matrix-free;
* :func:`sum_of_norms`: a sum or product over ``t`` of ``||c_t diag(u_t) A
  diag(w_t)||`` with ``A`` independent of ``t``, the norms of the Jacobians of
  an elementwise layer, all ``t`` in one batch;
* :func:`vector_sum`: a sum or product of at least :data:`VECTOR_MIN` scalar
  terms, the body evaluated once on the array of indices and accumulated in
  the loop's order.

>>> import numpy as np, sympy as sp
>>> from .backend import Instance
>>> i, k = sp.Symbol("i", integer=True), sp.Symbol("k", integer=True)
>>> s = sp.Sum(sp.Rational(1, 2) ** i, (i, 0, k))
>>> float(vector_sum(s, Instance(values={k: 100}), 0, 100))
2.0
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from . import linops
from .backend import EvalError, Instance, _as_matrix
from .nodes import DiagOf, MatProd, Norm

VECTOR_MIN = 64
"""Sums with fewer terms take the plain loop."""

_UNARY = {sp.exp: np.exp, sp.tanh: np.tanh, sp.sin: np.sin, sp.cos: np.cos, sp.atan: np.arctan,
          sp.sinh: np.sinh, sp.cosh: np.cosh, sp.Abs: np.abs}


class _Fallback(Exception):
    """This route does not apply: let the tree walk evaluate."""


def _large(inst: Instance, X) -> bool:
    if inst.backend.mp or not isinstance(X, MatrixExpr):
        return False
    try:
        return min(inst.dim(X.shape[0]), inst.dim(X.shape[1])) >= linops.MIN_SIZE
    except (EvalError, TypeError, ValueError):
        return False


def norm(X, inst: Instance):
    """``||X||`` matrix-free for a large product ``X``, or ``None`` if the route does not apply."""
    if not isinstance(X, (sp.MatMul, MatProd)) or not _large(inst, X):
        return None
    try:
        pieces = _pieces(X, inst)
        cols = _check_chain(pieces)
    except _Fallback:
        return None
    return linops.product_norm(pieces, cols)


def _pieces(X, inst: Instance) -> list:
    """``X`` as a list of pieces: dense matrices, diagonals (1-D) and scalars, leftmost first."""
    from .evaluate import evaluate

    if isinstance(X, sp.MatMul):
        out: list = []
        for a in X.args:
            if isinstance(a, MatrixExpr):
                out += _pieces(a, inst)
            else:
                v = evaluate(a, inst)
                if isinstance(v, np.ndarray):
                    raise _Fallback
                out.append(float(v))
        return out
    if isinstance(X, DiagOf):
        return [_as_matrix(evaluate(X.args[0], inst), inst.backend)[:, 0].astype(float)]
    if isinstance(X, MatProd):
        body, t, lo, hi = X.args
        lo_v, hi_v = (int(round(float(evaluate(b, inst)))) for b in (lo, hi))
        if hi_v < lo_v:
            raise _Fallback  # an empty product: the identity, cheap either way
        sub = inst.with_values({t: float(hi_v)}, share_memo=True)
        out = []
        for k in range(hi_v, lo_v - 1, -1):
            sub.values[t] = float(k)
            out += _pieces(body, sub)
        return out
    v = _as_matrix(evaluate(X, inst), inst.backend)
    return [np.asarray(v, dtype=float)]


def _check_chain(pieces: list) -> int:
    """The number of columns of the product of ``pieces``; a mismatch falls back to the tree walk."""
    rows = cols = None
    for p in reversed(pieces):
        if isinstance(p, float):
            continue
        r, c = (p.shape[0], p.shape[0]) if p.ndim == 1 else p.shape
        if cols is None:
            cols = c
        elif rows != c:
            raise _Fallback  # the tree walk names the mismatch
        rows = r
    if cols is None:
        raise _Fallback
    return cols


def sum_of_norms(e, inst: Instance, lo: int, hi: int):
    """A ``Sum``/``Product`` over ``t`` of ``||c_t diag(u_t) A diag(w_t)||``, or ``None``."""
    from .evaluate import evaluate

    body, i = e.args[0], e.args[1][0]
    if hi - lo < 1 or not isinstance(body, Norm) or not _large(inst, body.args[0]):
        return None
    X = body.args[0]
    args = list(X.args) if isinstance(X, sp.MatMul) else [X]
    scalars = [a for a in args if not isinstance(a, MatrixExpr)]
    mats = [a for a in args if isinstance(a, MatrixExpr)]
    moving = [isinstance(m, DiagOf) and i in m.free_symbols for m in mats]
    left = 0
    while left < len(mats) and moving[left]:
        left += 1
    right = len(mats)
    while right > left and moving[right - 1]:
        right -= 1
    middle = mats[left:right]
    if not middle or any(i in m.free_symbols for m in middle) or left == len(mats) - right == 0:
        return None
    A = _as_matrix(evaluate(sp.MatMul(*middle) if len(middle) > 1 else middle[0], inst), inst.backend)
    sub = inst.with_values({i: float(lo)}, share_memo=True)
    U, Wt, scale = [], [], []
    try:
        for k in range(lo, hi + 1):
            sub.values[i] = float(k)
            U.append(_diag_product(mats[:left], sub, A.shape[0]))
            Wt.append(_diag_product(mats[right:], sub, A.shape[1]))
            c = 1.0
            for s in scalars:
                c *= float(evaluate(s, sub))
            scale.append(abs(c))
    except _Fallback:
        return None
    norms = linops.scaled_norms(A, np.stack(U, axis=1) if left else None,
                                np.stack(Wt, axis=1) if right < len(mats) else None)
    return _accumulate(isinstance(e, sp.Sum), np.asarray(scale) * norms)


def _diag_product(diags, inst: Instance, size: int) -> np.ndarray:
    from .evaluate import evaluate

    out = np.ones(size)
    for m in diags:
        v = _as_matrix(evaluate(m.args[0], inst), inst.backend)[:, 0]
        if v.shape[0] != size:
            raise _Fallback  # the tree walk names the mismatch
        out = out * v
    return out


def _accumulate(is_sum: bool, values) -> float:
    acc = 0.0 if is_sum else 1.0
    for v in values:  # the loop's order, so the result is the loop's to the last bit
        acc = acc + v if is_sum else acc * v
    return acc


def vector_sum(e, inst: Instance, lo: int, hi: int):
    """A long ``Sum``/``Product`` of scalar terms, the body evaluated on all indices at once; or ``None``."""
    body, i = e.args[0], e.args[1][0]
    if inst.backend.mp or hi - lo + 1 < VECTOR_MIN or isinstance(body, MatrixExpr):
        return None
    ks = np.arange(lo, hi + 1, dtype=float)
    try:
        with np.errstate(all="ignore"):
            vals = np.broadcast_to(_vec(body, inst, i, ks), ks.shape)
    except _Fallback:
        return None
    if not np.all(np.isfinite(vals)):
        return None  # the loop raises the precise domain error
    return _accumulate(isinstance(e, sp.Sum), vals.tolist())


def _vec(e, inst: Instance, i, ks):
    """``e`` on every index in ``ks`` at once: an array, or a float when ``e`` does not depend on ``i``."""
    from .evaluate import evaluate

    if e == i:
        return ks
    if i not in e.free_symbols:
        v = evaluate(e, inst)
        if isinstance(v, np.ndarray):
            raise _Fallback
        return float(v)
    if isinstance(e, sp.Add):
        out = _vec(e.args[0], inst, i, ks)
        for a in e.args[1:]:
            out = out + _vec(a, inst, i, ks)
        return out
    if isinstance(e, sp.Mul):
        out = _vec(e.args[0], inst, i, ks)
        for a in e.args[1:]:
            out = out * _vec(a, inst, i, ks)
        return out
    if isinstance(e, sp.Pow):
        return np.power(_vec(e.base, inst, i, ks), _vec(e.exp, inst, i, ks))
    if isinstance(e, sp.log):
        v = _vec(e.args[0], inst, i, ks)
        if np.any(v <= 0):
            raise _Fallback
        return np.log(v)
    if type(e) in _UNARY:
        return _UNARY[type(e)](_vec(e.args[0], inst, i, ks))
    if isinstance(e, sp.core.function.AppliedUndef) and len(e.args) == 1:
        name = type(e).__name__
        arg = _vec(e.args[0], inst, i, ks)
        if name in inst.sequences:
            seq = inst.sequences[name]
            out = [seq(int(round(k)), inst) for k in np.broadcast_to(arg, ks.shape)]
            if any(isinstance(v, np.ndarray) for v in out):
                raise _Fallback
            return np.array(out, dtype=float)
        if name in inst.functions:
            try:
                out = np.asarray(inst.functions[name](arg, inst.backend), dtype=float)
            except (TypeError, ValueError):
                raise _Fallback from None
            if out.shape != np.shape(arg):
                raise _Fallback
            return out
    raise _Fallback
