"""Gaussian identities of probabilistic ML: KL divergence, entropy, ELBO terms, priors; Jensen and AM-GM."""

from symbolic import Dot, Expect, Norm, sp

from ._corpus import textbook


@textbook("Kingma and Welling (2014), appendix B", "a flipped sign of the log-variance")
def gaussian_kl_standard(d, wrong):
    m, s2 = d.scalar("m"), d.scalar("sigma2", positive=True, latex=r"\sigma^{2}")
    z = d.gaussian_scalar("z", mean=m, var=s2)
    log_q = -sp.log(2 * sp.pi * s2) / 2 - (z - m)**2 / (2 * s2)
    log_p = -sp.log(2 * sp.pi) / 2 - z**2 / 2
    rhs = (s2 + m**2 - 1 + (1 if wrong else -1) * sp.log(s2)) / 2
    d.claim(Expect(log_q - log_p), "=", rhs, "1")


@textbook("Cover and Thomas, eq. (8.9): differential entropy of N(mu, s2)", "a dropped 1/2 (the e inside the log)")
def gaussian_entropy(d, wrong):
    mu, s2 = d.scalar("mu"), d.scalar("sigma2", positive=True, latex=r"\sigma^{2}")
    z = d.gaussian_scalar("z", mean=mu, var=s2)
    neg_log_density = sp.log(2 * sp.pi * s2) / 2 + (z - mu)**2 / (2 * s2)
    d.claim(Expect(neg_log_density), "=", sp.log(2 * sp.pi * s2) / 2 + (0 if wrong else sp.Rational(1, 2)), "1")


@textbook("Kingma and Welling (2014), eq. (10): E_q[log p(z)]", "a missing trace term")
def elbo_gaussian_prior_term(d, wrong):
    n = d.dim("n")
    m, S = d.vector("m", n), d.matrix("S", n, n, kinds=["psd"])
    z = d.gaussian("z", n, mean=m, cov=S)
    log_p = -n * sp.log(2 * sp.pi) / 2 - Norm(z)**2 / 2
    rhs = -n * sp.log(2 * sp.pi) / 2 - (Norm(m)**2 + (0 if wrong else sp.Trace(S))) / 2
    d.claim(Expect(log_p), "=", rhs, "1")


@textbook("Bishop, PRML, eq. (1.67): weight decay as a Gaussian prior", "a missing factor 1/2")
def weight_decay_prior(d, wrong):
    n = d.dim("n")
    lam, w = d.scalar("lambda", positive=True), d.vector("w", n)
    prior = (lam / (2 * sp.pi))**(n / 2) * sp.exp(-lam * Norm(w)**2 / 2)
    rhs = (lam if wrong else lam / 2) * Norm(w)**2 + n * sp.log(2 * sp.pi / lam) / 2
    d.claim(-sp.log(prior), "=", rhs, "1")


@textbook("Jensen's inequality for exp and a Gaussian", "a flipped inequality")
def jensen_exp(d, wrong):
    mu, s2 = d.scalar("mu"), d.scalar("sigma2", positive=True, latex=r"\sigma^{2}")
    z = d.gaussian_scalar("z", mean=mu, var=s2)
    d.claim(sp.exp(Expect(z)), ">=" if wrong else "<=", Expect(sp.exp(z)), "1")


@textbook("Jensen's inequality for a convex function", "a flipped inequality")
def jensen_convex(d, wrong):
    mu, s2 = d.scalar("mu"), d.scalar("sigma2", positive=True, latex=r"\sigma^{2}")
    phi = d.function("phi", kind="convex")
    x = d.random("x", distribution="moments", mean=mu, var=s2)
    d.claim(phi(Expect(x)), ">=" if wrong else "<=", Expect(phi(x)), "1")


@textbook("Jensen's inequality on a two-point law (a Bernoulli mixture)", "a flipped inequality")
def jensen_two_point(d, wrong):
    a, b, p = d.scalar("a"), d.scalar("b"), d.scalar("p", interval="(0, 1)")
    phi = d.function("phi", kind="convex")
    c = d.bernoulli("c", p=p)
    x = a + (b - a) * c
    d.claim(phi(Expect(x)), ">=" if wrong else "<=", Expect(phi(x)), "1")


@textbook("AM-GM inequality for two positive numbers", "a flipped inequality")
def am_gm(d, wrong):
    a, b = d.scalar("a", positive=True), d.scalar("b", positive=True)
    d.claim(sp.sqrt(a * b), ">=" if wrong else "<=", (a + b) / 2, "1")
