"""Rewrites applied before any check: definitions, cited lemmas, expectations.

>>> import sympy as sp
>>> a, b = sp.symbols("a b")
>>> substitute(a + 1, [(a, 2*b)])
2*b + 1
"""

from __future__ import annotations

from typing import Iterable

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.matrices.expressions.matexpr import MatrixExpr

from .nodes import Dot, Expect, MatExpect, SeqTerm


class RewriteError(Exception):
    """A rewrite could not be carried out (reason in the message)."""


def _rule(lhs, rhs):
    """A replacement usable with ``expr.replace`` or ``xreplace``."""
    if isinstance(lhs, AppliedUndef) and len(lhs.args) == 1 and lhs.args[0].is_Symbol:
        var = lhs.args[0]
        func = lhs.func
        return ("func", func, var, rhs)
    if isinstance(lhs, SeqTerm) and lhs.index.is_Symbol:
        return ("seq", lhs.name, lhs.index, rhs)
    return ("x", lhs, rhs)


def substitute(expr, rules: Iterable[tuple], max_rounds: int = 30):
    """Apply ``lhs -> rhs`` rules until nothing changes.

    A rule whose left side is ``f(t)`` (or a vector sequence term at ``t``)
    with ``t`` a symbol applies at every index.
    """
    compiled = [_rule(l, r) for l, r in rules]
    if not compiled:
        return expr
    for _ in range(max_rounds):
        new = expr
        for r in compiled:
            if r[0] == "x":
                new = new.xreplace({r[1]: r[2]})
            elif r[0] == "func":
                _, func, var, rhs = r
                new = new.replace(lambda e, f=func: isinstance(e, AppliedUndef) and e.func == f,
                                  lambda e, var=var, rhs=rhs: rhs.xreplace({var: e.args[0]}))
            else:
                _, name, var, rhs = r
                new = new.replace(lambda e, nm=name: isinstance(e, SeqTerm) and e.name == nm,
                                  lambda e, var=var, rhs=rhs: rhs.xreplace({var: e.index}))
        if new == expr:
            return new
        expr = new
    raise RewriteError("definitions do not terminate (a definition refers to itself)")


class Moments:
    """Declared moments: ``mean[X]`` and ``second[X]`` (E[X X^T]) of random quantities.

    ``random_functions`` names every random sequence (free, or a recurrence
    driven by random terms); ``mean_terms[name](index)`` is the deterministic
    term that ``E[name(index)]`` reduces to, for a recurrence whose mean
    recurrence is known exactly.
    """

    def __init__(self, randoms: Iterable = (), means: dict | None = None, seconds: dict | None = None,
                 random_functions: Iterable[str] = (), mean_terms: dict | None = None) -> None:
        self.randoms = set(randoms)
        self.means = dict(means or {})
        self.seconds = dict(seconds or {})
        self.random_functions = set(random_functions)
        self.mean_terms = dict(mean_terms or {})

    def is_random(self, e) -> bool:
        for a in sp.preorder_traversal(e):
            if a in self.randoms:
                return True
            if isinstance(a, AppliedUndef) and a.func.__name__ in self.random_functions:
                return True
            if isinstance(a, SeqTerm) and str(a.name) in self.random_functions:
                return True
        return False


def reduce_expectations(expr, m: Moments):
    """Push expectations through sums, constant factors and sums over indices."""
    def rec(e):
        if isinstance(e, Expect) and isinstance(e.args[0], MatrixExpr):
            return _expect_matrix(rec(e.args[0]), m)
        if isinstance(e, Expect):
            return _expect_scalar(rec(e.args[0]), m)
        if isinstance(e, MatExpect):
            return _expect_matrix(rec(e.args[0]), m)
        if not getattr(e, "args", None) or isinstance(e, (sp.Symbol, sp.MatrixSymbol)):
            return e
        args = [rec(a) for a in e.args]
        if all(a is b for a, b in zip(args, e.args)):
            return e
        return e.func(*args)

    return rec(expr)


def _expect_scalar(e, m: Moments):
    if not m.is_random(e):
        return e
    e = e.replace(lambda x: isinstance(x, sp.Pow) and x.exp == 2 and isinstance(x.base, Dot),
                  lambda x: Dot(x.base.args[0] * sp.Transpose(x.base.args[0])))
    e = sp.expand(e) if not isinstance(e, Dot) else e
    if isinstance(e, sp.Add):
        return sp.Add(*[_expect_scalar(a, m) for a in e.args])
    if isinstance(e, sp.Mul):
        const = [a for a in e.args if not m.is_random(a)]
        rand = [a for a in e.args if m.is_random(a)]
        if const:
            return sp.Mul(*const) * _expect_scalar(sp.Mul(*rand), m)
        if len(rand) == 1:
            return _expect_scalar(rand[0], m)
    if isinstance(e, sp.Sum):
        return sp.Sum(_expect_scalar(e.args[0], m), *e.args[1:])
    if isinstance(e, AppliedUndef) and e.func.__name__ in m.mean_terms:
        return m.mean_terms[e.func.__name__](e.args[0])
    if isinstance(e, AppliedUndef) and e.func.__name__ in m.means:
        return m.means[e.func.__name__]
    if e in m.means:
        return m.means[e]
    if isinstance(e, Dot):
        inner = _expect_matrix(e.args[0], m)
        return Dot(inner)
    return Expect(e)


def _expect_matrix(X, m: Moments):
    if not m.is_random(X):
        return X
    if isinstance(X, sp.MatAdd):
        return sp.MatAdd(*[_expect_matrix(a, m) for a in X.args])
    if isinstance(X, sp.MatMul):
        args = list(X.args)
        scal = [a for a in args if not isinstance(a, MatrixExpr)]
        mats = [a for a in args if isinstance(a, MatrixExpr)]
        if any(m.is_random(s) for s in scal):
            return MatExpect(X)
        i = 0
        while i < len(mats) and not m.is_random(mats[i]):
            i += 1
        j = len(mats)
        while j > i and not m.is_random(mats[j - 1]):
            j -= 1
        core = mats[i:j]
        core_e = _expect_core(core, m)
        if core_e is None:
            return MatExpect(X)
        parts = scal + mats[:i] + [core_e] + mats[j:]
        return sp.MatMul(*parts)
    if X in m.means:
        return m.means[X]
    if isinstance(X, SeqTerm):
        core = _expect_core([X], m)
        if core is not None:
            return core
    return MatExpect(X)


def _expect_core(core: list, m: Moments):
    if len(core) == 1:
        x = core[0]
        if x in m.means:
            return m.means[x]
        if isinstance(x, SeqTerm) and str(x.name) in m.mean_terms:
            return m.mean_terms[str(x.name)](x.index)
        return m.means.get(str(x.name)) if isinstance(x, SeqTerm) else None
    if len(core) == 2:
        a, b = core
        if isinstance(b, sp.Transpose) and b.arg == a and a in m.seconds:
            return m.seconds[a]
    return None
