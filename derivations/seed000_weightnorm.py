"""Question 4 of 000_fb61d5ace7e02265.txt: weight normalization w = g u / ||u||.

The submission writes ``u^T u`` where ``u u^T`` belongs.  ``u^T u`` is 1 x 1;
the only well-typed reading of ``I - u^T u/||u||^2`` is the scalar times the
identity, and that is how it is transcribed (``Dot(u.T*u) * I``).
"""

from __future__ import annotations

from symbolic import Derivation, Dot, Expect, Grad, Norm, Source, SumEntries, sp

from ._registry import register

SEED = "000_fb61d5ace7e02265.txt"


# -- 4.1 ---------------------------------------------------------------------

@register
def q4_1_wn_equals_bn_submitted() -> Derivation:
    """BN and WN equated as a premise, then simplified with mu = 0 and sigma = ||v||."""
    d = Derivation("q4_1_wn_equals_bn_submitted", statement="weight norm = batch norm of w^T x + b for whitened x",
                   source=Source(SEED, "4.1", "submitted"))
    n = d.dim("n")
    w, v, x, mu = (d.vector(k, n, latex=rf"\mathbf{{{k}}}") for k in ("w", "v", "x", "mu"))
    b = d.scalar("b")
    sig = d.scalar("sigma_x", positive=True, latex=r"\sigma")
    d.define(mu, sp.ZeroMatrix(n, 1))  # "the mean of x is zero"
    d.define(sig, Norm(v))  # "with sigma = ||v||"
    bn = Dot(w.T * (x - mu)) / sig + b
    wn = Dot((v / Norm(v)).T * x) + b
    d.claim(bn, "=", wn, "40", why="BN without shift equals WN without scale (equated)")
    d.equation(bn, wn)
    d.implies(Dot(w.T * (x - mu)) / sig, Dot((v / Norm(v)).T * x), "41", unknown=w, why="subtract b")
    d.implies(Dot(w.T * x) / sig, Dot((v / Norm(v)).T * x), "42", unknown=w, why="mu = 0")
    d.implies(Dot(w.T * x), Dot(v.T * x), "43", unknown=w, why="sigma = ||v||")
    d.claim(Dot(w.T * x), "=", Dot(v.T * x), "4.1", why="so WN is equivalent to BN")
    return d


@register
def q4_1_wn_equals_bn_corrected() -> Derivation:
    """BN of y = w^T x + b computed from E[x] = 0 and E[x x^T] = I, then compared with WN."""
    d = Derivation("q4_1_wn_equals_bn_corrected", statement="weight norm = batch norm of w^T x + b for whitened x",
                   source=Source(SEED, "4.1", "corrected"))
    n = d.dim("n")
    w = d.vector("w", n, latex=r"\mathbf{w}")
    x = d.random_vector("x", n, mean=sp.ZeroMatrix(n, 1), second_moment=sp.Identity(n), latex=r"\mathbf{x}")
    b = d.scalar("b")
    y = Dot(w.T * x) + b
    d.claim(Expect(y), "=", b, "mean", why="linearity of expectation, E[x] = 0")
    d.claim(Expect((y - b) ** 2), "=", Norm(w) ** 2, "variance", why="E[w^T x x^T w] = w^T E[x x^T] w = w^T w")
    d.claim((y - Expect(y)) / sp.sqrt(Expect((y - Expect(y)) ** 2)), "=", Dot((w / Norm(w)).T * x), "4.1",
            why="BN(y) = (y - E[y]) / sqrt(Var[y]) is WN with u = w, g = 1, no bias")
    return d


# -- 4.2 ---------------------------------------------------------------------

def _wn_setup(name: str, version: str, question: str = "4.2"):
    d = Derivation(name, statement="grad_u L = (g/||u||) W* grad_w L, W* the projection orthogonal to u",
                   source=Source(SEED, question, version))
    n = d.dim("n")
    u = d.vector("u", n, latex=r"\mathbf{u}")
    g = d.scalar("g")
    ell = d.function("ell", kind="smooth", latex=r"\ell")  # L(w) = sum_i ell(w_i), a concrete smooth loss
    w = g * u / Norm(u)
    gw = d.vector("gw", n, latex=r"\nabla_{\mathbf{w}} L")
    d.define(gw, ell.prime(w))
    return d, n, u, g, ell, w, gw


