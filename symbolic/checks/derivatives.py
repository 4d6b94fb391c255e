"""Derivative claims: sympy's matrix calculus as one witness, never the only one.

sympy differentiates ``g*u/||u||`` with respect to a MatrixSymbol ``u`` as
``(g/||u||) I``: it drops the norm's dependence on ``u``.  So a symbolic
result here is only a candidate; the caller always compares the claim with
finite differences, and a disagreement is reported.

>>> import sympy as sp
>>> from symbolic.algebra import Jac, Norm
>>> n = sp.Symbol("n", integer=True, positive=True); u = sp.MatrixSymbol("u", n, 1)
>>> str(sympy_jacobian(Jac(u, u)))
'I'
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..algebra import Dot, Grad, Jac, MatrixExpr, Norm, sp
from ..algebra.evaluate import evaluate
from ..algebra.ops import lookup, operators
from ..algebra.ops.calculus import Hessian
from ..algebra.prove import prove_equal
from ..exceptions import BudgetExceeded
from .numeric import FD_TOL, hp_violated, violation


def _differentiable(e):
    """Norms and Dots rewritten so that sympy's diff can see inside them."""
    def norm(X):
        if isinstance(X, MatrixExpr) and sp.sympify(X.shape[1]) == 1:
            return sp.sqrt((sp.Transpose(X) * X)[0, 0])
        return Norm(X)

    def squared(p):  # ||x||^2 = tr(x^T x): sympy differentiates the trace (and says 0 for (x^T x)[0, 0])
        return (isinstance(p, sp.Pow) and isinstance(p.base, Norm) and p.exp == 2
                and isinstance(p.base.args[0], MatrixExpr) and sp.sympify(p.base.args[0].shape[1]) == 1)

    e = e.replace(squared, lambda p: sp.Trace(sp.Transpose(p.base.args[0]) * p.base.args[0]))
    e = e.replace(lambda x: isinstance(x, Norm), lambda x: norm(x.args[0]))
    e = e.replace(lambda x: getattr(lookup(x), "sympy_form", None) is not None,  # ||X||_F = sqrt(tr(X^T X)), ...
                  lambda x: lookup(x).sympy_form(x))
    try:  # a 1x1 matrix expression keeps sympy's matrix calculus (x.T*H*x), element access does not
        as_matrix = e.replace(lambda x: isinstance(x, Dot), lambda x: x.args[0])
        if isinstance(as_matrix, MatrixExpr):
            return as_matrix
    except (TypeError, ValueError, AttributeError):
        pass
    e = e.replace(lambda x: isinstance(x, Dot), lambda x: x.args[0][0, 0])
    return e


def _back_to_dots(e):
    """``Sum(u[i, 0]**2, (i, 0, n - 1))`` back to ``Dot(u.T*u)``."""
    def is_sq_sum(x):
        if not isinstance(x, sp.Sum) or len(x.limits) != 1:
            return False
        body = x.args[0]
        return isinstance(body, sp.Pow) and body.exp == 2 and isinstance(body.base, sp.matrices.expressions.matexpr.MatrixElement)

    def conv(x):
        M = x.args[0].base.parent
        return Dot(sp.Transpose(M) * M)

    return e.replace(is_sq_sum, conv)


def sympy_jacobian(node):
    """sympy's own answer for a Jac/Grad node (numerator layout for Jac); a Hessian differentiates twice."""
    Y, X = node.args
    if isinstance(node, Hessian):
        first = sympy_jacobian(Grad(Y, X))
        return sympy_jacobian(Jac(first, X)) if isinstance(first, MatrixExpr) else first.diff(X)
    Yd = _differentiable(Y)
    if isinstance(Yd, MatrixExpr) and Yd.shape == (1, 1) and not isinstance(X, MatrixExpr):
        Yd = Yd[0, 0]
    D = Yd.diff(X)
    if isinstance(node, Jac) and isinstance(D, MatrixExpr) and sp.sympify(X.shape[1]) == 1 and isinstance(Yd, MatrixExpr) and sp.sympify(Yd.shape[1]) == 1:
        pass  # sympy returns the vector-by-vector derivative in numerator layout
    if isinstance(node, Grad) and isinstance(D, MatrixExpr) and isinstance(Yd, MatrixExpr) and sp.sympify(Yd.shape[0]) != 1:
        D = sp.Transpose(D)
    return _back_to_dots(D)


