"""Inverse lemmas for :mod:`.linalg`: Sherman–Morrison and Woodbury (a helper module, not a family).

Each applies only where the matrix being updated and the core are known
invertible (declared ``invertible``, ``spd``, ``orthogonal`` or ``identity``).

>>> import sympy as sp
>>> from symbolic.algebra.canon import Context
>>> n = sp.Symbol("n", integer=True, positive=True)
>>> A, u, v = sp.MatrixSymbol("A", n, n), sp.MatrixSymbol("u", n, 1), sp.MatrixSymbol("v", n, 1)
>>> woodbury(sp.Inverse(A + u * v.T), Context(invertible=[A])) is not None
True
>>> woodbury(sp.Inverse(A + u * v.T), Context()) is None
True
"""

from __future__ import annotations

import sympy as sp

from ..nodes import Dot


def _invertible(M, ctx, inverse: bool = True) -> bool:
    """``M`` is known invertible (``inverse=False``: and is not itself an inverse, so the lemma never
    rewrites the core ``C^{-1} + V A^{-1} U`` of its own result)."""
    if isinstance(M, sp.Identity):
        return True
    if isinstance(M, sp.Transpose) or (inverse and isinstance(M, sp.Inverse)):
        return _invertible(M.arg, ctx)
    known = getattr(ctx, "invertible", frozenset()) | getattr(ctx, "positive_definite", frozenset())
    return ctx is not None and M in known


def woodbury(e, ctx):
    """``(A + U C V)^{-1} = A^{-1} - A^{-1} U (C^{-1} + V A^{-1} U)^{-1} V A^{-1}`` for invertible ``A``, ``C``;
    with ``U = c u`` and ``V = v^T`` vectors (Sherman–Morrison):
    ``(A + c u v^T)^{-1} = A^{-1} - c A^{-1} u v^T A^{-1} / (1 + c v^T A^{-1} u)``."""
    M = e.arg
    if not isinstance(M, sp.MatAdd) or len(M.args) != 2:
        return None
    for A, P in (M.args, M.args[::-1]):
        if not _invertible(A, ctx, inverse=False) or not isinstance(P, sp.MatMul):
            continue
        coeff = sp.Mul(*[a for a in P.args if not a.is_Matrix])
        mats = [a for a in P.args if a.is_Matrix]
        Ai = sp.Inverse(A)
        if len(mats) == 2 and sp.sympify(mats[0].shape[1]) == 1:
            u, vt = mats
            denom = 1 + coeff * Dot(vt * Ai * u)
            return Ai - (coeff / denom) * (Ai * u * vt * Ai)
        if len(mats) == 3 and _invertible(mats[1], ctx):
            U, C, V = mats
            core = sp.Inverse(sp.Inverse(C) / coeff + V * Ai * U)
            return Ai - Ai * U * core * V * Ai
    return None
