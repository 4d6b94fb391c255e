"""Symbolic proofs added for the textbook corpus: matrix-differential gradients, softmax rows, AM-GM, tanh, norms."""

import pytest
import sympy as sp

from symbolic import Derivation, Grad, check, logdet
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
