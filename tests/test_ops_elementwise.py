"""Element-wise functions, softmax and log-sum-exp: declared once in the registry, checked end to end."""

from __future__ import annotations

import mpmath
import numpy as np
import pytest
import sympy as sp

from symbolic import DiagOf, Derivation, Dot, Grad, Jac, OneHot, check
from symbolic.algebra.backend import Backend
from symbolic.algebra.evaluate import Instance, evaluate
from symbolic.algebra.ops import apply_rewrites, by_text, lookup
from symbolic.algebra.parse import parse_expression
from symbolic.algebra.printing import to_latex
from symbolic.checks.mutate import expression_mutants

MP = Backend("mp", dps=60)


def _both(expr, values):
    """``expr`` evaluated in float64 and at 60 digits."""
    lo = evaluate(expr, Instance(values={k: np.array(v, dtype=float) if isinstance(v, list) else v
                                         for k, v in values.items()}))
    hi = evaluate(expr, Instance(values={k: MP.array(v) if isinstance(v, list) else mpmath.mpf(v)
                                         for k, v in values.items()}, backend=MP))
    return lo, hi


def _verdicts(d):
    r = check(d, cache=False)
    return {s.label: s for s in r.steps}


def _lr():
    d = Derivation("lr", review=True)
    m, n = d.dim("m"), d.dim("n")
    return d, m, n, d.matrix("X", m, n), d.vector("w", n), d.vector("y", m)


# -- evaluation, both backends --------------------------------------------------------------------------

def test_scalar_activations_evaluate_in_float64_and_at_60_digits():
    from symbolic import gelu, leaky_relu, sigmoid, softplus

    x = sp.Symbol("x", real=True)
    for expr, exact in [(sigmoid(x), 1 / (1 + mpmath.exp(-mpmath.mpf("0.7")))),
                        (softplus(x), mpmath.log(1 + mpmath.exp(mpmath.mpf("0.7")))),
                        (gelu(x), mpmath.mpf("0.7") * (1 + mpmath.erf(mpmath.mpf("0.7") / mpmath.sqrt(2))) / 2),
                        (leaky_relu(-x, sp.Rational(1, 10)), mpmath.mpf("-0.07"))]:
        lo, hi = _both(expr, {x: 0.7})
        assert abs(lo - float(exact)) < 1e-12
        assert abs(hi - exact) < 1e-14  # 0.7 as a float is the input at both precisions
        assert isinstance(hi, mpmath.mpf)
    lo, _ = _both(sigmoid(x), {x: -800.0})  # no overflow far in the tail
    assert 0 <= lo < 1e-300


def test_sigmoid_of_a_matrix_product_is_element_wise_on_both_backends():
    from symbolic import sigmoid

    _, _, _, X, w, _ = _lr()
    Xv, wv = [[1.0, -2.0], [0.5, 3.0], [0.0, 1.0]], [[0.25], [-0.5]]
    lo, hi = _both(sigmoid(X * w), {X: Xv, w: wv})
    z = np.array(Xv) @ np.array(wv)
    assert lo.shape == (3, 1) and np.allclose(lo, 1 / (1 + np.exp(-z)))
    with mpmath.workdps(60):
        assert hi.shape == (3, 1) and abs(hi[1, 0] - 1 / (1 + mpmath.exp(-mpmath.mpf(0.5 * 0.25 - 1.5)))) < 1e-50


