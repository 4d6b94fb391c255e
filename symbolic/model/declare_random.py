"""Declaring random quantities with their laws: Gaussian, Bernoulli (dropout masks), or given by moments.

Each quantity declared here is independent of every other one declared here
(declare a joint vector for dependent quantities).  Expectations of
expressions in them are reduced exactly from the law
(:mod:`symbolic.algebra.distributions`), never estimated by sampling.

>>> from symbolic import Derivation
>>> d = Derivation("d"); n = d.dim("n")
>>> x = d.gaussian("x", n, mean=sp.ZeroMatrix(n, 1), cov=sp.Identity(n))
>>> z = d.gaussian_scalar("z", mean=0, var=1)
>>> d.distributions[z].describe()
'N(0, 1)'
"""

from __future__ import annotations

from typing import Any

from ..algebra import MatrixExpr, sp
from ..algebra.distributions import DISTRIBUTIONS, Distribution
from ..exceptions import InvalidInputError

__all__ = ["RandomDeclaring"]


class RandomDeclaring:
    """The declarations of random quantities (a mixin of :class:`~symbolic.model.declare.Declaring`)."""

    name: str
    decls: dict[str, Any]
    moments: dict

    @property
    def distributions(self) -> dict:
        """``symbol -> Distribution`` of every quantity declared with a law.

        >>> from symbolic import Derivation
        >>> Derivation("d").distributions
        {}
        """
        return self.__dict__.setdefault("_distributions", {})

    def random(self, name: str, size=None, *, distribution: str = "moments", mean=None, cov=None, var=None,
               second_moment=None, moments=None, p=None, scaled: bool = False,
               latex: str | None = None):
        """Declare a random scalar (``size=None``) or column vector with its law.

        ``distribution`` is ``"gaussian"`` (``mean``, and ``cov`` for a vector or ``var`` for a scalar),
        ``"bernoulli"`` (entries i.i.d. Bernoulli(``p``), divided by ``p`` when ``scaled``) or
        ``"moments"`` (``mean``; ``second_moment`` = E[x x^T] or ``cov`` for a vector; ``var`` or
        ``moments=[E z, E z^2, ...]`` for a scalar).

        >>> from symbolic import Derivation
        >>> d = Derivation("d"); n = d.dim("n")
        >>> d.random("m", n, distribution="bernoulli", p=sp.Rational(1, 2)).shape
        (n, 1)
        >>> d.random("y", distribution="poisson")
        Traceback (most recent call last):
        ...
        symbolic.exceptions.InvalidInputError: derivation 'd', symbol 'y': unknown distribution 'poisson'; expected one of gaussian, bernoulli, moments
        """
        if distribution not in DISTRIBUTIONS:
            raise self._bad(name, f"unknown distribution {distribution!r}; expected one of {', '.join(DISTRIBUTIONS)}")
        given = {k for k, v in dict(mean=mean, cov=cov, var=var, second_moment=second_moment, moments=moments,
                                    p=p).items() if v is not None}
        allowed = {"gaussian": {"mean", "cov", "var"}, "bernoulli": {"p"},
                   "moments": {"mean", "cov", "var", "second_moment", "moments"}}[distribution]
        if given - allowed:
            raise self._bad(name, f"a {distribution} law takes {', '.join(sorted(allowed))}; "
                                  f"given {', '.join(sorted(given))}")
        scalar = size is None
        binary = distribution == "bernoulli" and not scaled  # realizations are sampled in {0, 1}
        if scalar:
            sym = (self.scalar(name, integer=True, interval="[0, 1]", latex=latex) if binary
                   else self.scalar(name, latex=latex))
            shape = (sp.Integer(1), sp.Integer(1))
        else:
            sym = self.matrix(name, size, 1, latex=latex, random=True, kinds=["binary"] if binary else ())
            shape = sym.shape
        mean = self._law_value(name, "mean", mean, (shape[0], 1), scalar)
        spread = self._law_value(name, "var" if scalar else "cov", var if scalar else cov,
                                 (shape[0], shape[0]), scalar)
        if scalar and cov is not None or not scalar and var is not None:
            raise self._bad(name, f"a random {'scalar has var=' if scalar else 'vector has cov='}, not "
                                  f"{'cov=' if scalar else 'var='}")
        law = self._law(name, distribution, shape, scalar, mean, spread, p, scaled, second_moment, moments)
        self.distributions[sym] = law
        if not scalar:
            self.moments[sym] = (law.mean_value(), law.second_value())
        return sym

    def gaussian(self, name: str, size, *, mean=None, cov=None, latex: str | None = None) -> sp.MatrixSymbol:
        """Declare a Gaussian random vector ``x ~ N(mean, cov)`` (mean 0 and cov I when omitted).

        >>> from symbolic import Derivation
        >>> d = Derivation("d"); n = d.dim("n"); S = d.matrix("S", n, n, kinds=["psd"])
        >>> d.moments[d.gaussian("x", n, cov=S)]
        (0, S)
        """
        size_ = sp.sympify(size)
        mean = sp.ZeroMatrix(size_, 1) if mean is None else mean
        cov = sp.Identity(size_) if cov is None else cov
        return self.random(name, size, distribution="gaussian", mean=mean, cov=cov, latex=latex)

    def gaussian_scalar(self, name: str, *, mean=0, var=1, latex: str | None = None) -> sp.Symbol:
        """Declare a Gaussian random scalar ``z ~ N(mean, var)``.

        >>> from symbolic import Derivation
        >>> Derivation("d").gaussian_scalar("z", var=2).is_real
        True
        """
        return self.random(name, distribution="gaussian", mean=mean, var=var, latex=latex)

    def bernoulli(self, name: str, size=None, *, p, scaled: bool = False, latex: str | None = None):
        """Declare a Bernoulli(``p``) scalar or a mask of i.i.d. Bernoulli(``p``) entries (``scaled``: divided by p).

        >>> from symbolic import Derivation
        >>> d = Derivation("d"); n = d.dim("n"); p = d.scalar("p", interval="(0, 1]")
        >>> d.moments[d.bernoulli("m", n, p=p)][0]
        p*1
        """
        return self.random(name, size, distribution="bernoulli", p=p, scaled=scaled, latex=latex)

    # -- helpers ---------------------------------------------------------------------------------------------
    def _bad(self, name: str, message: str) -> InvalidInputError:
        return InvalidInputError(message, derivation=self.name, symbol=name)

    def _law_value(self, name: str, what: str, value, shape, scalar: bool):
        """A mean or a (co)variance, parsed and checked against the quantity's shape (given vs expected)."""
        if value is None:
            return None
        value = self._expr(value, None) if isinstance(value, str) else sp.sympify(value)
        if scalar:
            if isinstance(value, MatrixExpr):
                raise self._bad(name, f"{what}= of a random scalar must be a scalar; given a {value.shape[0]} x "
                                      f"{value.shape[1]} matrix")
            return value
        expected = tuple(sp.sympify(s) for s in shape)
        if not isinstance(value, MatrixExpr):
            if value == 0:
                return sp.ZeroMatrix(*expected)
            raise self._bad(name, f"{what}= of a random vector must be a {expected[0]} x {expected[1]} matrix; "
                                  f"given the scalar {value}")
        if tuple(sp.sympify(s) for s in value.shape) != expected:
            raise self._bad(name, f"{what}= must be {expected[0]} x {expected[1]} (the vector has {expected[0]} "
                                  f"entries); given {value.shape[0]} x {value.shape[1]}")
        return value

    def _symmetric_cov(self, name: str, S) -> None:
        """A covariance is symmetric: a declared matrix must say so (kinds psd, pd, symmetric, diagonal)."""
        from .declarations import SYMMETRIC_KINDS

        decl = self.decls.get(S.name)
        kinds = sorted(getattr(decl, "kinds", ()))
        if not set(kinds) & SYMMETRIC_KINDS:
            raise self._bad(name, f"cov={S.name} must be a symmetric matrix: declare it with kinds=['psd'] "
                                  f"(or pd, symmetric, diagonal); given kinds {kinds}")

    def _law(self, name, distribution, shape, scalar, mean, spread, p, scaled, second, moments) -> Distribution:
        if not scalar and isinstance(spread, sp.MatrixSymbol):
            self._symmetric_cov(name, spread)
        if distribution == "gaussian":
            if mean is None or spread is None:
                need = "mean= and var=" if scalar else "mean= and cov="
                raise self._bad(name, f"a gaussian law needs {need}")
            return Distribution("gaussian", shape, mean=mean, cov=spread)
        if distribution == "bernoulli":
            if p is None:
                raise self._bad(name, "a bernoulli law needs p= (the probability of a 1)")
            p = sp.sympify(p)
            if p.is_number and not (0 < p <= 1):
                raise self._bad(name, f"p= must lie in (0, 1]; given {p}")
            return Distribution("bernoulli", shape, p=p, scaled=scaled)
        raw: tuple = ()
        if scalar:
            if moments is not None:
                raw = tuple(sp.sympify(v) for v in moments)
                if mean is not None and raw and sp.simplify(raw[0] - mean) != 0:
                    raise self._bad(name, f"mean={mean} contradicts moments[0]={raw[0]}")
            elif mean is not None:
                raw = (mean,) + ((spread + mean ** 2,) if spread is not None else ())
            return Distribution("moments", shape, mean=mean if mean is not None else (raw[0] if raw else None),
                                raw=raw)
        if second is not None:
            second = self._law_value(name, "second_moment", second, (shape[0], shape[0]), False)
        elif spread is not None and mean is not None:
            second = sp.MatAdd(spread, mean * mean.T)
        return Distribution("moments", shape, mean=mean, cov=None, second=second)
