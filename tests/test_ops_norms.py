"""The norms family: vector 1, 2, infinity norms; spectral, Frobenius and nuclear norms of matrices."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

import symbolic
from symbolic import Derivation, Dot, Grad, Norm, check
from symbolic.algebra.backend import Backend, DomainError
from symbolic.algebra.evaluate import Instance, evaluate
from symbolic.algebra.lemmas import Prover
from symbolic.algebra.ops import apply_rewrites, by_text, lookup
from symbolic.algebra.parse import parse_expression
from symbolic.algebra.printing import to_latex
from symbolic.checks.mutate import expression_mutants

MP = Backend("mp", dps=60)
A_VAL = np.array([[1.0, -2.0, 0.5], [3.0, 4.0, -1.0], [0.0, 2.0, 5.0]])
X_VAL = np.array([[1.5], [-2.0], [0.25]])


def _family():
    from symbolic import Frobenius, Norm1, NormInf, Nuclear, norm

    return norm, Norm1, NormInf, Frobenius, Nuclear


def _decls(n=3):
    d = Derivation("norms", review=True)
    k = d.dim("n")
    return d, k, d.matrix("A", k, k), d.matrix("B", k, k), d.vector("x", k), d.vector("y", k)


def _verdicts(d):
    return {s.label: s.verdict.value for s in check(d, cache=False).steps}


def test_every_norm_evaluates_in_float64_and_at_60_digits_as_numpy_does():
    norm, *_ = _family()
    A, x = sp.MatrixSymbol("A", 3, 3), sp.MatrixSymbol("x", 3, 1)
    cases = [(norm(x, 1), np.linalg.norm(X_VAL, 1)), (norm(x, sp.oo), np.linalg.norm(X_VAL, np.inf)),
             (norm(x), np.linalg.norm(X_VAL)), (norm(A, "fro"), np.linalg.norm(A_VAL, "fro")),
             (norm(A, "nuc"), np.linalg.norm(A_VAL, "nuc")), (norm(A), np.linalg.norm(A_VAL, 2)),
             (norm(A, 1), np.linalg.norm(A_VAL, 1)), (norm(A, sp.oo), np.linalg.norm(A_VAL, np.inf))]
    values = {A: A_VAL, x: X_VAL}
    for expr, want in cases:
        assert abs(float(evaluate(expr, Instance(values=values))) - want) < 1e-12, expr
        hp = evaluate(expr, Instance(values={k: MP.array(v) for k, v in values.items()}, backend=MP))
        assert abs(hp - want) < 1e-12, expr


def test_nuclear_norm_at_60_digits_is_exact_beyond_float64():
    norm, *_ = _family()
    A = sp.MatrixSymbol("A", 2, 2)
    value = evaluate(norm(A, "nuc"), Instance(values={A: MP.array(np.diag([1.0, 2.0]))}, backend=MP))
    assert abs(value - 3) < 1e-50


def test_norms_print_with_their_subscripts_and_parse_from_text():
    norm, Norm1, NormInf, Frobenius, Nuclear = _family()
    A, x = sp.MatrixSymbol("A", 3, 3), sp.MatrixSymbol("x", 3, 1)
    assert to_latex(norm(x, 1)) == r"\left\| \mathbf{x} \right\|_{1}"
    assert to_latex(norm(x, sp.oo) ** 2) == r"\left\| \mathbf{x} \right\|_{\infty}^{2}"
    assert to_latex(2 * norm(A, "fro")) == r"2 \left\| \mathbf{A} \right\|_{F}"
    assert to_latex(norm(A, "nuc")) == r"\left\| \mathbf{A} \right\|_{*}"
    assert to_latex(Norm(x) ** 2) == r"\left\| \mathbf{x} \right\|^{2}"  # unchanged by the migration
    names = {"A": A, "x": x}
    got = parse_expression("norm1(x) + norminf(x) + fro(A) + nuclear(A) + norm(x, 1) + norm(x)", names)
    assert got == 2 * Norm1(x) + NormInf(x) + Frobenius(A) + Nuclear(A) + Norm(x)
    assert parse_expression("frobenius(A) + Frobenius(A) + nuc(A)", names) == 2 * Frobenius(A) + Nuclear(A)
    assert by_text("fro") is lookup(Frobenius(A)) and by_text("norm") is lookup(Norm(x))
    with pytest.raises(ValueError, match="orders are"):
        norm(x, 3)


def test_equality_lemmas_scaling_transpose_and_frobenius_trace_are_proved():
    norm, *_ = _family()
    d, n, A, B, x, _ = _decls()
    c = d.scalar("c")
    d.claim(norm(A, "fro") ** 2, "=", sp.Trace(A.T * A), "trace")
    d.claim(norm(c * A, "fro"), "=", sp.Abs(c) * norm(A, "fro"), "scaling")
    d.claim(norm(c * A), "=", sp.Abs(c) * norm(A), "spectral scaling")
    d.claim(norm(A.T, "fro"), "=", norm(A, "fro"), "transpose")
    d.claim(norm(A.T), "=", norm(A), "spectral transpose")
    d.claim(norm(A.T, "nuc"), "=", norm(A, "nuc"), "nuclear transpose")
    d.claim(norm(x) ** 2, "=", Dot(x.T * x), "inner")
    d.claim(norm(A * B, "fro"), "=", norm(A, "fro") * norm(B, "fro"), "product of norms")
    d.claim(norm(c * A, "fro"), "=", c * norm(A, "fro"), "no abs")
    r = check(d, cache=False)
    for label in ("trace", "scaling", "spectral scaling", "transpose", "spectral transpose", "nuclear transpose",
                  "inner"):
        assert r.step(label).verdict.value == "PROVED", label
    assert "||A||_F^2 = tr(A^T A)" in r.step("trace").evidence.method
    assert r.step("product of norms").verdict.value == "REFUTED"
    assert r.step("no abs").verdict.value == "REFUTED"


def test_a_lemma_whose_side_condition_fails_is_not_applied():
    norm, *_ = _family()
    d, n, A, _, x, _ = _decls()
    # ||A^T||_1 = ||A||_inf, not ||A||_1, for a matrix (induced norms); for a vector the transpose is harmless
    assert apply_rewrites(norm(A.T, 1))[0] == norm(A.T, 1)
    assert apply_rewrites(norm(x.T, 1))[0] == norm(x, 1)
    d.claim(norm(A.T, 1), "=", norm(A, 1), "matrix")
    d.claim(norm(x.T, 1), "=", norm(x, 1), "vector")
    m, k = d.dim("m"), d.dim("k")
    C = d.matrix("C", m, n)
    d.claim(norm(C, "fro"), "<=", sp.sqrt(m) * norm(C), "rank <= m")
    d.claim(norm(C, "fro"), "<=", sp.sqrt(k) * norm(C), "k unrelated to the rank")
    v = _verdicts(d)
    assert v["matrix"] == "REFUTED" and v["vector"] == "PROVED"
    assert v["rank <= m"] == "PROVED"
    assert v["k unrelated to the rank"] != "PROVED"  # the rank bound needs k >= min(m, n)
    assert Prover().prove_le(norm(C, "fro"), sp.sqrt(k) * norm(C)) is None


def test_orderings_of_norms_are_proved_and_their_flips_refuted():
    norm, *_ = _family()
    d, n, A, _, x, _ = _decls()
    d.claim(norm(x, sp.oo), "<=", norm(x), "inf <= 2")
    d.claim(norm(x), "<=", norm(x, 1), "2 <= 1")
    d.claim(norm(x, 1), "<=", sp.sqrt(n) * norm(x), "1 <= sqrt(n) 2")
    d.claim(norm(x), "<=", sp.sqrt(n) * norm(x, sp.oo), "2 <= sqrt(n) inf")
    d.claim(norm(x, 1), "<=", n * norm(x, sp.oo), "1 <= n inf (a chain)")
    d.claim(norm(A), "<=", norm(A, "fro"), "spectral <= F")
    d.claim(norm(A, "fro"), "<=", norm(A, "nuc"), "F <= nuclear")
    d.claim(norm(A), "<=", norm(A, "nuc"), "spectral <= nuclear (a chain)")
    d.claim(norm(A, "fro"), "<=", sp.sqrt(n) * norm(A), "F <= sqrt(n) spectral")
    d.claim(norm(x, 1), "<=", norm(x), "flipped")
    d.claim(norm(A, "nuc"), "<=", norm(A, "fro"), "missing sqrt(n)")
    r = check(d, cache=False)
    for s in r.steps:
        want = "REFUTED" if s.label in ("flipped", "missing sqrt(n)") else "PROVED"
        assert s.verdict.value == want, (s.label, s.verdict.value)
    c = r.step("flipped").counterexample
    assert c is not None and c.precision_digits >= 50


def test_triangle_submultiplicativity_holder_and_cauchy_schwarz():
    norm, *_ = _family()
    d, n, A, B, x, y = _decls()
    d.claim(norm(x - 2 * y, 1), "<=", norm(x, 1) + 2 * norm(y, 1), "triangle 1")
    d.claim(norm(A + B, "nuc"), "<=", norm(A, "nuc") + norm(B, "nuc"), "triangle nuclear")
    d.claim(norm(A * B, "fro"), "<=", norm(A, "fro") * norm(B, "fro"), "submult F")
    d.claim(norm(A * B, "fro"), "<=", norm(A) * norm(B, "fro"), "mixed")
    d.claim(norm(A * B, "nuc"), "<=", norm(A, "nuc") * norm(B, "nuc"), "submult nuclear")
    d.claim(sp.Abs(Dot(x.T * y)), "<=", norm(x, sp.oo) * norm(y, 1), "Hölder")
    d.claim(sp.Abs(sp.Trace(A.T * B)), "<=", norm(A, "fro") * norm(B, "fro"), "trace CS")
    d.claim(sp.Abs(sp.Trace(A.T * B)), "<=", norm(A) * norm(B, "nuc"), "trace Hölder")
    d.claim(sp.Abs(Dot(x.T * A * y)), "<=", norm(x) * norm(A) * norm(y), "bilinear")
    d.claim(norm(A * x), "<=", norm(A, "fro") * norm(x), "Ax <= ||A||_F ||x||")
    d.claim(norm(A * B, "fro"), "<=", norm(A) * norm(B), "spectral on the right")
    d.claim(sp.Abs(Dot(x.T * y)), "<=", norm(x, sp.oo) * norm(y, sp.oo), "not dual")
    v = _verdicts(d)
    for label, verdict in v.items():
        want = "REFUTED" if label in ("spectral on the right", "not dual") else "PROVED"
        assert verdict == want, (label, verdict)


def test_gradients_of_squared_norms_are_proved_and_wrong_ones_refuted():
    norm, *_ = _family()
    d, n, A, X, x, b = _decls()
    lam = d.scalar("lam", positive=True)
    d.claim(Grad(norm(X, "fro") ** 2, X), "=", 2 * X, "matrix")
    d.claim(Grad(norm(A * x - b) ** 2 + lam * norm(x) ** 2, x), "=", 2 * A.T * (A * x - b) + 2 * lam * x, "ridge")
    d.claim(Grad(norm(X, "fro") ** 2, X), "=", X, "missing 2")
    d.claim(Grad(norm(A * x - b) ** 2, x), "=", 2 * A * (A * x - b), "dropped transpose")
    d.claim(Grad(norm(x, "nuc") * lam, lam), "=", norm(x), "scalar: nuclear norm of a vector")
    d.claim(Grad(norm(x, 1), x), "=", x, "1-norm")
    r = check(d, cache=False)
    assert r.step("matrix").verdict.value == "PROVED" and r.step("matrix").evidence.samples > 0
    assert r.step("ridge").verdict.value == "PROVED"
    assert r.step("scalar: nuclear norm of a vector").ok
    for label in ("missing 2", "dropped transpose", "1-norm"):
        assert r.step(label).verdict.value == "REFUTED", label


@pytest.mark.parametrize("backend", [None, MP])
def test_finite_differences_refuse_a_kink_of_the_one_norm(backend):
    norm, *_ = _family()
    x = sp.MatrixSymbol("x", 3, 1)
    def inst(v):
        v = np.array(v, dtype=float).reshape(3, 1)
        return Instance(values={x: backend.array(v)}, backend=backend) if backend else Instance(values={x: v})
    g = evaluate(Grad(norm(x, 1), x), inst([1.5, -2.0, 0.5]))
    assert [float(t) for t in np.ravel(g)] == pytest.approx([1.0, -1.0, 1.0], abs=1e-8)
    with pytest.raises(DomainError, match="not differentiable"):
        evaluate(Grad(norm(x, 1), x), inst([1.5, 0.0, 0.5]))
    with pytest.raises(DomainError, match="not differentiable"):
        evaluate(Grad(norm(x, sp.oo), x), inst([2.0, -2.0, 0.5]))  # a tie of the max
    smooth = evaluate(Grad(norm(x) ** 2 + Dot(x.T * x) ** 3, x), inst([0.0, 1e-9, 3.0]))
    assert np.ravel(smooth).shape == (3,)  # curvature is no kink
    offset = evaluate(Grad(4000 * Dot(x.T * x) + 10**8, x), inst([1e-3, 0.0, 0.0]))
    assert np.ravel(offset).shape == (3,)  # nor is the rounding of a large value


def test_mutations_swap_norms_drop_squares_and_split_products():
    norm, Norm1, NormInf, Frobenius, Nuclear = _family()
    A, B, x = sp.MatrixSymbol("A", 3, 3), sp.MatrixSymbol("B", 3, 3), sp.MatrixSymbol("x", 3, 1)
    vector = {m.expr for m in expression_mutants(norm(x, 1) + 1)}
    assert {Norm(x) + 1, NormInf(x) + 1} <= vector
    matrix = {m.expr for m in expression_mutants(norm(A * B, "fro") ** 2)}
    assert Frobenius(A * B) in matrix  # the square dropped
    assert Norm(A * B) ** 2 in matrix and Nuclear(A * B) ** 2 in matrix
    assert (Frobenius(A) * Frobenius(B)) ** 2 in matrix


def test_a_wrong_norm_identity_is_refuted_with_a_shrunk_counterexample():
    norm, *_ = _family()
    d, n, A, _, x, _ = _decls()
    d.claim(norm(A * x), "<=", norm(x), "missing ||A||")
    step = check(d, cache=False).step("missing ||A||")
    assert step.verdict.value == "REFUTED"
    assert step.counterexample is not None and step.counterexample.dims.get("n", 0) <= 3


def test_textbook_norm_identities_are_proved_and_their_mistakes_refuted():
    from derivations._registry import get
    from derivations.textbook._corpus import IDENTITIES

    names = ["frobenius_as_trace", "least_squares_gradient_of_norm", "holder_one_infinity", "frobenius_below_sqrt_rank_spectral"]
    for name in names:
        assert IDENTITIES[name].family in ("norms", "inequalities")
        right = check(get(f"tb_{name}"), cache=False)
        wrong = check(get(f"tb_{name}_wrong"), cache=False)
        assert all(s.verdict.value == "PROVED" for s in right.steps), name
        assert any(s.verdict.value == "REFUTED" for s in wrong.steps), name


def test_the_constructors_are_exported_by_the_package():
    assert symbolic.norm(sp.MatrixSymbol("A", 2, 2), "fro") == symbolic.Frobenius(sp.MatrixSymbol("A", 2, 2))


def test_a_relu_kink_is_no_derivative_either():
    from symbolic import Relu

    w, x = sp.MatrixSymbol("w", 2, 1), sp.MatrixSymbol("x", 2, 1)
    inst = Instance(values={w: np.zeros((2, 1)), x: np.array([[1.0], [2.0]])})
    with pytest.raises(DomainError, match="not differentiable"):  # the central difference says x / 2 here
        evaluate(Grad(Relu(Dot(w.T * x)), w), inst)


def test_a_family_split_into_private_modules_is_loaded_once_per_family():
    from symbolic.algebra.ops import families

    mods = families()
    assert "symbolic.algebra.ops.norms" in mods
    assert not any(m.rsplit(".", 1)[-1].startswith("_") for m in mods)
