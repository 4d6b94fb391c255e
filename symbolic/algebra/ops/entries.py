"""Entries and diagonals: ``X[i, j]``, ``diag(v)`` (a diagonal matrix), ``diag(X)`` (a diagonal as a vector).

sympy builds ``X[i, j]`` as a ``MatrixElement`` of any matrix expression
(indices are numbers or declared index symbols, counted from 0); the entry of
a product expands into a sum over a dummy index, which the evaluator runs.

>>> import sympy as sp
>>> from symbolic.algebra.evaluate import Instance, evaluate
>>> n = sp.Symbol("n", integer=True, positive=True)
>>> A = sp.MatrixSymbol("A", n, n)
>>> import numpy as np
>>> float(evaluate(A[0, 1] + diag(A)[1, 0], Instance(values={A: np.array([[1.0, 2.0], [3.0, 4.0]])})))
6.0
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.diagonal import DiagonalOf
from sympy.matrices.expressions.matexpr import MatrixElement

from ..backend import DomainError, EvalError, _as_matrix
from ..nodes import DiagOf
from .registry import Operator, register

__all__: list[str] = ["diag"]


def diag(X):
    """``diag(v)``: the diagonal matrix of a vector; ``diag(X)``: the diagonal of a square matrix as a vector.

    >>> import sympy as sp
    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> diag(sp.MatrixSymbol("v", n, 1)).shape, diag(sp.MatrixSymbol("X", n, n)).shape
    ((n, n), (n, 1))
    """
    if sp.sympify(X.shape[1]) == 1 or sp.sympify(X.shape[0]) == 1:
        return DiagOf(X)
    return DiagonalOf(X)


def _index(e, inst, ev, size: int) -> int:
    k = int(round(float(ev(e, inst))))
    if not 0 <= k < size:
        unbounded = inst.memo.get(("unbounded",), frozenset())
        cls = EvalError if sp.sympify(e).free_symbols & unbounded else DomainError
        raise cls(f"index {k} out of range for a dimension of size {size}")
    return k


def _eval_element(e, inst, ev):
    X = _as_matrix(ev(e.parent, inst), inst.backend)
    return X[_index(e.i, inst, ev, X.shape[0]), _index(e.j, inst, ev, X.shape[1])]


def _element_mutants(e):
    if e.i != e.j and e.parent.shape[0] == e.parent.shape[1]:
        yield "swap", f"the indices of {e} swapped", MatrixElement(e.parent, e.j, e.i)


def _eval_diag_matrix(e, inst, ev):
    b = inst.backend
    v = _as_matrix(ev(e.args[0], inst), b).ravel()
    out = b.zeros(len(v), len(v))
    for i, x in enumerate(v):
        out[i, i] = x
    return out


def _eval_diagonal(e, inst, ev):
    b = inst.backend
    X = _as_matrix(ev(e.arg, inst), b)
    m = min(X.shape)
    out = b.zeros(m, 1)
    for i in range(m):
        out[i, 0] = X[i, i]
    return out


register(Operator(
    "entry", MatrixElement, evaluate=_eval_element, text=("entry",),
    build=lambda X, i, j=0: MatrixElement(X, i, j), mutations=_element_mutants, family="linalg",
    doc="the entry X[i, j] of a matrix expression (indices from 0)",
))

register(Operator(
    "diag", DiagOf, evaluate=_eval_diag_matrix,
    latex=lambda e, pr: r"\operatorname{diag}\left( %s \right)" % pr(e.args[0]),
    text=("diag", "DiagOf"), build=diag, family="linalg",
    doc="diag(v): the diagonal matrix of a vector (diag(X) of a square matrix: its diagonal)",
))

register(Operator(
    "diagonal", DiagonalOf, evaluate=_eval_diagonal,
    latex=lambda e, pr: r"\operatorname{diag}\left( %s \right)" % pr(e.arg),
    text=("diagonal",), family="linalg", sympy_diff=False,
    doc="the diagonal of a square matrix as a column vector",
))
