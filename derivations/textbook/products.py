"""Hadamard and Kronecker products, vec (The Matrix Cookbook, sections 8.1-8.3; quadratic forms, 2.4.2)."""

from symbolic import Dot, Grad, hadamard, kron, sp, vec

from ._corpus import textbook


@textbook("The Matrix Cookbook, section 8.3: the transpose of a Hadamard product", "a dropped transpose")
def hadamard_transpose(d, wrong):
    n = d.dim("n")
    A, B = d.matrix("A", n, n), d.matrix("B", n, n)
    d.claim(sp.HadamardProduct(A, B).T, "=", hadamard(A.T, B) if wrong else hadamard(A.T, B.T), "1")


@textbook("The Matrix Cookbook, section 8.3: Hadamard product distributes over sums", "a missing factor")
def hadamard_distributive(d, wrong):
    n = d.dim("n")
    A, B, C = d.matrix("A", n, n), d.matrix("B", n, n), d.matrix("C", n, n)
    d.claim(hadamard(A, B + C), "=", hadamard(B, A) + (C if wrong else hadamard(C, A)), "1")


@textbook("The Matrix Cookbook, eq. (511): the mixed product", "a swapped product")
def kronecker_mixed_product(d, wrong):
    n = d.dim("n")
    A, B, C, D = (d.matrix(s, n, n) for s in "ABCD")
    d.claim(kron(A, B) * kron(C, D), "=", kron(C * A if wrong else A * C, B * D), "1")


@textbook("The Matrix Cookbook, eq. (520)", "the Kronecker factors swapped")
def vec_of_product(d, wrong):
    n = d.dim("n")
    A, X, B = d.matrix("A", n, n), d.matrix("X", n, n), d.matrix("B", n, n)
    d.claim(vec(A * X * B), "=", (kron(A, B.T) if wrong else kron(B.T, A)) * vec(X), "1")


@textbook("The Matrix Cookbook, eq. (508)", "the Kronecker factors swapped")
def kronecker_transpose(d, wrong):
    n, m = d.dim("n"), d.dim("m")
    A, B = d.matrix("A", n, n), d.matrix("B", m, m)
    d.claim(sp.KroneckerProduct(A, B).T, "=", kron(B.T, A.T) if wrong else kron(A.T, B.T), "1")


@textbook("The Matrix Cookbook, eq. (513)", "a missing power")
def kronecker_determinant(d, wrong):
    n, m = d.dim("n"), d.dim("m")
    A, B = d.matrix("A", n, n), d.matrix("B", m, m)
    d.claim(kron(A, B).det(), "=", A.det() ** (1 if wrong else m) * B.det() ** n, "1")


@textbook("The Matrix Cookbook, eq. (77)", "a dropped term")
def gram_bilinear_gradient(d, wrong):
    n, m = d.dim("n"), d.dim("m")
    X, b, c = d.matrix("X", n, m), d.vector("b", m), d.vector("c", m)
    d.claim(Grad(Dot(b.T * X.T * X * c), X), "=", X * (b * c.T if wrong else b * c.T + c * b.T), "1")