def test_row_wise_softmax_and_logsumexp_of_a_matrix():
    from symbolic import logsumexp, softmax

    S = sp.MatrixSymbol("S", 2, 3)
    v = [[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]
    lo, hi = _both(softmax(S), {S: v})
    assert np.allclose(lo.sum(axis=1), 1.0) and np.allclose(lo[1], 1 / 3)
    lse_lo, lse_hi = _both(logsumexp(S), {S: v})
    assert lse_lo.shape == (2, 1) and abs(lse_lo[1, 0] - np.log(3.0)) < 1e-12
    with mpmath.workdps(60):
        assert abs(sum(hi[0, :]) - 1) < 1e-55
        assert abs(lse_hi[1, 0] - mpmath.log(3)) < 1e-55
    z = sp.MatrixSymbol("z", 3, 1)  # a column: over its entries, as before
    lo, _ = _both(softmax(z), {z: [[1.0], [2.0], [3.0]]})
    assert np.isclose(lo.sum(), 1.0) and lo.shape == (3, 1)


# -- declaration, printing, text names ------------------------------------------------------------------

def test_user_formula_is_declared_evaluated_and_differentiated():
    d = Derivation("f", review=True)
    x = d.scalar("x")
    s = d.elementwise("softplus", lambda z: sp.log(1 + sp.exp(z)))
    assert sp.simplify(sp.diff(s(x), x) - sp.exp(x) / (1 + sp.exp(x))) == 0
    lo, hi = _both(s(x), {x: 0.3})
    assert abs(lo - np.log1p(np.exp(0.3))) < 1e-12
    with mpmath.workdps(60):
        assert abs(hi - mpmath.log(1 + mpmath.exp(mpmath.mpf(0.3)))) < 1e-50
    assert to_latex(s(x)) == r"\operatorname{softplus}\left( x \right)"
    n = d.dim("n")
    X = d.matrix("X", n, n)
    assert s(X).shape == (n, n)
    assert to_latex(s(X)) == r"\operatorname{softplus}\left( \mathbf{X} \right)"
    assert to_latex(s(x), {"softplus": r"\zeta"}) == r"\zeta\left( x \right)"  # the declared latex=


def test_function_kind_sigmoid_is_the_logistic_function():
    d = Derivation("k", review=True)
    x = d.scalar("x")
    s = d.function("s", kind="sigmoid")
    d.claim(sp.Derivative(s(x), x), "=", s(x) * (1 - s(x)), "1")
    assert _verdicts(d)["1"].verdict.value == "PROVED"


def test_printing_and_text_names():
    from symbolic import gelu, sigmoid

    d, m, n, X, w, y = _lr()
    assert to_latex(X.T * (sigmoid(X * w) - y)) == \
        r"\mathbf{X}^{\top} \left(\sigma\left( \mathbf{X} \mathbf{w} \right) - \mathbf{y}\right)"
    assert to_latex(gelu(sp.Symbol("t"))) == r"\operatorname{GELU}\left( t \right)"
    names = {"X": X, "w": w, "y": y}
    assert parse_expression("X.T*(sigmoid(X*w) - y)", names) == X.T * (sigmoid(X * w) - y)
    assert by_text("softplus").name == "softplus" and by_text("logsumexp").name == "logsumexp"
    assert lookup(sp.Symbol("q")) is None
    s = d.elementwise("act", lambda z: sp.tanh(z) ** 2)
    assert d.parse("act(X*w)", "t") == s(X * w)


# -- verdicts -------------------------------------------------------------------------------------------

def test_logistic_regression_gradient_is_proved_and_a_wrong_one_refuted():
    from symbolic import sigmoid, softplus

    d, m, n, X, w, y = _lr()
    loss = Dot(sp.OneMatrix(1, m) * softplus(X * w)) - Dot(y.T * X * w)
    d.claim(Grad(loss, w), "=", X.T * (sigmoid(X * w) - y), "right")
    d.claim(Grad(loss, w), "=", X.T * (sigmoid(X * w) + y), "wrong")
    d.claim(Grad(loss, X), "=", (sigmoid(X * w) - y) * w.T, "matrix")
    d.claim(Grad(loss, X), "=", (sigmoid(X * w) - y) * w.T * 2, "matrix wrong")
    v = _verdicts(d)
    assert v["right"].verdict.value == "PROVED" and v["right"].evidence.samples > 0  # cross-checked numerically
    assert "chain rule" in v["right"].evidence.method
    assert v["matrix"].verdict.value in ("PROVED", "CONFIRMED")
    for label in ("wrong", "matrix wrong"):
        assert v[label].verdict.value == "REFUTED"
        assert v[label].counterexample is not None


def test_gradient_with_respect_to_a_scalar():
    from symbolic import sigmoid

    d = Derivation("s", review=True)
    a, b = d.scalar("a"), d.scalar("b")
    d.claim(sp.Derivative(sp.log(sigmoid(a * b)), a), "=", b * (1 - sigmoid(a * b)), "right")
    d.claim(sp.Derivative(sp.log(sigmoid(a * b)), a), "=", b * sigmoid(a * b), "wrong")
    v = _verdicts(d)
    assert v["right"].verdict.value == "PROVED" and v["wrong"].verdict.value == "REFUTED"


def test_softmax_jacobian_logsumexp_hessian_and_cross_entropy():
    from symbolic import log_softmax, logsumexp, softmax

    d = Derivation("sm", review=True)
    n = d.dim("n")
    z, k = d.vector("z", n), d.index("k", upper=n - 1)
    s = softmax(z)
    d.claim(Jac(s, z), "=", DiagOf(s) - s * s.T, "jac")
    d.claim(Jac(Grad(logsumexp(z), z), z), "=", DiagOf(s) - s * s.T, "hess")
    d.claim(Jac(Grad(logsumexp(z), z), z), "=", DiagOf(s), "hess wrong")
    d.claim(Grad(-Dot(OneHot(k, n).T * log_softmax(z)), z), "=", s - OneHot(k, n), "ce")
    d.claim(Grad(-Dot(OneHot(k, n).T * log_softmax(z)), z), "=", OneHot(k, n) - s, "ce wrong")
    v = _verdicts(d)
    for label in ("jac", "hess", "ce"):
        assert v[label].verdict.value == "PROVED", (label, v[label].reason)
    for label in ("hess wrong", "ce wrong"):
        assert v[label].verdict.value == "REFUTED"


def test_attention_rows_are_softmax_rows():
    from symbolic import softmax

    d = Derivation("att", review=True)
    m, k = d.dim("m"), d.dim("k")
    Q, K = d.matrix("Q", m, k), d.matrix("K", m, k)
    A = softmax(Q * K.T / sp.sqrt(k))
    d.claim(A * sp.OneMatrix(m, 1), "=", sp.OneMatrix(m, 1), "rows")
    d.claim(A.T * sp.OneMatrix(m, 1), "=", sp.OneMatrix(m, 1), "columns")
    v = _verdicts(d)
    assert v["rows"].verdict.value in ("PROVED", "CONFIRMED") and v["columns"].verdict.value == "REFUTED"


# -- lemmas ---------------------------------------------------------------------------------------------

def test_lemmas_are_named_and_their_side_conditions_respected():
    from symbolic import log_softmax, logsumexp, sigmoid, softmax

    d = Derivation("lem", review=True)
    n = d.dim("n")
    z, v, c, x = d.vector("z", n), d.vector("v", n), d.scalar("c"), d.scalar("x")
    one = sp.OneMatrix(n, 1)
    d.claim(softmax(z + c * one), "=", softmax(z), "shift")
    d.claim(logsumexp(z + c * one), "=", logsumexp(z) + c, "lse shift")
    d.claim(log_softmax(z), "=", z - logsumexp(z) * one, "log-softmax")
    d.claim(sigmoid(-x), "=", 1 - sigmoid(x), "symmetry")
    d.claim(softmax(z + v), "=", softmax(z), "vector shift")  # side condition fails: v is not c 1
    r = _verdicts(d)
    assert "softmax shift invariance" in r["shift"].evidence.method and r["shift"].verdict.value == "PROVED"
    assert r["lse shift"].verdict.value == "PROVED"
    assert "log-softmax" in r["log-softmax"].evidence.method
    assert "sigmoid(-z)" in r["symmetry"].evidence.method
    assert r["vector shift"].verdict.value == "REFUTED"
    assert apply_rewrites(softmax(z + v))[0] == softmax(z + v)


def test_derivative_lemmas_of_the_activations():
    from symbolic import gelu, sigmoid, softplus

    x = sp.Symbol("x", real=True)
    assert sp.diff(sigmoid(x), x) == sigmoid(x) * (1 - sigmoid(x))
    assert sp.diff(softplus(x), x) == sigmoid(x)
    assert sp.simplify(sp.diff(gelu(x), x) - sp.diff(x * (1 + sp.erf(x / sp.sqrt(2))) / 2, x)) == 0
    assert sp.diff(sp.tanh(x), x) == 1 - sp.tanh(x) ** 2


# -- mutations ------------------------------------------------------------------------------------------

def test_mutations_swap_neighbours_drop_factors_and_unnormalize():
    from symbolic import elementwise, sigmoid, softmax, softplus
    from symbolic.algebra.ops.elementwise import Elementwise

    n = sp.Symbol("n", integer=True, positive=True)
    z = sp.MatrixSymbol("z", n, 1)
    descs = [m.description for m in expression_mutants(sigmoid(z) + z)]
    assert any("tanh for sigmoid" in s for s in descs)
    descs = [m.description for m in expression_mutants(softplus(z))]
    assert any("relu" in s for s in descs)
    descs = [m.description for m in expression_mutants(elementwise(sp.exp, z))]
    assert any("log for exp" in s for s in descs)
    mutants = [m.expr for m in expression_mutants(sigmoid.prime(z))]
    assert Elementwise(sp.Lambda(sp.Symbol("_z", real=True), sigmoid(sp.Symbol("_z", real=True))), z) in mutants
    assert elementwise(sp.exp, z) in [m.expr for m in expression_mutants(softmax(z))]


# -- the chain rule -------------------------------------------------------------------------------------

def test_chain_rule_product_rule_and_refusals():
    from symbolic.algebra.chain import NoRule, chain_derivative, chain_jacobian

    n = sp.Symbol("n", integer=True, positive=True)
    u, A = sp.MatrixSymbol("u", n, 1), sp.MatrixSymbol("A", n, n)
    J = chain_jacobian(Dot(u.T * A * u), u)  # u^T (A + A^T): both factors differentiated
    Av, uv = np.array([[1.0, 2.0], [-3.0, 0.5]]), np.array([[0.3], [-1.2]])
    got = evaluate(J.subs(n, 2), Instance(values={sp.MatrixSymbol("u", 2, 1): uv, sp.MatrixSymbol("A", 2, 2): Av}))
    assert np.allclose(got, uv.T @ (Av + Av.T))
    with pytest.raises(NoRule):
        chain_derivative(Grad(sp.Trace(A * A), A))  # A enters twice, not through one product A q


def test_the_textbook_identities_of_the_family():
    import derivations.textbook  # noqa: F401
    from derivations._registry import get

    for name in ("logistic_regression_gradient", "softmax_jacobian", "attention_value_gradient"):
        right = check(get(f"tb_{name}"), cache=False).steps[0]
        wrong = check(get(f"tb_{name}_wrong"), cache=False).steps[0]
        assert right.verdict.value == "PROVED", (name, right.reason)
        assert wrong.verdict.value == "REFUTED", name


def test_chain_rule_refuses_what_it_cannot_split():
    from symbolic import elementwise
    from symbolic.algebra.chain import NoRule, chain_jacobian

    n = sp.Symbol("n", integer=True, positive=True)
    u, w = sp.MatrixSymbol("u", n, 1), sp.MatrixSymbol("w", n, 1)
    i = sp.Symbol("i", integer=True)
    with pytest.raises(NoRule):  # a sum over entries: one placeholder cannot stand for every entry
        chain_jacobian(sp.Sum(sp.exp(u[i, 0]), (i, 0, n - 1)), u)
    with pytest.raises(NoRule):  # the variable inside the body of the element-wise function
        chain_jacobian(elementwise(sp.Lambda(sp.Symbol("t"), sp.Symbol("t") * Dot(u.T * u)), w + u), u)


def test_product_rule_keeps_a_scalar_factor_that_depends_on_the_variable():
    from symbolic.algebra.chain import chain_jacobian

    u = sp.MatrixSymbol("u", 2, 1)
    J = chain_jacobian(Dot(u.T * u) * u, u)  # d(|u|^2 u) = u (2 u^T) + |u|^2 I
    uv = np.array([[0.3], [-1.2]])
    got = evaluate(J, Instance(values={u: uv}))
    assert np.allclose(got, 2 * uv @ uv.T + (uv.T @ uv)[0, 0] * np.eye(2))