@register
def q4_2_wn_gradient_submitted() -> Derivation:
    """The quotient rule with u^T where u u^T belongs: the projection collapses to zero."""
    d, n, u, g, ell, w, gw = _wn_setup("q4_2_wn_gradient_submitted", "submitted")
    I = sp.Identity(n)
    L = SumEntries(ell(w))
    d.start(Grad(L, u))
    d.eq(Grad(SumEntries(ell(g * u / Norm(u))), u), "44", why="L depends on u through w")
    d.eq(Grad(w, u) * gw, "45", why="chain rule")
    d.start(Grad(w, u))
    d.eq(Grad(g * u / Norm(u), u), "46", why="definition of w")
    d.eq(g * Grad(u / Norm(u), u), "47", why="g does not depend on u")
    quotient = g * (Grad(u, u) * Norm(u) - Dot(u.T * Grad(Norm(u), u)) * I) / Norm(u) ** 2
    d.eq(quotient, "48", why="quotient rule")
    d.start(Grad(Norm(u), u))
    d.eq(Grad(sp.sqrt(Dot(u.T * u)), u), "49", why="||u|| = sqrt(u . u)")
    d.eq(u / sp.sqrt(Dot(u.T * u)), "50", why="derivative of the square root")
    d.eq(u / Norm(u), "51", why="sqrt(u . u) = ||u||")
    d.start(Grad(w, u))
    d.eq(quotient, "52", why="(48)")
    d.eq(g * (I * Norm(u) - Dot(u.T * (u / Norm(u))) * I) / Norm(u) ** 2, "53", why="grad_u u = I and (51)")
    d.eq(g / Norm(u) * (I - Dot(u.T * u) / Norm(u) ** 2 * I), "54", why="factor 1/||u||")
    s, Wstar = d.scalar("s"), d.matrix("Wstar", n, n, latex=r"\mathbf{W}^{*}")
    d.define(s, g / Norm(u))
    d.define(Wstar, I - Dot(u.T * u) / Norm(u) ** 2 * I)
    d.start(Grad(L, u))
    d.eq(Grad(w, u) * gw, "55", why="(45)")
    d.eq(g / Norm(u) * (I - Dot(u.T * u) / Norm(u) ** 2 * I) * gw, "56", why="(54)")
    d.eq(s * Wstar * gw, "57", why="s = g/||u||, W* = I - u^T u/||u||^2")
    return d


@register
def q4_2_wn_gradient_corrected() -> Derivation:
    """The quotient rule with the outer product u u^T, and W* checked to be the projection."""
    d, n, u, g, ell, w, gw = _wn_setup("q4_2_wn_gradient_corrected", "corrected")
    I = sp.Identity(n)
    L = SumEntries(ell(w))
    P = I - u * u.T / Norm(u) ** 2
    d.start(Grad(L, u))
    d.eq(Grad(w, u) * gw, "45", why="chain rule (denominator layout)")
    d.start(Grad(w, u))
    d.eq(g * Grad(u / Norm(u), u), "47", why="g does not depend on u")
    d.eq(g * (Grad(u, u) * Norm(u) - Grad(Norm(u), u) * u.T) / Norm(u) ** 2, "48",
         why="quotient rule: the gradient of ||u|| times u^T (an outer product)")
    d.eq(g * (I * Norm(u) - u / Norm(u) * u.T) / Norm(u) ** 2, "53", why="grad_u u = I, grad_u ||u|| = u/||u||")
    d.eq(g / Norm(u) * P, "54", why="factor 1/||u||")
    d.start(Grad(Norm(u), u))
    d.eq(u / Norm(u), "51", why="derivative of sqrt(u^T u)")
    s, Wstar = d.scalar("s"), d.matrix("Wstar", n, n, latex=r"\mathbf{W}^{*}")
    d.define(s, g / Norm(u))
    d.define(Wstar, P)
    d.start(Grad(L, u))
    d.eq(g / Norm(u) * P * gw, "56", why="(45) and (54)")
    d.eq(s * Wstar * gw, "57", why="s = g/||u||, W* = I - u u^T/||u||^2")
    d.claim(Wstar * Wstar, "=", Wstar, "P2", why="W* is a projection")
    d.claim(Wstar * u, "=", sp.ZeroMatrix(n, 1), "Pu", why="W* removes the direction of u")
    d.claim(Wstar.T, "=", Wstar, "PT", why="W* is symmetric: an orthogonal projection")
    return d