def pull_constants(e):
    """Linearity of the derivative: constant scalar factors move out of Jac/Grad."""
    def pull(node):
        Y, X = node.args
        if isinstance(Y, (sp.Add, sp.MatAdd)):
            parts = [type(node)(a, X) for a in Y.args if a.has(X)]
            if len(parts) < len(Y.args) or len(parts) > 1:
                if not parts:
                    return sp.ZeroMatrix(*node.shape)  # the derivative of a constant
                return sp.MatAdd(*[pull(p) for p in parts]) if len(parts) > 1 else pull(parts[0])
        if not isinstance(Y, sp.Basic) or not Y.has(X):
            return sp.ZeroMatrix(*node.shape)
        if isinstance(Y, sp.MatMul):
            scalars = [f for a in Y.args if not isinstance(a, MatrixExpr) for f in sp.Mul.make_args(a)]
            mats = [a for a in Y.args if isinstance(a, MatrixExpr)]
            const = [f for f in scalars if not f.has(X)]
            if const:
                rest = [f for f in scalars if f.has(X)] + mats
                inner = sp.MatMul(*rest) if len(rest) > 1 else rest[0]
                return sp.Mul(*const) * pull(type(node)(inner, X))
        if isinstance(Y, sp.Mul):
            const = [a for a in Y.args if not a.has(X)]
            if const:
                rest = [a for a in Y.args if a not in const]
                return sp.Mul(*const) * pull(type(node)(sp.Mul(*rest), X))
        return node

    return e.replace(lambda x: isinstance(x, (Jac, Grad)), pull)


@dataclass(frozen=True)
class DerivativeAttempt:
    """What the symbolic side of a derivative claim achieved.

    ``method`` names a proof; otherwise ``note`` says, for the user, why there
    is none.  ``sympy_results`` pairs each derivative node sympy did
    differentiate with its answer, for the finite-difference comparison of
    :func:`wrong_derivatives`.
    """

    method: str | None = None
    note: str | None = None
    sympy_results: tuple = ()


def _describe(e) -> str:
    """A few words for the kind of expression sympy failed to differentiate."""
    kinds = ((sp.MatMul, "a matrix product"), (sp.HadamardProduct, "an elementwise product"), (sp.Mul, "a product"),
             (sp.MatAdd, "a sum"), (sp.Add, "a sum"), (Norm, "a norm"), (sp.Pow, "a power"))
    for cls, words in kinds:
        if isinstance(e, cls):
            return words
    return "this expression"


def _nodes(exprs, kinds) -> list:
    return list(dict.fromkeys(a for e in exprs if isinstance(e, sp.Basic) for a in sp.preorder_traversal(e)
                              if isinstance(a, kinds)))


def symbolic_derivative(lhs, rhs, ctx) -> DerivativeAttempt:
    """Replace each Jac/Grad/Derivative by sympy's derivative and try to prove the equality.

    A failure is a note phrased for the user.  sympy's answers are never
    trusted alone: the caller cross-checks a proof numerically, and compares
    each of sympy's derivatives with finite differences when there is none.

    >>> from symbolic import Derivation
    >>> from symbolic.checks.context import CheckContext
    >>> d = Derivation("demo"); x = d.scalar("x")
    >>> symbolic_derivative(sp.Derivative(x**3, x), 3*x**2, CheckContext.build(d)).method
    'sympy differentiation + structural'
    """
    prefix = ""
    derivs = _nodes((lhs, rhs), sp.Derivative)
    results: list = []
    if derivs:
        try:
            done = {nd: nd.doit() for nd in derivs}
        except Exception:  # sympy raises many kinds of errors
            return DerivativeAttempt(note="no symbolic proof: sympy could not differentiate this expression")
        results += [(nd, D) for nd, D in done.items() if not D.has(sp.Derivative)]
        lhs, rhs = lhs.xreplace(done), rhs.xreplace(done)
        prefix = "sympy differentiation + "
        left = _nodes((lhs, rhs), sp.Derivative)  # what sympy could not differentiate stays unevaluated
        if left:
            what = ", ".join(dict.fromkeys(type(a.expr).__name__ if isinstance(a.expr, sp.Function)
                                           else str(a.expr)[:60] for a in left))
            return DerivativeAttempt(note=f"no symbolic proof: sympy could not differentiate {what}",
                                     sympy_results=tuple(results))
    lhs, rhs = pull_constants(lhs), pull_constants(rhs)
    try:  # only the cheap rungs: the sides still hold derivatives, simplify would churn on them
        method = prove_equal(lhs, rhs, ctx.canon, ctx.intervals, cheap=True)
    except (TypeError, ValueError, AttributeError):
        method = None
    if method:  # equal without differentiating anything (linearity, same derivative on both sides)
        return DerivativeAttempt(prefix + (f"linearity of the derivative + {method}"
                                           if _has_jac(lhs, rhs) or not prefix else method))
    notes, repl = [], {}
    for nd in _nodes((lhs, rhs), (Jac, Grad, Hessian)):
        Y, X = nd.args
        blind = _opaque_inside(Y, X)
        if blind:
            notes.append(f"sympy's matrix calculus cannot differentiate through {', '.join(blind)} "
                         f"(it treats {'it' if len(blind) == 1 else 'them'} as constant)")
            continue
        try:
            repl[nd] = sympy_jacobian(nd)
        except Exception:  # sympy's matrix calculus raises many kinds of errors
            notes.append(f"sympy's matrix calculus could not differentiate {_describe(Y)} with respect to {X}")
    results += list(repl.items())
    if not notes:
        L, R = lhs.xreplace(repl), rhs.xreplace(repl)
        try:
            method = prove_equal(L, R, ctx.canon, ctx.intervals)
        except (TypeError, ValueError, AttributeError):
            method = None
        if method:
            return DerivativeAttempt(f"{prefix}sympy matrix calculus + {method}" if repl else prefix + method)
        notes.append("sympy's derivative could not be matched to the claim")
    chained = _chain_rule(lhs, rhs, ctx)  # the second witness: the registered operators' Jacobians
    if chained:
        return DerivativeAttempt(f"{prefix}chain rule (registered Jacobians) + {chained}", sympy_results=tuple(results))
    return DerivativeAttempt(note="no symbolic proof: " + "; ".join(dict.fromkeys(notes)),
                             sympy_results=tuple(results))


