"""Seed 003, exercises 1.9 to 1.18: gradients in W2, b2, h^s, h^a, W1, b1, x, and the penalty.

Conventions as in :mod:`derivations.seed003_backprop`: a derivative in the matrix entry
W_kj is d/dt at W + t E_kj with E_kj = e_k e_j^T (both sides written at that point), and a
matrix gradient G is checked as d/dt L(W + t U) = <U, G> for random directions U.
The module ends with the whole chain against finite differences (``bp_chain_corrected``)
and the ReLU kink (``bp_relu_kink_corrected``).

>>> from derivations import get
>>> [s.label for s in get("bp_1_15_corrected").steps][-1]
'1.16d'
"""

from __future__ import annotations

from symbolic import DiagOf, Derivation, Dot, Entry, Grad, OneHot, Softmax, Step, sp

from ._registry import register
from .seed003_backprop import J, Net, Q, ce_loss, el, frob, new, sqsum


# -- 1.9-1.10: W2 and b2 -----------------------------------------------------------
def _layer2(version: str) -> Derivation:
    d = new(f"bp_1_9_{version}", "1.9-1.10", version,
            "dL/dW2 = dL/do^a h^s^T and dL/db2 = dL/do^a; 1.9 is given in the assignment (the report "
            "says 'answer given in full'), 1.10 states the sizes and the code.")
    net = Net.declare(d)
    hs = d.vector("hs", net.dh, latex=r"\mathbf{h}^{s}")
    k, j = d.index("k", lower=0, upper=net.m - 1), d.index("j", lower=0, upper=net.dh - 1)
    t = d.scalar("t")
    U = d.matrix("U", net.m, net.dh)
    W2e = net.W2 + t * OneHot(k, net.m) * OneHot(j, net.dh).T
    d.claim(Grad(net.loss(W2=W2e, hs=hs), t), "=", Entry(net.g_oa(W2=W2e, hs=hs), k) * Entry(hs, j), "1.9a",
            why="given: dL/dW2_kj = dL/do^a_k h^s_j")
    d.claim(Entry(Grad(net.loss(hs=hs), net.b2), k), "=", Entry(net.g_oa(hs=hs), k), "1.9b",
            why="given: dL/db2_k = dL/do^a_k")
    g = net.g_oa(hs=hs)
    d.claim((g * hs.T).shape[1], "=", net.W2.shape[1], "1.10a",
            why="dL/do^a is m x 1 and h^s^T is 1 x d_h: the product has the m x d_h size of W2")
    W2u = net.W2 + t * U
    d.claim(Grad(net.loss(W2=W2u, hs=hs), t), "=", frob(U, net.g_oa(W2=W2u, hs=hs) * hs.T), "1.10b",
            why="dL/dW2 = dL/do^a h^s^T (the formula behind grad_w2), in every direction U")
    d.claim(Grad(net.loss(hs=hs), net.b2), "=", g, "1.10c", why="dL/db2 = dL/do^a (grad_b2 = grad_oa)")
    return d


@register
def bp_1_9_submitted() -> Derivation:
    """1.9-1.10 as submitted (the mathematics is right; the code is checked by code_1_10_*)."""
    return _layer2("submitted")


@register
def bp_1_9_corrected() -> Derivation:
    """1.9-1.10 corrected."""
    return _layer2("corrected")


# -- 1.11-1.12: h^s ------------------------------------------------------------------
def _hidden_s(version: str) -> Derivation:
    d = new(f"bp_1_11_{version}", "1.11-1.12", version,
            "dL/dh^s = W2^T dL/do^a; 1.11 is given in the assignment, 1.12 states a size and the code.")
    net = Net.declare(d)
    hs = d.vector("hs", net.dh, latex=r"\mathbf{h}^{s}")
    j = d.index("j", lower=0, upper=net.dh - 1)
    L, g = net.loss(hs=hs), net.g_oa(hs=hs)
    d.claim(Entry(Grad(L, hs), j), "=", sp.Sum(el(net.W2, Q, j) * Entry(g, Q), (Q, 0, net.m - 1)), "1.11",
            why="given: dL/dh^s_j = sum_k W2_kj dL/do^a_k")
    d.claim(g.shape[0], "=", net.m, "1.12a", why="dL/do^a is m x 1 (written dL/da^a in the report)")
    d.claim(Grad(L, hs), "=", net.W2.T * g, "1.12b",
            why="dL/dh^s = W2^T dL/do^a, the formula behind grad_hs (the numpy line is checked by code_1_12_*)")
    return d


