"""Seed 000, Question 2: SGD with momentum and the exponential moving average (EMA).

Each answer is encoded twice: as submitted (the student's chain, mistakes
included, labelled with the equation numbers of the answer) and corrected.

Conventions shared by the factories:

* 2.1 works with vectors of symbolic size ``n`` at a fixed index t: ``v_t``,
  ``v_{t-1}``, ``Delta theta_t``, ``Delta theta_{t-1}`` and ``g_t`` are declared
  vectors, and the update rules are definitions.  The two methods get separate
  symbols (``v``/``Dtheta`` for momentum, ``w``/``Dphi`` for the EMA, both
  printed as v and Delta theta) because a definition holds for the whole
  derivation.
* 2.2 and 2.3 need sums over i of terms in g_i, so the sequences are scalar:
  the recursions are linear and act coordinate by coordinate, so a scalar
  sequence is one coordinate of the vector one, with no loss of generality.
"""

from __future__ import annotations

from symbolic import Derivation, Expect, Source, sp

from ._registry import get, register

SEED_FILE = "000_fb61d5ace7e02265.txt"

I = sp.Symbol("i", integer=True, positive=True)  # summation index of the unrolled sums


def _new(name: str, question: str, version: str, statement: str) -> Derivation:
    return Derivation(name, statement=statement, source=Source(SEED_FILE, question, version))


# ---------------------------------------------------------------------- 2.1


def _q2_1(d: Derivation, corrected: bool) -> Derivation:
    """The two recursions in Delta theta_t, (14)-(21), and the parameter map."""
    n = d.dim("n")
    alpha = d.scalar("alpha", interval="(0, 1)", latex=r"\alpha")
    eps = d.scalar("epsilon", positive=True, latex=r"\epsilon")
    beta = d.scalar("beta", interval="(0, 1)", latex=r"\beta")
    delta = d.scalar("delta", positive=True, latex=r"\delta")
    g = d.vector("g_t", n, latex=r"\mathbf{g}_t")
    # momentum
    v = d.vector("v_t", n, latex=r"\mathbf{v}_t")
    v_prev = d.vector("v_tm1", n, latex=r"\mathbf{v}_{t-1}")
    th = d.vector("Dtheta_t", n, latex=r"\Delta\boldsymbol{\theta}_t")
    th_prev = d.vector("Dtheta_tm1", n, latex=r"\Delta\boldsymbol{\theta}_{t-1}")
    # moving average
    w = d.vector("w_t", n, latex=r"\mathbf{v}_t")
    w_prev = d.vector("w_tm1", n, latex=r"\mathbf{v}_{t-1}")
    ph = d.vector("Dphi_t", n, latex=r"\Delta\boldsymbol{\theta}_t")
    ph_prev = d.vector("Dphi_tm1", n, latex=r"\Delta\boldsymbol{\theta}_{t-1}")

    d.define(th, -v).define(v, alpha * v_prev + eps * g).define(v_prev, -th_prev)
    d.define(ph, -delta * w).define(w, beta * w_prev + (1 - beta) * g).define(w_prev, -ph_prev / delta)

    momentum = alpha * th_prev - eps * g
    ema = beta * ph_prev - delta * (1 - beta) * g
    # "map": the momentum recursion, with alpha = beta, epsilon = delta (1 - beta) and the same
    # Delta theta_{t-1}, is the moving-average recursion (the student's term-by-term identification)
    d.start(th)
    d.eq(-v, "14", why="update rule of momentum")
    d.eq(-(alpha * v_prev + eps * g), "15", why="momentum recursion for v_t")
    d.eq(-(alpha * (-th_prev) + eps * g), "16", why="v_{t-1} = -Delta theta_{t-1}")
    d.eq(momentum, "17", why="expand")
    d.start(ph)
    d.eq(-delta * w, "18", why="update rule of the moving average")
    d.eq(-delta * (beta * w_prev + (1 - beta) * g), "19", why="moving-average recursion for v_t")
    d.eq(-delta * (beta * (-ph_prev / delta) + (1 - beta) * g), "20", why="v_{t-1} = -Delta theta_{t-1} / delta")
    d.eq(ema, "21", why="expand")
    d.claim(momentum.xreplace({alpha: beta, eps: delta * (1 - beta), th_prev: ph_prev}), "=", ema, "map",
            why="identify term by term: alpha = beta, epsilon = delta (1 - beta)")
    if corrected:
        d.claim(momentum.xreplace({th_prev: ph_prev}) - ema, "=",
                (alpha - beta) * ph_prev - (eps - delta * (1 - beta)) * g, "coefficients",
                why="the recursions agree for every Delta theta_{t-1} and g_t iff both coefficients vanish")
        d.claim(ema.xreplace({beta: alpha, delta: eps / (1 - alpha), ph_prev: th_prev}), "=", momentum,
                "map-inverse", why="conversely beta = alpha, delta = epsilon / (1 - alpha) (alpha < 1)")
    return d


