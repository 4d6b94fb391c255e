r"""A derivative the chain rule of :mod:`symbolic.algebra.chain` has no rule for, term by term: ``d/dW`` of
``L(W) + lambda (tr(W^T W) + tr(V^T V))`` is the chain rule's on the terms it knows and sympy's matrix
calculus on the others (``tr(W^T W)``), never trusted alone: the caller cross-checks the sum numerically
(:func:`symbolic.read.graph._cross_check`), a disagreement leaves the line unread.

>>> import sympy as sp
>>> from symbolic.algebra import Grad
>>> n = sp.Symbol("n", integer=True, positive=True)
>>> W, V, lam = sp.MatrixSymbol("W", n, n), sp.MatrixSymbol("V", n, n), sp.Symbol("lam")
>>> str(term_by_term(lam * (sp.Trace(W.T * W) + sp.Trace(V.T * V)), W))
'(2*lam)*W'
"""

from __future__ import annotations

from ..algebra import Grad, MatrixExpr, sp
from ..exceptions import ReadError


def term_by_term(F, v):
    """``d F / d v`` for a scalar ``F`` and a matrix ``v``, one additive term of the expanded ``F`` at a time: the
    chain rule where it has a rule, else sympy's matrix derivative of the term (a term free of ``v``: 0).

    >>> import sympy as sp
    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> W = sp.MatrixSymbol("W", n, 1)
    >>> str(term_by_term(sp.Trace(W.T * W) + 3, W))
    '2*W'
    """
    from ..algebra.chain import NoRule, chain_derivative

    if isinstance(F, MatrixExpr) or not isinstance(F, sp.Basic):
        raise ReadError(f"the derivative of {F} with respect to {v} is not read yet")
    total = None
    for term in sp.Add.make_args(sp.expand(F)):
        if not term.has(v):
            continue
        try:
            d = chain_derivative(Grad(term, v))
        except (NoRule, TypeError, ValueError, AttributeError):
            try:
                d = term.diff(v)
            except (TypeError, ValueError, AttributeError, NotImplementedError) as err:
                raise ReadError(f"the derivative of {term} with respect to {v}: {err}; not read yet") from None
            if not isinstance(d, MatrixExpr) or d.shape != v.shape or d.has(sp.Derivative):
                raise ReadError(f"the derivative of {term} with respect to {v} is not read yet")
        total = d if total is None else total + d
    if total is None:
        return sp.ZeroMatrix(*v.shape)
    return total
