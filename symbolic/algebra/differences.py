"""Finite differences for sympy's ``Derivative``: partial, mixed and higher order.

A claim written with ``sp.Derivative`` is checked against central
differences, independently of sympy's own differentiation.  For a total
order ``K`` the step is ``eps**(1/(K+2))`` relative (float64: about 5e-6 for a
first derivative, 1e-4 for a second), balancing truncation and rounding
errors; at high precision the step shrinks with the number of digits, so a
real gap stays while the difference-quotient error vanishes.

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

import mpmath

from .backend import Unsupported


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
