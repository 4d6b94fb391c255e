"""Seed 003 (a student's report, IFT3395 "Devoir 2"): gradients of a one-hidden-layer network.

The network is h^a = W1 x + b1, h^s = relu(h^a), o^a = W2 h^s + b2, o^s = softmax(o^a),
L = -log o^s_y.  Each exercise is encoded twice: as submitted (mistakes included, the
student's justifications paraphrased) and corrected.  This module holds the shared
builders and exercises 1.1 to 1.8; :mod:`derivations.seed003_backprop2` holds 1.9 to 1.18,
the whole chain against finite differences, and the ReLU kink.

Conventions of the encoding (stated once here, relied upon everywhere):

* indices are 0-based (the report's x_1 is ``Entry(x, 0)``); ``el(M, r, c)`` is the
  scalar entry (r, c) of a matrix;
* the report uses ``n`` (the number of examples of D in the assignment) as the last
  index of sums over hidden or output units; it is declared as its own dimension, so
  each such slip is a checked, separately labelled step;
* the engine differentiates with respect to declared vectors and scalars only, so a
  derivative in a matrix entry W_kj is the derivative in t of the loss at W + t E_kj
  (E_kj = e_k e_j^T), and a matrix gradient G is checked through every direction U:
  d/dt L(W + t U) = <U, G> (``frob``).  Both sides are written at the point W + t U,
  which ranges over every matrix, so nothing is lost.

>>> from derivations import get
>>> get("bp_1_7_corrected").source.question
'1.7-1.8'
"""

from __future__ import annotations

from dataclasses import dataclass

from symbolic import DiagOf, Derivation, Dot, Entry, Grad, LogSumExp, OneHot, Softmax, Source, Step, SumEntries, sp

from ._registry import register

SEED_FILE = "003_0082cff914aa8810.txt"
Q = sp.Symbol("q", integer=True)  # bound summation index
I = sp.Symbol("i", integer=True)  # bound summation index
J = sp.Symbol("j'", integer=True)  # bound summation index (the report's j')


def new(name: str, question: str, version: str, statement: str) -> Derivation:
    """A derivation of this seed, with its source recorded.

    >>> new("demo", "1.1", "corrected", "demo").source.file
    '003_0082cff914aa8810.txt'
    """
    return Derivation(name, statement=statement, source=Source(SEED_FILE, question, version))


def el(M, r, c):
    """Entry (r, c) of the matrix ``M`` (0-based), as a scalar.

    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> el(sp.MatrixSymbol("W", n, n), 0, 1).func.__name__
    'Entry'
    """
    return Entry(M * OneHot(c, M.shape[1]), r)


def frob(U, G):
    """Frobenius inner product <U, G> = sum_q e_q^T U^T G e_q of two matrices of one shape.

    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> isinstance(frob(sp.MatrixSymbol("U", n, n), sp.MatrixSymbol("G", n, n)), sp.Sum)
    True
    """
    cols = U.shape[1]
    return sp.Sum(Dot(OneHot(Q, cols).T * U.T * G * OneHot(Q, cols)), (Q, 0, cols - 1))


def sqsum(W):
    """Sum of the squared entries of ``W`` (the report's sum_{i,j} W_ij^2).

    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> isinstance(sqsum(sp.MatrixSymbol("W", n, n)), sp.Sum)
    True
    """
    return frob(W, W)


def expsum(v, i=I):
    """sum_i exp(v_i) over the entries of the column vector ``v``.

    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> expsum(sp.MatrixSymbol("v", n, 1)).limits[0][2]
    n - 1
    """
    return sp.Sum(sp.exp(Entry(v, i)), (i, 0, v.shape[0] - 1))


def ce_loss(oa, y):
    """The loss of 1.4 in terms of the output pre-activations: -o^a_y + log sum_i exp(o^a_i).

    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> ce_loss(sp.MatrixSymbol("o", n, 1), 0).has(sp.log)
    False
    """
    return -Entry(oa, y) + LogSumExp(oa)


