"""Norms: vector 1, 2 and infinity norms; matrix spectral, Frobenius and nuclear norms.

Each norm is one operator (see :mod:`.registry`): its evaluation (float64
and high precision: singular values by ``mpmath.svd_r``), LaTeX
(``\\left\\| x \\right\\|_{1}``), text names, mistakes, equality lemmas and
inequality lemmas (:mod:`._norm_lemmas`).  ``Norm`` (2-norm of a vector,
spectral norm of a matrix) keeps its node in :mod:`symbolic.algebra.nodes`.
The user writes ``symbolic.norm(x, 1)``, ``norm(x, sp.oo)``, ``norm(A, "fro")``,
``norm(A, "nuc")``, or the node classes ``Norm1``, ``NormInf``, ``Frobenius``, ``Nuclear``.

>>> import sympy as sp
>>> from symbolic.algebra.ops import lookup, apply_rewrites
>>> A = sp.MatrixSymbol("A", 3, 3)
>>> lookup(Frobenius(A)).name
'frobenius'
>>> apply_rewrites(Frobenius(2 * A.T))[0]
2*sqrt(Trace(A*A.T))
"""

from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from .. import largescale
from ..backend import _as_matrix
from ..nodes import Norm
from ._norm_lemmas import BOUNDS, REWRITES
from ._norm_nodes import Frobenius, Norm1, NormInf, Nuclear, is_vector, norm
from .registry import Operator, register

__all__ = ["norm", "Norm1", "NormInf", "Frobenius", "Nuclear"]


def _value(e, inst, ev):
    """The argument's value as a 2-D array, or ``None`` for a scalar (whose every norm is ``|x|``)."""
    v = ev(e.args[0], inst)
    if not isinstance(v, np.ndarray):
        return None, abs(v)
    return _as_matrix(v, inst.backend), None


def _singular_values(A, b) -> list:
    if b.mp:
        s = mpmath.svd_r(mpmath.matrix(A.tolist()), compute_uv=False)
        return [s[i] for i in range(len(s))]
    return [float(s) for s in np.linalg.svd(np.asarray(A, dtype=float), compute_uv=False)]


def _eval_norm(e, inst, ev):
    fast = largescale.norm(e.args[0], inst, ev)
    if fast is not None:
        return fast
    v = ev(e.args[0], inst)
    if isinstance(v, np.ndarray):
        return inst.backend.spectral_norm(v)
    return abs(v)


def _abs_sums(A, b, axis: int) -> list:
    lines = A.T if axis == 0 else A
    return [sum((abs(x) for x in line), b.num(0)) for line in lines]


def _eval_norm1(e, inst, ev):
    A, s = _value(e, inst, ev)
    if A is None:
        return s
    b = inst.backend
    if 1 in A.shape:
        return sum((abs(x) for x in A.ravel()), b.num(0))
    return max(_abs_sums(A, b, axis=0))


def _eval_norminf(e, inst, ev):
    A, s = _value(e, inst, ev)
    if A is None:
        return s
    b = inst.backend
    if 1 in A.shape:
        return max(abs(x) for x in A.ravel())
    return max(_abs_sums(A, b, axis=1))


def _eval_frobenius(e, inst, ev):
    A, s = _value(e, inst, ev)
    if A is None:
        return s
    b = inst.backend
    return b.fn("sqrt")(sum((x * x for x in A.ravel()), b.num(0)))


def _eval_nuclear(e, inst, ev):
    A, s = _value(e, inst, ev)
    if A is None:
        return s
    return sum(_singular_values(A, inst.backend), inst.backend.num(0))


def _frobenius_sympy(e):
    X = e.args[0]
    return sp.sqrt(sp.Trace(sp.Transpose(X) * X)) if isinstance(X, MatrixExpr) else sp.Abs(X)


def _bars(sub: str):
    def latex(e, pr):
        return r"\left\| %s \right\|%s" % (pr(e.args[0]), sub)
    return latex


