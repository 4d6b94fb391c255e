"""Symbolic proofs added for the textbook corpus: matrix-differential gradients, softmax rows, AM-GM, tanh, norms."""

import pytest
import sympy as sp

from symbolic import Derivation, Dot, Grad, check, logdet, norm, sigmoid, softmax
from symbolic.algebra.matgrad import NoGradient, dual, matrix_gradient


def _verdict(build):
    d = Derivation("proofs_demo")
    build(d)
    s = check(d, cache=False).steps[0]
    return s.verdict.value, (s.evidence.method if s.evidence else s.reason)


def _det(wrong):
    def build(d):
        n = d.dim("n")
        X = d.matrix("X", n, n, kinds=["invertible"])
        d.claim(Grad(X.det(), X), "=", X.det() * (X.inverse() if wrong else X.inverse().T), "1")
    return build


def _sandwich(wrong):
    def build(d):
        n = d.dim("n")
        A, B, X = (d.matrix(s, n, n, kinds=["invertible"]) for s in "ABX")
        Y = sp.Determinant(A * X * B)
        d.claim(Grad(Y, X), "=", Y * (X.inverse() if wrong else X.inverse().T), "1")
    return build


def _logabs(wrong):
    def build(d):
        n = d.dim("n")
        X = d.matrix("X", n, n, kinds=["invertible"])
        d.claim(Grad(3 * sp.log(sp.Abs(X.det())), X), "=", 3 * (X.inverse() if wrong else X.inverse().T), "1")
    return build


def _logdet(wrong):
    def build(d):
        n = d.dim("n")
        S = d.matrix("S", n, n, kinds=["spd"])
        d.claim(Grad(logdet(S), S), "=", S if wrong else S.inverse(), "1")
    return build


@pytest.mark.parametrize("claim", [_det, _sandwich, _logabs, _logdet])
def test_determinant_gradients_are_proved_by_the_matrix_differential(claim):
    v, how = _verdict(claim(False))
    assert v == "PROVED" and "chain rule" in how
    assert _verdict(claim(True))[0] == "REFUTED"


def test_dual_needs_the_variable_once_per_term():
    n = sp.Symbol("n", integer=True, positive=True)
    X, A = sp.MatrixSymbol("X", n, n), sp.MatrixSymbol("A", n, n)
    with pytest.raises(NoGradient):
        dual(X.T * A * X, X, sp.Identity(n))
    with pytest.raises(NoGradient):  # X inside an inverse: no rule here
        matrix_gradient(sp.Trace(X.inverse()), X)
    assert matrix_gradient(sp.Trace(A * X.T), X) == A


def test_norm_gradient_by_the_chain_rule_and_through_an_affine_map():
    def plain(wrong):
        def build(d):
            x = d.vector("x", d.dim("n"))
            d.claim(Grad(norm(x), x), "=", x / norm(x) ** (2 if wrong else 1), "1")
        return build

    def affine(wrong):
        def build(d):
            m, n = d.dim("m"), d.dim("n")
            A, x, b = d.matrix("A", m, n), d.vector("x", n), d.vector("b", m)
            r = A * x - b
            d.claim(Grad(norm(r), x), "=", (r.T * A).T / norm(r) if not wrong else A.T * r, "1")
        return build

    for claim in (plain, affine):
        v, how = _verdict(claim(False))
        assert v == "PROVED" and "chain rule" in how
        assert _verdict(claim(True))[0] == "REFUTED"


def test_softmax_rows_sum_to_one():
    def rows(wrong):
        def build(d):
            m, k = d.dim("m"), d.dim("k")
            Q, K = d.matrix("Q", m, k), d.matrix("K", m, k)
            P = softmax(Q * K.T)
            d.claim((P.T if wrong else P) * sp.OneMatrix(m, 1) * 3, "=", 3 * sp.OneMatrix(m, 1), "1")
        return build

    for claim in (rows,):
        v, how = _verdict(claim(False))
        assert v == "PROVED" and "softmax rows sum to one" in how
        assert _verdict(claim(True))[0] == "REFUTED"


def test_am_gm_by_squaring_non_negative_sides_and_not_without_signs():
    def build_for(kw, rel):
        def build(d):
            a, b = d.scalar("a", **kw), d.scalar("b", **kw)
            d.claim(sp.sqrt(a * b), rel, (a + b) / 2, "1")
        return build

    v, how = _verdict(build_for(dict(positive=True), "<="))
    assert v == "PROVED" and "squares of non-negative sides" in how
    assert _verdict(build_for(dict(positive=True), ">="))[0] == "REFUTED"
    # unsigned a, b: the side condition (both sides non-negative) fails, the lemma is not applied
    v, how = _verdict(build_for({}, "<="))
    assert v != "PROVED"


def test_tanh_from_sigmoid_by_the_second_form_of_the_sigmoid_definition():
    def build_for(wrong):
        def build(d):
            x = d.scalar("x")
            d.claim(3 * sp.tanh(x / 2), "=", 3 * (2 * sigmoid(x if not wrong else x / 2) - 1), "1")
        return build

    v, how = _verdict(build_for(False))
    assert v == "PROVED" and "sigmoid as tanh" in how
    assert _verdict(build_for(True))[0] == "REFUTED"
