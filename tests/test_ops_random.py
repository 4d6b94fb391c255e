"""Random quantities (laws, exact expectations, E/Var/Cov operators, Jensen) and matrix/vector kinds."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import derivations.textbook  # noqa: F401 - registers the corpus
from derivations._registry import get
from symbolic import Cov, Derivation, Dot, Expect, Grad, MatExpect, Norm, Var, check
from symbolic.algebra.backend import Backend, Unsupported
from symbolic.algebra.evaluate import Instance, evaluate
from symbolic.algebra.ops import by_text, lookup
from symbolic.algebra.parse import parse_expression
from symbolic.algebra.printing import to_latex
from symbolic.algebra.rewrite import reduce_expectations
from symbolic.checks.context import CheckContext
from symbolic.exceptions import InvalidInputError
from symbolic.checks.mutate import expression_mutants
from symbolic.checks.sampling import Sampler


def _v(r, label):
    return r.step(label).verdict.value


def _gauss(name="g"):
    d = Derivation(name, review=True)
    n = d.dim("n")
    S, mu, A = d.matrix("S", n, n, kinds=["psd"]), d.vector("mu", n), d.matrix("A", n, n)
    x = d.gaussian("x", n, mean=mu, cov=S)
    return d, n, S, mu, A, x


# -- exact expectations ----------------------------------------------------------------------------------------

def test_quadratic_form_expectation_is_proved_and_a_missing_trace_refuted():
    d, n, S, mu, A, x = _gauss()
    d.claim(Expect(Dot(x.T * A * x)), "=", sp.Trace(A * S) + Dot(mu.T * A * mu), "right")
    d.claim(Expect(Dot(x.T * A * x)), "=", Dot(mu.T * A * mu), "wrong")
    r = check(d, cache=False)
    assert _v(r, "right") == "PROVED" and r.step("right").evidence.samples > 0
    assert _v(r, "wrong") == "REFUTED"
    ce = r.step("wrong").counterexample
    assert ce is not None and "x" not in str(ce.values)  # only parameters: never a sampled x


def test_refuted_counterexample_keeps_the_psd_kind_after_shrinking():
    d, n, S, mu, A, x = _gauss()
    d.claim(MatExpect(x * x.T), "=", S, "wrong")
    r = check(d, cache=False)
    assert _v(r, "wrong") == "REFUTED"
    inst = r.step("wrong").counterexample
    vals = {str(k): v for k, v in inst.values.items()}
    Sv = np.asarray(np.asarray(vals["S"], dtype=object).tolist(), dtype=float)
    assert np.allclose(Sv, Sv.T) and np.linalg.eigvalsh(Sv).min() >= -1e-9


def test_scalar_gaussian_moments_variance_independence_and_mgf():
    d = Derivation("s", review=True)
    s2, t = d.scalar("s2", positive=True), d.scalar("t")
    z = d.gaussian_scalar("z", mean=0, var=s2)
    w = d.gaussian_scalar("w", mean=1, var=1)
    d.claim(Expect(z**4), "=", 3 * s2**2, "fourth")
    d.claim(Expect(z**4), "=", s2**2, "fourth_wrong")
    d.claim(Var(t * z), "=", t**2 * s2, "var")
    d.claim(Var(t * z), "=", t * s2, "var_wrong")  # the variance without the square
    d.claim(Expect(z * w), "=", 0, "independent")
    d.claim(Expect(sp.exp(z)), "=", sp.exp(s2 / 2), "mgf")
    r = check(d, cache=False)
    assert [_v(r, k) for k in ("fourth", "var", "independent", "mgf")] == ["PROVED"] * 4
    assert _v(r, "fourth_wrong") == _v(r, "var_wrong") == "REFUTED"


def test_dropout_mask_mean_and_second_moment():
    d = Derivation("drop", review=True)
    n = d.dim("n")
    p, x = d.scalar("p", interval="(0, 1]"), d.vector("x", n)
    m = d.bernoulli("m", n, p=p)
    d.claim(MatExpect(sp.HadamardProduct(m, x) / p), "=", x, "mean")
    d.claim(MatExpect(sp.HadamardProduct(m, x)), "=", x, "mean_wrong")
    d.claim(Expect(Norm(sp.HadamardProduct(m, x))**2), "=", p * Norm(x)**2, "second")
    d.claim(Expect(Norm(sp.HadamardProduct(m, x))**2), "=", p**2 * Norm(x)**2, "second_wrong")
    d.claim(sp.HadamardProduct(m, m), "=", m, "realization")  # a realized mask has entries 0 or 1
    r = check(d, cache=False)
    assert _v(r, "mean") == "PROVED"
    assert _v(r, "second") == "PROVED"
    assert _v(r, "mean_wrong") == _v(r, "second_wrong") == "REFUTED"
    assert _v(r, "realization") in ("PROVED", "CONFIRMED")


def test_isserlis_fourth_moment_of_a_centred_gaussian_vector():
    d = Derivation("iss", review=True)
    n = d.dim("n")
    S, B = d.matrix("S", n, n, kinds=["pd"]), d.matrix("B", n, n)
    x = d.gaussian("x", n, cov=S)
    d.claim(MatExpect(x * x.T * B * x * x.T), "=", S * B * S + S * B.T * S + sp.Trace(B * S) * S, "right")
    d.claim(MatExpect(x * x.T * B * x * x.T), "=", S * B * S + sp.Trace(B * S) * S, "wrong")
    r = check(d, cache=False)
    assert _v(r, "right") == "PROVED" and _v(r, "wrong") == "REFUTED"


def test_an_unreducible_expectation_stays_undecided_with_its_reason():
    d = Derivation("u", review=True)
    mu, s2 = d.scalar("mu"), d.scalar("s2", positive=True)
    x = d.random("x", distribution="moments", mean=mu, var=s2)  # no third moment declared
    d.claim(Expect(x**3), "=", mu**3, "third")
    d.claim(Expect(sp.exp(x)), "=", sp.exp(mu), "exp")
    d.claim(Expect(sp.Abs(x - mu)), "<=", sp.sqrt(s2), "true")  # true for every law: no lemma, no witness
    r = check(d, cache=False)
    assert _v(r, "true") == "UNDECIDED"
    assert "could not be reduced exactly" in r.step("true").reason
    for label in ("third", "exp"):  # wrong: refuted under a law with the declared moments (a witness law)
        assert _v(r, label) == "REFUTED"
        assert r.step(label).counterexample.values["x"].startswith("witness law")


def test_gradient_of_an_expectation_by_a_matrix_and_a_vector():
    d, n, S, mu, A, x = _gauss()
    d.claim(Grad(Expect(Dot(x.T * A * x)), A), "=", S + mu * mu.T, "by_A")
    d.claim(Grad(Expect(Dot(x.T * A * x)), A), "=", S, "by_A_wrong")
    d.claim(Grad(Expect(Dot(x.T * A * x)), mu), "=", (A + A.T) * mu, "by_mu")
    r = check(d, cache=False)
    assert _v(r, "by_A") in ("PROVED", "CONFIRMED") and _v(r, "by_mu") in ("PROVED", "CONFIRMED")
    assert _v(r, "by_A_wrong") == "REFUTED"


# -- the operators ---------------------------------------------------------------------------------------------

def test_expectation_operators_are_registered_and_print_as_before():
    n = sp.Symbol("n", integer=True, positive=True)
    x = sp.MatrixSymbol("x", n, 1)
    z = sp.Symbol("z", real=True)
    assert lookup(Expect(z)).name == "expectation" and lookup(MatExpect(x)).name == "matrix expectation"
    assert lookup(Var(z)).name == "variance" and lookup(Cov(x)).name == "covariance"
    assert to_latex(Expect(z)) == r"\mathbb{E}\left[ z \right]"
    assert to_latex(Expect(z) ** 2) == r"\mathbb{E}\left[ z \right]^{2}"
    assert by_text("Var").name == "variance"
    e = parse_expression("Var(z) + E(z)", {"z": z})
    assert e == Var(z) + Expect(z)


def test_evaluation_is_exact_reduction_never_a_sample_at_both_precisions():
    z = sp.Symbol("z", real=True)
    from symbolic.algebra.distributions import Distribution
    from symbolic.algebra.rewrite import Moments

    m = Moments([z], dists={z: Distribution("gaussian", (1, 1), mean=sp.Integer(1), cov=sp.Integer(2))})
    for backend in (None, Backend("mp", dps=60)):
        inst = Instance(values={z: 100.0}) if backend is None else Instance(values={z: backend.num(100)},
                                                                              backend=backend)
        with pytest.raises(Unsupported, match="never evaluated on one sample"):
            evaluate(Expect(z**2), inst)  # no law known to the instance: never the sampled z**2
        inst.memo[("moments",)] = m
        assert abs(float(evaluate(Expect(z**2), inst)) - 3.0) < 1e-12  # E[z^2] = 2 + 1, not 100^2
        assert abs(float(evaluate(Var(z), inst)) - 2.0) < 1e-12


def test_mutations_of_an_expectation_and_a_variance():
    z = sp.Symbol("z", real=True)
    got = {mut.description for mut in expression_mutants(Expect(z**2) + Var(z))}
    assert any("square of the mean" in g for g in got) and any("standard deviation" in g for g in got)


def test_jensen_bound_for_a_declared_convex_function_and_not_for_an_unknown_one():
    d = Derivation("jensen", review=True)
    mu, s2 = d.scalar("mu"), d.scalar("s2", positive=True)
    phi, g = d.function("phi", kind="convex"), d.function("g", kind="smooth")
    x = d.random("x", distribution="moments", mean=mu, var=s2)
    d.claim(phi(Expect(x)), "<=", Expect(phi(x)), "convex")
    d.claim(phi(Expect(x)), ">=", Expect(phi(x)), "flipped")
    d.claim(g(Expect(x)), "<=", Expect(g(x)), "unknown")  # side condition (convexity) not met: not applied
    r = check(d, cache=False)
    assert _v(r, "convex") == "PROVED" and "Jensen" in r.step("convex").evidence.method
    # not applied: both are wrong for some law with these moments (a witness law shows it)
    assert _v(r, "flipped") == _v(r, "unknown") == "REFUTED"


# -- declarations and kinds --------------------------------------------------------------------------------------

def test_law_declaration_errors_say_given_and_expected():
    d = Derivation("bad")
    n, k = d.dim("n"), d.dim("k")
    S = d.matrix("S", k, k, kinds=["psd"])
    with pytest.raises(InvalidInputError, match=r"cov= must be n x n .*given k x k"):
        d.gaussian("x", n, cov=S)
    G = d.matrix("G", n, n)
    with pytest.raises(InvalidInputError, match=r"symmetric matrix.*given kinds \[\]"):
        d.gaussian("y", n, cov=G)
    with pytest.raises(InvalidInputError, match="expected one of gaussian, bernoulli, moments"):
        d.random("w", distribution="poisson")
    with pytest.raises(InvalidInputError, match=r"p= must lie in \(0, 1\]; given 2"):
        d.bernoulli("m", n, p=2)
    with pytest.raises(InvalidInputError, match=r"expected one of .*'pd'.*'psd'"):
        d.matrix("M", n, n, kinds=["positive_definite"])


KINDS = ["psd", "pd", "spd", "orthogonal", "diagonal", "upper_triangular", "lower_triangular", "symmetric"]


@pytest.mark.parametrize("kind", KINDS)
def test_each_matrix_kind_is_sampled_and_checked(kind):
    from symbolic.model.declarations import kinds_hold

    d = Derivation("k_" + kind)
    n = d.dim("n")
    A = d.matrix("A", n, n, kinds=[kind])
    s = Sampler(d, seed=3)
    for k in range(6):
        assert kinds_hold({kind}, s.instance(k).values[A])
    assert not kinds_hold({kind}, np.array([[1.0, 2.0], [3.0, -4.0]]))


def test_unit_vectors_are_sampled_known_to_the_algebra_and_shrunk_to_unit_vectors():
    d = Derivation("unit", review=True)
    n = d.dim("n")
    u, a = d.vector("u", n, unit=True), d.vector("a", n)
    assert abs(np.linalg.norm(Sampler(d, 0).instance(2).values[u]) - 1) < 1e-12
    d.claim(Dot(u.T * u), "=", 1, "norm")
    d.claim(Norm(u) * Dot(a.T * u), "=", Dot(u.T * a), "norm2")
    d.claim(Dot(a.T * u)**2, "<=", Dot(a.T * a) / 2, "wrong")
    r = check(d, cache=False)
    assert _v(r, "norm") == "PROVED" and _v(r, "norm2") == "PROVED"
    assert _v(r, "wrong") == "REFUTED"
    ce = r.step("wrong").counterexample
    uv = np.asarray(np.asarray({str(k): v for k, v in ce.values.items()}["u"], dtype=object).tolist(), dtype=float)
    assert abs(np.linalg.norm(uv) - 1) < 1e-9


def test_orthogonal_matrices_cancel_in_the_normal_form():
    d = Derivation("orth", review=True)
    n = d.dim("n")
    Q, A = d.matrix("Q", n, n, kinds=["orthogonal"]), d.matrix("A", n, n)
    d.claim(Q.T * A * Q * Q.T * Q, "=", Q.T * A * Q, "cancel")
    d.claim(Q * A * Q.T, "=", A, "wrong")
    r = check(d, cache=False)
    assert _v(r, "cancel") == "PROVED" and _v(r, "wrong") == "REFUTED"


def test_unknown_vector_kind_lists_the_valid_ones():
    d = Derivation("vk")
    n = d.dim("n")
    with pytest.raises(InvalidInputError, match=r"unknown vector kind 'sparse'; expected one of"):
        d.vector("v", n, kinds=["sparse"])


# -- the corpus ----------------------------------------------------------------------------------------------------

CORRECT = ["quadratic_form_expectation", "second_moment", "linear_form_variance", "gaussian_kl_standard",
           "elbo_gaussian_prior_term", "jensen_convex", "inverted_dropout_mean", "gaussian_quartic_form",
           "inverted_dropout_variance"]


@pytest.mark.parametrize("name", CORRECT)
def test_textbook_identities_and_their_planted_mistakes(name):
    right = check(get(f"tb_{name}"), cache=False).steps[0].verdict.value
    wrong = check(get(f"tb_{name}_wrong"), cache=False).steps[0].verdict.value
    assert right == "PROVED"
    assert wrong == "REFUTED"  # jensen_convex: E[phi(x)] does not reduce; refuted under a witness law


def test_psd_quadratic_forms_are_nonnegative_only_for_a_declared_psd_matrix():
    d = Derivation("psd", review=True)
    n = d.dim("n")
    A, G = d.matrix("A", n, n, kinds=["psd"]), d.matrix("G", n, n, kinds=["symmetric"])
    x, mu = d.vector("x", n), d.vector("mu", n)
    S = d.matrix("S", n, n, kinds=["pd"])
    y = d.gaussian("y", n, mean=mu, cov=S)
    d.claim(Dot(x.T * A * x), ">=", 0, "psd")
    d.claim(Dot(x.T * G * x), ">=", 0, "not_psd")  # side condition not met: the lemma does not apply
    d.claim(Expect(Dot(y.T * A * y)), ">=", Dot(mu.T * A * mu), "jensen_gap")
    r = check(d, cache=False)
    assert _v(r, "psd") == "PROVED" and "positive semidefinite" in r.step("psd").evidence.method
    assert _v(r, "not_psd") == "REFUTED"
    assert _v(r, "jensen_gap") == "PROVED"


def test_expect_of_a_vector_is_a_matrix_expectation():
    n = sp.Symbol("n", integer=True, positive=True)
    x = sp.MatrixSymbol("x", n, 1)
    assert isinstance(Expect(x), MatExpect) and Expect(x).shape == (n, 1)
    d, n, S, mu, A, x = _gauss()
    d.claim(Expect(A * x), "=", A * mu, "1")
    assert _v(check(d, cache=False), "1") == "PROVED"