@register
def bp_1_11_submitted() -> Derivation:
    """1.11-1.12 as submitted (the mathematics is right; the code is not)."""
    return _hidden_s("submitted")


@register
def bp_1_11_corrected() -> Derivation:
    """1.11-1.12 corrected."""
    return _hidden_s("corrected")


# -- 1.13-1.14: through the ReLU -------------------------------------------------------
def _relu(version: str) -> Derivation:
    d = new(f"bp_1_13_{version}", "1.13-1.14", version,
            "dL/dh^a = dL/dh^s * 1[h^a > 0], entry by entry then as a vector (away from the kink: "
            "at h^a_j = 0 see bp_relu_kink_corrected).")
    net = Net.declare(d)
    ha = d.vector("ha", net.dh, latex=r"\mathbf{h}^{a}")
    j = d.index("j", lower=0, upper=net.dh - 1)
    z = d.scalar("z")
    relu = net.relu
    L, ghs = net.loss(hs=relu(ha)), net.g_hs(hs=relu(ha))
    d.claim(Grad(relu(z), z), "=", sp.Piecewise((0, z <= 0), (1, True)), "1.13a",
            why="d max(0, z)/dz = 0 if z <= 0, 1 otherwise (at z = 0 a convention: see bp_relu_kink_corrected)")
    haj = Entry(ha, j)
    d.start(Entry(Grad(L, ha), j))
    d.eq(Entry(ghs, j) * Entry(relu.prime(ha), j), "1.13b", why="chain rule: dL/dh^s_j d rect(h^a_j)/dh^a_j")
    d.eq(sp.Piecewise((0, haj <= 0), (Entry(ghs, j), True)), "1.13c", why="0 if h^a_j <= 0, dL/dh^s_j otherwise")
    d.eq(Entry(ghs, j) * Step(haj), "1.13d", why="= dL/dh^s_j * 1[h^a_j > 0]")
    d.claim(Grad(L, ha), "=", DiagOf(relu.prime(ha)) * ghs, "1.14",
            why="column vector of size d_h with entries dL/dh^s_j 1[h^a_j > 0]")
    return d


@register
def bp_1_13_submitted() -> Derivation:
    """1.13-1.14 as submitted (right; the code is not)."""
    return _relu("submitted")


@register
def bp_1_13_corrected() -> Derivation:
    """1.13-1.14 corrected."""
    return _relu("corrected")


