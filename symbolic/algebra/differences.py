"""Finite differences: sympy's ``Derivative`` (partial, mixed, higher order), Jacobians and gradients.

A claim written with ``sp.Derivative`` is checked against central
differences, independently of sympy's own differentiation.  For a total
order ``K`` the step is ``eps**(1/(K+2))`` relative (float64: about 5e-6 for a
first derivative, 1e-4 for a second), balancing truncation and rounding
errors; at high precision the step shrinks with the number of digits, so a
real gap stays while the difference-quotient error vanishes.  :func:`jacobian`
and :func:`matrix_gradient` serve the ``Jac`` and ``Grad`` nodes.  Every
function takes the evaluator as a parameter: :mod:`.evaluate` calls this module.

>>> import sympy as sp
>>> from symbolic.algebra.evaluate import Instance, evaluate
>>> x, y = sp.symbols("x y")
>>> inst = Instance(values={x: 2.0, y: 3.0})
>>> round(float(evaluate(sp.Derivative(x**3 * y, x), inst)), 6)
36.0
>>> round(float(evaluate(sp.Derivative(x**4, (x, 2)), inst)), 4)
48.0
"""

from __future__ import annotations

import math
from typing import Callable

import mpmath
import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from .backend import DomainError, Instance, Unsupported, _as_matrix, _scalar
from .nodes import SeqTerm


def derivative(e, inst, evaluate):
    """``e`` (a ``sp.Derivative``) at ``inst`` by nested central differences, one variable at a time.

    >>> import sympy as sp
    >>> from symbolic.algebra.evaluate import Instance, evaluate
    >>> x, y = sp.symbols("x y")
    >>> round(float(derivative(sp.Derivative(x**2 * y**3, x, y), Instance(values={x: 1.0, y: 2.0}), evaluate)), 5)
    24.0
    """
    counts = [(v, int(k)) for v, k in e.variable_count]
    for v, _ in counts:
        if not getattr(v, "is_Symbol", False) or v not in inst.values:
            raise Unsupported(f"a derivative with respect to {v}: differentiate with respect to a declared scalar")
    b = inst.backend
    order = sum(k for _, k in counts)
    digits = b.dps if b.mp else 16
    h_rel = mpmath.mpf(10) ** (-mpmath.mpf(digits) / (order + 2)) if b.mp else 10.0 ** (-digits / (order + 2))
    return _nested(e.expr, counts, inst, h_rel, evaluate)


def _nested(f, counts, inst, h_rel, evaluate):
    if not counts:
        return evaluate(f, inst)
    (v, k), rest = counts[0], counts[1:]
    x0 = inst.values[v]
    h = h_rel * max(1, abs(x0))
    total = 0
    for i in range(k + 1):  # k-th central difference: sum (-1)^i C(k, i) f(x + (k/2 - i) h) / h^k
        point = inst.with_values({v: x0 + (mpmath.mpf(k) / 2 - i if inst.backend.mp else k / 2 - i) * h})
        total = total + (-1) ** i * math.comb(k, i) * _nested(f, rest, point, h_rel, evaluate)
    return total / h ** k


