"""Softmax: its Jacobian, log-sum-exp's gradient and Hessian, cross-entropy, softmax regression, attention."""

from symbolic import DiagOf, Dot, Grad, Jac, OneHot, sp
from symbolic import elementwise, log_softmax, logsumexp, softmax

from ._corpus import textbook

__all__: list[str] = []


@textbook("Bishop, Pattern Recognition and Machine Learning, eq. (4.106)", "a flipped sign")
def softmax_jacobian(d, wrong):
    n = d.dim("n")
    z = d.vector("z", n)
    s = softmax(z)
    d.claim(Jac(s, z), "=", DiagOf(s) + s * s.T if wrong else DiagOf(s) - s * s.T, "1")


@textbook("Boyd and Vandenberghe, Convex Optimization, section 3.1.5", "exp instead of softmax (unnormalized)")
def logsumexp_gradient(d, wrong):
    n = d.dim("n")
    z = d.vector("z", n)
    d.claim(Grad(logsumexp(z), z), "=", elementwise(sp.exp, z) if wrong else softmax(z), "1")


@textbook("Boyd and Vandenberghe, Convex Optimization, section 3.1.5", "the term s s^T missing")
def logsumexp_hessian(d, wrong):
    n = d.dim("n")
    z = d.vector("z", n)
    s = softmax(z)
    d.claim(Jac(Grad(logsumexp(z), z), z), "=", DiagOf(s) if wrong else DiagOf(s) - s * s.T, "1")


@textbook("Goodfellow, Bengio, Courville, Deep Learning, section 6.2.2.3", "a flipped sign")
def log_softmax_identity(d, wrong):
    n = d.dim("n")
    z = d.vector("z", n)
    d.claim(log_softmax(z), "=", z + logsumexp(z) * sp.OneMatrix(n, 1) if wrong
            else z - logsumexp(z) * sp.OneMatrix(n, 1), "1")


@textbook("Goodfellow, Bengio, Courville, Deep Learning, eq. (6.33)", "a scaling instead of a shift")
def softmax_shift_invariance(d, wrong):
    n = d.dim("n")
    z, c = d.vector("z", n), d.scalar("c")
    d.claim(softmax(c * z if wrong else z + c * sp.OneMatrix(n, 1)), "=", softmax(z), "1")


@textbook("Bishop, Pattern Recognition and Machine Learning, eq. (4.109)", "a flipped sign")
def cross_entropy_gradient(d, wrong):
    n = d.dim("n")
    z, k = d.vector("z", n), d.index("k", upper=n - 1)
    loss = -Dot(OneHot(k, n).T * log_softmax(z))
    d.claim(Grad(loss, z), "=", OneHot(k, n) - softmax(z) if wrong else softmax(z) - OneHot(k, n), "1")


@textbook("Bishop, Pattern Recognition and Machine Learning, eq. (4.109)", "a missing term")
def softmax_regression_gradient(d, wrong):
    c, n = d.dim("c"), d.dim("n")
    W, x, k = d.matrix("W", c, n), d.vector("x", n), d.index("k", upper=c - 1)
    loss = -Dot(OneHot(k, c).T * log_softmax(W * x))
    d.claim(Grad(loss, W), "=", softmax(W * x) * x.T if wrong else (softmax(W * x) - OneHot(k, c)) * x.T, "1")


@textbook("Vaswani et al., Attention Is All You Need, eq. (1)", "a dropped transpose")
def attention_value_gradient(d, wrong):
    m, k, p = d.dim("m"), d.dim("k"), d.dim("p")
    Q, K, V = d.matrix("Q", m, k), d.matrix("K", m, k), d.matrix("V", m, p)
    a, b = d.vector("a", m), d.vector("b", p)
    A = softmax(Q * K.T / sp.sqrt(k))
    d.claim(Grad(Dot(a.T * A * V * b), V), "=", (A if wrong else A.T) * a * b.T, "1")


@textbook("Vaswani et al., Attention Is All You Need, eq. (1)", "a dropped transpose (columns for rows)")
def attention_rows_sum_to_one(d, wrong):
    m, k = d.dim("m"), d.dim("k")
    Q, K = d.matrix("Q", m, k), d.matrix("K", m, k)
    A = softmax(Q * K.T / sp.sqrt(k))
    d.claim((A.T if wrong else A) * sp.OneMatrix(m, 1), "=", sp.OneMatrix(m, 1), "1")
