"""Determinants and log-determinants (The Matrix Cookbook, sections 1.2 and 2.1.1)."""

from symbolic import Grad, logdet, sp

from ._corpus import textbook


@textbook("The Matrix Cookbook, eq. (18)", "a sum for a product")
def determinant_of_product(d, wrong):
    n = d.dim("n")
    A, B = d.matrix("A", n, n), d.matrix("B", n, n)
    d.claim((A * B).det(), "=", A.det() + B.det() if wrong else A.det() * B.det(), "1")


@textbook("The Matrix Cookbook, eq. (17)", "a missing power")
def determinant_of_multiple(d, wrong):
    n = d.dim("n")
    A, c = d.matrix("A", n, n), d.scalar("c")
    d.claim(sp.Determinant(c * A.T), "=", (c if wrong else c**n) * A.det(), "1")


@textbook("The Matrix Cookbook, eq. (19)", "a dropped reciprocal")
def determinant_of_inverse(d, wrong):
    n = d.dim("n")
    X = d.matrix("X", n, n, kinds=["invertible"])
    d.claim(sp.det(X.inverse()), "=", X.det() if wrong else 1 / X.det(), "1")


@textbook("The Matrix Cookbook, eq. (49)", "a dropped transpose")
def determinant_gradient(d, wrong):
    n = d.dim("n")
    X = d.matrix("X", n, n, kinds=["invertible"])
    d.claim(Grad(X.det(), X), "=", X.det() * (X.inverse() if wrong else X.inverse().T), "1")


@textbook("The Matrix Cookbook, eq. (57)", "a dropped transpose")
def log_abs_determinant_gradient(d, wrong):
    n = d.dim("n")
    X = d.matrix("X", n, n, kinds=["invertible"])
    d.claim(Grad(sp.log(sp.Abs(X.det())), X), "=", X.inverse() if wrong else X.inverse().T, "1")


@textbook("The Matrix Cookbook, eq. (51)", "a dropped transpose")
def determinant_of_sandwich_gradient(d, wrong):
    n = d.dim("n")
    A, B = d.matrix("A", n, n, kinds=["invertible"]), d.matrix("B", n, n, kinds=["invertible"])
    X = d.matrix("X", n, n, kinds=["invertible"])
    Y = sp.Determinant(A * X * B)
    d.claim(Grad(Y, X), "=", Y * (X.inverse() if wrong else X.inverse().T), "1")


@textbook("log det of a product of positive-definite matrices", "a flipped sign")
def logdet_of_product(d, wrong):
    n = d.dim("n")
    S, T = d.matrix("S", n, n, kinds=["spd"]), d.matrix("T", n, n, kinds=["spd"])
    d.claim(logdet(S * T), "=", logdet(S) - logdet(T) if wrong else logdet(S) + logdet(T), "1")


@textbook("log det of an inverse", "a dropped sign")
def logdet_of_inverse(d, wrong):
    n = d.dim("n")
    S = d.matrix("S", n, n, kinds=["spd"])
    d.claim(logdet(S.inverse()), "=", logdet(S) if wrong else -logdet(S), "1")


@textbook("The Matrix Cookbook, eq. (57), positive-definite case", "the matrix for its inverse")
def logdet_gradient(d, wrong):
    n = d.dim("n")
    S = d.matrix("S", n, n, kinds=["spd"])
    d.claim(Grad(logdet(S), S), "=", S if wrong else S.inverse(), "1")
