"""Evaluate an expression at every index of a range at once, in float64.

Where the tree walk evaluates a body once per index, :func:`scalars` and
:func:`columns` evaluate it on the whole array of indices: sums and products
of numbers broadcast, a matrix times the column ``x_t`` becomes one
matrix-matrix product.  The parts that do not depend on the index are left to
the evaluator, which the caller passes in (``evaluate``: this module sits below
:mod:`.evaluate`).  Constructs outside that small set raise
:class:`NotBatchable`, and the caller keeps its loop.

>>> import numpy as np, sympy as sp
>>> i, x = sp.Symbol("i"), sp.Symbol("x")
>>> from symbolic.algebra.evaluate import evaluate
>>> scalars(x * i + 1, Instance(values={x: 2.0}), i, np.arange(3.0), evaluate).tolist()
[1.0, 3.0, 5.0]
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from .backend import Instance, _as_matrix
from .nodes import Apply, SeqTerm


class NotBatchable(Exception):
    """The expression has a construct this module does not batch: keep the loop."""


_UNARY = {sp.exp: np.exp, sp.tanh: np.tanh, sp.sin: np.sin, sp.cos: np.cos, sp.atan: np.arctan,
          sp.sinh: np.sinh, sp.cosh: np.cosh, sp.Abs: np.abs}



def columns(e, inst: Instance, i, ks, evaluate: Callable) -> np.ndarray:
    """A column-vector expression at every index in ``ks`` at once: an ``(n, len(ks))`` array.

    Left products by fixed matrices, sums, scalar multiples, element-wise
    functions and sequence terms; anything else falls back to the loop.
    """
    K = len(ks)
    if i not in e.free_symbols:
        v = evaluate(e, inst)
        v = _as_matrix(v, inst.backend) if isinstance(v, np.ndarray) else np.array([[float(v)]])
        if v.shape[1] != 1:
            raise NotBatchable
        return np.asarray(v, dtype=float)
    if isinstance(e, SeqTerm) and e.shape[1] == 1:
        seq = inst.sequences.get(e.name.name)
        if seq is None:
            raise NotBatchable
        idx = np.broadcast_to(scalars(e.index, inst, i, ks, evaluate), ks.shape)
        if len(idx):
            seq(int(round(idx.max())), inst)  # the furthest term first: a recurrence then runs in one batch
        terms = [seq(int(round(j)), inst) for j in idx]
        if not all(isinstance(v, np.ndarray) and v.ndim == 2 and v.shape[1] == 1 for v in terms):
            raise NotBatchable
        return np.hstack(terms).astype(float)
    if isinstance(e, sp.MatAdd):
        parts = [columns(a, inst, i, ks, evaluate) for a in e.args]
        if len({p.shape[0] for p in parts}) != 1:
            raise NotBatchable
        out = parts[0]
        for p in parts[1:]:
            out = out + p
        return np.broadcast_to(out, (out.shape[0], K))
    if isinstance(e, sp.MatMul):
        mats = [a for a in e.args if isinstance(a, MatrixExpr)]
        scal = [a for a in e.args if not isinstance(a, MatrixExpr)]
        if not mats or any(i in m.free_symbols for m in mats[:-1]):
            raise NotBatchable
        X = columns(mats[-1], inst, i, ks, evaluate)
        for m in reversed(mats[:-1]):
            M = _as_matrix(evaluate(m, inst), inst.backend)
            if M.shape[1] != X.shape[0]:
                raise NotBatchable
            X = M @ X
        for c in scal:
            X = X * scalars(c, inst, i, ks, evaluate)
        return X
    if isinstance(e, Apply) and e.func_name.name in inst.functions:
        X = columns(e.arg, inst, i, ks, evaluate)
        try:
            out = np.asarray(inst.functions[e.func_name.name](X, inst.backend), dtype=float)
        except (TypeError, ValueError):
            raise NotBatchable from None
        if out.shape != X.shape:
            raise NotBatchable
        return out
    raise NotBatchable


def scalars(e, inst: Instance, i, ks, evaluate: Callable):
    """``e`` on every index in ``ks`` at once: an array, or a float when ``e`` does not depend on ``i``."""
    if e == i:
        return ks
    if i not in e.free_symbols:
        v = evaluate(e, inst)
        if isinstance(v, np.ndarray):
            raise NotBatchable
        return float(v)
    if isinstance(e, sp.Add):
        out = scalars(e.args[0], inst, i, ks, evaluate)
        for a in e.args[1:]:
            out = out + scalars(a, inst, i, ks, evaluate)
        return out
    if isinstance(e, sp.Mul):
        out = scalars(e.args[0], inst, i, ks, evaluate)
        for a in e.args[1:]:
            out = out * scalars(a, inst, i, ks, evaluate)
        return out
    if isinstance(e, sp.Pow):
        return np.power(scalars(e.base, inst, i, ks, evaluate), scalars(e.exp, inst, i, ks, evaluate))
    if isinstance(e, sp.log):
        v = scalars(e.args[0], inst, i, ks, evaluate)
        if np.any(v <= 0):
            raise NotBatchable
        return np.log(v)
    if type(e) in _UNARY:
        return _UNARY[type(e)](scalars(e.args[0], inst, i, ks, evaluate))
    if isinstance(e, sp.core.function.AppliedUndef) and len(e.args) == 1:
        name = type(e).__name__
        arg = scalars(e.args[0], inst, i, ks, evaluate)
        if name in inst.sequences:
            seq = inst.sequences[name]
            out = [seq(int(round(k)), inst) for k in np.broadcast_to(arg, ks.shape)]
            if any(isinstance(v, np.ndarray) for v in out):
                raise NotBatchable
            return np.array(out, dtype=float)
        if name in inst.functions:
            try:
                out = np.asarray(inst.functions[name](arg, inst.backend), dtype=float)
            except (TypeError, ValueError):
                raise NotBatchable from None
            if out.shape != np.shape(arg):
                raise NotBatchable
            return out
    raise NotBatchable
