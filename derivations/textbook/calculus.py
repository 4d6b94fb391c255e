"""Gradients of linear and quadratic forms, and the chain rule through a linear layer.

The Matrix Cookbook (section 2.4) and the backward pass of a dense layer.
"""

from symbolic import Dot, Grad, sp

from ._corpus import textbook


@textbook("The Matrix Cookbook, eq. (69)", "a flipped sign")
def linear_form_gradient(d, wrong):
    n = d.dim("n")
    a, x = d.vector("a", n), d.vector("x", n)
    d.claim(Grad(Dot(a.T * x), x), "=", -a if wrong else a, "1")


@textbook("The Matrix Cookbook, eq. (81) with A = I", "a missing factor 2")
def squared_norm_gradient(d, wrong):
    n = d.dim("n")
    x = d.vector("x", n)
    d.claim(Grad(Dot(x.T * x), x), "=", x if wrong else 2 * x, "1")


@textbook("The Matrix Cookbook, eq. (81)", "a dropped transpose (2 A x holds for a symmetric A only)")
def quadratic_form_gradient(d, wrong):
    n = d.dim("n")
    A, x = d.matrix("A", n, n), d.vector("x", n)
    d.claim(Grad(Dot(x.T * A * x), x), "=", 2 * A * x if wrong else (A + A.T) * x, "1")


@textbook("The Matrix Cookbook, eq. (81), A symmetric", "a missing factor 2")
def symmetric_quadratic_form_gradient(d, wrong):
    n = d.dim("n")
    A, x = d.matrix("A", n, n, kinds=["symmetric"]), d.vector("x", n)
    d.claim(Grad(Dot(x.T * A * x), x), "=", A * x if wrong else 2 * A * x, "1")


@textbook("The Matrix Cookbook, eq. (70)", "a swapped product (b a^T)")
def bilinear_form_gradient(d, wrong):
    n = d.dim("n")
    a, b, X = d.vector("a", n), d.vector("b", n), d.matrix("X", n, n)
    d.claim(Grad(Dot(a.T * X * b), X), "=", b * a.T if wrong else a * b.T, "1")


@textbook("Backpropagation through z = W x + b with the loss 1/2 ||z - y||^2",
          "a dropped transpose (W instead of W^T) and a swapped outer product")
def linear_layer_backward(d, wrong):
    n = d.dim("n")
    W, x, b, y = d.matrix("W", n, n), d.vector("x", n), d.vector("b", n), d.vector("y", n)
    r = W * x + b - y
    d.claim(Grad(Dot(r.T * r) / 2, x), "=", W * r if wrong else W.T * r, "dx")
    d.claim(Grad(Dot(r.T * r) / 2, W), "=", x * r.T if wrong else r * x.T, "dW")
    d.claim(Grad(Dot(r.T * r) / 2, b), "=", r, "db")