# -- 4.3 ---------------------------------------------------------------------

def _step_setup(name: str, version: str):
    d = Derivation(name, statement="||u|| does not decrease after a gradient step on u",
                   source=Source(SEED, "4.3", version))
    n = d.dim("n")
    u, gw = d.vector("u", n, latex=r"\mathbf{u}"), d.vector("gw", n, latex=r"\nabla_{\mathbf{w}} L")
    g = d.scalar("g")
    eps = d.scalar("epsilon", positive=True, latex=r"\epsilon")
    gu = d.vector("gu", n, latex=r"\nabla_{\mathbf{u}} L")
    up = d.vector("u_new", n, latex=r"\mathbf{u}'")
    # the gradient of 4.2 (with the projection the question intends), and the update (58)
    d.define(gu, g / Norm(u) * (sp.Identity(n) - u * u.T / Norm(u) ** 2) * gw)
    d.define(up, u - eps * gu)
    return d, n, u, gw, g, eps, gu, up


@register
def q4_3_norm_grows_submitted() -> Derivation:
    """Pythagoras after one step; concludes that ||u'|| can only increase (strictly)."""
    d, n, u, gw, g, eps, gu, up = _step_setup("q4_3_norm_grows_submitted", "submitted")
    c = d.scalar("c", nonnegative=True)
    d.define(c, eps * Norm(gu) / Norm(u))
    d.start(Norm(up) ** 2)
    d.eq(Norm(u - eps * gu) ** 2, "59", why="(58)")
    d.eq(Norm(u) ** 2 + Norm(eps * gu) ** 2 - 2 * eps * Dot(u.T * gu), "60", why="expand the square")
    d.eq(Norm(u) ** 2 + Norm(eps * gu) ** 2, "61", why="u is orthogonal to grad_u L")
    d.eq(Norm(u) ** 2 * (1 + Norm(eps * gu) ** 2 / Norm(u) ** 2), "62", why="factor ||u||^2")
    d.eq(Norm(u) ** 2 * (1 + c**2), "63", why="c^2 = ||eps grad_u L||^2 / ||u||^2")
    d.start(Norm(up))
    d.eq(sp.sqrt(Norm(u) ** 2 * (1 + c**2)), "64", why="square root of (63)")
    d.eq(Norm(u) * sp.sqrt(1 + c**2), "65", why="||u|| >= 0")
    d.claim(Norm(up), ">", Norm(u), "4.3", why="sqrt(1 + c^2) > 1, so ||u'|| can only increase")
    return d


@register
def q4_3_norm_grows_corrected() -> Derivation:
    """Pythagoras gives ||u'|| >= ||u||, with equality exactly when grad_u L = 0."""
    d, n, u, gw, g, eps, gu, up = _step_setup("q4_3_norm_grows_corrected", "corrected")
    d.claim(Dot(u.T * gu), "=", 0, "perp", why="u^T W* = 0: the gradient is orthogonal to u")
    d.start(Norm(up) ** 2)
    d.eq(Norm(u) ** 2 + Norm(eps * gu) ** 2 - 2 * eps * Dot(u.T * gu), "60", why="expand the square")
    d.eq(Norm(u) ** 2 + eps**2 * Norm(gu) ** 2, "61", why="(perp): Pythagoras")
    d.ge(Norm(u) ** 2, "62", why="eps^2 ||grad_u L||^2 >= 0")
    d.start(Norm(u))
    d.le(sp.sqrt(Norm(u) ** 2 + eps**2 * Norm(gu) ** 2), "64", why="monotonicity of the square root")
    d.eq(Norm(up), "65", why="(61)")
    d.exists(Norm(up), "=", Norm(u), "4.3", why="equality when grad_w L is parallel to u (so grad_u L = 0)",
             witness={"n": 2, "u": [[1], [0]], "gw": [[2], [0]], "g": 1, "epsilon": 0.5})
    return d