# -- 1.15-1.16: W1 and b1 ----------------------------------------------------------------
def _layer1(version: str) -> Derivation:
    sub = version == "submitted"
    d = new(f"bp_1_15_{version}", "1.15-1.16", version,
            "dL/db1 = dL/dh^a and dL/dW1 = dL/dh^a x^T, entry by entry then in matrix form, with sizes.")
    net = Net.declare(d, with_n=sub)
    k, j = d.index("k", lower=0, upper=net.dh - 1), d.index("j", lower=0, upper=net.dim - 1)
    t = d.scalar("t")
    U = d.matrix("U", net.dh, net.dim)
    W1, x, b1, dim = net.W1, net.x, net.b1, net.dim
    xin = Entry(x, j) if sub else Entry(x, J)  # the report's sum_j' W_kj' x_j
    note = " (written x_j for x_j': same derivative)" if sub else ""
    d.start(Entry(Grad(net.loss(), b1), k))
    d.eq(Entry(net.g_ha(), k) * Entry(Grad(Entry(net.ha(), k), b1), k), "1.15a", why="chain rule through h^a_k")
    d.eq(Entry(net.g_ha(), k) * Entry(Grad(sp.Sum(el(W1, k, J) * xin, (J, 0, dim - 1)) + Entry(b1, k), b1), k),
         "1.15b", why="h^a_k = sum_j' W_kj' x_j' + b_k" + note)
    d.eq(Entry(net.g_ha(), k), "1.15c", why="the derivative of h^a_k in b_k is 1")
    W1e = W1 + t * OneHot(k, net.dh) * OneHot(j, dim).T
    d.start(Grad(net.loss(W1=W1e), t))
    d.eq(Entry(net.g_ha(W1=W1e), k) * Grad(Entry(net.ha(W1=W1e), k), t), "1.15d", why="chain rule through h^a_k")
    d.eq(Entry(net.g_ha(W1=W1e), k) * Grad(sp.Sum(el(W1e, k, J) * xin, (J, 0, dim - 1)) + Entry(b1, k), t),
         "1.15e", why="h^a_k = sum_j' W_kj' x_j' + b_k" + note)
    d.eq(Entry(net.g_ha(W1=W1e), k) * Entry(x, j), "1.15f", why="the derivative in W_kj is x_j")
    d.claim(Grad(net.loss(), b1), "=", net.g_ha(), "1.16a", why="dL/db1 = dL/dh^a")
    W1u = W1 + t * U
    d.claim(Grad(net.loss(W1=W1u), t), "=", frob(U, net.g_ha(W1=W1u) * x.T), "1.16b",
            why="dL/dW1 = dL/dh^a x^T, in every direction U")
    d.claim(net.g_ha().shape[0], "=", b1.shape[0], "1.16c", why="dL/db1 has d_h entries")
    d.claim(x.T.shape[1], "=", net.n if sub else dim, "1.16d",
            why="dL/dW1 is d_h x n because x^T is 1 x n" if sub else "dL/dW1 is d_h x d: x^T is 1 x d")
    return d


@register
def bp_1_15_submitted() -> Derivation:
    """1.15-1.16 as submitted: the size of dL/dW1 is given as d_h x n."""
    return _layer1("submitted")


@register
def bp_1_15_corrected() -> Derivation:
    """1.15-1.16 corrected."""
    return _layer1("corrected")


# -- 1.17: the input -------------------------------------------------------------------
def _input(version: str) -> Derivation:
    sub = version == "submitted"
    d = new(f"bp_1_17_{version}", "1.17", version, "dL/dx = W1^T dL/dh^a, entry by entry then as a vector.")
    net = Net.declare(d, with_n=sub)
    j = d.index("j", lower=0, upper=net.dim - 1)
    K = sp.Symbol("k", integer=True)
    W1, x, b1, dim = net.W1, net.x, net.b1, net.dim
    top = net.n if sub else net.dh
    gha = net.g_ha()
    d.start(Entry(Grad(net.loss(), x), j))
    d.eq(sp.Sum(Entry(gha, K) * Entry(Grad(Entry(net.ha(), K), x), j), (K, 0, top - 1)), "1.17a",
         why="chain rule: sum over hidden units k = 1.." + ("n (n where d_h belongs)" if sub else "d_h"))
    d.eq(sp.Sum(Entry(gha, K) * Entry(Grad(sp.Sum(el(W1, K, J) * Entry(x, J), (J, 0, dim - 1)) + Entry(b1, K), x), j),
                (K, 0, top - 1)), "1.17b", why="h^a_k = sum_j' W_kj' x_j' + b_k")
    d.eq(sp.Sum(Entry(gha, K) * el(W1, K, j) * (Entry(x, j) if sub else 1), (K, 0, top - 1)), "1.17c",
         why="the derivative in x_j is W_kj" + (" x_j (a stray x_j)" if sub else ""))
    d.claim(Grad(net.loss(), x), "=", W1.T * gha, "1.17d", why="matrix form: dL/dx = W1^T dL/dh^a")
    return d