@dataclass
class Net:
    """The declarations of the report's network on one derivation, and its formulas.

    >>> net = Net.declare(Derivation("demo"))
    >>> net.oa().shape
    (m, 1)
    """

    d: Derivation
    dim: sp.Symbol
    dh: sp.Symbol
    m: sp.Symbol
    n: sp.Symbol | None
    W1: sp.MatrixSymbol
    b1: sp.MatrixSymbol
    W2: sp.MatrixSymbol
    b2: sp.MatrixSymbol
    x: sp.MatrixSymbol
    y: sp.Symbol
    relu: object

    @classmethod
    def declare(cls, d: Derivation, *, with_n: bool = False) -> "Net":
        """Declare [n], d, d_h, m (in this order: the sampler sizes them in turn) and the parameters."""
        n = d.dim("n") if with_n else None
        dim, dh, m = d.dim("d"), d.dim("d_h"), d.dim("m")
        W1 = d.matrix("W1", dh, dim, latex=r"\mathbf{W}^{(1)}")
        b1 = d.vector("b1", dh, latex=r"\mathbf{b}^{(1)}")
        W2 = d.matrix("W2", m, dh, latex=r"\mathbf{W}^{(2)}")
        b2 = d.vector("b2", m, latex=r"\mathbf{b}^{(2)}")
        x = d.vector("x", dim)
        y = d.index("y", lower=0, upper_sample=2)
        relu = d.function("relu", kind="relu")
        return cls(d, dim, dh, m, n, W1, b1, W2, b2, x, y, relu)

    def ha(self, W1=None, b1=None, x=None):
        """h^a = W1 x + b1."""
        W1, b1, x = (v if v is not None else dflt for v, dflt in ((W1, self.W1), (b1, self.b1), (x, self.x)))
        return W1 * x + b1

    def hs(self, **kw):
        """h^s = relu(h^a), element-wise."""
        return self.relu(self.ha(**kw))

    def oa(self, W2=None, hs=None, **kw):
        """o^a = W2 h^s + b2."""
        return (W2 if W2 is not None else self.W2) * (hs if hs is not None else self.hs(**kw)) + self.b2

    def loss(self, **kw):
        """L = -o^a_y + log sum exp(o^a) (keywords replace W1, b1, x, W2 or h^s)."""
        return ce_loss(self.oa(**kw), self.y)

    def g_oa(self, **kw):
        """dL/do^a = softmax(o^a) - onehot_m(y)."""
        return Softmax(self.oa(**kw)) - OneHot(self.y, self.m)

    def g_hs(self, W2=None, **kw):
        """dL/dh^s = W2^T dL/do^a."""
        return (W2 if W2 is not None else self.W2).T * self.g_oa(W2=W2, **kw)

    def g_ha(self, W2=None, hs=None, **kw):
        """dL/dh^a = 1[h^a > 0] * dL/dh^s (element-wise; relu' is the indicator)."""
        return DiagOf(self.relu.prime(self.ha(**kw))) * self.g_hs(W2=W2, hs=hs, **kw)


