"""Telescoping of sums over undefined sequences without sympy's ``solve``.

sympy evaluates ``Sum(L + R, (i, a, b))`` by telescoping when ``L(i + s) = -R`` for an integer
``s`` (``sympy.concrete.summations.telescopic``).  It first tries a pattern match, then
``solve(L(i + m) + R, m)``.  When ``L`` or ``R`` holds an undefined function (or an ``Indexed``
term) of the index, such as ``g(i)`` in ``sum_i beta^(t-i) (1 - beta) g(i)``, that ``solve``
churns for seconds (seed 000's momentum unrolling: ~4 s a step) and nearly always finds nothing.

There is a cheap complete alternative for those terms: ``L(i + m) + R`` vanishes for every
sequence ``g`` only if each ``g(...)`` of ``L(i + m)`` meets the same ``g(...)`` in ``R``, so the
only shifts worth trying are those that align an argument of ``L``'s ``g`` with one of ``R``'s.
When every such argument is linear in the index those shifts are computed directly, and each is
kept only if ``(L(i + m) + R).expand()`` is zero, the very check sympy applies to ``solve``'s
answers.  It also closes sums the pattern match misses (``beta**i g(i)`` against its shift, once
expanded).  Anything else goes to sympy's function unchanged.  :func:`install` puts this function
in sympy's place (idempotent); :data:`SHIFT_CALLS` counts the shifts computed here.

>>> import sympy as sp
>>> install()
>>> i = sp.Symbol("i", integer=True); t = sp.Symbol("t", integer=True, positive=True)
>>> b = sp.Symbol("b", positive=True); g = sp.Function("g")
>>> sp.Sum(sp.expand(b**(i + 1) * g(i + 1) - b**i * g(i)), (i, 1, t)).doit()
b*b**t*g(t + 1) - b*g(1)
"""

from __future__ import annotations

import sympy as sp
import sympy.concrete.summations as _summations
from sympy.core.function import AppliedUndef

_SYMPY_TELESCOPIC = _summations.telescopic
_INSTALLED = [False]
SHIFT_CALLS = [0]  # telescopic calls decided here by argument shifts (never by solve)


def _applications(e, i) -> list[tuple[object, tuple]]:
    """``(head, arguments)`` of each undefined function or indexed term of ``e`` that depends on ``i``."""
    out = []
    for a in sp.preorder_traversal(e):
        if isinstance(a, AppliedUndef) and a.has(i):
            out.append((a.func, a.args))
        elif isinstance(a, sp.Indexed) and a.has(i):
            out.append((a.base, a.indices))
    return out


def shifts(L, R, i) -> list | None:
    """The integer shifts ``m`` that align a sequence term of ``L(i + m)`` with one of ``R``;
    ``None`` when an argument is not linear in ``i`` (then only ``solve`` knows).

    >>> i = sp.Symbol("i", integer=True); g = sp.Function("g")
    >>> shifts(g(i + 1), -g(i), i), shifts(g(i), g(2 * i), i), shifts(g(i**2), g(i), i)
    ([-1], [], None)
    """
    left, right = _applications(L, i), _applications(R, i)
    found: list = []
    for head, args in left:
        for other, oargs in right:
            if other != head or len(oargs) != len(args):
                continue
            for a, b in zip(args, oargs):
                if not a.has(i):
                    continue
                try:
                    poly = sp.Poly(a, i)
                except sp.PolynomialError:
                    return None
                if poly.degree() != 1:
                    return None
                c = poly.coeff_monomial(i)
                m = sp.expand((b - a) / c)  # c (i + m) + d = b(i)
                if m.is_Integer and m not in found:
                    found.append(m)
    return found


_DONE: dict = {}  # (L, R, limits) -> telescopic's answer, its index renamed: a pure function of its arguments,
# asked again and again when a matrix product is rebuilt (MatMul.doit evaluates the sums inside it, each time
# over a fresh Dummy)
_DONE_MAX = 4096
_INDEX: dict = {}  # the assumptions of an index -> the one Dummy that stands for every index with them


def telescopic(L, R, limits):
    """sympy's ``telescopic(L, R, limits)``, deciding sequence terms by :func:`shifts` instead of ``solve``.

    An answer is remembered under its arguments with the summation index renamed to one Dummy of the same
    assumptions (a sum does not depend on the name of its index; sympy's expressions are immutable).

    >>> i, a, b = sp.symbols("i a b", integer=True); g = sp.Function("g")
    >>> telescopic(g(i + 1), -g(i), (i, a, b)), telescopic(2 * g(i), -g(i), (i, a, b)) is None
    (-g(a) + g(b + 1), True)
    >>> j = sp.Dummy("j", integer=True)
    >>> telescopic(g(j + 1), -g(j), (j, a, b))
    -g(a) + g(b + 1)
    """
    i = limits[0]
    if not isinstance(i, sp.Symbol):
        return _telescopic(L, R, limits)
    try:
        assumptions = frozenset(i.assumptions0.items())
        c = _INDEX.setdefault(assumptions, sp.Dummy("k", **i.assumptions0))
        key = (L.xreplace({i: c}), R.xreplace({i: c}), (c, *limits[1:]))
        hash(key)
    except (TypeError, AttributeError, ValueError):
        return _telescopic(L, R, limits)
    if key not in _DONE:
        if len(_DONE) >= _DONE_MAX:
            _DONE.clear()
        _DONE[key] = _telescopic(*key)
    got = _DONE[key]
    return got.xreplace({c: i}) if got is not None and got.has(c) else got


def _telescopic(L, R, limits):
    i = limits[0]
    if L.is_Add or R.is_Add or not (_applications(L, i) or _applications(R, i)):
        return _SYMPY_TELESCOPIC(L, R, limits)
    k = sp.Wild("k")
    sol = (-R).match(L.subs(i, i + k))  # sympy's own first try, as it writes it
    s = None
    if sol and k in sol:
        s = sol[k]
        if not (s.is_Integer and L.subs(i, i + s) + R == 0):
            s = None
    if s is None:
        candidates = shifts(L, R, i)
        if candidates is None:
            return _SYMPY_TELESCOPIC(L, R, limits)
        SHIFT_CALLS[0] += 1
        valid = [m for m in candidates if (L.subs(i, i + m) + R).expand().is_zero]
        if len(valid) != 1:
            return None
        s = valid[0]
    if s < 0:
        return _summations.telescopic_direct(R, L, abs(s), limits)
    if s > 0:
        return _summations.telescopic_direct(L, R, s, limits)
    return None


def install() -> None:
    """Put :func:`telescopic` in sympy's place (idempotent).

    >>> install(); install(); _summations.telescopic is telescopic
    True
    """
    if _INSTALLED[0]:
        return
    _summations.telescopic = telescopic
    _INSTALLED[0] = True