#: The norms a mistaken one is swapped for: between vector norms, between matrix norms.
_VECTOR_SWAPS = {Norm: (Norm1, NormInf), Norm1: (Norm, NormInf), NormInf: (Norm, Norm1)}
_MATRIX_SWAPS = {Norm: (Frobenius,), Frobenius: (Norm, Nuclear), Nuclear: (Frobenius,)}
_NAMES = {Norm: "2-norm", Norm1: "1-norm", NormInf: "infinity norm", Frobenius: "Frobenius norm",
          Nuclear: "nuclear norm"}


def _mutants(e):
    """Mistakes in a norm: another norm, a dropped square, the norm of a product as the product of norms."""
    X, cls = e.args[0], type(e)
    if not isinstance(X, MatrixExpr):
        return
    swaps = _VECTOR_SWAPS if is_vector(X) else _MATRIX_SWAPS
    for other in swaps.get(cls, ()):
        yield "operator", f"the {_NAMES[other]} instead of the {_NAMES[cls]} of {X}", other(X)
    yield "operator", f"sqrt({e}): a square dropped", sp.sqrt(e)
    if isinstance(X, sp.MatMul):
        mats = [a for a in X.args if isinstance(a, MatrixExpr)]
        if len(mats) >= 2:
            coeff = sp.Mul(*[a for a in X.args if not isinstance(a, MatrixExpr)])
            yield "operator", f"the norm of {X} as the product of the norms", \
                sp.Abs(coeff) * sp.Mul(*[cls(m) for m in mats])


def _norm_jacobian(e, D):
    """``d||u|| = u^T du / ||u||`` for a column ``u`` (where ``u != 0``); a matrix's spectral norm: no rule."""
    u = e.args[0]
    if not isinstance(u, MatrixExpr) or sp.sympify(u.shape[1]) != 1:
        return None
    return (1 / e) * u.T * D(u)


def _text_bars(sub: str):
    def text(e, pr):
        return "‖%s‖%s" % (pr(e.args[0]), sub)
    return text


def _declare() -> None:
    common = dict(mutations=_mutants, family="norms", text_atomic=True)
    register(Operator("norm", Norm, evaluate=_eval_norm, latex=_bars(""), text=("Norm", "norm"), build=norm,
                      text_form=_text_bars(""),
                      rewrites=REWRITES[Norm], bounds=BOUNDS[Norm], jacobian=_norm_jacobian,
                      doc="the 2-norm of a vector, the spectral norm of a matrix", **common))
    register(Operator("norm1", Norm1, evaluate=_eval_norm1, latex=_bars("_{1}"), text=("norm1", "Norm1"),
                      text_form=_text_bars("₁"),
                      rewrites=REWRITES[Norm1], bounds=BOUNDS[Norm1],
                      doc="the 1-norm of a vector (sum of |x_i|); of a matrix, the largest absolute column sum",
                      **common))
    register(Operator("norminf", NormInf, evaluate=_eval_norminf, latex=_bars(r"_{\infty}"),
                      text=("norminf", "NormInf", "norm_inf"), rewrites=REWRITES[NormInf], bounds=BOUNDS[NormInf],
                      text_form=_text_bars("_∞"),
                      doc="the infinity norm of a vector (max |x_i|); of a matrix, the largest absolute row sum",
                      **common))
    register(Operator("frobenius", Frobenius, evaluate=_eval_frobenius, latex=_bars("_{F}"),
                      text=("fro", "frobenius", "Frobenius"), rewrites=REWRITES[Frobenius],
                      bounds=BOUNDS[Frobenius], sympy_form=_frobenius_sympy, text_form=_text_bars("_F"),
                      doc="the Frobenius norm sqrt(tr(A^T A))", **common))
    register(Operator("nuclear", Nuclear, evaluate=_eval_nuclear, latex=_bars("_{*}"),
                      text=("nuclear", "Nuclear", "nuc"), rewrites=REWRITES[Nuclear], bounds=BOUNDS[Nuclear],
                      text_form=_text_bars("_*"),
                      doc="the nuclear (trace) norm: the sum of the singular values", **common))


_declare()
