"""Expectations of sequences defined by recurrences (issue 12, item 5).

An optimizer's moment estimate m_t = b m_{t-1} + (1 - b) g_t, m_0 = 0, with g_t
stationary of mean mu, has E[m_t] = (1 - b^t) mu.  The expectation must be
reduced exactly (linearity through the recurrence: a deterministic mean
sequence), never evaluated on one sampled path of g; an expectation that
cannot be reduced exactly is UNDECIDED with its reason, never REFUTED.
"""

from __future__ import annotations

from symbolic import Derivation, Expect, MatExpect, replay, sp
from symbolic.model.results import Verdict


def _ema(name: str, *, initial=0) -> tuple:
    d = Derivation(name)
    b = d.scalar("b", interval="(0, 1)")
    t = d.index("t", lower=1)
    mu = d.scalar("mu")
    g = d.sequence("g", mean=mu)
    m = d.sequence("m", index=t, start=0, initial=initial,
                   recurrence=lambda t, prev: b * prev + (1 - b) * g(t))
    return d, b, t, mu, g, m


def _verdicts(d: Derivation) -> dict:
    return {s.label: s for s in d.check(seed=0).steps}


def _no_sampled_terms(ce) -> None:
    assert ce is not None
    assert not any("(" in k for k in ce.values), f"a sampled sequence term in the counterexample: {ce.values}"


def test_true_mean_of_the_moving_average_is_proved():
    d, b, t, mu, g, m = _ema("ema_mean")
    d.claim(Expect(m(t)), "=", (1 - b**t) * mu, "mean")
    r = _verdicts(d)["mean"]
    assert r.verdict is Verdict.PROVED, (r.verdict, r.counterexample, r.reason)
    assert "induction" in r.evidence.method  # the closed form of the mean recurrence is proved, not assumed


def test_chain_through_the_recurrence_is_proved():
    d, b, t, mu, g, m = _ema("ema_chain")
    d.start(Expect(m(t)))
    d.eq(Expect(b * m(t - 1) + (1 - b) * g(t)), "rec", why="recurrence")
    d.eq(b * Expect(m(t - 1)) + (1 - b) * mu, "lin", why="linearity, E[g_t] = mu")
    d.eq((1 - b**t) * mu, "closed", why="solve the mean recurrence")
    r = _verdicts(d)
    for label in ("rec", "lin", "closed"):
        assert r[label].verdict is Verdict.PROVED, (label, r[label].verdict, r[label].counterexample)


def test_true_mean_of_the_vector_moving_average():
    d = Derivation("ema_mean_vector")
    n = d.dim("n")
    b = d.scalar("b", interval="(0, 1)")
    t = d.index("t", lower=1)
    mu = d.vector("mu", n)
    g = d.sequence("g", size=n, mean=mu)
    m = d.sequence("m", size=n, index=t, start=0, initial=sp.ZeroMatrix(n, 1),
                   recurrence=lambda t, prev: b * prev + (1 - b) * g(t))
    d.claim(MatExpect(m(t)), "=", (1 - b**t) * mu, "mean")
    d.claim(MatExpect(m(t)), "=", mu, "wrong")
    r = _verdicts(d)
    assert r["mean"].verdict in (Verdict.PROVED, Verdict.CONFIRMED), (r["mean"].verdict, r["mean"].counterexample)
    assert r["wrong"].verdict is Verdict.REFUTED
    _no_sampled_terms(r["wrong"].counterexample)


def test_wrong_means_are_refuted_on_parameters_only():
    d, b, t, mu, g, m = _ema("ema_wrong")
    d.claim(Expect(m(t)), "=", mu, "unbiased")
    d.claim(Expect(m(t)), "=", (1 - b**(t + 1)) * mu, "off_by_one")
    r = _verdicts(d)
    for label in ("unbiased", "off_by_one"):
        assert r[label].verdict is Verdict.REFUTED, (label, r[label].verdict)
        ce = r[label].counterexample
        _no_sampled_terms(ce)
        assert set(ce.values) <= {"b", "mu", "t"}
        lhs, rhs = replay(d, label, ce.values)  # the counterexample reproduces
        assert abs(lhs - rhs) > 1e-9


def test_mean_recurrence_without_closed_form_is_evaluated_exactly():
    d = Derivation("mean_no_closed_form")
    t = d.index("t", lower=1)
    mu = d.scalar("mu")
    g = d.sequence("g", mean=mu)
    k = d.sequence("k", index=t, start=0, initial=1, recurrence=lambda t, prev: t * prev + g(t))
    d.claim(Expect(k(2)), "=", 2 + 3 * mu, "k2")  # k_1 = 1 + g_1, k_2 = 2 k_1 + g_2
    d.claim(Expect(k(t)), "=", 1 + mu, "wrong")
    r = _verdicts(d)
    assert r["k2"].verdict in (Verdict.PROVED, Verdict.CONFIRMED), (r["k2"].verdict, r["k2"].counterexample)
    assert r["wrong"].verdict is Verdict.REFUTED
    _no_sampled_terms(r["wrong"].counterexample)


def test_expectations_that_cannot_be_reduced_are_never_refuted():
    d, b, t, mu, g, m = _ema("not_reducible")
    w = d.sequence("w", index=t, start=0, recurrence=lambda t, prev: b * prev + (1 - b) * g(t))  # free w_0
    h = d.sequence("h")  # random, no mean declared
    # only first moments are known: E[m_t^2] and E[exp(g_t)] are not determined by them
    d.claim(Expect(m(t)**2), "=", ((1 - b**t) * mu)**2, "second")
    d.claim(Expect(sp.exp(g(t))), "=", sp.exp(mu), "exp")
    d.claim(Expect(w(t)), "=", (1 - b**t) * mu, "free_start")
    d.claim(Expect(h(t)), "=", 0, "no_mean")
    r = _verdicts(d)
    for label in ("second", "exp", "free_start", "no_mean"):
        assert r[label].verdict is Verdict.UNDECIDED, (label, r[label].verdict, r[label].counterexample)
        assert "expectation" in r[label].reason and "never evaluated on one sample" in r[label].reason