@register
def bp_1_17_submitted() -> Derivation:
    """1.17 as submitted: the sum runs to n and the entry formula keeps a stray x_j."""
    return _input("submitted")


@register
def bp_1_17_corrected() -> Derivation:
    """1.17 corrected."""
    return _input("corrected")


# -- 1.18: the L2 penalty ------------------------------------------------------------------
def _penalty(version: str) -> Derivation:
    sub = version == "submitted"
    d = new(f"bp_1_18_{version}", "1.18", version,
            "Gradients of L + lambda (sum W1^2 + sum W2^2): + 2 lambda W for the weights, unchanged for the biases. "
            "s stands for an entry of W2 where the report differentiates in W2 by mistake.")
    net = Net.declare(d)
    k, j = d.index("k", lower=0, upper_sample=2), d.index("j", lower=0, upper_sample=2)
    lam = d.scalar("lambda", positive=True)
    t, s = d.scalar("t"), d.scalar("s")
    W1, W2, x = net.W1, net.W2, net.x

    def D(expr, var):  # the scalar derivative of a scalar expression
        return Dot(Grad(expr, var))

    def reg(W1_=W1, W2_=W2):
        return lam * (sqsum(W1_) + sqsum(W2_))

    W2e = W2 + t * OneHot(k, net.m) * OneHot(j, net.dh).T
    gW2 = Entry(net.g_oa(W2=W2e), k) * Entry(net.hs(), j)
    d.start(D(net.loss(W2=W2e) + reg(W2_=W2e), t))
    d.eq(D(net.loss(W2=W2e), t) + D(reg(W2_=W2e), t), "1.18a", why="derivative of a sum")
    d.eq(gW2 + D(reg(W2_=W2e), t), "1.18b", why="first term from 1.9: dL/do^a_k h^s_j")
    d.eq(gW2 + lam * D(sqsum(W1) + sqsum(W2e), t), "1.18c", why="lambda out of the derivative")
    d.eq(gW2 + lam * D(sqsum(W1), t) + lam * D(sqsum(W2e), t), "1.18d", why="split the two sums")
    d.eq(gW2 + 0 + lam * D(el(W2e, k, j) ** 2, t), "1.18e", why="W1 does not depend on W2; one term of the sum does")
    d.eq(gW2 + 2 * lam * el(W2e, k, j), "1.18f", why="derivative of a square")
    d.claim(Grad(net.loss() + reg(), net.b2), "=", Grad(net.loss(), net.b2), "1.18g", why="b2 is not penalized")
    W1e = W1 + t * OneHot(k, net.dh) * OneHot(j, net.dim).T
    gW1 = Entry(net.g_ha(W1=W1e), k) * Entry(x, j)
    d.start(D(net.loss(W1=W1e) + reg(W1_=W1e), t))
    d.eq(D(net.loss(W1=W1e), t) + D(reg(W1_=W1e), t), "1.18h", why="derivative of a sum")
    d.eq(gW1 + D(reg(W1_=W1e), t), "1.18i", why="first term from 1.15: dL/dh^a_k x_j")
    d.eq(gW1 + lam * D(sqsum(W1e) + sqsum(W2), t), "1.18j", why="lambda out of the derivative")
    if sub:
        d.eq(gW1 + lam * D(sqsum(W1e), s) + lam * D(sqsum(W2), t), "1.18k",
             why="split the two sums; the first is differentiated in W2_kj (written dW^(2)_kj)")
    else:
        d.eq(gW1 + lam * D(sqsum(W1e), t) + lam * D(sqsum(W2), t), "1.18k", why="split the two sums")
    d.eq(gW1 + lam * D(el(W1e, k, j) ** 2, t) + 0, "1.18l", why="one term of the first sum depends on W1_kj")
    d.eq(gW1 + 2 * lam * el(W1e, k, j), "1.18m", why="derivative of a square")
    d.claim(Grad(net.loss() + reg(), net.b1), "=", Grad(net.loss(), net.b1), "1.18n", why="b1 is not penalized")
    if not sub:
        U1, U2 = d.matrix("U1", net.dh, net.dim), d.matrix("U2", net.m, net.dh)
        W1u, W2u = W1 + t * U1, W2 + t * U2
        d.claim(Grad(net.loss(W2=W2u) + reg(W2_=W2u), t), "=",
                frob(U2, net.g_oa(W2=W2u) * net.hs().T + 2 * lam * W2u), "1.18o",
                why="matrix form: dL/dW2 + 2 lambda W2, in every direction U2")
        d.claim(Grad(net.loss(W1=W1u) + reg(W1_=W1u), t), "=",
                frob(U1, net.g_ha(W1=W1u) * x.T + 2 * lam * W1u), "1.18p",
                why="matrix form: dL/dW1 + 2 lambda W1, in every direction U1")
    return d