# -- 1.1-1.2: forward pass -------------------------------------------------------
def _forward(version: str) -> Derivation:
    sub = version == "submitted"
    d = new(f"bp_1_1_{version}", "1.1-1.2", version,
            "Forward pass: sizes of b1 and W2, h^a, h^s and o^a element by element.")
    net = Net.declare(d, with_n=sub)
    i, k = d.index("i", lower=0, upper=net.dh - 1), d.index("k", lower=0, upper=net.m - 1)
    hs = d.vector("hs", net.dh, latex=r"\mathbf{h}^{s}")
    W1, x, b1, dim = net.W1, net.x, net.b1, net.dim
    ha = net.ha()
    d.claim(b1.shape[0], "=", ha.shape[0], "1.1a", why="b has the size d_h of W1 x, so that W1 x + b is defined")
    if sub:  # read for d >= 3, as written (x_1, x_2, ..., x_d)
        d.assume(dim >= 3, name="the formula lists x_1, x_2 and x_d")
        middle = sp.Sum(el(W1, i, Q) * Entry(x, Q), (Q, 2, dim - 2))
        elem = (el(W1, i, 0) * Entry(x, 0) * el(W1, i, 1) * Entry(x, 1) + middle
                + el(W1, i, dim - 1) * Entry(x, dim - 1) * Entry(b1, i))
        why = "element formula as written: W_i1 x_1 W_i2 x_2 + ... + W_id x_d b_i (products where sums belong)"
    else:
        elem = sp.Sum(el(W1, i, Q) * Entry(x, Q), (Q, 0, dim - 1)) + Entry(b1, i)
        why = "row i of W1 times x, plus b_i"
    d.claim(Entry(ha, i), "=", elem, "1.1b", why=why)
    hai = Entry(ha, i)
    d.start(net.relu(hai))
    d.eq(hai * Step(hai), "1.1c", why="h^s_i = h^a_i * 1[h^a_i > 0]")
    d.eq(sp.Max(hai, 0), "1.1d", why="= max(h^a_i, 0)")
    oa = net.W2 * hs + net.b2
    d.claim(net.W2.shape[1], "=", hs.shape[0], "1.2a", why="W2 has d_h columns, one per hidden unit")
    d.claim(net.b2.shape[0], "=", oa.shape[0], "1.2b", why="b2 has m entries, one per output")
    top = net.n if sub else net.dh
    d.claim(Entry(oa, k), "=", sp.Sum(el(net.W2, k, Q) * Entry(hs, Q), (Q, 0, top - 1)) + Entry(net.b2, k), "1.2c",
            why="o^a_k = W_k1 h^s_1 + ... + W_kn h^s_n + b_k"
            + (" (n where d_h belongs)" if sub else " with d_h terms"))
    return d


@register
def bp_1_1_submitted() -> Derivation:
    """1.1-1.2 as submitted: the element formula of h^a multiplies, o^a sums to n."""
    return _forward("submitted")


@register
def bp_1_1_corrected() -> Derivation:
    """1.1-1.2 corrected."""
    return _forward("corrected")


# -- 1.3: softmax ----------------------------------------------------------------
def _softmax(version: str) -> Derivation:
    sub = version == "submitted"
    d = new(f"bp_1_3_{version}", "1.3", version, "o^s = softmax(o^a) is positive and sums to one.")
    n = d.dim("n") if sub else None  # before m: the sampler sizes dimensions in turn
    m = d.dim("m")
    oa = d.vector("oa", m, latex=r"\mathbf{o}^{a}")
    k = d.index("k", lower=0, upper_sample=2)
    S = expsum(oa)
    last = n if sub else m
    d.claim(Entry(Softmax(oa), m - 1), "=", sp.exp(Entry(oa, last - 1)) / S, "1.3a",
            why="o^s = (e^{o_1}, ..., e^{o_n}) / sum_{i<=m} e^{o_i}: last entry"
            + (" indexed n, o^s has m" if sub else ""))
    d.claim(Entry(Softmax(oa), k), "=", sp.exp(Entry(oa, k)) / S, "1.3b", why="entry k of the softmax")
    d.claim(Entry(Softmax(oa), k), ">", 0, "1.3c", why="exp is positive, so numerator and denominator are")
    Sj = expsum(oa, J)
    d.start(SumEntries(Softmax(oa)))
    d.eq(sp.Sum(sp.exp(Entry(oa, I)) / Sj, (I, 0, m - 1)), "1.3d", why="sum the entries")
    d.eq(S / Sj, "1.3e", why="factor out the common denominator")
    d.eq(1, "1.3f", why="same sum above and below")
    return d