@register
def q2_1_momentum_ema_submitted() -> Derivation:
    """2.1 as submitted: both recursions and the map alpha = beta, epsilon = delta (1 - beta)."""
    d = _new("q2_1_momentum_ema_submitted", "2.1", "submitted",
             "Momentum and moving-average updates as recursions in Delta theta_t; equal when "
             "alpha = beta, epsilon = delta (1 - beta)")
    return _q2_1(d, corrected=False)


@register
def q2_1_momentum_ema_corrected() -> Derivation:
    """2.1 corrected: the same recursions, with the map checked in both directions."""
    d = _new("q2_1_momentum_ema_corrected", "2.1", "corrected",
             "Momentum and moving-average updates as recursions in Delta theta_t; equal iff "
             "alpha = beta, epsilon = delta (1 - beta)")
    return _q2_1(d, corrected=True)


# ---------------------------------------------------------------------- 2.2


def _sequences(d: Derivation, initial: int | None) -> tuple:
    """beta, t, mu, g (stationary, mean mu) and the moving average v from index 0 (v_0 = ``initial``; None: free)."""
    beta = d.scalar("beta", interval="(0, 1)", latex=r"\beta")
    t = d.index("t", lower=1)
    mu = d.scalar("mu", latex=r"\mu")
    g = d.sequence("g", mean=mu, latex=r"g")
    v = d.sequence("v", index=t, start=0, initial=initial, latex=r"v",
                   recurrence=lambda t, prev: beta * prev + (1 - beta) * g(t))
    return beta, t, mu, g, v


@register
def q2_2_unrolled_submitted() -> Derivation:
    """2.2 as submitted: unrolling (22)-(24), closed form (26) and the momentum version (27).

    (22)-(24) are chain steps on v(t), v(t-1), ...; they mention v(t-3), so
    they only make sense for t >= 3 (smaller sampled t are not evaluable and
    are skipped).  The "..." of (25) is not a step: (26) is checked as the
    induction claim it stands for.  v_0 is kept free, as in the student's (26).  The student's (27) is read
    as the unrolled *momentum* rule v_t = alpha v_{t-1} + epsilon g_t (the
    heading says "SGD avec momentum"); it writes the weights alpha^{t-i}
    (1 - alpha) where the momentum rule gives alpha^{t-i} epsilon.
    """
    d = _new("q2_2_unrolled_submitted", "2.2", "submitted",
             "v_t = beta^t v_0 + sum_{i=1}^t beta^{t-i} (1 - beta) g_i; momentum: alpha^{t-i} (1 - alpha)")
    beta, t, _mu, g, v = _sequences(d, initial=None)
    alpha = d.scalar("alpha", interval="(0, 1)", latex=r"\alpha")
    eps = d.scalar("epsilon", positive=True, latex=r"\epsilon")
    m = d.sequence("m", index=t, start=0, latex=r"v^{\mathrm{mom}}",
                   recurrence=lambda t, prev: alpha * prev + eps * g(t))
    d.start(v(t))
    d.eq(beta * v(t - 1) + (1 - beta) * g(t), "22", why="moving-average recursion")
    d.eq(beta * (beta * v(t - 2) + (1 - beta) * g(t - 1)) + (1 - beta) * g(t), "23",
         why="recursion at t-1")
    d.eq(beta * (beta * (beta * v(t - 3) + (1 - beta) * g(t - 2)) + (1 - beta) * g(t - 1)) + (1 - beta) * g(t),
         "24", why="recursion at t-2")
    d.induction(v, beta**t * v(0) + sp.Sum(beta**(t - I) * (1 - beta) * g(I), (I, 1, t)), "26",
                why="continue the unrolling down to v_0")
    d.induction(m, alpha**t * m(0) + sp.Sum(alpha**(t - I) * (1 - alpha) * g(I), (I, 1, t)), "27",
                why="same with beta = alpha")
    return d