@register
def bp_1_18_submitted() -> Derivation:
    """1.18 as submitted: one derivative is taken in W2 instead of W1."""
    return _penalty("submitted")


@register
def bp_1_18_corrected() -> Derivation:
    """1.18 corrected, with the matrix forms."""
    return _penalty("corrected")


# -- the whole chain against finite differences ------------------------------------------------
@register
def bp_chain_corrected() -> Derivation:
    """Every derived gradient against finite differences of the loss, on random networks."""
    d = new("bp_chain_corrected", "1.7-1.18", "corrected",
            "All the gradients together at one random point (W1 + t1 U1, b1, W2 + t2 U2, b2, x) of random "
            "networks (sizes d, d_h, m from the sampler, float64 finite differences), away from the ReLU kink: "
            "every |h^a_j| >= 1/1000, so no finite-difference step crosses it.")
    net = Net.declare(d)
    t1, t2, lam = d.scalar("t1"), d.scalar("t2"), d.scalar("lambda", positive=True)
    U1, U2 = d.matrix("U1", net.dh, net.dim), d.matrix("U2", net.m, net.dh)
    kw = {"W1": net.W1 + t1 * U1, "W2": net.W2 + t2 * U2}
    W1p, W2p = kw["W1"], kw["W2"]
    ha = net.ha(W1=W1p)
    delta = sp.Rational(1, 1000)
    d.assume(sp.Sum(Step(delta**2 - Entry(ha, Q) ** 2), (Q, 0, net.dh - 1)) <= 0,
             name="away from the kink: |h^a_j| >= 1/1000 for every j")
    L = net.loss(**kw)
    R = L + lam * (sqsum(W1p) + sqsum(W2p))
    goa, gha, hs = net.g_oa(**kw), net.g_ha(**kw), net.hs(W1=W1p)
    b1, b2, x = net.b1, net.b2, net.x
    d.claim(Grad(L, b2), "=", goa, "b2", why="dL/db2 = o^s - onehot(y)")
    d.claim(Grad(L, t2), "=", frob(U2, goa * hs.T), "W2", why="dL/dW2 = dL/do^a h^s^T along U2")
    d.claim(Grad(L, b1), "=", gha, "b1", why="dL/db1 = 1[h^a > 0] * W2^T dL/do^a")
    d.claim(Grad(L, t1), "=", frob(U1, gha * x.T), "W1", why="dL/dW1 = dL/dh^a x^T along U1")
    d.claim(Grad(L, x), "=", W1p.T * gha, "x", why="dL/dx = W1^T dL/dh^a")
    d.claim(Grad(R, t2), "=", frob(U2, goa * hs.T + 2 * lam * W2p), "reg W2", why="+ 2 lambda W2")
    d.claim(Grad(R, t1), "=", frob(U1, gha * x.T + 2 * lam * W1p), "reg W1", why="+ 2 lambda W1")
    d.claim(Grad(R, b2), "=", goa, "reg b2", why="b2 unchanged by the penalty")
    d.claim(Grad(R, b1), "=", gha, "reg b1", why="b1 unchanged by the penalty")
    return d


