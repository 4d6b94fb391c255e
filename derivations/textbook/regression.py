"""Least squares and ridge regression: gradients, normal equations, closed forms."""

from symbolic import Dot, Grad, sp

from ._corpus import textbook


@textbook("Least squares: the gradient of 1/2 ||X w - y||^2", "the factor 1/2 kept in the gradient")
def least_squares_gradient(d, wrong):
    m, n = d.dim("m"), d.dim("n")
    X, y, w = d.matrix("X", m, n), d.vector("y", m), d.vector("w", n)
    r = X * w - y
    d.claim(Grad(Dot(r.T * r) / 2, w), "=", X.T * r / 2 if wrong else X.T * r, "1")


@textbook("Least squares: w* = (X^T X)^{-1} X^T y solves the normal equations X^T (X w - y) = 0",
          "a flipped sign in the residual")
def least_squares_normal_equations(d, wrong):
    n, k = d.dim("n"), d.dim("k")  # X has n + k > n rows: full column rank
    X, y = d.matrix("X", n + k, n), d.vector("y", n + k)
    w = (X.T * X).inv() * X.T * y
    r = X * w + y if wrong else X * w - y
    d.claim(X.T * r, "=", sp.ZeroMatrix(n, 1), "1")


@textbook("Weighted least squares: the gradient of (X w - y)^T C (X w - y)",
          "a dropped transpose (2 X^T C r holds for a symmetric C only)")
def weighted_least_squares_gradient(d, wrong):
    m, n = d.dim("m"), d.dim("n")
    X, y, w, C = d.matrix("X", m, n), d.vector("y", m), d.vector("w", n), d.matrix("C", m, m)
    r = X * w - y
    d.claim(Grad(Dot(r.T * C * r), w), "=", 2 * X.T * C * r if wrong else X.T * (C + C.T) * r, "1")


@textbook("Ridge regression: the gradient of 1/2 ||X w - y||^2 + lambda/2 ||w||^2",
          "a missing factor 1/2 (2 lambda w)")
def ridge_gradient(d, wrong):
    m, n = d.dim("m"), d.dim("n")
    lam = d.scalar("lambda", positive=True, latex=r"\lambda")
    X, y, w = d.matrix("X", m, n), d.vector("y", m), d.vector("w", n)
    r = X * w - y
    d.claim(Grad(Dot(r.T * r) / 2 + lam / 2 * Dot(w.T * w), w), "=", X.T * r + (2 if wrong else 1) * lam * w, "1")


@textbook("Ridge regression: w* = (X^T X + lambda I)^{-1} X^T y solves (X^T X + lambda I) w = X^T y",
          "a flipped sign (X^T X - lambda I)")
def ridge_closed_form(d, wrong):
    m, n = d.dim("m"), d.dim("n")
    lam = d.scalar("lambda", positive=True, latex=r"\lambda")
    X, y, I = d.matrix("X", m, n), d.vector("y", m), sp.Identity(n)
    w = (X.T * X + (-lam if wrong else lam) * I).inv() * X.T * y
    d.claim((X.T * X + lam * I) * w, "=", X.T * y, "1")
