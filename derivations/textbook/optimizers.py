"""Optimizers: weight decay, momentum, and the moving averages and bias corrections of Adam and RMSProp.

The moving averages are scalar sequences (one coordinate of the vector
recursion, which acts coordinate by coordinate), started at zero, with
stationary gradients g_t of mean mu.
"""

from symbolic import Expect, sp

from ._corpus import textbook

k = sp.Symbol("k", integer=True, positive=True)  # summation index of the unrolled sums


@textbook("SGD with weight decay: w - eta (g + lambda w) = (1 - eta lambda) w - eta g",
          "a missing factor (1 - lambda) w instead of (1 - eta lambda) w")
def sgd_weight_decay(d, wrong):
    n = d.dim("n")
    eta, lam = d.scalar("eta", positive=True, latex=r"\eta"), d.scalar("lambda", positive=True, latex=r"\lambda")
    w, g = d.vector("w", n), d.vector("g", n)
    d.claim(w - eta * (g + lam * w), "=", (1 - (1 if wrong else eta) * lam) * w - eta * g, "1")


@textbook("Momentum unrolled: v_t = mu v_{t-1} + g_t, v_0 = 0 gives v_t = sum_k mu^{t-k} g_k",
          "a wrong exponent (mu^{k-1})")
def momentum_unrolled(d, wrong):
    mu, t = d.scalar("mu", interval="(0, 1)", latex=r"\mu"), d.index("t", lower=1)
    g = d.sequence("g")
    v = d.sequence("v", index=t, initial=0, recurrence=lambda t, prev: mu * prev + g(t))
    d.induction(v, sp.Sum(mu**(k - 1 if wrong else t - k) * g(k), (k, 1, t)), "1")


@textbook("Adam's first moment unrolled: m_t = (1 - beta) sum_k beta^{t-k} g_k (m_0 = 0)",
          "a wrong exponent (beta^{t-k+1})")
def adam_moment_unrolled(d, wrong):
    beta, t = d.scalar("beta", interval="(0, 1)", latex=r"\beta"), d.index("t", lower=1)
    g = d.sequence("g")
    m = d.sequence("m", index=t, initial=0, recurrence=lambda t, prev: beta * prev + (1 - beta) * g(t))
    d.induction(m, (1 - beta) * sp.Sum(beta**(t - k + (1 if wrong else 0)) * g(k), (k, 1, t)), "1")


@textbook("Adam's bias: E[m_t] = (1 - beta^t) E[g] for stationary gradients", "a wrong exponent (beta^{t-1})")
def adam_bias(d, wrong):
    beta, t = d.scalar("beta", interval="(0, 1)", latex=r"\beta"), d.index("t", lower=1)
    mu = d.scalar("mu", latex=r"\mu")
    g = d.sequence("g", mean=mu)
    m = d.sequence("m", index=t, initial=0, recurrence=lambda t, prev: beta * prev + (1 - beta) * g(t))
    d.claim(Expect(m(t)), "=", (1 - beta**(t - 1 if wrong else t)) * mu, "1")


@textbook("Adam's bias correction: m_t / (1 - beta^t) is unbiased", "a wrong exponent (1 - beta)")
def adam_bias_correction(d, wrong):
    beta, t = d.scalar("beta", interval="(0, 1)", latex=r"\beta"), d.index("t", lower=1)
    mu = d.scalar("mu", latex=r"\mu")
    g = d.sequence("g", mean=mu)
    m = d.sequence("m", index=t, initial=0, recurrence=lambda t, prev: beta * prev + (1 - beta) * g(t))
    d.claim(Expect(m(t) / (1 - beta**(1 if wrong else t))), "=", mu, "1")


@textbook("RMSProp/Adam second moment: E[s_t] = (1 - beta_2^t) E[g^2]", "a wrong exponent ((1 - beta_2)^t)")
def rmsprop_bias(d, wrong):
    beta, t = d.scalar("beta_2", interval="(0, 1)", latex=r"\beta_2"), d.index("t", lower=1)
    nu = d.scalar("nu", positive=True, latex=r"\nu")
    q = d.sequence("q", mean=nu, latex="g^2")  # the squared gradients g_t^2, of mean nu
    s = d.sequence("s", index=t, initial=0, recurrence=lambda t, prev: beta * prev + (1 - beta) * q(t))
    d.claim(Expect(s(t)), "=", ((1 - beta)**t if wrong else 1 - beta**t) * nu, "1")
