"""Entries and diagonals: ``X[i, j]``, ``diag(v)`` (a diagonal matrix), ``diag(X)`` (a diagonal as a vector).

Also the entry ``Entry(v, i)`` of a column vector, the sum of all entries
``SumEntries(X)`` and the one-hot vector ``OneHot(y, m)`` (their nodes are in
:mod:`symbolic.algebra.nodes`).

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

from sympy import MatrixSymbol, Symbol

from ..backend import DomainError, EvalError, _as_matrix, size
from ..nodes import DiagOf, Entry, OneHot, SumEntries
from .registry import lookup
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
    text=("diag", "DiagOf"), build=diag, family="linalg", postfix=True,
    text_form=lambda e, pr: "diag(%s)" % pr(e.args[0]), canon=lambda e, inside: DiagOf(inside(e.args[0])),
    doc="diag(v): the diagonal matrix of a vector (diag(X) of a square matrix: its diagonal)",
))

register(Operator(
    "diagonal", DiagonalOf, evaluate=_eval_diagonal,
    latex=lambda e, pr: r"\operatorname{diag}\left( %s \right)" % pr(e.arg),
    text=("diagonal",), family="linalg", sympy_diff=False, text_form=lambda e, pr: "diag(%s)" % pr(e.arg),
    doc="the diagonal of a square matrix as a column vector",
))


def _eval_entry(e, inst, ev):
    v = _as_matrix(ev(e.args[0], inst), inst.backend)
    i = int(round(float(ev(e.args[1], inst))))
    if not 0 <= i < v.shape[0]:
        unbounded = inst.memo.get(("unbounded",), frozenset())
        cls = EvalError if e.args[1].free_symbols & unbounded else DomainError
        raise cls(f"index {i} out of range for a vector of size {v.shape[0]}")
    return v[i, 0]


def _entry_latex(e, pr) -> str:
    v, i = e.args
    base = pr(v)
    op = lookup(v)
    if not (isinstance(v, (MatrixSymbol, Symbol)) or (op is not None and op.subscripted)):
        base = r"\left(%s\right)" % base
    return pr.subscript(base, pr(i))


def _eval_onehot(e, inst, ev):
    b = inst.backend
    m = size(e.args[1], inst, ev)
    y = int(round(float(ev(e.args[0], inst))))
    if not 0 <= y < m:
        unbounded = inst.memo.get(("unbounded",), frozenset())
        cls = EvalError if sp.sympify(e.args[0]).free_symbols & unbounded else DomainError
        raise cls(f"onehot index {y} out of range for size {m}")
    out = b.zeros(m, 1)
    out[y, 0] = b.num(1)
    return out


register(Operator(
    "vector entry", Entry, evaluate=_eval_entry, latex=_entry_latex, text=("Entry",), subscripted=True,
    text_form=lambda e, pr: "%s_%s" % (pr.atom(e.args[0]), pr(e.args[1])), family="linalg",
    doc="entry i (from 0) of a column vector, as a scalar",
))

register(Operator(
    "sum of entries", SumEntries, evaluate=lambda e, inst, ev: sum(_as_matrix(ev(e.args[0], inst),
                                                                              inst.backend).ravel()),
    latex=lambda e, pr: r"\operatorname{sum}\left( %s \right)" % pr(e.args[0]), text=("SumEntries",),
    text_form=lambda e, pr: "sum(%s)" % pr(e.args[0]), family="linalg",
    doc="the sum of all the entries of a matrix expression",
))

register(Operator(
    "onehot", OneHot, evaluate=_eval_onehot,
    latex=lambda e, pr: r"\operatorname{onehot}_{%s}\left( %s \right)" % (pr(e.args[1]), pr(e.args[0])),
    text=("onehot", "OneHot"), postfix=True,
    text_form=lambda e, pr: "onehot_%s(%s)" % (pr(e.args[1]), pr(e.args[0])), family="linalg",
    doc="the column vector of size m with a one at (0-based) position y",
))