def _chain_rule(lhs, rhs, ctx) -> str | None:
    """Every Jac/Grad replaced by :func:`~symbolic.algebra.chain.chain_derivative`, then the proof's method."""
    from ..algebra.chain import NoRule, chain_derivative

    repl = {}
    for nd in _nodes((lhs, rhs), (Jac, Grad)):
        try:
            repl[nd] = chain_derivative(nd)
        except (NoRule, TypeError, ValueError, AttributeError):
            return None
    if not repl:
        return None
    try:
        return prove_equal(lhs.xreplace(repl), rhs.xreplace(repl), ctx.canon, ctx.intervals)
    except (TypeError, ValueError, AttributeError):
        return None


def _opaque_inside(Y, X) -> list[str]:
    """Names of stepcheck's own nodes that hold ``X`` inside ``Y``: sympy's diff cannot see through them."""
    from ..algebra import nodes

    seen = (Norm, Dot)  # rewritten by _differentiable into expressions sympy can differentiate
    opaque = tuple(c for c in vars(nodes).values() if isinstance(c, type) and issubclass(c, sp.Basic)
                   and c.__module__ == nodes.__name__ and not issubclass(c, seen))
    opaque += tuple(op.node for op in operators() if not op.sympy_diff)  # sympy's diff gets these wrong
    try:
        Yd = _differentiable(Y)
    except Exception:  # sympy raises many kinds of errors; the caller reports a failed differentiation
        return []
    return sorted({type(a).__name__ for a in sp.preorder_traversal(Yd)
                   if isinstance(a, opaque) and a != X and a.has(X)})


def _has_jac(*exprs) -> bool:
    return any(isinstance(e, sp.Basic) and e.has(Jac, Grad, Hessian) for e in exprs)


def wrong_derivatives(sympy_results, sampler, n: int = 3) -> list:
    """The derivative nodes whose sympy answer differs from finite differences.

    A difference counts only when it is verified at 60 and 100 digits on one
    of ``n`` random instances; an answer the evaluator cannot evaluate is
    not judged.

    >>> from symbolic import Derivation
    >>> from symbolic.checks.sampling import Sampler
    >>> d = Derivation("demo"); x = d.scalar("x")
    >>> node = sp.Derivative(x**3, x)
    >>> wrong_derivatives([(node, 2*x**2), (node, 3*x**2)], Sampler(d, 0)) == [node]
    True
    """
    wrong = []
    for nd, D in sympy_results:
        for k in range(n):
            try:
                inst = sampler.instance(k)
                with np.errstate(all="ignore"):
                    bad, _ = violation("=", evaluate(nd, inst), evaluate(D, inst), FD_TOL)
                if bad and hp_violated("=", nd, D, inst)[0]:
                    wrong.append(nd)
                    break
            except BudgetExceeded:  # a diagnostic only: never let it cost the step its verdict
                return wrong
            except Exception:  # sympy's answer may hold nodes the evaluator does not know
                continue
    return wrong
