r"""A column vector written out entry by entry with an elision: ``(a_1, a_2, \dots, a_n)``.

``Stacked(Lambda(i, body), lo, hi)`` is the column whose entries are ``body`` at ``i = lo, lo + 1, .., hi``
(its size ``hi - lo + 1`` may be symbolic).  The index is bound by the ``Lambda``, so it is no free symbol
of the vector.  The reader builds it from an elided vector (:mod:`symbolic.read.elision`).

>>> import sympy as sp
>>> from symbolic.algebra.evaluate import Instance, evaluate
>>> i, n = sp.Symbol("i", integer=True), sp.Symbol("n", integer=True, positive=True)
>>> v = Stacked(sp.Lambda(i, i**2), 1, n)
>>> v.shape, evaluate(v, Instance(values={n: 3})).ravel().tolist()
((n, 1), [1.0, 4.0, 9.0])
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from ..backend import EvalError
from .registry import Operator, register

__all__: list[str] = []


class Stacked(MatrixExpr):
    """The column of the values of ``lam`` (a one-variable ``Lambda``) at ``lo..hi``."""

    def __new__(cls, lam, lo, hi):
        return sp.Basic.__new__(cls, lam, sp.sympify(lo), sp.sympify(hi))

    @property
    def shape(self):
        return (self.args[2] - self.args[1] + 1, sp.Integer(1))

    def doit(self, **hints):
        return self

    def _sympystr(self, printer) -> str:
        lam, lo, hi = self.args
        return "Stacked(%s, (%s, %s, %s))" % (printer._print(lam.expr), printer._print(lam.variables[0]),
                                               printer._print(lo), printer._print(hi))


def _eval_stacked(e, inst, ev):
    b = inst.backend
    lam, lo, hi = e.args
    i = lam.variables[0]
    lo_v, hi_v = (int(round(float(ev(x, inst)))) for x in (lo, hi))
    if hi_v - lo_v > 200000:
        raise EvalError("a vector of more than 200000 entries")
    sub = inst.with_values({i: b.num(lo_v)}, share_memo=True)
    out = b.zeros(max(hi_v - lo_v + 1, 0), 1)
    for r, k in enumerate(range(lo_v, hi_v + 1)):
        sub.values[i] = b.num(k)
        out[r, 0] = ev(lam.expr, sub)
    return out


def _stacked_latex(e, pr) -> str:
    lam, lo, hi = e.args
    i = lam.variables[0]
    first, last = (pr(lam.expr.xreplace({i: x})) for x in (lo, hi))
    return r"\begin{pmatrix} %s \\ \vdots \\ %s \end{pmatrix}" % (first, last)


def _stacked_text(e, pr) -> str:
    lam, lo, hi = e.args
    i = lam.variables[0]
    return "(%s, …, %s)" % tuple(pr(lam.expr.xreplace({i: x})) for x in (lo, hi))


register(Operator("stacked", Stacked, evaluate=_eval_stacked, latex=_stacked_latex, text_form=_stacked_text,
                  text_atomic=True,
                  doc="a column written out entry by entry with an elision (a_1, .., a_n)"))
