"""Quadratic objectives f(w) = 1/2 w^T A w - b^T w: gradient, Newton step, Taylor, minimum; and the bounds
of Cauchy-Schwarz and the Rayleigh quotient (PCA)."""

from symbolic import Dot, Grad, LambdaMax, Norm, sp

from ._corpus import textbook


@textbook("Gradient of the quadratic 1/2 w^T A w - b^T w, A symmetric", "a flipped sign (A w + b)")
def quadratic_gradient(d, wrong):
    n = d.dim("n")
    A, b, w = d.matrix("A", n, n, kinds=["symmetric"]), d.vector("b", n), d.vector("w", n)
    d.claim(Grad(Dot(w.T * A * w) / 2 - Dot(b.T * w), w), "=", A * w + b if wrong else A * w - b, "1")


@textbook("Newton's method: one step w - A^{-1} (A w - b) reaches the minimizer A^{-1} b of a quadratic",
          "a flipped sign (a step along the gradient)")
def newton_step_quadratic(d, wrong):
    n = d.dim("n")
    A, b, w = d.matrix("A", n, n, kinds=["spd"]), d.vector("b", n), d.vector("w", n)
    step = A.inv() * (A * w - b)
    d.claim(w + step if wrong else w - step, "=", A.inv() * b, "1")


@textbook("Taylor's expansion of a quadratic is exact at second order", "a missing factor 1/2")
def quadratic_taylor_exact(d, wrong):
    n = d.dim("n")
    A, b = d.matrix("A", n, n, kinds=["symmetric"]), d.vector("b", n)
    w, h = d.vector("w", n), d.vector("h", n)
    f = lambda v: Dot(v.T * A * v) / 2 - Dot(b.T * v)
    d.claim(f(w + h), "=", f(w) + Dot((A * w - b).T * h) + Dot(h.T * A * h) / (1 if wrong else 2), "1")


@textbook("Minimum value of the quadratic: f(A^{-1} b) = -1/2 b^T A^{-1} b", "a flipped sign")
def quadratic_minimum_value(d, wrong):
    n = d.dim("n")
    A, b = d.matrix("A", n, n, kinds=["spd"]), d.vector("b", n)
    w = A.inv() * b
    d.claim(Dot(w.T * A * w) / 2 - Dot(b.T * w), "=", (1 if wrong else -1) * Dot(b.T * A.inv() * b) / 2, "1")


@textbook("Completing the square: x^T A x - 2 b^T x = (x - A^{-1} b)^T A (x - A^{-1} b) - b^T A^{-1} b",
          "a flipped sign of the constant")
def completing_the_square(d, wrong):
    n = d.dim("n")
    A, b, x = d.matrix("A", n, n, kinds=["spd"]), d.vector("b", n), d.vector("x", n)
    z = x - A.inv() * b
    c = Dot(b.T * A.inv() * b)
    d.claim(Dot(x.T * A * x) - 2 * Dot(b.T * x), "=", Dot(z.T * A * z) + (c if wrong else -c), "1")


@textbook("Cauchy-Schwarz: (a^T x)^2 <= ||a||^2 ||x||^2 and a^T x <= ||a|| ||x||", "a flipped inequality")
def cauchy_schwarz(d, wrong):
    n = d.dim("n")
    a, x = d.vector("a", n), d.vector("x", n)
    rel = ">=" if wrong else "<="
    d.claim(Dot(a.T * x)**2, rel, Dot(a.T * a) * Dot(x.T * x), "squared")
    d.claim(Dot(a.T * x), rel, Norm(a) * Norm(x), "norms")


@textbook("PCA: the Rayleigh quotient is at most the largest eigenvalue, u^T S u <= lambda_1(S) for unit u",
          "a flipped inequality")
def rayleigh_quotient_bound(d, wrong):
    n = d.dim("n")
    S, u = d.matrix("S", n, n, kinds=["symmetric"]), d.vector("u", n)
    d.claim(Dot(u.T * S * u), ">=" if wrong else "<=", LambdaMax(S) * Dot(u.T * u), "1")
