"""Derivatives of traces (The Matrix Cookbook, section 2.5)."""

from symbolic import Grad, sp

from ._corpus import textbook


@textbook("The Matrix Cookbook, eq. (100)", "a dropped transpose")
def trace_of_product_gradient(d, wrong):
    n = d.dim("n")
    A, X = d.matrix("A", n, n), d.matrix("X", n, n)
    d.claim(Grad(sp.Trace(A * X), X), "=", A if wrong else A.T, "1")


@textbook("The Matrix Cookbook, eq. (102)", "a swapped product")
def trace_of_sandwich_gradient(d, wrong):
    n = d.dim("n")
    A, X, B = d.matrix("A", n, n), d.matrix("X", n, n), d.matrix("B", n, n)
    d.claim(Grad(sp.Trace(A * X * B), X), "=", B.T * A.T if wrong else A.T * B.T, "1")


@textbook("The Matrix Cookbook, eq. (117)", "a dropped term")
def trace_of_quadratic_gradient(d, wrong):
    n = d.dim("n")
    A, X = d.matrix("A", n, n), d.matrix("X", n, n)
    d.claim(Grad(sp.Trace(X.T * A * X), X), "=", A * X if wrong else (A + A.T) * X, "1")


@textbook("The Matrix Cookbook, eq. (116)", "a swapped product")
def trace_of_outer_quadratic_gradient(d, wrong):
    n = d.dim("n")
    A, X = d.matrix("A", n, n), d.matrix("X", n, n)
    d.claim(Grad(sp.Trace(X * A * X.T), X), "=", (A + A.T) * X if wrong else X * (A + A.T), "1")


@textbook("The Matrix Cookbook, eq. (113)", "a flipped sign")
def trace_of_inverse_gradient(d, wrong):
    n = d.dim("n")
    A, X = d.matrix("A", n, n), d.matrix("X", n, n, kinds=["invertible"])
    Xi = X.inverse()
    d.claim(Grad(sp.Trace(Xi * A), X), "=", (1 if wrong else -1) * (Xi * A * Xi).T, "1")


@textbook("The Matrix Cookbook, eq. (103)", "a missing factor")
def trace_of_gram_gradient(d, wrong):
    n, m = d.dim("n"), d.dim("m")
    X = d.matrix("X", n, m)
    d.claim(Grad(sp.Trace(X.T * X), X), "=", X if wrong else 2 * X, "1")


@textbook("The Matrix Cookbook, eq. (16)", "a non-cyclic permutation")
def trace_cyclic_permutation(d, wrong):
    n = d.dim("n")
    A, B, C = d.matrix("A", n, n), d.matrix("B", n, n), d.matrix("C", n, n)
    d.claim(sp.Trace(A * B * C), "=", sp.Trace(B * A * C) if wrong else sp.Trace(C * A * B), "1")


@textbook("The Matrix Cookbook, eq. (11): the trace as a sum of entries", "an off-diagonal entry")
def trace_as_sum_of_entries(d, wrong):
    n = d.dim("n")
    A, i = d.matrix("A", n, n), d.index("i")
    d.claim(sp.Trace(A), "=", sp.Sum(A[i, 0] if wrong else A[i, i], (i, 0, n - 1)), "1")
