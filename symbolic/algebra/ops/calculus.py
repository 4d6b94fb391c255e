r"""Derivative claims: the Jacobian ``Jac(Y, X)``, the gradient ``Grad(Y, X)``, the Hessian ``hessian(f, x)``.

``Jac`` and ``Grad`` (nodes of :mod:`symbolic.algebra.nodes`) are evaluated by
finite differences of the evaluator (:mod:`symbolic.algebra.differences`).
``hessian(f, x)`` is a claim node like them: written in a step it is
evaluated by second-order central differences (independently of sympy), and
sympy's matrix calculus, differentiating twice, is only one witness,
cross-checked by those differences.

>>> import sympy as sp
>>> from symbolic.algebra.evaluate import Instance, evaluate
>>> x = sp.MatrixSymbol("x", 2, 1)
>>> import numpy as np
>>> H = evaluate(hessian(sp.Trace(x * x.T) ** 2, x), Instance(values={x: np.array([[1.0], [2.0]])}))
>>> np.round(H.astype(float), 4).tolist()
[[28.0, 16.0], [16.0, 52.0]]
"""

from __future__ import annotations

import mpmath
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from sympy.core.function import AppliedUndef
from sympy.printing.precedence import PRECEDENCE, precedence

from ..backend import Unsupported, _as_matrix, _scalar
from ..differences import jacobian, matrix_gradient
from ..nodes import Grad, Jac
from .registry import Operator, lookup, register

__all__ = ["Hessian", "hessian"]


class Hessian(MatrixExpr):
    """Hessian ``d^2 f / dx dx^T`` of a scalar ``f``: ``n x n`` for a vector ``x`` of size ``n``."""

    def __new__(cls, f, x):
        return sp.Basic.__new__(cls, f, x)

    @property
    def shape(self):
        x = self.args[1]
        n = x.shape[0] if isinstance(x, MatrixExpr) else sp.Integer(1)
        return (n, n)

    def doit(self, **hints):
        return self


def hessian(f, x) -> Hessian:
    """The Hessian of the scalar ``f`` with respect to the column vector (or scalar) ``x``.

    >>> import sympy as sp
    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> hessian(sp.Symbol("c"), sp.MatrixSymbol("w", n, 1)).shape
    (n, n)
    """
    if isinstance(x, MatrixExpr) and sp.sympify(x.shape[1]) != 1:
        raise ValueError(f"the Hessian with respect to a {x.shape[0]} x {x.shape[1]} matrix: "
                         "differentiate with respect to a column vector or a scalar (vectorize the matrix)")
    if isinstance(f, MatrixExpr) and f.shape != (1, 1):
        raise ValueError(f"the Hessian of a {f.shape[0]} x {f.shape[1]} matrix: f must be a scalar")
    return Hessian(f, x)


def _evaluate(e, inst, ev):
    """Second-order central differences; step eps**(1/4) relative (float64: about 1e-4, error near 1e-8)."""
    f, x = e.args
    b = inst.backend
    if not (isinstance(x, sp.MatrixSymbol) or getattr(x, "is_Symbol", False)):
        raise Unsupported("a Hessian with respect to an expression: differentiate with respect to a declared symbol")
    x0 = _as_matrix(ev(x, inst), b)
    n = x0.shape[0]
    digits = b.dps if b.mp else 16
    h_rel = mpmath.mpf(10) ** (-mpmath.mpf(digits) / 4) if b.mp else 10.0 ** (-digits / 4)

    def at(delta):
        point = x0 + delta
        value = point if isinstance(x, MatrixExpr) else point[0, 0]
        return _scalar(ev(f, inst.with_values({x: value})), "the Hessian of a non-scalar")

    out = b.zeros(n, n)
    for i in range(n):
        for j in range(i, n):
            hi = h_rel * max(1, abs(x0[i, 0]))
            hj = h_rel * max(1, abs(x0[j, 0]))
            di, dj = b.zeros(n, 1), b.zeros(n, 1)
            di[i, 0], dj[j, 0] = hi, hj
            v = (at(di + dj) - at(di - dj) - at(dj - di) + at(-di - dj)) / (4 * hi * hj)
            out[i, j] = out[j, i] = v
    return out


def _latex(e, pr) -> str:
    f, x = e.args
    body = pr(f)
    if isinstance(f, (sp.Add, sp.MatAdd)) or f.could_extract_minus_sign():
        body = r"\left(%s\right)" % body
    return r"\nabla^{2}_{%s} %s" % (pr(x), body)


register(Operator(
    "hessian", Hessian, evaluate=_evaluate, latex=_latex, text=("hessian", "Hessian"), build=hessian,
    atomic=False, family="calculus", differentiates=True,
    text_form=lambda e, pr: "∇²_%s %s" % (pr(e.args[1]), pr.atom(e.args[0])),
    doc="the matrix of second derivatives of a scalar, by second-order central differences",
))


def _eval_derivative(e, inst, ev):
    """``Jac`` by central differences; ``Grad`` its transpose, or of a scalar by a matrix, entry by entry."""
    Y, X = e.args
    xs = getattr(X, "shape", (1, 1))
    if isinstance(e, Grad) and getattr(Y, "shape", (1, 1)) == (1, 1) and sp.sympify(xs[1]) != 1:
        return matrix_gradient(Y, X, inst, ev)
    if sp.sympify(xs[1]) != 1:
        raise Unsupported("a Jacobian with respect to a matrix: use Grad of a scalar, or vectorize")
    J = jacobian(Y, X, inst, ev)
    return J if isinstance(e, Jac) else J.T


def _name_like(x) -> bool:
    op = lookup(x)
    return isinstance(x, (sp.Symbol, sp.MatrixSymbol, AppliedUndef)) or (op is not None and op.subscripted)


def _jac_latex(e, pr) -> str:
    y, x = e.args
    y_tex, x_tex = ((pr(a) if _name_like(a) else r"\left(%s\right)" % pr(a)) for a in (y, x))
    return r"\frac{\partial %s}{\partial %s}" % (y_tex, x_tex)


def _grad_latex(e, pr) -> str:
    y, x = e.args
    body = pr(y)
    if pr.precedence(y) < PRECEDENCE["Mul"] or pr.negative(y):
        body = r"\left(%s\right)" % body
    return r"\nabla_{%s} %s" % (pr(x), body)


def _grad_text(e, pr) -> str:
    y, x = e.args
    body = pr(y)
    if precedence(y) <= PRECEDENCE["Mul"]:
        body = "(%s)" % body
    return "∇_%s %s" % (pr(x), body)


register(Operator(
    "jacobian", Jac, evaluate=_eval_derivative, latex=_jac_latex, text=("Jac",), differentiates=True,
    text_form=lambda e, pr: "∂%s/∂%s" % (pr.atom(e.args[0]), pr.atom(e.args[1])), family="calculus",
    doc="the Jacobian dY/dX (numerator layout), by central differences",
))

register(Operator(
    "gradient", Grad, evaluate=_eval_derivative, latex=_grad_latex, text=("Grad",), differentiates=True,
    atomic=False, open_right=True, text_form=_grad_text, family="calculus",
    doc="the gradient (dY/dX)^T in denominator layout: of a scalar, the shape of X",
))
