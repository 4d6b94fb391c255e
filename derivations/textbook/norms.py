"""Norms: squared norms as traces and inner products, their symmetries and gradients
(The Matrix Cookbook, sections 2.6 and 10.4; least squares and ridge regression)."""

from symbolic import Dot, Grad, norm, sp

from ._corpus import textbook


@textbook("The Matrix Cookbook, eq. (520): ||A||_F^2 = tr(A^T A)", "a dropped transpose")
def frobenius_as_trace(d, wrong):
    n = d.dim("n")
    A = d.matrix("A", n, n)
    d.claim(norm(A, "fro")**2, "=", sp.Trace(A * A) if wrong else sp.Trace(A.T * A), "1")


@textbook("Squared Euclidean norm as an inner product: ||A x||^2 = x^T A^T A x", "a dropped transpose")
def squared_norm_as_quadratic_form(d, wrong):
    n = d.dim("n")
    A, x = d.matrix("A", n, n), d.vector("x", n)
    d.claim(norm(A * x)**2, "=", Dot(x.T * A * A * x) if wrong else Dot(x.T * A.T * A * x), "1")


@textbook("Absolute homogeneity of a norm: ||c A||_F = |c| ||A||_F", "a missing absolute value")
def norm_homogeneity(d, wrong):
    n, c = d.dim("n"), d.scalar("c")
    A = d.matrix("A", n, n)
    d.claim(norm(c * A, "fro"), "=", (c if wrong else sp.Abs(c)) * norm(A, "fro"), "1")


@textbook("Transposition keeps the spectral norm: ||A^T||_2 = ||A||_2", "the Frobenius norm for the spectral one")
def spectral_norm_of_transpose(d, wrong):
    m, n = d.dim("m"), d.dim("n")
    A = d.matrix("A", m, n)
    d.claim(norm(A.T), "=", norm(A, "fro") if wrong else norm(A), "1")


@textbook("The Frobenius norm of a product: ||A B||_F = sqrt(tr(B^T A^T A B))",
          "the norm of a product as the product of the norms")
def norm_of_product(d, wrong):
    n = d.dim("n")
    A, B = d.matrix("A", n, n), d.matrix("B", n, n)
    rhs = norm(A, "fro") * norm(B, "fro") if wrong else sp.sqrt(sp.Trace(B.T * A.T * A * B))
    d.claim(norm(A * B, "fro"), "=", rhs, "1")


@textbook("The Matrix Cookbook, eq. (131): d||x||^2/dx = 2x", "a missing factor 2")
def norm_squared_gradient(d, wrong):
    n = d.dim("n")
    x = d.vector("x", n)
    d.claim(Grad(norm(x)**2, x), "=", x if wrong else 2 * x, "1")


@textbook("Least squares: d||A x - b||^2/dx = 2 A^T (A x - b)", "a dropped transpose")
def least_squares_gradient_of_norm(d, wrong):
    n = d.dim("n")
    A, x, b = d.matrix("A", n, n), d.vector("x", n), d.vector("b", n)
    d.claim(Grad(norm(A * x - b)**2, x), "=", 2 * (A if wrong else A.T) * (A * x - b), "1")


@textbook("Ridge regression: d(||A x - b||^2 + lam ||x||^2)/dx = 2 A^T (A x - b) + 2 lam x",
          "a missing factor 2 on the penalty")
def ridge_gradient_of_norms(d, wrong):
    n, lam = d.dim("n"), d.scalar("lam", positive=True)
    A, x, b = d.matrix("A", n, n), d.vector("x", n), d.vector("b", n)
    loss = norm(A * x - b)**2 + lam * norm(x)**2
    d.claim(Grad(loss, x), "=", 2 * A.T * (A * x - b) + (1 if wrong else 2) * lam * x, "1")


@textbook("The Matrix Cookbook, eq. (122): d||X||_F^2/dX = 2X", "a missing factor 2")
def frobenius_gradient(d, wrong):
    n = d.dim("n")
    X = d.matrix("X", n, n)
    d.claim(Grad(norm(X, "fro")**2, X), "=", X if wrong else 2 * X, "1")


@textbook("Matrix least squares: d||A X - B||_F^2/dX = 2 A^T (A X - B)", "a dropped transpose")
def matrix_least_squares_gradient(d, wrong):
    n = d.dim("n")
    A, X, B = d.matrix("A", n, n), d.matrix("X", n, n), d.matrix("B", n, n)
    d.claim(Grad(norm(A * X - B, "fro")**2, X), "=", 2 * (A if wrong else A.T) * (A * X - B), "1")


@textbook("Gradient of the Euclidean norm: d||x||/dx = x/||x|| (x != 0)", "a dropped square root: x/||x||^2")
def norm_gradient(d, wrong):
    n = d.dim("n")
    x = d.vector("x", n)
    d.claim(Grad(norm(x), x), "=", x / norm(x)**(2 if wrong else 1), "1")
