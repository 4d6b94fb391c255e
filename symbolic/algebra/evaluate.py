"""Evaluate an expression on one concrete instance, in float64 or at high precision.

An :class:`Instance` holds concrete values for every declared object.  The
same tree walk runs on float64 numpy arrays and on object arrays of mpmath
numbers, so a candidate counterexample found in float64 is re-verified at
50 digits by the very same code.  At large sizes, float64 norms of products
and long sums take the faster routes of :mod:`.largescale`.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> inst = Instance(values={x: 2.0})
>>> float(evaluate(x**2 + 1, inst))
5.0
"""

from __future__ import annotations

import mpmath
import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from . import largescale
from .backend import (  # noqa: F401  (re-exported: the evaluator's public names)
    F64, Backend, DomainError, EvalError, Instance, Unsupported, _as_matrix, _scalar, close, size, to_plain,
)
from .differences import derivative
from .limits import eval_limit
from .ops import lookup


def evaluate(expr, inst: Instance):
    """Evaluate ``expr`` on ``inst``: a number for scalars, a 2-D array for matrices.

    On the ``mp`` backend the whole evaluation runs at the backend's precision.
    """
    b = inst.backend
    if b.mp and mpmath.mp.dps < b.dps:
        with mpmath.workdps(b.dps):
            return _evaluate(expr, inst)
    return _evaluate(expr, inst)


def _evaluate(expr, inst: Instance):
    b = inst.backend
    e = expr
    if isinstance(e, (int, float)):
        return b.num(e)
    if e in inst.values:
        v = inst.values[e]
        return v
    op = lookup(e)
    if op is not None:
        return op.evaluate(e, inst, evaluate)
    if isinstance(e, MatrixExpr):
        return _eval_matrix(e, inst)
    if e.is_Number:
        if b.mp:
            if e.is_Rational:
                return mpmath.mpf(e.p) / e.q
            return b.num(e)
        return float(e)
    if isinstance(e, sp.NumberSymbol):
        return b.num(e)
    if e is sp.S.Infinity:
        return b.num(float("inf"))
    if isinstance(e, sp.Symbol):
        raise EvalError(f"no value for symbol {e}")
    if isinstance(e, sp.Add):
        total = evaluate(e.args[0], inst)
        for a in e.args[1:]:
            total = total + evaluate(a, inst)
        return total
    if isinstance(e, sp.Mul):
        total = evaluate(e.args[0], inst)
        for a in e.args[1:]:
            total = total * evaluate(a, inst)
        return total
    if isinstance(e, sp.Pow):
        base = evaluate(e.base, inst)
        if e.exp == sp.Rational(1, 2):
            return _sqrt(base, b)
        if e.exp == -sp.Rational(1, 2):
            return 1 / _sqrt(base, b)
        ex = evaluate(e.exp, inst)
        if isinstance(base, np.ndarray):
            raise EvalError("power of a matrix used as a scalar")
        if _is_intlike(ex):
            k = int(round(float(ex)))
            if k < 0 and base == 0:
                raise DomainError("division by zero")
            return base ** k if k >= 0 else 1 / (base ** (-k))
        if base < 0:
            raise DomainError("fractional power of a negative number")
        if base == 0 and ex < 0:
            raise DomainError("division by zero")
        return base ** ex
    if isinstance(e, sp.Abs):
        return abs(evaluate(e.args[0], inst))
    if isinstance(e, sp.exp):
        return b.fn("exp")(evaluate(e.args[0], inst))
    if isinstance(e, sp.log):
        v = evaluate(e.args[0], inst)
        if v <= 0:
            raise DomainError("log of a non-positive number")
        return b.fn("log")(v)
    if isinstance(e, (sp.tanh, sp.sin, sp.cos, sp.atan, sp.sinh, sp.cosh)):
        return b.fn(type(e).__name__)(evaluate(e.args[0], inst))
    if isinstance(e, (sp.Max, sp.Min)):
        vals = [evaluate(a, inst) for a in e.args]
        return max(vals) if isinstance(e, sp.Max) else min(vals)
    if isinstance(e, sp.sign):
        v = evaluate(e.args[0], inst)
        return b.num(int(v > 0) - int(v < 0))
    if isinstance(e, sp.Heaviside):
        v = evaluate(e.args[0], inst)
        return b.num(1 if v > 0 else 0)
    if isinstance(e, sp.KroneckerDelta):
        i, j = (evaluate(a, inst) for a in e.args)
        return b.num(1 if i == j else 0)
    if isinstance(e, sp.Piecewise):
        for val, cond in e.args:
            if _truth(cond, inst):
                return evaluate(val, inst)
        raise EvalError("no branch of a piecewise expression applies")
    if isinstance(e, (sp.Sum, sp.Product)):
        return _eval_sum(e, inst)
    if isinstance(e, sp.Limit):
        return eval_limit(e, inst, evaluate)  # settled numerically, or sympy's exact value confirmed by the terms
    if isinstance(e, sp.Derivative):
        return derivative(e, inst, evaluate)
    if isinstance(e, sp.core.function.AppliedUndef):
        name = type(e).__name__
        if name in inst.functions:
            return inst.functions[name](evaluate(e.args[0], inst), b)
        if name in inst.sequences:
            idx = [int(round(float(evaluate(a, inst)))) for a in e.args]
            return inst.sequences[name](idx[0] if len(idx) == 1 else _pair(*idx), inst)
        raise EvalError(f"no value for function {name}")
    if e in (sp.zoo, sp.nan, sp.S.NegativeInfinity):
        raise DomainError(f"the expression is undefined ({e})")
    raise Unsupported(f"cannot evaluate {type(e).__name__}")


