"""Expectations of recurrence-defined sequences: the mean recurrence and its closed form.

If ``m(t) = step(m(t-1), t)`` with ``step`` affine in the previous term and in
random terms of known mean, linearity gives ``E[m(t)] = E[step](E[m(t-1)], t)``:
a deterministic recurrence, :func:`mean_step`.  :func:`closed_form` solves a
first-order linear recurrence with sympy's ``rsolve`` and keeps the answer only
if an induction (base case and inductive step, both simplified to zero) proves it.

>>> import sympy as sp
>>> b, mu = sp.symbols("b mu", real=True)
>>> t = sp.Symbol("t", integer=True, positive=True)
>>> p = sp.Symbol("p", real=True)
>>> sp.expand(closed_form(b*p + (1 - b)*mu, p, t, 0, sp.Integer(0)))
-b**t*mu + mu
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.matrices.expressions.matexpr import MatrixExpr

from .nodes import Expect, MatExpect, SeqTerm
from .prove import prove_equal
from .rewrite import Moments, reduce_expectations


def mean_step(step, prev, mean_prev, m: Moments):
    """``E[step]`` with ``E[prev] = mean_prev``, or ``None`` if linearity and the moments do not reduce it exactly.

    >>> import sympy as sp
    >>> b, mu, p, q = sp.symbols("b mu p q", real=True)
    >>> g = sp.Function("g")
    >>> t = sp.Symbol("t", integer=True)
    >>> mean_step(b*p + (1 - b)*g(t), p, q, Moments(means={"g": mu}, random_functions=["g"]))
    -b*mu + b*q + mu
    >>> mean_step(p*g(t), p, q, Moments(means={"g": mu}, random_functions=["g"])) is None
    True
    """
    inner = Moments(m.randoms | {prev}, {**m.means, prev: mean_prev}, m.seconds, m.random_functions,
                    m.mean_terms)
    node = MatExpect(step) if isinstance(step, MatrixExpr) else Expect(step)
    out = reduce_expectations(node, inner)
    if out.has(Expect, MatExpect) or inner.is_random(out):
        return None
    return out


def closed_form(step, prev, index, start: int, initial, canon=None, iv=None):
    """A closed form of ``s(index) = step(prev=s(index-1))``, ``s(start) = initial``, proved by induction; else ``None``.

    Only first-order recurrences affine in ``prev`` with a scalar coefficient are attempted;
    vector recurrences are solved coefficient by coefficient.

    >>> import sympy as sp
    >>> t = sp.Symbol("t", integer=True, positive=True); p = sp.Symbol("p", real=True)
    >>> closed_form(p + 2, p, t, 0, sp.Integer(1))
    2*t + 1
    """
    try:
        if isinstance(step, MatrixExpr):
            sol = _vector_solution(step, prev, index, start, initial)
        else:
            sol = _scalar_solution(step, prev, index, start, initial)
        if sol is None:
            return None
        base = prove_equal(sol.xreplace({index: sp.Integer(start)}), initial, canon, iv)
        if not base:
            return None
        stepped = step.xreplace({prev: sol.xreplace({index: index - 1})})
        if not prove_equal(sol, stepped, canon, iv):
            return None
        return sol
    except (TypeError, ValueError, AttributeError, NotImplementedError, RecursionError,
            sp.PolynomialError, ZeroDivisionError):
        return None


def _plain(e) -> bool:
    """No undefined functions, sequence terms or expectations: something rsolve can read."""
    return not (e.atoms(AppliedUndef) or e.has(SeqTerm, Expect, MatExpect, sp.Sum))


def _solve(coef, forcing, index, start: int, initial):
    """rsolve ``y(t) = coef y(t-1) + forcing``, ``y(start) = initial`` (scalars)."""
    if not (_plain(coef) and _plain(forcing) and _plain(sp.sympify(initial))):
        return None
    y = sp.Function("_y")
    sol = sp.rsolve(y(index) - coef * y(index - 1) - forcing, y(index), {y(start): initial})
    if sol is None or isinstance(sol, (list, tuple, dict)) or sol.has(y):
        return None
    return sol


def _scalar_solution(step, prev, index, start: int, initial):
    e = sp.expand(step)
    coef = sp.diff(e, prev)
    if coef.has(prev):
        return None
    return _solve(coef, sp.expand(e - coef * prev), index, start, initial)


def _vector_solution(step, prev, index, start: int, initial):
    """``prev``'s scalar coefficient and the t-free matrices of the forcing, each replaced by a scalar."""
    coef = sp.Integer(0)
    groups: dict = {}
    for term in sp.MatAdd.make_args(step.expand()):
        if isinstance(term, sp.ZeroMatrix):
            continue
        c, mat = term.as_coeff_mmul()
        mat = mat.doit() if isinstance(mat, sp.MatMul) and len(mat.args) == 1 else mat
        if isinstance(mat, MatrixExpr) and not isinstance(mat, sp.MatMul) and mat == prev:
            coef += c
        elif mat.has(prev) or index in mat.free_symbols or c.has(prev):
            return None
        else:
            groups[mat] = groups.get(mat, sp.Integer(0)) + c
    z = {mat: sp.Dummy("z", real=True) for mat in groups}
    z0 = None if isinstance(initial, sp.ZeroMatrix) else sp.Dummy("z0", real=True)
    forcing = sp.Add(*[c * z[mat] for mat, c in groups.items()])
    sol = _solve(coef, forcing, index, start, z0 if z0 is not None else sp.Integer(0))
    if sol is None:
        return None
    sol = sp.expand(sol)
    pairs = [(z0, initial)] if z0 is not None else []
    pairs += [(z[mat], mat) for mat in groups]
    parts, rest = [], sol
    for sym, mat in pairs:
        k = sp.diff(sol, sym)
        if k.has(*[s for s, _ in pairs]):
            return None
        rest -= k * sym
        if k != 0:
            parts.append(k * mat)
    if sp.expand(rest) != 0:
        return None
    return sp.MatAdd(*parts) if parts else sp.ZeroMatrix(*step.shape)