@register
def q2_2_unrolled_corrected() -> Derivation:
    """2.2 corrected: closed forms of both recursions (v_0 = 0), by induction on t."""
    d = _new("q2_2_unrolled_corrected", "2.2", "corrected",
             "v_t = sum_{i=1}^t beta^{t-i} (1 - beta) g_i; momentum: v_t = sum_{i=1}^t alpha^{t-i} epsilon g_i")
    beta, t, _mu, g, v = _sequences(d, initial=0)
    alpha = d.scalar("alpha", interval="(0, 1)", latex=r"\alpha")
    eps = d.scalar("epsilon", positive=True, latex=r"\epsilon")
    m = d.sequence("m", index=t, start=0, initial=0, latex=r"v^{\mathrm{mom}}",
                   recurrence=lambda t, prev: alpha * prev + eps * g(t))
    d.induction(v, sp.Sum(beta**(t - I) * (1 - beta) * g(I), (I, 1, t)), "26",
                why="induction on t: empty sum at t = 0 (v_0 = 0); one application of the recursion")
    d.induction(m, sp.Sum(alpha**(t - I) * eps * g(I), (I, 1, t)), "27",
                why="induction on t; the momentum weights are alpha^{t-i} epsilon")
    return d


# ---------------------------------------------------------------------- 2.3


@register
def q2_3_bias_correction_submitted() -> Derivation:
    """2.3 as submitted: E[v_t] from the unrolled sum, then E[g_t] isolated, (28)-(30).

    The unrolled form comes from citing the corrected 2.2 (v_0 = 0, so E[v_0]
    rewrites to an empty sum); the student's (26) is correct, and citing the
    submitted 2.2 would gate every step on its wrong (27).  (30) keeps the sum
    of the weights unsimplified: correct, only not simplified to 1 - beta^t.
    """
    d = _new("q2_3_bias_correction_submitted", "2.3", "submitted",
             "E[g_t] = (E[v_t] - beta^t E[v_0]) / sum_{i=1}^t beta^{t-i} (1 - beta)")
    beta, t, _mu, g, v = _sequences(d, initial=0)
    d.cite(get("q2_2_unrolled_corrected"))
    weights = sp.Sum(beta**(t - I) * (1 - beta), (I, 1, t))
    d.start(Expect(v(t)))
    d.eq(beta**t * Expect(v(0)) + sp.Sum(beta**(t - I) * (1 - beta) * Expect(g(I)), (I, 1, t)), "28",
         why="linearity of expectation on the unrolled sum")
    d.eq(beta**t * Expect(v(0)) + Expect(g(t)) * weights, "29", why="g_i stationary: E[g_i] = E[g_t]")
    d.claim(Expect(g(t)), "=", (Expect(v(t)) - beta**t * Expect(v(0))) / weights, "30",
            why="isolate E[g_t]")
    return d


@register
def q2_3_bias_correction_corrected() -> Derivation:
    """2.3 corrected: E[v_t] = (1 - beta^t) E[g_t], so v_t / (1 - beta^t) is unbiased.

    Stated as chains through the sum of the weights W (a direct claim
    E[v_t] = (1 - beta^t) E[g_t] is only CONFIRMED: see the gap in the report).
    """
    d = _new("q2_3_bias_correction_corrected", "2.3", "corrected",
             "E[v_t] = (1 - beta^t) E[g_t]; E[g_t] = E[v_t] / (1 - beta^t)")
    beta, t, _mu, g, v = _sequences(d, initial=0)
    d.cite(get("q2_2_unrolled_corrected"))
    weights = sp.Sum(beta**(t - I) * (1 - beta), (I, 1, t))
    d.claim(weights, "=", 1 - beta**t, "W", why="geometric sum")
    d.start(Expect(v(t)))
    d.eq(sp.Sum(beta**(t - I) * (1 - beta) * Expect(g(I)), (I, 1, t)), "28",
         why="unrolled sum (v_0 = 0) and linearity of expectation")
    d.eq(Expect(g(t)) * weights, "29", why="g_i stationary: E[g_i] = E[g_t]")
    d.eq((1 - beta**t) * Expect(g(t)), "29b", why="geometric sum W")
    # the estimator: divide by 1 - beta^t > 0 (t >= 1, 0 < beta < 1)
    d.start(Expect(v(t) / (1 - beta**t)))
    d.eq(Expect(v(t)) / (1 - beta**t), "30a", why="linearity of expectation")
    d.eq(Expect(g(t)) * weights / (1 - beta**t), "30b", why="(29)")
    d.eq(Expect(g(t)), "30", why="W: E[g_t] = E[v_t] / (1 - beta^t), so v_t / (1 - beta^t) is unbiased")
    return d