def jacobian(Y, X, inst: Instance, evaluate: Callable):
    """Central finite-difference Jacobian dY/dX (numerator layout).

    In float64 the step is about 1e-6 relative, giving an error near 1e-10;
    at high precision the step is 10**(-dps/3).

    >>> from symbolic.algebra.evaluate import evaluate
    >>> x = sp.MatrixSymbol("x", 2, 1)
    >>> J = jacobian(2 * x, x, Instance(values={x: np.array([[1.0], [3.0]])}), evaluate)
    >>> np.round(J, 6).tolist()
    [[2.0, 0.0], [0.0, 2.0]]
    """
    b = inst.backend
    x0 = _as_matrix(evaluate(X, inst), b)
    if not (isinstance(X, (sp.MatrixSymbol, SeqTerm)) or X.is_Symbol):
        raise Unsupported("a Jacobian with respect to an expression: differentiate with respect to a declared symbol")
    n = x0.shape[0]
    y0 = _as_matrix(evaluate(Y, inst), b)  # at the base point: records which sequence terms Y uses
    cols = []
    h_rel = mpmath.mpf(10) ** (-(b.dps // 3)) if b.mp else 1e-6
    for j in range(n):
        xj = x0[j, 0]
        h = h_rel * max(1, abs(xj))
        plus = x0.copy()
        minus = x0.copy()
        plus[j, 0] = xj + h
        minus[j, 0] = xj - h
        key = X
        if isinstance(X, SeqTerm):  # the term at a concrete index, as the sequence looks it up
            idx = int(round(float(evaluate(X.index, inst))))
            key = SeqTerm(X.name, idx, *X.args[2:])
        def at(step, j=j, key=key):
            point = x0.copy()
            point[j, 0] = x0[j, 0] + step
            return _as_matrix(evaluate(Y, _perturbed(inst, key, point if isinstance(X, MatrixExpr) else point[0, 0])), b)

        yp, ym = at(h), at(-h)
        _smooth_at(at, y0, yp, ym, h, X)
        cols.append((yp - ym) / (2 * h))
    return np.hstack(cols) if cols else b.zeros(0, 0)


def matrix_gradient(Y, X, inst: Instance, evaluate: Callable):
    """Central-difference gradient of a scalar ``Y`` with respect to every entry of matrix ``X``.

    >>> from symbolic.algebra import Dot
    >>> from symbolic.algebra.evaluate import evaluate
    >>> W = sp.MatrixSymbol("W", 1, 2)
    >>> g = matrix_gradient(Dot(W * W.T), W, Instance(values={W: np.array([[1.0, 2.0]])}), evaluate)
    >>> np.round(g, 6).tolist()
    [[2.0, 4.0]]
    """
    b = inst.backend
    if not isinstance(X, sp.MatrixSymbol):
        raise Unsupported("a gradient with respect to an expression: use a declared matrix")
    x0 = _as_matrix(evaluate(X, inst), b)
    h_rel = mpmath.mpf(10) ** (-(b.dps // 3)) if b.mp else 1e-6
    out = b.zeros(*x0.shape)
    y0 = _scalar(evaluate(Y, inst))
    for idx in np.ndindex(x0.shape):
        h = h_rel * max(1, abs(x0[idx]))
        def at(step, idx=idx):
            point = x0.copy()
            point[idx] = x0[idx] + step
            return _scalar(evaluate(Y, _perturbed(inst, X, point)))

        yp, ym = at(h), at(-h)
        _smooth_at(at, y0, yp, ym, h, X)
        out[idx] = (yp - ym) / (2 * h)
    return out


def _largest(v) -> float:
    return max((float(abs(x)) for x in np.ravel(v)), default=0.0) if isinstance(v, np.ndarray) else float(abs(v))


#: One-sided slopes differing by more than this (relative) raise the question of a kink.
KINK_JUMP = 1e-3


def _smooth_at(at: Callable, y0, yp, ym, h, X) -> None:
    """Raise :class:`DomainError` where the function has a kink within the step (``|x|`` at 0, a tie of a max).

    The one-sided slopes of a smooth function differ by about ``f'' h``: a
    quarter of that at a step 16 times smaller.  At a kink the gap stays:
    there the central difference is no derivative, so the point is not
    admissible (no counterexample is ever found at a non-differentiable point).
    """
    def jump(plus, minus, step):
        right, left = (plus - y0) / step, (y0 - minus) / step
        return _largest(right - left), max(1.0, _largest(right), _largest(left))

    eps = 0.0 if isinstance(h, mpmath.mpf) else 1e-15  # rounding of the slopes: about eps |y| / step
    size = max(_largest(y0), _largest(yp), _largest(ym))
    gap, scale = jump(yp, ym, h)
    if gap <= KINK_JUMP * scale + 8 * eps * size / h:
        return
    small = h / 16
    gap2, _ = jump(at(small), at(-small), small)
    if gap2 > gap / 4 + 8 * eps * size / small:
        raise DomainError(f"not differentiable with respect to {X} at this point (a kink within the "
                          "finite-difference step): no derivative to compare")


def _perturbed(inst: Instance, key, value) -> Instance:
    return inst.with_values({key: value})
