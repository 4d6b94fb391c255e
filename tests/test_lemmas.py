"""Lemmas apply modulo the algebra the engine knows (issue 12, item 11).

A lemma proved for ``|a^T b| <= ||a|| ||b||`` must also prove the same fact
squared, square-rooted, scaled, written with ``a^T a`` for ``||a||^2``, or under
``exp`` and ``log``; and no rewrite may prove a wrong claim: every wrong claim
below is REFUTED by a counterexample with no symbolic method claiming a proof.
"""

from __future__ import annotations

import pytest

from symbolic import Derivation, Dot, Norm, Verdict, check, sp
from symbolic.algebra.prove import prove_zero


def _setup():
    d = Derivation("lemmas"); n = d.dim("n")
    vecs = [d.vector(x, n) for x in ("a", "b", "x")]
    mats = [d.matrix(x, n, n) for x in ("A", "B")]
    return d, vecs, mats


def _dot(u, v):
    return Dot(u.T * v)


def _verdict(build, relation="<="):
    d, (a, b, x), (A, B) = _setup()
    lhs, rhs = build(a, b, x, A, B)
    d.claim(lhs, relation, rhs, "1")
    return check(d, cache=False).step("1")


TRUE_CLAIMS = {
    "cs squared, Gram form": (lambda a, b, x, A, B: (_dot(a, b)**2, _dot(a, a) * _dot(b, b)), "Cauchy-Schwarz"),
    "cs squared, norms": (lambda a, b, x, A, B: (_dot(a, b)**2, Norm(a)**2 * Norm(b)**2), "Cauchy-Schwarz"),
    "cs scaled by 2": (lambda a, b, x, A, B: (2 * sp.Abs(_dot(a, b)), 2 * Norm(a) * Norm(b)), "Cauchy-Schwarz"),
    "cs square roots": (lambda a, b, x, A, B: (sp.sqrt(sp.Abs(_dot(a, b))), sp.sqrt(Norm(a) * Norm(b))),
                        "Cauchy-Schwarz"),
    "cs without the absolute value": (lambda a, b, x, A, B: (_dot(a, b), Norm(a) * Norm(b)), "Cauchy-Schwarz"),
    "cs negated": (lambda a, b, x, A, B: (-Norm(a) * Norm(b), -sp.Abs(_dot(a, b))), "Cauchy-Schwarz"),
    "cs under exp": (lambda a, b, x, A, B: (sp.exp(sp.Abs(_dot(a, b))), sp.exp(Norm(a) * Norm(b))), "exp"),
    "cs under log": (lambda a, b, x, A, B: (sp.log(1 + sp.Abs(_dot(a, b))), sp.log(1 + Norm(a) * Norm(b))),
                     "log (positive arguments)"),
    "submultiplicativity squared": (lambda a, b, x, A, B: (Norm(A * B * x)**2, Norm(A)**2 * Norm(B)**2 * Norm(x)**2),
                                    "submultiplicativity"),
    "Gram scalar as a squared norm": (lambda a, b, x, A, B: (Dot(x.T * A.T * A * x), Norm(A)**2 * Norm(x)**2),
                                      "||v||^2 = v^T v"),
    "square root of a Gram scalar": (lambda a, b, x, A, B: (sp.sqrt(Dot(x.T * A.T * A * x)), Norm(A) * Norm(x)),
                                     "submultiplicativity"),
    "grouped products of bounds": (lambda a, b, x, A, B: (sp.Abs(_dot(a, b)) * Norm(A * B),
                                                          Norm(a) * Norm(b) * Norm(A) * Norm(B)),
                                   "products of bounded non-negative factors"),
}


@pytest.mark.parametrize("name", sorted(TRUE_CLAIMS))
def test_lemma_survives_the_algebra_around_it(name):
    build, word = TRUE_CLAIMS[name]
    r = _verdict(build)
    assert r.verdict is Verdict.PROVED, (name, r.verdict, r.evidence)
    assert word in r.evidence.method
    assert r.disagreement is None


