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

from .nodes import Expect, SeqTerm  # noqa: F401 - Expect: the examples


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
    recurrence is known exactly.  ``dists`` maps a random quantity declared
    with a distribution (``d.gaussian``, ``d.bernoulli``, ``d.random``) to its
    :class:`~symbolic.algebra.distributions.Distribution`; those quantities are
    mutually independent (``independent``).

    >>> import sympy as sp
    >>> from symbolic.algebra.distributions import Distribution
    >>> z = sp.Symbol("z", real=True)
    >>> m = Moments([z], dists={z: Distribution("gaussian", (1, 1), mean=sp.Integer(0), cov=sp.Integer(2))})
    >>> reduce_expectations(Expect(z**4 + 3*z), m)
    12
    """

    def __init__(self, randoms: Iterable = (), means: dict | None = None, seconds: dict | None = None,
                 random_functions: Iterable[str] = (), mean_terms: dict | None = None,
                 dists: dict | None = None) -> None:
        self.dists = dict(dists or {})
        self.randoms = set(randoms) | set(self.dists)
        self.means = dict(means or {})
        self.seconds = dict(seconds or {})
        self.random_functions = set(random_functions)
        self.mean_terms = dict(mean_terms or {})
        self.independent = set(self.dists)
        for x, law in self.dists.items():
            mean, second = law.mean_value(), (law.second_value() if not law.is_scalar else None)
            if mean is not None:
                self.means.setdefault(x, mean)
            if second is not None:
                self.seconds.setdefault(x, second)

    def is_random(self, e) -> bool:
        for a in sp.preorder_traversal(e):
            if a in self.randoms:
                return True
            if isinstance(a, AppliedUndef) and a.func.__name__ in self.random_functions:
                return True
            if isinstance(a, SeqTerm) and str(a.name) in self.random_functions:
                return True
        return False

    def atoms(self, e) -> set:
        """The random quantities ``e`` involves (declared symbols, random sequence names)."""
        out = set()
        for a in sp.preorder_traversal(e):
            if a in self.randoms:
                out.add(a)
            elif isinstance(a, AppliedUndef) and a.func.__name__ in self.random_functions:
                out.add(a.func.__name__)
            elif isinstance(a, SeqTerm) and str(a.name) in self.random_functions:
                out.add(str(a.name))
        return out

    def separable(self, factors) -> bool:
        """The factors involve pairwise disjoint sets of mutually independent random quantities."""
        if sum(1 for f in factors if self.atoms(f)) <= 1:  # one random factor: no independence needed
            return True
        seen: set = set()
        for f in factors:
            atoms = self.atoms(f)
            if atoms & seen or not atoms <= self.independent:
                return False
            seen |= atoms
        return True


def reduce_expectations(expr, m: Moments):
    """Expectations in ``expr`` reduced exactly by the moments ``m`` (see :mod:`.reduce`).

    >>> import sympy as sp
    >>> z = sp.Symbol("z", real=True)
    >>> reduce_expectations(Expect(z**2), Moments([z], {z: sp.Integer(0)}))
    Expect(z**2)
    """
    from .reduce import reduce_expectations as reduce

    return reduce(expr, m)
