"""Distributions of declared random quantities, and the exact moments they give.

A :class:`Distribution` is what a declaration such as ``d.gaussian("x", n,
mean=mu, cov=S)`` knows about its random quantity: the mean, the second
moment ``E[x x^T]`` and, for scalars, the raw moments ``E[z^k]`` (a Gaussian's
and a Bernoulli's in closed form, a distribution given by moments up to the
order given).  Expectations are reduced from these exactly
(:func:`symbolic.algebra.rewrite.reduce_expectations`); nothing here is ever
sampled.

>>> import sympy as sp
>>> s2 = sp.Symbol("s2", positive=True)
>>> g = Distribution("gaussian", (1, 1), mean=sp.Integer(0), cov=s2)
>>> g.raw_moment(4)
3*s2**2
>>> Distribution("bernoulli", (1, 1), p=sp.Symbol("p")).raw_moment(3)
p
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

#: The distributions a random quantity may be declared with.
DISTRIBUTIONS = ("gaussian", "bernoulli", "moments")


def _double_factorial_odd(j: int) -> int:
    """``(j - 1)!!`` for even ``j``: the number of pairings of ``j`` items (Isserlis)."""
    out = 1
    for k in range(j - 1, 0, -2):
        out *= k
    return out


@dataclass(frozen=True)
class Distribution:
    """The law of one declared random quantity (a scalar when ``shape == (1, 1)``).

    ``kind`` is ``"gaussian"`` (``mean``, ``cov``: the variance of a scalar),
    ``"bernoulli"`` (entries i.i.d. Bernoulli(``p``); ``scaled``: divided by
    ``p``, an inverted-dropout mask with mean 1) or ``"moments"`` (``mean``,
    ``second`` = ``E[x x^T]``, and for a scalar ``raw`` = ``(E[z], E[z^2], ...)``); ``"points"`` is a
    finite law of a scalar, ``support`` = ``((probability, value), ...)``, never declared by a user: a
    witness law the refutation search substitutes for a law given only by its moments.

    >>> import sympy as sp
    >>> Distribution("bernoulli", (1, 1), p=sp.Symbol("p"), scaled=True).raw_moment(2)
    1/p
    """

    kind: str
    shape: tuple
    mean: object = None
    cov: object = None
    p: object = None
    scaled: bool = False
    second: object = None
    raw: tuple = ()
    support: tuple = ()

    @property
    def is_scalar(self) -> bool:
        return tuple(self.shape) == (1, 1)

    def mean_value(self):
        """``E[x]`` (a matrix expression for vectors), or ``None`` when not declared.

        >>> import sympy as sp
        >>> Distribution("bernoulli", (3, 1), p=sp.Rational(1, 2)).mean_value()
        (1/2)*1
        """
        if self.kind == "bernoulli":
            if self.is_scalar:
                return sp.Integer(1) if self.scaled else self.p
            ones = sp.OneMatrix(*self.shape)
            return ones if self.scaled else self.p * ones
        if self.kind == "points":
            return sp.Add(*[q * v for q, v in self.support])
        if self.mean is None and self.raw:
            return self.raw[0]
        return self.mean

    def second_value(self):
        """``E[x x^T]`` of a vector (``E[z^2]`` of a scalar), or ``None``.

        >>> import sympy as sp
        >>> n = sp.Symbol("n", integer=True, positive=True)
        >>> mu, S = sp.MatrixSymbol("mu", n, 1), sp.MatrixSymbol("S", n, n)
        >>> Distribution("gaussian", (n, 1), mean=mu, cov=S).second_value()
        S + mu*mu.T
        """
        if self.is_scalar:
            return self.raw_moment(2)
        if self.kind == "bernoulli":
            n = self.shape[0]
            ones, eye = sp.OneMatrix(n, n), sp.Identity(n)
            if self.scaled:
                return ones + ((1 - self.p) / self.p) * eye
            return self.p ** 2 * ones + self.p * (1 - self.p) * eye
        if self.kind == "gaussian" and self.cov is not None and self.mean is not None:
            if isinstance(self.mean, sp.ZeroMatrix):
                return self.cov
            return sp.MatAdd(self.cov, self.mean * self.mean.T)
        return self.second

    def covariance(self):
        """``Cov(x)`` of a vector (the variance of a scalar), or ``None``.

        >>> Distribution("moments", (1, 1), raw=(sp.Integer(1), sp.Integer(3))).covariance()
        2
        """
        if self.kind == "gaussian" and self.cov is not None:
            return self.cov
        if self.is_scalar:
            m1, m2 = self.raw_moment(1), self.raw_moment(2)
            return None if m1 is None or m2 is None else sp.expand(m2 - m1 ** 2)
        second, mean = self.second_value(), self.mean_value()
        if second is None or mean is None:
            return None
        return second - mean * mean.T

    def raw_moment(self, k: int):
        """``E[z^k]`` of a scalar, exactly, or ``None`` when the distribution does not determine it.

        >>> import sympy as sp
        >>> mu, s2 = sp.symbols("mu s2")
        >>> sp.expand(Distribution("gaussian", (1, 1), mean=mu, cov=s2).raw_moment(3))
        mu**3 + 3*mu*s2
        """
        if k == 0:
            return sp.Integer(1)
        if self.kind == "bernoulli":
            return self.p ** (1 - k) if self.scaled else self.p
        if self.kind == "points":
            return sp.Add(*[q * v ** k for q, v in self.support])
        if self.kind == "gaussian":
            if self.mean is None or self.cov is None:
                return None
            mu, s2 = self.mean, self.cov
            return sp.Add(*[sp.binomial(k, j) * mu ** (k - j) * s2 ** (j // 2) * _double_factorial_odd(j)
                            for j in range(0, k + 1, 2)])
        if k <= len(self.raw):
            return self.raw[k - 1]
        return None

    def exp_moment(self, c):
        """``E[exp(c z)]`` of a scalar Gaussian (its moment generating function), else ``None``.

        >>> import sympy as sp
        >>> mu, s2 = sp.symbols("mu s2")
        >>> Distribution("gaussian", (1, 1), mean=mu, cov=s2).exp_moment(1)
        exp(mu + s2/2)
        """
        if self.kind == "gaussian" and self.is_scalar and self.mean is not None and self.cov is not None:
            return sp.exp(c * self.mean + c ** 2 * self.cov / 2)
        if self.kind == "bernoulli" and self.is_scalar:
            hi = c / self.p if self.scaled else c
            return 1 - self.p + self.p * sp.exp(hi)
        if self.kind == "points":
            return sp.Add(*[q * sp.exp(c * v) for q, v in self.support])
        return None

    def finite_support(self) -> tuple:
        """``((probability, value), ...)`` of a scalar law with finitely many values, else ``()``.

        >>> Distribution("bernoulli", (1, 1), p=sp.Symbol("p")).finite_support()
        ((1 - p, 0), (p, 1))
        """
        if self.kind == "points":
            return self.support
        if self.kind == "bernoulli" and self.is_scalar:
            return ((1 - self.p, sp.Integer(0)), (self.p, 1 / self.p if self.scaled else sp.Integer(1)))
        return ()

    def describe(self) -> str:
        """A short text of the law (for reports and cache keys).

        >>> Distribution("bernoulli", (1, 1), p=sp.Symbol("p"), scaled=True).describe()
        'Bernoulli(p)/p'
        """
        if self.kind == "gaussian":
            return f"N({self.mean}, {self.cov})"
        if self.kind == "bernoulli":
            return f"Bernoulli({self.p})" + (f"/{self.p}" if self.scaled else "")
        if self.kind == "points":
            return "points(" + ", ".join(f"{v} w.p. {q}" for q, v in self.support) + ")"
        return f"moments(mean={self.mean_value()}, second={self.second_value()}, raw={list(self.raw)})"
