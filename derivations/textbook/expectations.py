"""Expectations of random vectors and scalars (The Matrix Cookbook, section 8; Bishop, PRML, ch. 2)."""

from symbolic import Cov, Dot, Expect, MatExpect, Norm, Var, sp

from ._corpus import textbook


@textbook("The Matrix Cookbook, eq. (318)", "a missing trace term")
def quadratic_form_expectation(d, wrong):
    n = d.dim("n")
    A, S = d.matrix("A", n, n), d.matrix("S", n, n, kinds=["psd"])
    mu = d.vector("mu", n)
    x = d.gaussian("x", n, mean=mu, cov=S)
    rhs = Dot(mu.T * A * mu) + (0 if wrong else sp.Trace(A * S))
    d.claim(Expect(Dot(x.T * A * x)), "=", rhs, "1")


@textbook("The Matrix Cookbook, eq. (314)", "a dropped mean term")
def second_moment(d, wrong):
    n = d.dim("n")
    S, mu = d.matrix("S", n, n, kinds=["psd"]), d.vector("mu", n)
    x = d.gaussian("x", n, mean=mu, cov=S)
    d.claim(MatExpect(x * x.T), "=", S if wrong else S + mu * mu.T, "1")


@textbook("Bishop, PRML, eq. (2.291)", "a dropped transpose: a^T S^T S a instead of a^T S a")
def linear_form_variance(d, wrong):
    n = d.dim("n")
    S, mu, a = d.matrix("S", n, n, kinds=["psd"]), d.vector("mu", n), d.vector("a", n)
    x = d.gaussian("x", n, mean=mu, cov=S)
    d.claim(Var(Dot(a.T * x)), "=", Dot(a.T * S.T * S * a) if wrong else Dot(a.T * S * a), "1")


@textbook("Bishop, PRML, section 1.2.2", "the variance without the square of the scale")
def affine_variance(d, wrong):
    c, b, mu = d.scalar("c"), d.scalar("b"), d.scalar("mu")
    s2 = d.scalar("sigma2", positive=True, latex=r"\sigma^{2}")
    z = d.gaussian_scalar("z", mean=mu, var=s2)
    d.claim(Var(c * z + b), "=", (c if wrong else c**2) * s2, "1")


@textbook("Bishop, PRML, eq. (1.40)", "a flipped sign: Var(z - w) = Var z - Var w")
def independent_variance(d, wrong):
    s, t = d.scalar("s", positive=True), d.scalar("t", positive=True)
    z, w = d.gaussian_scalar("z", var=s), d.gaussian_scalar("w", var=t)
    d.claim(Var(z - w), "=", s - t if wrong else s + t, "1")


@textbook("The Matrix Cookbook, eq. (319)", "a dropped variance term in the bias-variance split")
def squared_error_decomposition(d, wrong):
    n = d.dim("n")
    S, mu, w = d.matrix("S", n, n, kinds=["psd"]), d.vector("mu", n), d.vector("w", n)
    y = d.scalar("y")
    x = d.gaussian("x", n, mean=mu, cov=S)
    rhs = (Dot(w.T * mu) - y)**2 + (0 if wrong else Dot(w.T * S * w))
    d.claim(Expect((Dot(w.T * x) - y)**2), "=", rhs, "1")


@textbook("Isserlis (1918); Gaussian fourth moment", "a missing factor 3 (the pairings of four)")
def gaussian_fourth_moment(d, wrong):
    s2 = d.scalar("sigma2", positive=True, latex=r"\sigma^{2}")
    z = d.gaussian_scalar("z", mean=0, var=s2)
    d.claim(Expect(z**4), "=", (1 if wrong else 3) * s2**2, "1")


@textbook("The Matrix Cookbook, eq. (321) (Isserlis)", "a missing trace term")
def gaussian_quartic_form(d, wrong):
    n = d.dim("n")
    S = d.matrix("S", n, n, kinds=["psd"])
    x = d.gaussian("x", n, cov=S)
    rhs = sp.Trace(S)**2 + (0 if wrong else 2 * sp.Trace(S * S))
    d.claim(Expect(Norm(x)**4), "=", rhs, "1")


@textbook("The moment generating function of N(mu, s2)", "the variance term without the square of t")
def gaussian_mgf(d, wrong):
    t, mu, s2 = d.scalar("t"), d.scalar("mu"), d.scalar("sigma2", positive=True, latex=r"\sigma^{2}")
    z = d.gaussian_scalar("z", mean=mu, var=s2)
    d.claim(Expect(sp.exp(t * z)), "=", sp.exp(t * mu + (t if wrong else t**2) * s2 / 2), "1")


@textbook("Srivastava et al. (2014), inverted dropout", "a missing factor 1/p")
def inverted_dropout_mean(d, wrong):
    n = d.dim("n")
    p, x = d.scalar("p", interval="(0, 1]"), d.vector("x", n)
    m = d.bernoulli("m", n, p=p)
    d.claim(MatExpect(sp.HadamardProduct(m, x) / (1 if wrong else p)), "=", x, "1")


@textbook("Wager et al. (2013), dropout as adaptive regularization", "the variance without the 1/p factor")
def inverted_dropout_variance(d, wrong):
    n = d.dim("n")
    p, x = d.scalar("p", interval="(0, 1]"), d.vector("x", n)
    m = d.bernoulli("m", n, p=p)
    h = sp.HadamardProduct(m, x) / p
    d.claim(Expect(Norm(h)**2) - Norm(x)**2, "=", (1 - p if wrong else (1 - p) / p) * Norm(x)**2, "1")
