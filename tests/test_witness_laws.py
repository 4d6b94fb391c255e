"""Witness laws: a law given by its moments is refuted under a concrete law with those moments (never proved)."""

import sympy as sp

from symbolic import Derivation, Expect, check, replay
from symbolic.algebra.distributions import Distribution
from symbolic.algebra.rewrite import Moments, reduce_expectations


def _derivation(claim, name="witness_demo", **law):
    d = Derivation(name)
    mu, s2 = d.scalar("mu"), d.scalar("s2", positive=True)
    x = d.random("x", distribution="moments", **(law or dict(mean=mu, var=s2)))
    phi = d.function("phi", kind="convex")
    lhs, rel, rhs = claim(x, mu, s2, phi)
    d.claim(lhs, rel, rhs, "1")
    return d


def _step(d):
    return check(d, cache=False).steps[0]


def test_flipped_jensen_is_refuted_under_the_two_point_witness_law():
    s = _step(_derivation(lambda x, mu, s2, phi: (phi(Expect(x)), ">=", Expect(phi(x)))))
    assert s.verdict.value == "REFUTED"
    ce = s.counterexample
    assert ce.values["x"] == "witness law: x takes mu - sqrt(s2) and mu + sqrt(s2) with probability 1/2 each"
    assert "probability 1/2 each" in ce.gap and "mean and variance as declared" in ce.gap
    assert float(ce.lhs) < float(ce.rhs)  # both sides defined, the claimed >= fails
    assert any("witness law" in n for n in s.evidence.notes)
    # the snippet replays the failure: the same two sides
    assert replay(_derivation(lambda x, mu, s2, phi: (phi(Expect(x)), ">=", Expect(phi(x)))), "1",
                  {**ce.values, **ce.dims}) == (ce.lhs, ce.rhs)


def test_jensen_itself_is_still_proved_by_the_lemma():
    s = _step(_derivation(lambda x, mu, s2, phi: (phi(Expect(x)), "<=", Expect(phi(x)))))
    assert s.verdict.value == "PROVED"
    assert "Jensen" in s.evidence.method


def test_a_claim_that_holds_under_the_witness_law_stays_undecided():
    # E|x - mu| <= sigma holds for every law (equality under the two-point law), and
    # E[(x - mu)^4] = s2^2 holds under the two-point law only: neither is CONFIRMED by it
    for claim in (lambda x, mu, s2, phi: (Expect(sp.Abs(x - mu)), "<=", sp.sqrt(s2)),
                  lambda x, mu, s2, phi: (Expect((x - mu) ** 4), "=", s2 ** 2),
                  lambda x, mu, s2, phi: (Expect(phi(x) ** 2), ">=", 0)):
        s = _step(_derivation(claim))
        assert s.verdict.value == "UNDECIDED", s
        assert "could not be reduced exactly" in s.reason


def test_a_wrong_equality_is_refuted_and_a_declared_third_moment_gets_no_witness():
    s = _step(_derivation(lambda x, mu, s2, phi: (Expect(sp.exp(x)), "=", sp.exp(mu))))
    assert s.verdict.value == "REFUTED" and s.counterexample.values["x"].startswith("witness law")
    # with E[x^3] declared, the two-point law need not match it: no witness, no verdict from one
    d = Derivation("third")
    m = d.scalar("m")
    x = d.random("x", distribution="moments", moments=[m, m ** 2 + 1, m ** 3 + 3 * m + 5])
    phi = d.function("phi", kind="convex")
    d.claim(phi(Expect(x)), ">=", Expect(phi(x)), "1")
    assert _step(d).verdict.value == "UNDECIDED"


def test_witness_refutation_is_deterministic():
    def run():
        d = _derivation(lambda x, mu, s2, phi: (Expect(sp.Abs(x - mu)), "<=", sp.sqrt(s2) / 2))
        s = _step(d)
        return s.verdict.value, s.counterexample.to_json()
    a, b = run(), run()
    assert a == b and a[0] == "REFUTED"


def test_points_law_sums_exactly_over_independent_values():
    x, y, a = sp.Symbol("x"), sp.Symbol("y"), sp.Symbol("a")
    half = sp.Rational(1, 2)
    px = Distribution("points", (1, 1), support=((half, a - 1), (half, a + 1)))
    by = Distribution("bernoulli", (1, 1), p=sp.Rational(1, 3))
    m = Moments([x, y], dists={x: px, y: by})
    out = reduce_expectations(Expect(sp.exp(x * y)), m)
    expect = sp.Rational(2, 3) + sp.Rational(1, 6) * (sp.exp(a - 1) + sp.exp(a + 1))
    assert sp.simplify(out - expect) == 0
    assert sp.expand(reduce_expectations(Expect(x ** 2), m)) == a ** 2 + 1