@register
def bp_1_3_submitted() -> Derivation:
    """1.3 as submitted: the displayed vector runs to e^{o_n}."""
    return _softmax("submitted")


@register
def bp_1_3_corrected() -> Derivation:
    """1.3 corrected."""
    return _softmax("corrected")


# -- 1.4: the loss -----------------------------------------------------------------
def _loss(version: str) -> Derivation:
    d = new(f"bp_1_4_{version}", "1.4", version, "L = -log o^s_y = -o^a_y + log sum_i exp(o^a_i).")
    m = d.dim("m")
    oa = d.vector("oa", m, latex=r"\mathbf{o}^{a}")
    y = d.index("y", lower=0, upper=m - 1)
    S = expsum(oa)
    d.start(-sp.log(Entry(Softmax(oa), y)))
    d.eq(-sp.log(sp.exp(Entry(oa, y)) / S), "1.4a", why="definition of the softmax")
    d.eq(-sp.log(sp.exp(Entry(oa, y))) + sp.log(S), "1.4b", why="log of a quotient")
    d.eq(-Entry(oa, y) + sp.log(S), "1.4c", why="log exp = identity")
    if version == "corrected":
        d.eq(ce_loss(oa, y), "1.4d", why="the log-sum-exp of o^a")
    return d


@register
def bp_1_4_submitted() -> Derivation:
    """1.4 as submitted (correct)."""
    return _loss("submitted")


@register
def bp_1_4_corrected() -> Derivation:
    """1.4 corrected (one more line: log-sum-exp)."""
    return _loss("corrected")


# -- 1.5: empirical risk and number of parameters ------------------------------------
def _risk(version: str) -> Derivation:
    sub = version == "submitted"
    d = new(f"bp_1_5_{version}", "1.5", version,
            "Empirical risk of f on D = {(x_i, y_i)}, i = 1..n, and the number of scalar parameters. "
            "o(i) is the network's output o^a(x_i) (any network: the claim is about R), y(i) a valid label.")
    dim, n, dh, m = d.dim("d"), d.dim("n"), d.dim("d_h"), d.dim("m")
    t = d.index("t", lower=1)
    o = d.sequence("o", size=m, latex=r"\mathbf{o}^{a}")
    lab = d.sequence("ylab", index=t, recurrence=lambda t, prev: (m - 1) - prev, start=1, initial=0,
                     latex="y")
    risk = sp.Sum(-sp.log(Entry(Softmax(o(I)), lab(I))), (I, 1, n))
    if sub:
        oa = d.vector("oa", m, latex=r"\mathbf{o}^{a}")
        y = d.index("y", lower=0, upper_sample=2)
        d.claim(risk, "=", sp.Sum(ce_loss(oa, y), (I, 1, n)), "1.5a",
                why="R(f, D) = sum_{i=1}^n L(x, y): the summand does not depend on i")
    else:
        d.claim(risk, "=", sp.Sum(ce_loss(o(I), lab(I)), (I, 1, n)), "1.5a",
                why="R(f, D) = sum_i L(x_i, y_i), each loss written as in 1.4")
    count = sum((SumEntries(sp.OneMatrix(r, c)) for r, c in ((dh, dim), (dh, 1), (m, dh), (m, 1))), sp.Integer(0))
    d.claim(count, "=", dh * dim + dh + m * dh + m, "1.5b",
            why="n_theta: the entries of W1, b1, W2 and b2")
    return d


@register
def bp_1_5_submitted() -> Derivation:
    """1.5 as submitted: the risk sums L(x, y) without indexing the examples."""
    return _risk("submitted")


@register
def bp_1_5_corrected() -> Derivation:
    """1.5 corrected."""
    return _risk("corrected")