def test_method_names_the_lemma_and_the_rule():
    r = _verdict(lambda a, b, x, A, B: (_dot(a, b)**2, _dot(a, a) * _dot(b, b)))
    assert r.evidence.method == "lemma: Cauchy-Schwarz |x^T y| <= ||x|| ||y||, squared (both sides non-negative)"
    r = _verdict(lambda a, b, x, A, B: (sp.sqrt(sp.Abs(_dot(a, b))), sp.sqrt(Norm(a) * Norm(b))))
    assert "square root of both sides (both non-negative)" in r.evidence.method


WRONG_CLAIMS = {
    "no b-factor": lambda a, b, x, A, B: (_dot(a, b)**2, _dot(a, a)),
    "squared on one side only": lambda a, b, x, A, B: (_dot(a, b)**2, Norm(a) * Norm(b)),
    "cubed against squares": lambda a, b, x, A, B: (_dot(a, b)**3, Norm(a)**2 * Norm(b)**2),
    "negated without flipping": lambda a, b, x, A, B: (-sp.Abs(_dot(a, b)), -Norm(a) * Norm(b)),
    "scaled on one side only": lambda a, b, x, A, B: (2 * sp.Abs(_dot(a, b)), Norm(a) * Norm(b)),
    "exp the wrong way": lambda a, b, x, A, B: (sp.exp(Norm(a) * Norm(b)), sp.exp(sp.Abs(_dot(a, b)))),
    "roots the wrong way": lambda a, b, x, A, B: (sp.sqrt(Norm(a) * Norm(b)), sp.sqrt(sp.Abs(_dot(a, b)))),
    "Gram scalar, one norm unsquared": lambda a, b, x, A, B: (Dot(x.T * A.T * A * x), Norm(A) * Norm(x)**2),
}


def _refuted_without_a_proof(r):
    assert r.verdict is Verdict.REFUTED, (r.verdict, r.evidence)
    assert r.counterexample is not None
    assert r.disagreement is None  # no symbolic method claimed a proof


@pytest.mark.parametrize("name", sorted(WRONG_CLAIMS))
def test_wrong_vector_claims_are_not_proved(name):
    _refuted_without_a_proof(_verdict(WRONG_CLAIMS[name]))


def _with_hypothesis(build, **sign):
    d = Derivation("h")
    s, t = d.scalar("s", **sign), d.scalar("t")
    d.assume(s <= t)
    lhs, rhs = build(s, t)
    d.claim(lhs, "<=", rhs, "1")
    return check(d, cache=False).step("1")


@pytest.mark.parametrize("name, build", [
    ("squares from s <= t (t may be below |s|)", lambda s, t: (s**2, t**2)),
    ("-s <= t from s <= t", lambda s, t: (-s, t)),
    ("log s <= log t with s possibly negative", lambda s, t: (sp.log(s), sp.log(t))),
    ("sqrt s <= sqrt t with s possibly negative", lambda s, t: (sp.sqrt(s), sp.sqrt(t))),
])
def test_wrong_claims_from_a_hypothesis_are_not_proved(name, build):
    _refuted_without_a_proof(_with_hypothesis(build))


def test_squares_of_a_non_negative_bound_are_proved():
    r = _with_hypothesis(lambda s, t: (s**2, t**2), nonnegative=True)
    assert r.verdict is Verdict.PROVED and "hypothesis s <= t" in r.evidence.method


def test_power_simplification_does_not_treat_real_symbols_as_positive():
    t, s = sp.Symbol("t", real=True), sp.Symbol("s", real=True)
    assert prove_zero(sp.Abs(t) - t) is None
    assert prove_zero(sp.sqrt(t**2) - t) is None
    assert prove_zero(sp.sqrt(s * t) - sp.sqrt(s) * sp.sqrt(t)) is None
    u = sp.Symbol("u", positive=True)
    assert prove_zero(sp.sqrt(u**2) - u) is not None
    d = Derivation("abs"); t = d.scalar("t")
    d.claim(sp.Abs(t), "=", t, "1")
    _refuted_without_a_proof(check(d, cache=False).step("1"))
