"""Inverses (The Matrix Cookbook, sections 3.2 and 2.2)."""

from symbolic import Dot, Grad, sp

from ._corpus import textbook


@textbook("The Matrix Cookbook, eq. (145)", "the factors in the wrong order")
def inverse_of_product(d, wrong):
    n = d.dim("n")
    A, B = d.matrix("A", n, n, kinds=["invertible"]), d.matrix("B", n, n, kinds=["invertible"])
    Ai, Bi = A.inverse(), B.inverse()
    d.claim((A * B).inverse(), "=", Ai * Bi if wrong else Bi * Ai, "1")


@textbook("The Matrix Cookbook, eq. (160): Sherman-Morrison", "a flipped sign in the denominator")
def sherman_morrison(d, wrong):
    n = d.dim("n")
    A, u, v = d.matrix("A", n, n, kinds=["invertible"]), d.vector("u", n), d.vector("v", n)
    Ai = A.inverse()
    denom = 1 - Dot(v.T * Ai * u) if wrong else 1 + Dot(v.T * Ai * u)
    d.claim((A + u * v.T).inverse(), "=", Ai - Ai * u * v.T * Ai / denom, "1")


@textbook("The Matrix Cookbook, eq. (156): Woodbury", "a flipped sign")
def woodbury_identity(d, wrong):
    n, k = d.dim("n"), d.dim("k")
    A, C = d.matrix("A", n, n, kinds=["invertible"]), d.matrix("C", k, k, kinds=["invertible"])
    U, V = d.matrix("U", n, k), d.matrix("V", k, n)
    Ai = A.inverse()
    core = (C.inverse() + V * Ai * U).inverse()
    d.claim((A + U * C * V).inverse(), "=", Ai + Ai * U * core * V * Ai if wrong else Ai - Ai * U * core * V * Ai, "1")


@textbook("The Matrix Cookbook, eq. (61)", "a dropped sign")
def bilinear_inverse_gradient(d, wrong):
    n = d.dim("n")
    X, a, b = d.matrix("X", n, n, kinds=["invertible"]), d.vector("a", n), d.vector("b", n)
    Xit = X.inverse().T
    d.claim(Grad(Dot(a.T * X.inverse() * b), X), "=", (1 if wrong else -1) * Xit * a * b.T * Xit, "1")


@textbook("The Matrix Cookbook, eq. (63)", "a dropped transpose")
def trace_of_inverse_sandwich_gradient(d, wrong):
    n = d.dim("n")
    A, B, X = d.matrix("A", n, n), d.matrix("B", n, n), d.matrix("X", n, n, kinds=["invertible"])
    Xi = X.inverse()
    G = Xi * B * A * Xi
    d.claim(Grad(sp.Trace(A * Xi * B), X), "=", -G if wrong else -G.T, "1")


@textbook("The Matrix Cookbook, eq. (148)", "a dropped transpose")
def inverse_of_transpose(d, wrong):
    n = d.dim("n")
    A = d.matrix("A", n, n, kinds=["invertible"])
    d.claim(A.T.inverse(), "=", A.inverse() if wrong else A.inverse().T, "1")
