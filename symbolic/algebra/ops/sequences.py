r"""Sequences: the term ``x_t`` of a declared vector sequence, and the ordered product ``prod_{t=a}^{b} W_t``.

``SeqTerm``, ``MatProd`` and ``MatSum`` (a sum of vectors such as ``sum_i beta^{t-i} g_i``) live in :mod:`symbolic.algebra.nodes`; their
rules are declared here (see :mod:`.registry`).  The factor for ``t = b``
of a ``MatProd`` stands leftmost, as in a chain rule through time; an empty
product is the identity.

>>> import sympy as sp
>>> from symbolic.algebra.nodes import MatProd, SeqTerm
>>> from symbolic.algebra.printing import to_latex
>>> t, T = sp.symbols("t T", integer=True)
>>> W = sp.MatrixSymbol("W", 3, 3)
>>> to_latex(MatProd(SeqTerm(sp.Symbol("h"), t, 3, 3) * W, t, 1, T))
'\\prod_{t=1}^{T} \\mathbf{h}_{t} \\mathbf{W}'
"""

from __future__ import annotations

from sympy.printing.precedence import PRECEDENCE

from ..backend import EvalError, _as_matrix, size
from ..nodes import MatProd, MatSum, SeqTerm
from .registry import Operator, register

__all__: list[str] = []


def _eval_term(e, inst, ev):
    name = e.name.name
    if name not in inst.sequences:
        raise EvalError(f"no value for sequence {name}")
    idx = int(round(float(ev(e.index, inst))))
    return inst.sequences[name](idx, inst)


def _eval_product(e, inst, ev):
    b = inst.backend
    body, t, lo, hi = e.args
    lo_v = int(round(float(ev(lo, inst))))
    hi_v = int(round(float(ev(hi, inst))))
    out = None
    sub = inst.with_values({t: b.num(hi_v)}, share_memo=True)  # one child, index updated in place
    for k in range(hi_v, lo_v - 1, -1):
        sub.values[t] = b.num(k)
        m = _as_matrix(ev(body, sub), b)
        out = m if out is None else out @ m
    if out is None:
        return b.eye(size(body.shape[0], inst, ev))
    return out


def _eval_sum(e, inst, ev):
    b = inst.backend
    body, i, lo, hi = e.args
    lo_v = int(round(float(ev(lo, inst))))
    hi_v = int(round(float(ev(hi, inst))))
    out = None
    sub = inst.with_values({i: b.num(lo_v)}, share_memo=True)  # one child, index updated in place
    for k in range(lo_v, hi_v + 1):
        sub.values[i] = b.num(k)
        m = _as_matrix(ev(body, sub), b)
        out = m if out is None else out + m
    if out is None:
        return b.zeros(size(body.shape[0], inst, ev), size(body.shape[1], inst, ev))
    return out


def _bigop_latex(command: str):
    r"""The LaTeX rule of a bounded ``\sum``/``\prod`` node ``(body, index, lower, upper)``."""
    def latex(e, pr) -> str:
        body, i, a, b = e.args
        tex = pr(body)
        if pr.precedence(body) < PRECEDENCE["Mul"] or pr.negative(body):
            tex = r"\left(%s\right)" % tex
        return r"%s_{%s=%s}^{%s} %s" % (command, pr(i), pr(a), pr(b), tex)
    return latex


def _bound_mutants(node):
    """The mistake of a bounded sum or product: its upper bound shifted by one."""
    def mutants(e):
        body, i, lo, hi = e.args
        yield "exponent", f"shift the upper bound {hi} by one", node(body, i, lo, hi - 1)
    return mutants


_sum_latex, _sum_mutants = _bigop_latex(r"\sum"), _bound_mutants(MatSum)
_product_latex, _product_mutants = _bigop_latex(r"\prod"), _bound_mutants(MatProd)


register(Operator(
    "sequence term", SeqTerm, evaluate=_eval_term,
    latex=lambda e, pr: pr.subscript(pr.matrix_name(str(e.args[0])), pr(e.args[1])),
    postfix=True, subscripted=True, text_atomic=True,
    text_form=lambda e, pr: "%s_%s" % (e.args[0], pr(e.args[1])), family="sequences",
    doc="term t of a declared vector-valued sequence (not written in text expressions)",
))

register(Operator(
    "sum of matrices", MatSum, evaluate=_eval_sum, latex=_sum_latex, atomic=False, open_right=True,
    mutations=_sum_mutants, canon=lambda e, inside: MatSum(inside(e.args[0]), *e.args[1:]),
    text_form=lambda e, pr: "Σ_{%s=%s}^{%s} (%s)" % tuple(pr(a) for a in (e.args[1], e.args[2], e.args[3],
                                                                           e.args[0])),
    family="sequences", doc="the sum of matrices (or vectors) sum_{i=a}^{b} body(i), zero when empty",
))

register(Operator(
    "ordered product", MatProd, evaluate=_eval_product, latex=_product_latex, atomic=False, open_right=True,
    mutations=_product_mutants, canon=lambda e, inside: MatProd(inside(e.args[0]), *e.args[1:]),
    text_form=lambda e, pr: "∏_{%s=%s}^{%s} (%s)" % tuple(pr(a) for a in (e.args[1], e.args[2], e.args[3],
                                                                           e.args[0])),
    family="sequences", doc="the ordered matrix product prod_{t=a}^{b} body(t), the factor t = b leftmost",
))
