"""Derivatives of traces (The Matrix Cookbook, section 2.5)."""

from symbolic import Grad, sp

from ._corpus import textbook


@textbook("The Matrix Cookbook, eq. (100)", "a dropped transpose")
def trace_of_product_gradient(d, wrong):
    n = d.dim("n")
    A, X = d.matrix("A", n, n), d.matrix("X", n, n)
    d.claim(Grad(sp.Trace(A * X), X), "=", A if wrong else A.T, "1")
