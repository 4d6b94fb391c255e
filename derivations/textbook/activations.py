"""Activations: derivatives of sigmoid, tanh, softplus and GELU, logistic regression's gradient and Hessian."""

from symbolic import DiagOf, Dot, Grad, Jac, sp
from symbolic import gelu, sigmoid, softplus

from ._corpus import textbook

__all__: list[str] = []


@textbook("Bishop, Pattern Recognition and Machine Learning, eq. (4.88)", "the factor (1 - sigma) missing")
def sigmoid_derivative(d, wrong):
    x = d.scalar("x")
    d.claim(sp.Derivative(sigmoid(x), x), "=", sigmoid(x) if wrong else sigmoid(x) * (1 - sigmoid(x)), "1")


@textbook("Goodfellow, Bengio, Courville, Deep Learning, section 6.3.3", "a flipped sign")
def tanh_derivative(d, wrong):
    x = d.scalar("x")
    d.claim(sp.Derivative(sp.tanh(x), x), "=", 1 + sp.tanh(x) ** 2 if wrong else 1 - sp.tanh(x) ** 2, "1")


@textbook("Goodfellow, Bengio, Courville, Deep Learning, eq. (3.31)", "a flipped sign")
def softplus_derivative(d, wrong):
    x = d.scalar("x")
    s = d.elementwise("softplus", lambda z: sp.log(1 + sp.exp(z)))
    d.claim(sp.Derivative(s(x), x), "=", sigmoid(-x) if wrong else sigmoid(x), "1")


@textbook("Hendrycks and Gimpel, Gaussian Error Linear Units, section 2", "a missing term")
def gelu_derivative(d, wrong):
    x = d.scalar("x")
    Phi = (1 + sp.erf(x / sp.sqrt(2))) / 2
    phi = sp.exp(-x ** 2 / 2) / sp.sqrt(2 * sp.pi)
    d.claim(sp.Derivative(gelu(x), x), "=", Phi if wrong else Phi + x * phi, "1")


@textbook("Bishop, Pattern Recognition and Machine Learning, eq. (4.60)", "a flipped sign")
def sigmoid_symmetry(d, wrong):
    x = d.scalar("x")
    d.claim(sigmoid(-x), "=", sigmoid(x) - 1 if wrong else 1 - sigmoid(x), "1")


@textbook("Goodfellow, Bengio, Courville, Deep Learning, eq. (6.3.2)", "a missing factor 2")
def tanh_from_sigmoid(d, wrong):
    x = d.scalar("x")
    d.claim(sp.tanh(x), "=", 2 * sigmoid(x if wrong else 2 * x) - 1, "1")


@textbook("Murphy, Machine Learning: a Probabilistic Perspective, eq. (8.5)", "a flipped sign")
def logistic_loss_derivative(d, wrong):
    z, y = d.scalar("z"), d.scalar("y", interval="[0, 1]")
    loss = -y * sp.log(sigmoid(z)) - (1 - y) * sp.log(1 - sigmoid(z))
    d.claim(sp.Derivative(loss, z), "=", y - sigmoid(z) if wrong else sigmoid(z) - y, "1")


@textbook("Murphy, Machine Learning: a Probabilistic Perspective, eq. (8.5)", "a flipped sign")
def logistic_regression_gradient(d, wrong):
    m, n = d.dim("m"), d.dim("n")
    X, w, y = d.matrix("X", m, n), d.vector("w", n), d.vector("y", m)
    loss = Dot(sp.OneMatrix(1, m) * softplus(X * w)) - Dot(y.T * X * w)
    d.claim(Grad(loss, w), "=", X.T * (y - sigmoid(X * w)) if wrong else X.T * (sigmoid(X * w) - y), "1")


@textbook("Murphy, Machine Learning: a Probabilistic Perspective, eq. (8.7)", "the factor (1 - sigma) missing")
def logistic_regression_hessian(d, wrong):
    m, n = d.dim("m"), d.dim("n")
    X, w, y = d.matrix("X", m, n), d.vector("w", n), d.vector("y", m)
    s = sigmoid if wrong else sigmoid.prime
    d.claim(Jac(X.T * (sigmoid(X * w) - y), w), "=", X.T * DiagOf(s(X * w)) * X, "1")


@textbook("Goodfellow, Bengio, Courville, Deep Learning, section 6.2.2.2", "a flipped sign")
def softplus_layer_weight_gradient(d, wrong):
    m, n = d.dim("m"), d.dim("n")
    X, w = d.matrix("X", m, n), d.vector("w", n)
    d.claim(Grad(Dot(sp.OneMatrix(1, m) * softplus(X * w)), X), "=", sigmoid(-X * w if wrong else X * w) * w.T, "1")
