"""Faster float64 routes for large instances: norms of products, long sums.

The evaluator's tree walk forms every matrix and visits every term.  At the
sizes of a real network (n in the hundreds, T in the thousands) that costs
``T n^3`` flops and one SVD per factor.  Four routes avoid it, each taken
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
  the loop's order;
* :func:`recurrence`: a run of at least :data:`VECTOR_MIN` terms of a
  sequence ``f(A x + r_t)`` or ``c x + r_t``, the forcing terms ``r_t``
  evaluated for every ``t`` at once (the sampler calls it).

The pieces that stay on the tree walk are evaluated by the ``evaluate`` each
caller passes in: this module sits below :mod:`.evaluate`, which calls it.

>>> import numpy as np, sympy as sp
>>> from symbolic.algebra.evaluate import evaluate
>>> i, k = sp.Symbol("i", integer=True), sp.Symbol("k", integer=True)
>>> s = sp.Sum(sp.Rational(1, 2) ** i, (i, 0, k))
>>> float(vector_sum(s, Instance(values={k: 100}), 0, 100, evaluate))
2.0
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from . import batched, linops
from .batched import NotBatchable
from .backend import EvalError, Instance, _as_matrix, size
from .nodes import Apply, DiagOf, MatProd, Norm

VECTOR_MIN = 64
"""Sums with fewer terms take the plain loop."""


def _large(inst: Instance, X, evaluate: Callable) -> bool:
    if inst.backend.mp or not isinstance(X, MatrixExpr):
        return False
    try:
        return min(size(X.shape[0], inst, evaluate), size(X.shape[1], inst, evaluate)) >= linops.MIN_SIZE
    except (EvalError, TypeError, ValueError):
        return False


def norm(X, inst: Instance, evaluate: Callable):
    """``||X||`` matrix-free for a large product ``X``, or ``None`` if the route does not apply."""
    if not isinstance(X, (sp.MatMul, MatProd)) or not _large(inst, X, evaluate):
        return None
    try:
        pieces = _pieces(X, inst, evaluate)
        return linops.product_norm(pieces, _check_chain(pieces))
    except (NotBatchable, linops.NotConverged):
        return None


def _pieces(X, inst: Instance, evaluate: Callable) -> list:
    """``X`` as a list of pieces: dense matrices, diagonals (1-D) and scalars, leftmost first."""
    if isinstance(X, sp.MatMul):
        out: list = []
        for a in X.args:
            if isinstance(a, MatrixExpr):
                out += _pieces(a, inst, evaluate)
            else:
                v = evaluate(a, inst)
                if isinstance(v, np.ndarray):
                    raise NotBatchable
                out.append(float(v))
        return out
    if isinstance(X, DiagOf):
        return [_as_matrix(evaluate(X.args[0], inst), inst.backend)[:, 0].astype(float)]
    if isinstance(X, MatProd):
        body, t, lo, hi = X.args
        lo_v, hi_v = (int(round(float(evaluate(b, inst)))) for b in (lo, hi))
        if hi_v < lo_v:
            raise NotBatchable  # an empty product: the identity, cheap either way
        ks = np.arange(lo_v, hi_v + 1, dtype=float)
        try:
            per_index = _batched_factors(body, inst, t, ks, evaluate)
        except NotBatchable:  # a body of another shape: one factor at a time
            sub = inst.with_values({t: float(hi_v)}, share_memo=True)
            out = []
            for k in range(hi_v, lo_v - 1, -1):
                sub.values[t] = float(k)
                out += _pieces(body, sub, evaluate)
            return out
        return [p for kk in range(len(ks) - 1, -1, -1) for p in per_index(kk)]
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
            raise NotBatchable  # the tree walk names the mismatch
        rows = r
    if cols is None:
        raise NotBatchable
    return cols


def sum_of_norms(e, inst: Instance, lo: int, hi: int, evaluate: Callable):
    """A ``Sum``/``Product`` over ``t`` of ``||c_t diag(u_t) A diag(w_t)||``, or ``None``."""
    body, i = e.args[0], e.args[1][0]
    if hi - lo < 1 or not isinstance(body, Norm) or not _large(inst, body.args[0], evaluate):
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
    if not middle or any(i in m.free_symbols for m in middle) or (left == 0 and right == len(mats)):
        return None
    A = _as_matrix(evaluate(sp.MatMul(*middle) if len(middle) > 1 else middle[0], inst), inst.backend)
    ks = np.arange(lo, hi + 1, dtype=float)
    try:
        U = _diagonals(mats[:left], inst, i, ks, A.shape[0], evaluate)
        Wt = _diagonals(mats[right:], inst, i, ks, A.shape[1], evaluate)
        scale = np.ones(len(ks))
        for s in scalars:
            scale = scale * batched.scalars(s, inst, i, ks, evaluate)
    except NotBatchable:
        return None
    norms = linops.scaled_norms(A, U if left else None, Wt if right < len(mats) else None)
    return _accumulate(isinstance(e, sp.Sum), np.abs(scale) * norms)


def _diagonals(diags, inst: Instance, i, ks, rows: int, evaluate: Callable) -> np.ndarray:
    """The product of the diagonals ``diags`` at every index, one column per index."""
    out = np.ones((rows, len(ks)))
    for m in diags:
        cols = batched.columns(m.args[0], inst, i, ks, evaluate)
        if cols.shape[0] != rows:
            raise NotBatchable  # the tree walk names the mismatch
        out = out * cols
    return out


def _batched_factors(body, inst: Instance, i, ks, evaluate: Callable):
    """For a body ``c_i M_1 ... M_k`` whose moving matrices are diagonals: ``kk -> pieces at ks[kk]``.

    The diagonals are evaluated for every index at once (one matrix-matrix
    product where the loop would do one matrix-vector product per index).
    """
    args = list(body.args) if isinstance(body, sp.MatMul) else [body]
    fixed, moving = [], []  # pieces, and (position, one row per index)
    for a in args:
        if i not in a.free_symbols:
            fixed.extend(_pieces(a, inst, evaluate) if isinstance(a, MatrixExpr) else [float(evaluate(a, inst))])
        elif isinstance(a, DiagOf):
            moving.append((len(fixed), np.ascontiguousarray(batched.columns(a.args[0], inst, i, ks, evaluate).T)))
            fixed.append(None)
        elif not isinstance(a, MatrixExpr):
            rows = np.broadcast_to(np.asarray(batched.scalars(a, inst, i, ks, evaluate), dtype=float), ks.shape)
            moving.append((len(fixed), rows))
            fixed.append(None)
        else:
            raise NotBatchable

    def at(kk: int) -> list:
        out = list(fixed)
        for pos, rows in moving:
            out[pos] = rows[kk] if rows.ndim == 2 else float(rows[kk])
        return out

    return at


def _accumulate(is_sum: bool, values) -> float:
    acc = 0.0 if is_sum else 1.0
    for v in values:  # the loop's order, so the result is the loop's to the last bit
        acc = acc + v if is_sum else acc * v
    return acc


def vector_sum(e, inst: Instance, lo: int, hi: int, evaluate: Callable):
    """A long ``Sum``/``Product`` of scalar terms, the body evaluated on all indices at once; or ``None``."""
    body, i = e.args[0], e.args[1][0]
    if inst.backend.mp or hi - lo + 1 < VECTOR_MIN or isinstance(body, MatrixExpr):
        return None
    ks = np.arange(lo, hi + 1, dtype=float)
    try:
        with np.errstate(all="ignore"):
            vals = np.broadcast_to(batched.scalars(body, inst, i, ks, evaluate), ks.shape)
    except NotBatchable:
        return None
    if not np.all(np.isfinite(vals)):
        return None  # the loop raises the precise domain error
    return _accumulate(isinstance(e, sp.Sum), vals.tolist())


def recurrence(step, prev, index, inst: Instance, start_value, ks, evaluate: Callable):
    """Iterate ``x_k = step(k, x_{k-1})`` for every ``k`` in ``ks``; ``None`` if the step has another form.

    Served: ``f(A x + r_k)`` and ``A x + r_k`` for vectors, ``c x + r_k`` for
    scalars, with ``A`` (or ``c``) fixed and ``r_k`` free of ``x``.  The terms
    ``r_k`` are evaluated for every index at once; the loop that remains does
    one matrix-vector product (or one multiply-add) per term.

    >>> import sympy as sp
    >>> t, p, b = sp.Symbol("t"), sp.Symbol("p"), sp.Symbol("b")
    >>> from symbolic.algebra.evaluate import evaluate
    >>> out = recurrence(b * p + 1, p, t, Instance(values={b: 0.5}), 0.0, np.arange(1.0, 101.0), evaluate)
    >>> round(out[-1], 12)
    2.0
    """
    if inst.backend.mp or len(ks) < VECTOR_MIN:
        return None
    try:
        if isinstance(prev, MatrixExpr):
            return _vector_recurrence(step, prev, index, inst, start_value, ks, evaluate)
        return _scalar_recurrence(step, prev, index, inst, start_value, ks, evaluate)
    except NotBatchable:
        return None


def _split_linear(terms, prev, index, inst: Instance, evaluate: Callable):
    """``terms`` of a sum: (the coefficient of ``prev``, the other terms); the coefficient is fixed."""
    linear = [a for a in terms if prev in a.free_symbols]
    if len(linear) != 1:
        raise NotBatchable
    lin = linear[0]
    factors = list(lin.args) if isinstance(lin, (sp.MatMul, sp.Mul)) else [lin]
    if factors[-1] != prev or any(prev in f.free_symbols or index in f.free_symbols for f in factors[:-1]):
        raise NotBatchable
    coef = [evaluate(f, inst) for f in factors[:-1]]
    return coef, [a for a in terms if a is not lin]


def _vector_recurrence(step, prev, index, inst: Instance, x, ks, evaluate: Callable):
    f = None
    inner = step
    if isinstance(step, Apply):
        f = inst.functions.get(step.func_name.name)
        if f is None:
            raise NotBatchable
        inner = step.arg
    if not isinstance(inner, sp.MatAdd):
        raise NotBatchable
    coef, rest = _split_linear(inner.args, prev, index, inst, evaluate)
    A = None
    for c in coef:
        c = _as_matrix(c, inst.backend) if isinstance(c, np.ndarray) else float(c)
        A = c if A is None else A @ c if isinstance(A, np.ndarray) and isinstance(c, np.ndarray) else A * c
    R = batched.columns(sp.MatAdd(*rest) if len(rest) > 1 else rest[0], inst, index, ks, evaluate)
    R = np.ascontiguousarray(np.broadcast_to(R, (R.shape[0], len(ks))).T)
    out = []
    x = np.asarray(x, dtype=float)
    for k in range(len(ks)):
        y = (A @ x if isinstance(A, np.ndarray) else A * x) + R[k][:, None]
        x = np.asarray(f(y, inst.backend), dtype=float) if f is not None else y
        out.append(x)
    return out


def _scalar_recurrence(step, prev, index, inst: Instance, x, ks, evaluate: Callable):
    if not isinstance(step, sp.Add):
        raise NotBatchable
    coef, rest = _split_linear(step.args, prev, index, inst, evaluate)
    c = 1.0
    for v in coef:
        c *= float(v)
    forcing = sp.Add(*rest) if len(rest) > 1 else rest[0]
    r = np.broadcast_to(batched.scalars(forcing, inst, index, ks, evaluate), ks.shape)
    if not np.all(np.isfinite(r)):
        raise NotBatchable
    out = []
    x = float(x)
    for rk in r.tolist():
        x = c * x + rk
        out.append(x)
    return out
