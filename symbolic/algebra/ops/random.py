"""Random quantities: the expectation ``E``, the variance ``Var`` and the covariance ``Cov``.

Evaluation is exact reduction then evaluation, never a sample mean: an
expectation is reduced by the declared laws (:func:`..rewrite.reduce_expectations`,
with the moments an instance carries, if any) and what cannot be reduced
raises :class:`~symbolic.algebra.backend.Unsupported` with its reason, so the
step stays UNDECIDED.  Jensen's inequality is a :class:`Bound` of ``E``: for a
convex ``f`` (``exp``, an even power, ``-log``, or a function declared
``kind="convex"``), ``f(E[X]) <= E[f(X)]``, reversed for a concave one.

>>> import sympy as sp
>>> from symbolic.algebra.ops import lookup, by_text
>>> z = sp.Symbol("z", real=True)
>>> lookup(Var(z)).name, by_text("Var").name
('variance', 'variance')
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.matrices.expressions.matexpr import MatrixExpr

from ..backend import Unsupported
from ..nodes import Expect, MatExpect
from ..random_nodes import Cov, Var
from .registry import Bound, Operator, register

__all__ = ["Var", "Cov", "expect"]

_UNREDUCED = "the expectation {} could not be reduced exactly, and is never evaluated on one sample"


def expect(X):
    """``E[X]``: :class:`Expect` of a scalar, :class:`MatExpect` of a matrix expression.

    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> type(expect(sp.MatrixSymbol("x", n, 1))).__name__, type(expect(sp.Symbol("z"))).__name__
    ('MatExpect', 'Expect')
    """
    X = sp.sympify(X)
    return MatExpect(X) if isinstance(X, MatrixExpr) else Expect(X)


def _evaluate(e, inst, ev):
    """Reduce exactly with the moments the instance carries (``inst.memo[("moments",)]``), then evaluate."""
    from ..rewrite import reduce_expectations

    moments = inst.memo.get(("moments",)) if hasattr(inst, "memo") else None
    if moments is not None:
        out = reduce_expectations(e, moments)
        if not out.has(Expect, MatExpect, Var, Cov):
            return ev(out, inst)
    raise Unsupported(_UNREDUCED.format(f"E[{e.args[0]}]" if isinstance(e, (Expect, MatExpect))
                                        else f"{type(e).__name__}({e.args[0]})"))


def _mutants(e):
    X = e.args[0]
    yield "operator", f"E[{X}] replaced by the quantity itself", X
    if isinstance(X, sp.Pow) and X.exp == 2:
        yield "operator", f"E[{X}] as the square of the mean", Expect(X.base) ** 2


def _var_mutants(e):
    X = e.args[0]
    yield "operator", f"Var({X}) as a standard deviation", sp.sqrt(Var(X))
    yield "operator", f"Var({X}) as E[X^2]", Expect(X ** 2)


# -- Jensen's inequality --------------------------------------------------------------------------------------


def _convexity(f, prover, positive: bool = False) -> int:
    """+1: ``f`` (an expression of one variable ``_t``) is convex; -1: concave; 0: not known.

    ``positive``: on the positive reals only (the argument is known to be positive).
    """
    t = _T
    if isinstance(f, AppliedUndef):
        kinds = getattr(prover, "function_kinds", {})
        return {"convex": 1, "concave": -1, "exp": 1}.get(kinds.get(type(f).__name__, ""), 0)
    try:
        second = sp.diff(f, t, 2)
        if positive:
            second = second.xreplace({t: _TP})
        second = sp.simplify(second)
    except Exception:  # noqa: BLE001 - sympy's simplify raises many kinds of errors; nothing is claimed
        return 0
    if second.is_nonnegative:
        return 1
    if second.is_nonpositive:
        return -1
    return 0


_T = sp.Symbol("_jensen_t", real=True)
_TP = sp.Symbol("_jensen_tp", positive=True)


def _outer(expr, inner):
    """``expr`` as ``f(inner)``: ``f`` with ``inner`` replaced by ``_T`` when ``inner`` is the only random part."""
    f = expr.xreplace({inner: _T})
    return f if not f.has(inner) else None


def _jensen(prover, a, b, depth):
    """``f(E[X]) <= E[f(X)]`` (``f`` convex) and ``E[f(X)] <= f(E[X])`` (``f`` concave), exactly as written
    or with ``E[X]`` already reduced by the declared laws (``prover.expectation``)."""
    for lhs, rhs, sign in ((a, b, 1), (b, a, -1)):
        if not isinstance(rhs, Expect):
            continue
        body = rhs.args[0]
        reduce = getattr(prover, "expectation", None)
        for X in _candidates(body):
            f = _outer(body, X)
            if f is None or f == _T or (f.free_symbols - {_T}) & _random(prover):
                continue
            mean = Expect(X)
            targets = [f.xreplace({_T: mean})]
            if reduce is not None:
                reduced = reduce(mean)
                if not reduced.has(Expect):
                    targets.append(f.xreplace({_T: reduced}))
            if not any(prover._eq(lhs, t) for t in targets):
                continue
            shape = _convexity(f, prover)
            if shape == 0 and prover is not None and _positive(prover, X):
                shape = _convexity(f, prover, positive=True)
            if shape == sign:
                return [f"Jensen's inequality ({'convex' if sign > 0 else 'concave'} {f.xreplace({_T: X})})"]
    return None


def _positive(prover, X) -> bool:
    """``X > 0`` from the declarations (sign assumptions, or a declared positive law)."""
    try:
        return bool(sp.sympify(X).is_positive) or bool(getattr(prover, "positive_random", lambda x: False)(X))
    except (TypeError, AttributeError):
        return False


def _random(prover) -> set:
    return set(getattr(prover, "random_symbols", ()))


def _candidates(body):
    """Sub-expressions ``X`` of ``body`` to read ``body`` as ``f(X)``: the arguments of its head, recursively."""
    out = []
    node = body
    for _ in range(4):
        if not getattr(node, "args", ()):
            break
        args = [a for a in node.args if not a.is_number]
        if len(args) != 1:
            break
        node = args[0]
        out.append(node)
    return out


register(Operator(
    "expectation", Expect, evaluate=_evaluate,
    latex=lambda e, pr: r"\mathbb{E}\left[ %s \right]" % pr(e.args[0]),
    text=("E",), build=expect, mutations=_mutants, bounds=(Bound("Jensen's inequality", _jensen),),
    family="random", doc="the expectation of a scalar over the declared random quantities (reduced exactly)",
    text_form=lambda e, pr: "E[%s]" % pr(e.args[0]),
))
register(Operator(
    "matrix expectation", MatExpect, evaluate=_evaluate,
    latex=lambda e, pr: r"\mathbb{E}\left[ %s \right]" % pr(e.args[0]),
    text=("MatExpect",), mutations=_mutants, family="random", postfix=True,
    text_form=lambda e, pr: "E[%s]" % pr(e.args[0]),
    doc="the expectation of a matrix or vector expression (reduced exactly)",
))
register(Operator(
    "variance", Var, evaluate=_evaluate,
    latex=lambda e, pr: r"\operatorname{Var}\left[ %s \right]" % pr(e.args[0]),
    text=("Var", "var"), mutations=_var_mutants, family="random", text_form=lambda e, pr: "Var[%s]" % pr(e.args[0]),
    doc="the variance E[X^2] - E[X]^2 of a scalar random expression",
))
register(Operator(
    "covariance", Cov, evaluate=_evaluate,
    latex=lambda e, pr: r"\operatorname{Cov}\left[ %s \right]" % pr(e.args[0]),
    text=("Cov", "cov"), family="random", text_form=lambda e, pr: "Cov[%s]" % pr(e.args[0]),
    doc="the covariance matrix E[x x^T] - E[x] E[x]^T of a random vector",
))
