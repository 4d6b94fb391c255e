"""Hessians and optimality claims: proved by first- and second-order conditions, refuted by a better point."""

from __future__ import annotations

import numpy as np
import pytest
import sympy as sp

from symbolic import Derivation, Dot, check, hessian
from symbolic.algebra.backend import Backend
from symbolic.algebra.evaluate import Instance, evaluate
from symbolic.algebra.printing import to_latex
from symbolic.exceptions import InvalidInputError


def _ridge():
    d = Derivation("ridge", review=True)
    n, m = d.dim("n"), d.dim("m")
    X, y, w = d.matrix("X", m, n), d.vector("y", m), d.vector("w", n)
    lam = d.scalar("lam", positive=True)
    return d, n, X, y, w, lam


def test_hessian_evaluates_at_both_precisions():
    x = sp.MatrixSymbol("x", 2, 1)
    f = Dot(x.T * x) ** 2
    v = np.array([[1.0], [2.0]])
    H = evaluate(hessian(f, x), Instance(values={x: v}))
    assert np.allclose(np.asarray(H, dtype=float), [[28, 16], [16, 52]], rtol=1e-6)
    mp = Backend("mp", dps=60)
    Hmp = evaluate(hessian(f, x), Instance(values={x: mp.array(v)}, backend=mp))
    assert abs(Hmp[0, 1] - 16) < 1e-20


def test_hessian_claims_are_proved_or_refuted():
    d, n, X, y, w, lam = _ridge()
    A = d.matrix("A", n, n)
    d.claim(hessian(Dot(w.T * A * w), w), "=", A + A.T, "right")
    d.claim(hessian(Dot(w.T * A * w), w), "=", 2 * A, "wrong")
    d.claim(hessian(Dot((X * w - y).T * (X * w - y)), w), "=", 2 * X.T * X, "gram")
    r = check(d, cache=False)
    assert r.step("right").verdict.value == "PROVED" and r.step("right").evidence.samples > 0
    assert r.step("wrong").verdict.value == "REFUTED"
    assert r.step("gram").verdict.value == "PROVED"


def test_hessian_prints_and_refuses_a_matrix_variable():
    n = sp.Symbol("n", integer=True, positive=True)
    w, W = sp.MatrixSymbol("w", n, 1), sp.MatrixSymbol("W", n, n)
    assert to_latex(hessian(Dot(w.T * w), w)) == r"\nabla^{2}_{\mathbf{w}} \mathbf{w}^{\top} \mathbf{w}"
    with pytest.raises(ValueError, match="column vector"):
        hessian(Dot(w.T * W * w), W)


def test_ridge_closed_form_is_proved_by_optimality_conditions():
    d, n, X, y, w, lam = _ridge()
    f = Dot((X * w - y).T * (X * w - y)) + lam * Dot(w.T * w)
    d.argmin(f, w, (X.T * X + lam * sp.Identity(n)).I * X.T * y, "closed form")
    d.argmin(f, w, (X.T * X + lam * sp.Identity(n)).I * X.T * y / 2, "half")
    d.argmin(f, w, (X.T * X + 2 * lam * sp.Identity(n)).I * X.T * y, "doubled penalty")
    r = check(d, cache=False)
    proof = r.step("closed form")
    assert proof.verdict.value == "PROVED"
    assert "first-order condition" in proof.evidence.method and "Gram" in proof.evidence.method
    for label in ("half", "doubled penalty"):  # a better point, both sides defined
        bad = r.step(label)
        assert bad.verdict.value == "REFUTED"
        assert bad.counterexample.lhs != "undefined" and bad.counterexample.rhs != "undefined"


def test_a_stationary_point_of_a_concave_objective_is_not_a_minimizer():
    d = Derivation("concave", review=True)
    x, c = d.scalar("x"), d.scalar("c")
    d.argmin(-(x - c) ** 2, x, c, "max")
    d.argmin((x - c) ** 2 + 3, x, c, "min")
    r = check(d, cache=False)
    assert r.step("max").verdict.value == "REFUTED"
    assert r.step("min").verdict.value == "PROVED"


def test_argmin_needs_a_declared_variable_and_a_scalar_objective():
    d, n, X, y, w, lam = _ridge()
    with pytest.raises(InvalidInputError, match="declared scalar or vector"):
        d.argmin(Dot(w.T * w), 2 * w, w, "1")
    with pytest.raises(InvalidInputError, match="must be a scalar"):
        d.argmin(X * w, w, w, "2")
