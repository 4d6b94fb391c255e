"""Products of matrices beyond the matrix product: Hadamard, Kronecker; ``vec`` and the ones vector.

>>> import sympy as sp
>>> from symbolic.algebra.ops import apply_rewrites
>>> n = sp.Symbol("n", integer=True, positive=True)
>>> A, B, C, D, X = (sp.MatrixSymbol(s, n, n) for s in "ABCDX")
>>> apply_rewrites(sp.KroneckerProduct(A, B) * sp.KroneckerProduct(C, D))[0]
KroneckerProduct(A*C, B*D)
>>> apply_rewrites(vec(A * X * B))[0]
(KroneckerProduct(B.T, A))*Vec(X)
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from sympy.matrices.expressions.kronecker import combine_kronecker
from sympy.matrices.expressions.matexpr import MatrixExpr

from ..backend import EvalError, _as_matrix, size
from .registry import Operator, Rewrite, register

__all__: list[str] = ["vec", "ones", "hadamard", "kron"]


class Vec(MatrixExpr):
    """``vec X``: the columns of ``X`` stacked into one column vector.

    >>> n, m = sp.symbols("n m", integer=True, positive=True)
    >>> Vec(sp.MatrixSymbol("X", n, m)).shape
    (m*n, 1)
    """

    def __new__(cls, X):
        return super().__new__(cls, sp.sympify(X))

    @property
    def arg(self):
        return self.args[0]

    @property
    def shape(self):
        return (self.arg.shape[0] * self.arg.shape[1], sp.Integer(1))

    def doit(self, **hints):
        return Vec(self.arg.doit(**hints)) if hints.get("deep", True) else self


def vec(X):
    """``vec X``, the column stacking of ``X``.

    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> vec(sp.MatrixSymbol("X", n, n)).shape
    (n**2, 1)
    """
    return Vec(X)


def ones(n, m=1):
    """The all-ones vector ``1_n`` (an ``n x m`` all-ones matrix with ``m``).

    >>> ones(3).shape
    (3, 1)
    """
    return sp.OneMatrix(n, m)


def hadamard(*args):
    """The entrywise (Hadamard) product ``A ⊙ B`` (sympy's ``HadamardProduct``).

    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> hadamard(sp.MatrixSymbol("A", n, n), sp.MatrixSymbol("B", n, n))
    HadamardProduct(A, B)
    """
    return sp.HadamardProduct(*args)


def kron(*args):
    """The Kronecker product ``A ⊗ B`` (sympy's ``KroneckerProduct``).

    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> kron(sp.MatrixSymbol("A", n, n), sp.MatrixSymbol("B", n, n)).shape
    (n**2, n**2)
    """
    return sp.KroneckerProduct(*args)


def _eval_hadamard(e, inst, ev):
    b = inst.backend
    out = None
    for a in e.args:
        v = _as_matrix(ev(a, inst), b)
        if out is not None and out.shape != v.shape:
            raise EvalError(f"shape mismatch in an entrywise product: {out.shape} and {v.shape}")
        out = v if out is None else out * v
    return out


def _key(a) -> str:
    return sp.srepr(a)


def _hadamard_normal(e):
    """Commutativity and bilinearity: ``A ⊙ (B + C) = A ⊙ B + A ⊙ C``, ``(cA) ⊙ B = c (A ⊙ B)``,
    factors in a canonical order."""
    for k, a in enumerate(e.args):
        if isinstance(a, sp.MatAdd):
            rest = e.args[:k] + e.args[k + 1:]
            return sp.MatAdd(*[_hadamard_normal(sp.HadamardProduct(t, *rest)) for t in a.args])
    coeff, mats = sp.Integer(1), []
    for a in e.args:
        if isinstance(a, sp.MatMul) and not a.args[0].is_Matrix:
            coeff *= a.args[0]
            a = sp.MatMul(*a.args[1:])
        mats.append(a)
    out = sp.HadamardProduct(*sorted(mats, key=_key))
    return out if coeff == 1 else sp.MatMul(coeff, out)


def _hadamard_rewrite(e):
    out = _hadamard_normal(e)
    return None if out == e else out


def _hadamard_mutants(e):
    if len(e.args) == 2:
        a, b = e.args
        if a.shape[1] == b.shape[0]:
            yield "operator", f"{e} taken as a matrix product", a * b


def _eval_kron(e, inst, ev):
    b = inst.backend
    out = None
    for a in e.args:
        v = _as_matrix(ev(a, inst), b)
        out = v if out is None else np.kron(out, v)
    return out


def _mixed_product(e):
    """``(A ⊗ B)(C ⊗ D) = AC ⊗ BD`` where the factors' shapes allow (sympy's ``combine_kronecker``)."""
    if sum(isinstance(a, sp.KroneckerProduct) for a in e.args) < 2:
        return None
    out = combine_kronecker(e)
    return None if out == e else out


def _square_factors(M) -> bool:
    return isinstance(M, sp.KroneckerProduct) and all(sp.simplify(a.shape[0] - a.shape[1]) == 0 for a in M.args)


def _trace_kron(e):
    """``tr(A ⊗ B) = tr A tr B`` (square factors)."""
    return sp.Mul(*[sp.Trace(a) for a in e.arg.args]) if _square_factors(e.arg) else None


def _det_kron(e):
    """``det(A ⊗ B) = (det A)^m (det B)^n`` for ``A`` n x n and ``B`` m x m."""
    M = e.arg
    if not _square_factors(M):
        return None
    total = M.shape[0]
    return sp.Mul(*[sp.Determinant(a) ** sp.cancel(total / a.shape[0]) for a in M.args])


def _kron_mutants(e):
    if len(e.args) == 2:
        yield "swap", f"the factors of {e} in the wrong order", sp.KroneckerProduct(e.args[1], e.args[0])


def _eval_vec(e, inst, ev):
    X = _as_matrix(ev(e.arg, inst), inst.backend)
    return X.reshape(-1, 1, order="F")


def _vec_rewrite(e):
    """``vec(AXB) = (B^T ⊗ A) vec X``, ``vec`` linear."""
    M = e.arg
    if isinstance(M, sp.MatAdd):
        return sp.MatAdd(*[Vec(a) for a in M.args])
    if isinstance(M, sp.MatMul):
        coeff = sp.Mul(*[a for a in M.args if not a.is_Matrix])
        mats = [a for a in M.args if a.is_Matrix]
        if len(mats) == 3:
            out = sp.KroneckerProduct(sp.Transpose(mats[2]).doit(), mats[0]) * Vec(mats[1])
            return out if coeff == 1 else coeff * out
        if coeff != 1:
            return coeff * Vec(sp.MatMul(*mats) if len(mats) > 1 else mats[0])
    return None


def _vec_mutants(e):
    M = e.arg
    if M.shape[0] == M.shape[1] and not isinstance(M, sp.Transpose):
        yield "transpose", f"{e} stacking rows instead of columns", Vec(sp.Transpose(M))


def _eval_ones(e, inst, ev):
    b = inst.backend
    return b.zeros(size(e.shape[0], inst, ev), size(e.shape[1], inst, ev)) + b.num(1)


register(Operator(
    "hadamard", sp.HadamardProduct, evaluate=_eval_hadamard, text=("hadamard", "odot"), build=hadamard,
    mutations=_hadamard_mutants, rewrites=(Rewrite("Hadamard product commutative and bilinear", _hadamard_rewrite),),
    atomic=False, family="linalg", sympy_diff=False, doc="the entrywise product of matrices of one shape",
    text_form=lambda e, pr: " ⊙ ".join(pr.atom(a) for a in e.args),
))

register(Operator(
    "kronecker", sp.KroneckerProduct, evaluate=_eval_kron, text=("kron", "otimes"), build=kron,
    mutations=_kron_mutants,
    rewrites=(Rewrite("Kronecker mixed product", _mixed_product, head=sp.MatMul),
              Rewrite("trace of a Kronecker product", _trace_kron, head=sp.Trace),
              Rewrite("determinant of a Kronecker product", _det_kron, head=sp.Determinant)),
    atomic=False, family="linalg", sympy_diff=False, doc="the Kronecker product of matrices",
    text_form=lambda e, pr: " ⊗ ".join(pr.atom(a) for a in e.args),
))

register(Operator(
    "vec", Vec, evaluate=_eval_vec, latex=lambda e, pr: r"\operatorname{vec}\left( %s \right)" % pr(e.arg),
    text=("vec",), mutations=_vec_mutants, rewrites=(Rewrite("vec of a product", _vec_rewrite),),
    family="linalg", sympy_diff=False, doc="the column stacking of a matrix",
    text_form=lambda e, pr: "vec(%s)" % pr(e.arg),
))

register(Operator(
    "ones", sp.OneMatrix, evaluate=_eval_ones, text=("ones",), build=ones, family="linalg",
    doc="the all-ones vector (or matrix)",
))
