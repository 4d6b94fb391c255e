"""Witness laws: concrete laws consistent with a law given only by its moments, for refutation only.

A scalar declared ``d.random("x", distribution="moments", mean=mu, var=s2)`` stands for *any* law
with that mean and variance.  When a claim holds an expectation that does not reduce exactly (for
example ``E[phi(x)]`` of a declared convex ``phi``), no sample can evaluate it; but one concrete law
with exactly those moments, the two-point law ``mu - sigma``, ``mu + sigma`` with probability 1/2 each,
turns every expectation into an exact finite sum, and a claim that fails under it fails for a law the
declaration allows: a counterexample.  A claim that holds under the witness law proves nothing (it may
fail under another law), so a witness law never makes a step PROVED or CONFIRMED.

Only scalars whose declared moments stop at the variance get a witness (a declared third or fourth
moment is not matched by the two-point law; vectors are skipped).

>>> from symbolic import Derivation, Expect
>>> from symbolic.checks.context import CheckContext
>>> d = Derivation("demo"); mu = d.scalar("mu"); s2 = d.scalar("s2", positive=True)
>>> x = d.random("x", mean=mu, var=s2)
>>> ctx = CheckContext.build(d)
>>> w = witness_claim(ctx, sp.Abs(Expect(x)), Expect(sp.Abs(x)))
>>> w.rhs
Abs(mu - sqrt(s2))/2 + Abs(mu + sqrt(s2))/2
"""

from __future__ import annotations

from dataclasses import dataclass

from ..algebra import Expect, MatExpect, sp
from ..algebra.distributions import Distribution
from ..algebra.evaluate import evaluate, to_plain
from ..algebra.random_nodes import Cov, Var
from ..algebra.rewrite import Moments, reduce_expectations

#: how a witness law is named in a counterexample's values (``replay`` reads it back)
WITNESS_PREFIX = "witness law: "


@dataclass(frozen=True)
class WitnessLaw:
    """The two-point law ``mean - sd``, ``mean + sd`` (probability 1/2 each) of the random scalar ``symbol``."""

    symbol: sp.Symbol
    mean: sp.Expr
    sd: sp.Expr
    var_declared: bool = True

    def law(self) -> Distribution:
        """The finite law, as a :class:`Distribution` of kind ``"points"``.

        >>> m = sp.Symbol("m"); WitnessLaw(sp.Symbol("x"), m, sp.Integer(1)).law().support
        ((1/2, m - 1), (1/2, m + 1))
        """
        half = sp.Rational(1, 2)
        return Distribution("points", (sp.Integer(1), sp.Integer(1)),
                            support=((half, self.mean - self.sd), (half, self.mean + self.sd)))

    def text(self) -> str:
        """The law in words, symbolically (the value a counterexample gives ``symbol``).

        >>> WitnessLaw(sp.Symbol("x"), sp.Symbol("m"), sp.Integer(1)).text()
        'witness law: x takes m - 1 and m + 1 with probability 1/2 each'
        """
        lo, hi = self.mean - self.sd, self.mean + self.sd
        return f"{WITNESS_PREFIX}{self.symbol} takes {lo} and {hi} with probability 1/2 each"

    def at(self, inst) -> str:
        """The law at an instance: its two values as numbers.

        >>> from symbolic.algebra.backend import Instance
        >>> m = sp.Symbol("m"); WitnessLaw(sp.Symbol("x"), m, sp.Integer(1)).at(Instance({m: 2}))
        'x takes 1 and 3 with probability 1/2 each'
        """
        lo, hi = (to_plain(evaluate(v, inst)) for v in (self.mean - self.sd, self.mean + self.sd))
        return f"{self.symbol} takes {lo} and {hi} with probability 1/2 each"


@dataclass(frozen=True)
class WitnessClaim:
    """Both sides with every expectation summed exactly under the witness laws."""

    lhs: object
    rhs: object
    laws: tuple

    def note(self, inst) -> str:
        """What the counterexample assumes, with the values of the laws at ``inst``."""
        parts = [w.at(inst) + (" (mean and variance as declared)" if w.var_declared else
                               " (mean as declared; no variance is declared)") for w in self.laws]
        return ("under a witness law, one law the declaration allows: " + "; ".join(parts)
                + "; every expectation is an exact finite sum")

    def values(self) -> dict:
        """Plain values naming each witness law (for the counterexample and ``replay``)."""
        return {str(w.symbol): w.text() for w in self.laws}


def _unreduced(e) -> bool:
    return isinstance(e, sp.Basic) and e.has(Expect, MatExpect, Var, Cov)


def witness_laws(moments: Moments) -> dict:
    """``symbol -> WitnessLaw`` for each random scalar given only by its mean (and variance).

    >>> from symbolic.algebra.distributions import Distribution
    >>> x, m = sp.Symbol("x"), sp.Symbol("m")
    >>> law = Distribution("moments", (1, 1), mean=m, raw=(m, m**2 + 4))
    >>> witness_laws(Moments([x], dists={x: law}))[x].sd
    2
    """
    out = {}
    for x, law in moments.dists.items():
        if law.kind != "moments" or not law.is_scalar or len(law.raw) > 2 or law.mean_value() is None:
            continue
        mean = law.mean_value()
        if len(law.raw) == 2:
            var = sp.simplify(law.raw[1] - mean ** 2)
            if not var.is_nonnegative:  # the two values must be real at every admissible instance
                continue
            out[x] = WitnessLaw(x, mean, sp.sqrt(var))
        else:
            out[x] = WitnessLaw(x, mean, sp.Integer(1), var_declared=False)
    return out


def witness_claim(ctx, lhs, rhs) -> WitnessClaim | None:
    """The claim under witness laws, when an expectation in it does not reduce exactly and every random
    quantity left in it has a witness law; else ``None``.

    >>> from symbolic import Derivation, Expect
    >>> from symbolic.checks.context import CheckContext
    >>> d = Derivation("demo"); z = d.gaussian_scalar("z", mean=0, var=1)
    >>> witness_claim(CheckContext.build(d), sp.Abs(Expect(z)), Expect(sp.Abs(z))) is None  # a fixed law
    True
    """
    if not (_unreduced(lhs) or _unreduced(rhs)):
        return None
    m = ctx.moments
    laws = witness_laws(m)
    used = set()
    for side in (lhs, rhs):
        if isinstance(side, sp.Basic):
            used |= m.atoms(side)
    if not used or not used <= set(laws):
        return None
    wm = Moments(m.randoms, {k: v for k, v in m.means.items() if k not in laws}, m.seconds,
                 m.random_functions, m.mean_terms, {**m.dists, **{x: laws[x].law() for x in used}})
    out = [reduce_expectations(s, wm) if isinstance(s, sp.Basic) else s for s in (lhs, rhs)]
    if any(_unreduced(s) or (isinstance(s, sp.Basic) and m.is_random(s)) for s in out):
        return None  # an expectation the finite sums do not reach, or a random quantity outside any
    return WitnessClaim(out[0], out[1], tuple(laws[x] for x in sorted(used, key=str)))