def _pair(a: int, b: int) -> int:
    """One index for the term (a, b) of a family with two indices (Cantor's pairing of the integers, injective).

    >>> len({_pair(a, b) for a in range(-3, 4) for b in range(-3, 4)})
    49
    """
    za, zb = (2 * x if x >= 0 else -2 * x - 1 for x in (a, b))
    return (za + zb) * (za + zb + 1) // 2 + zb


def _is_intlike(x) -> bool:
    try:
        return float(x) == int(round(float(x))) and abs(float(x)) < 1e6
    except (TypeError, ValueError, OverflowError):
        return False


def _sqrt(v, b: Backend):
    if isinstance(v, np.ndarray):
        raise EvalError("square root of a matrix used as a scalar")
    if v < 0:
        if v > -1e-300:
            return b.num(0)
        raise DomainError("square root of a negative number")
    return b.fn("sqrt")(v)


def _truth(cond, inst: Instance) -> bool:
    if cond is sp.true or cond == True:  # noqa: E712
        return True
    if cond is sp.false or cond == False:  # noqa: E712
        return False
    if isinstance(cond, sp.And):
        return all(_truth(c, inst) for c in cond.args)
    if isinstance(cond, sp.Or):
        return any(_truth(c, inst) for c in cond.args)
    if isinstance(cond, sp.Not):
        return not _truth(cond.args[0], inst)
    lhs, rhs = evaluate(cond.lhs, inst), evaluate(cond.rhs, inst)
    ops = {sp.StrictGreaterThan: lambda a, c: a > c, sp.GreaterThan: lambda a, c: a >= c,
           sp.StrictLessThan: lambda a, c: a < c, sp.LessThan: lambda a, c: a <= c,
           sp.Equality: lambda a, c: np.all(a == c), sp.Unequality: lambda a, c: np.any(a != c)}  # matrices too
    for cls, op in ops.items():
        if isinstance(cond, cls):
            return bool(op(lhs, rhs))
    raise Unsupported(f"cannot evaluate condition {cond}")


def _eval_sum(e, inst: Instance):
    several = len(e.limits) > 1  # Sum(f, (j, ..), (i, ..)): the last limit outermost, the others a sum inside
    body, (i, lo, hi) = (type(e)(e.function, *e.limits[:-1]) if several else e.args[0]), e.limits[-1]
    lo_v = int(round(float(evaluate(lo, inst))))
    hi_v = int(round(float(evaluate(hi, inst))))
    if hi_v - lo_v > 200000:
        raise EvalError("sum or product over more than 200000 terms")
    fast = None if several else largescale.vector_sum(e, inst, lo_v, hi_v, evaluate)
    if fast is None and not several:
        fast = largescale.sum_of_norms(e, inst, lo_v, hi_v, evaluate)
    if fast is not None:
        return fast
    is_sum = isinstance(e, sp.Sum)
    acc = inst.backend.num(0 if is_sum else 1)
    sub = inst.with_values({i: inst.backend.num(lo_v)}, share_memo=True)  # one child, index updated in place
    for k in range(lo_v, hi_v + 1):
        sub.values[i] = inst.backend.num(k)
        v = evaluate(body, sub)
        acc = acc + v if is_sum else acc * v
    return acc


def _eval_matrix(e, inst: Instance):
    b = inst.backend
    if e in inst.values:
        return inst.values[e]
    if isinstance(e, sp.MatrixSymbol):
        raise EvalError(f"no value for matrix {e.name}")
    if isinstance(e, sp.ImmutableDenseMatrix):  # a matrix written entry by entry
        return b.array([[evaluate(x, inst) for x in e.row(r)] for r in range(e.rows)])
    if isinstance(e, sp.MatAdd):
        out = None
        for a in e.args:
            v = evaluate(a, inst)
            v = _as_matrix(v, b) if isinstance(a, MatrixExpr) else v
            out = v if out is None else out + v
        return out
    if isinstance(e, sp.MatMul):
        scal = b.num(1)
        mats = []
        for a in e.args:
            v = evaluate(a, inst)
            if isinstance(a, MatrixExpr):
                mats.append(_as_matrix(v, b))
            else:
                scal = scal * v
        out = mats[0]
        for m in mats[1:]:
            if out.shape[1] != m.shape[0]:
                if out.shape == (1, 1):
                    out = out[0, 0] * m
                    continue
                if m.shape == (1, 1):
                    out = out * m[0, 0]
                    continue
                raise EvalError(f"shape mismatch in a product: {out.shape} times {m.shape}")
            out = out @ m
        return scal * out
    if isinstance(e, sp.Transpose):
        return _as_matrix(evaluate(e.arg, inst), b).T
    if isinstance(e, sp.Identity):
        return b.eye(size(e.shape[0], inst, evaluate))
    if isinstance(e, sp.ZeroMatrix):
        return b.zeros(size(e.shape[0], inst, evaluate), size(e.shape[1], inst, evaluate))
    if e.shape == (1, 1):
        return b.array([[evaluate(e.as_explicit()[0, 0], inst)]])
    raise Unsupported(f"cannot evaluate matrix node {type(e).__name__}")
