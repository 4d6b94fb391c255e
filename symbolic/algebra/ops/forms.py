r"""Scalar forms of matrices: the scalar of a 1 x 1 product (``Dot``) and the largest eigenvalue.

``Dot(u.T*v)`` is the number a 1 x 1 matrix expression holds: it prints as
its inside (``\mathbf{u}^{\top} \mathbf{v}``), parenthesized where the inside
would bind more loosely than its neighbours.  ``LambdaMax(A)`` is the largest
eigenvalue of a symmetric matrix.  Both nodes live in
:mod:`symbolic.algebra.nodes`; their rules are declared here (see :mod:`.registry`).

>>> import sympy as sp
>>> from symbolic.algebra.nodes import Dot, LambdaMax
>>> from symbolic.algebra.printing import to_latex
>>> n = sp.Symbol("n", integer=True, positive=True)
>>> u, A = sp.MatrixSymbol("u", n, 1), sp.MatrixSymbol("A", n, n)
>>> to_latex(Dot(u.T * A * u) ** 2), to_latex(LambdaMax(A))
('\\left(\\mathbf{u}^{\\top} \\mathbf{A} \\mathbf{u}\\right)^{2}', '\\lambda_{1}\\left( \\mathbf{A} \\right)')
"""

from __future__ import annotations

from sympy.printing.precedence import PRECEDENCE, precedence_traditional

from ..backend import _as_matrix, _scalar
from ..nodes import Dot, LambdaMax
from .registry import Operator, register

__all__: list[str] = []


def _eval_dot(e, inst, ev):
    return _scalar(ev(e.args[0], inst))


def _dot_precedence(e, pr) -> int:
    """The precedence of the inside: an atom binds tightest, a product with a leading minus like a sum."""
    inner = e.args[0]
    if inner.is_Atom:
        return PRECEDENCE["Atom"]
    return PRECEDENCE["Add"] if pr.negative(inner) else precedence_traditional(inner)


def _dot_power(e, tex: str, exp: str) -> str | None:
    """``(u^T v)^2``: a power of a product is bracketed (of an atom: the default)."""
    if e.args[0].is_Atom:
        return None
    return r"\left(%s\right)^{%s}" % (tex, exp)


def _eval_lambda_max(e, inst, ev):
    return inst.backend.lambda_max(_as_matrix(ev(e.args[0], inst), inst.backend))


register(Operator(
    "dot", Dot, evaluate=_eval_dot, latex=lambda e, pr: pr(e.args[0]), text=("Dot",), atomic=False,
    precedence=_dot_precedence, power=_dot_power, text_form=lambda e, pr: pr(e.args[0]), family="forms",
    doc="the scalar a 1 x 1 matrix expression holds (u^T v)",
))

register(Operator(
    "lambda_max", LambdaMax, evaluate=_eval_lambda_max,
    latex=lambda e, pr: r"\lambda_{1}\left( %s \right)" % pr(e.args[0]), text=("LambdaMax",),
    text_form=lambda e, pr: "λ₁(%s)" % pr(e.args[0]), family="forms",
    doc="the largest eigenvalue of a symmetric matrix",
))