# -- the ReLU kink -----------------------------------------------------------------------------
@register
def bp_relu_kink_corrected() -> Derivation:
    """At h^a_j = 0 exactly: one-sided derivatives, the convention relu'(0) = 0, what differences give."""
    d = new("bp_relu_kink_corrected", "1.13", "corrected",
            "ReLU is not differentiable at 0: its one-sided derivatives are 1 and 0 and a central difference "
            "gives 1/2.  The convention relu'(0) = 0 picks the left one.  In the network, at a point "
            "h^a = P g whose first entry is exactly 0 (P zeroes it), L has the two one-sided derivatives "
            "of the active and inactive branches, and backprop with relu'(0) = 0 returns the left one.")
    dh, m = d.dim("d_h"), d.dim("m")
    W2, b2 = d.matrix("W2", m, dh, latex=r"\mathbf{W}^{(2)}"), d.vector("b2", m, latex=r"\mathbf{b}^{(2)}")
    y = d.index("y", lower=0, upper_sample=2)
    g, v = d.vector("g", dh), d.vector("v", dh)
    h, t = d.scalar("h", positive=True), d.scalar("t", positive=True)
    relu = d.function("relu", kind="relu")
    e0 = OneHot(0, dh)
    ha0 = (sp.Identity(dh) - e0 * e0.T) * g

    def loss(hs):
        return ce_loss(W2 * hs + b2, y)

    def active(u):  # unit 1 linear (the right branch)
        return relu(u) + e0 * (Entry(u, 0) - relu(Entry(u, 0)))

    def inactive(u):  # unit 1 off (the left branch)
        return relu(u) - e0 * relu(Entry(u, 0))

    def right(u):  # derivative of the right branch in u_1
        return Entry(W2.T * (Softmax(W2 * active(u) + b2) - OneHot(y, m)), 0)

    d.claim((relu(h) - relu(0)) / h, "=", 1, "K1", why="right difference quotient of relu at 0, every h > 0")
    d.claim((relu(0) - relu(-h)) / h, "=", 0, "K2", why="left difference quotient: 0")
    d.claim((relu(h) - relu(-h)) / (2 * h), "=", sp.Rational(1, 2), "K3",
            why="a central difference at the kink returns 1/2, neither one-sided derivative")
    d.claim(relu.prime(0), "=", 0, "K4", why="convention relu'(0) = 0: the left derivative (a subgradient)")
    d.claim(loss(relu(ha0 + t * e0)), "=", loss(active(ha0 + t * e0)), "K5",
            why="right of the kink (t > 0) unit 1 is linear")
    d.claim(loss(relu(ha0 - t * e0)), "=", loss(inactive(ha0 - t * e0)), "K6", why="left of the kink unit 1 is off")
    d.claim(Entry(Grad(loss(active(v)), v), 0), "=", right(v), "K7",
            why="derivative of the right branch in its first entry (at v = P g: the right derivative)")
    d.claim(Entry(Grad(loss(inactive(v)), v), 0), "=", 0, "K8", why="the left branch does not depend on v_1")
    d.claim(Entry(DiagOf(relu.prime(ha0)) * net_g_hs(W2, b2, y, m, relu(ha0)), 0), "=", 0, "K9",
            why="backprop with relu'(0) = 0 at the kink gives 0: the left derivative")
    d.exists(right(ha0) ** 2, ">", 0, "K10", why="the right derivative is not 0 there: L is not differentiable",
             witness={"d_h": 1, "m": 2, "W2": [[1], [0]], "b2": [[0], [0]], "g": [[0]], "y": 0})
    return d


def net_g_hs(W2, b2, y, m, hs):
    """dL/dh^s = W2^T (softmax(W2 h^s + b2) - onehot_m(y)).

    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> net_g_hs(sp.MatrixSymbol("W", n, n), sp.MatrixSymbol("b", n, 1), 0, n, sp.MatrixSymbol("h", n, 1)).shape
    (n, 1)
    """
    return W2.T * (Softmax(W2 * hs + b2) - OneHot(y, m))