# -- 1.6: gradient descent -------------------------------------------------------------
def _descent(version: str) -> Derivation:
    sub = version == "submitted"
    d = new(f"bp_1_6_{version}", "1.6", version,
            "The update of gradient descent decreases the loss to first order: the change of L along the "
            "update is <grad L, update>.  Shown on the b2 block; the code itself is checked by code_1_6_*.")
    net = Net.declare(d)
    hs = d.vector("hs", net.dh, latex=r"\mathbf{h}^{s}")
    eta = d.scalar("eta", positive=True)
    L = net.loss(hs=hs)
    g = Grad(L, net.b2)
    step = eta * g if sub else -eta * g
    d.claim(Dot(g.T * step), "<=", 0, "1.6",
            why="theta <- theta + learningRate * gradient (moves up the gradient)" if sub
            else "theta <- theta - eta * gradient: first-order change -eta ||grad||^2")
    return d


@register
def bp_1_6_submitted() -> Derivation:
    """1.6 as submitted: the update adds the gradient (ascent)."""
    return _descent("submitted")


@register
def bp_1_6_corrected() -> Derivation:
    """1.6 corrected: the update subtracts the gradient."""
    return _descent("corrected")


# -- 1.7-1.8: gradient in o^a --------------------------------------------------------
def _grad_oa(version: str) -> Derivation:
    sub = version == "submitted"
    d = new(f"bp_1_7_{version}", "1.7-1.8", version, "dL/do^a = o^s - onehot_m(y), entry by entry, then as a vector.")
    m = d.dim("m")
    oa = d.vector("oa", m, latex=r"\mathbf{o}^{a}")
    y = d.index("y", lower=0, upper=m - 1)
    k = d.index("k", lower=0, upper=m - 1)
    d.assume(sp.Ne(k, y), name="k != y (the first case of the report)")
    S = expsum(oa)
    L = -Entry(oa, y) + sp.log(S)
    d.start(Entry(Grad(L, oa), k))
    d.eq(0 + Entry(Grad(sp.log(S), oa), k), "1.7a", why="k != y: o^a_y does not depend on o^a_k")
    d.eq(Entry(Grad(S, oa), k) / S, "1.7b", why="derivative of the log")
    d.eq(Entry(Grad(sp.exp(Entry(oa, k)), oa), k) / S, "1.7c", why="only the term i = k depends on o^a_k")
    d.eq(sp.exp(Entry(oa, k)) / S, "1.7d", why="derivative of exp")
    d.claim(Entry(Grad(L, oa), y), "=", -Entry(Grad(Entry(oa, y), oa), y) + Entry(Grad(sp.log(S), oa), y), "1.7e",
            why="k = y: differentiate both terms")
    d.eq(-1 + sp.exp(Entry(oa, y)) / S, "1.7f", why="same computation as for k != y, plus -1")
    if sub:
        d.claim(Entry(Grad(L, oa), y), "=", (sp.exp(Entry(oa, y)) - 1) / S, "1.7g",
                why="(1/sum)((e^{o_1}, ..., e^{o_m}) - onehot_m(y)), entry y: 1/sum also divides the onehot")
    else:
        d.claim(Entry(Grad(L, oa), y), "=", sp.exp(Entry(oa, y)) / S - 1, "1.7g",
                why="entry y of (1/sum)(e^{o_1}, ..., e^{o_m}) - onehot_m(y)")
    d.claim(Grad(L, oa), "=", Softmax(oa) - OneHot(y, m), "1.7h", why="= o^s - onehot_m(y)")
    d.claim(Grad(ce_loss(oa, y), oa), "=", Softmax(oa) - OneHot(y, m), "1.8",
            why="what grad_oa computes: the outputs o^s, minus 1 at entry y")
    return d


@register
def bp_1_7_submitted() -> Derivation:
    """1.7-1.8 as submitted: the final vector puts onehot under 1/sum."""
    return _grad_oa("submitted")


@register
def bp_1_7_corrected() -> Derivation:
    """1.7-1.8 corrected."""
    return _grad_oa("corrected")
