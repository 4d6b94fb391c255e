"""Hypotheses with a free index, and vectors declared with bounded entries (issue 12, item 6)."""

from __future__ import annotations

import numpy as np
import pytest

from symbolic import Derivation, InvalidInputError, Verdict, check, sp
from symbolic.algebra import Entry
from symbolic.checks.context import CheckContext
from symbolic.checks.search import _perturb
from symbolic.verdicts.engine import step_key
from symbolic.checks.sampling import Sampler

NOT_REFUTED = (Verdict.PROVED, Verdict.CONFIRMED)


def _entries(r, name):
    return [row[0] for row in r.counterexample.values[name]]


def _jensen(d, x, n):
    """log of the mean >= mean of the logs: true for positive entries (concavity of log)."""
    i = sp.Symbol("i", integer=True)
    lhs = sp.log(sp.Sum(Entry(x, i), (i, 0, n - 1)) / n)
    rhs = sp.Sum(sp.log(Entry(x, i)), (i, 0, n - 1)) / n
    return d.claim(lhs, ">=", rhs, "jensen")


def test_hypothesis_with_free_index_holds_for_every_entry():
    d = Derivation("jensen_assumed"); n = d.dim("n"); x = d.vector("x", n)
    j = d.index("j", lower=0, upper=n - 1)
    d.assume(Entry(x, j) > 0)
    r = check(_jensen(d, x, n), cache=False).step("jensen")
    assert r.verdict in NOT_REFUTED, r


def test_hypothesis_with_free_unbounded_index_covers_the_whole_vector():
    d = Derivation("jensen_unbounded"); n = d.dim("n"); x = d.vector("x", n)
    j = d.index("j", lower=0)  # no upper bound: the entries past the end are not spoken of
    d.assume(Entry(x, j) > 0)
    r = check(_jensen(d, x, n), cache=False).step("jensen")
    assert r.verdict in NOT_REFUTED, r


def test_positive_vector_declaration_makes_jensen_hold():
    d = Derivation("jensen_declared"); n = d.dim("n"); x = d.vector("x", n, positive=True)
    r = check(_jensen(d, x, n), cache=False).step("jensen")
    assert r.verdict in NOT_REFUTED, r


def test_claims_under_free_index_hypothesis_are_judged_inside_the_hypothesis():
    d = Derivation("sum_vs_entry"); n = d.dim("n"); x = d.vector("x", n)
    j = d.index("j", lower=0, upper=n - 1)
    i = sp.Symbol("i", integer=True)
    d.assume(Entry(x, j) > 0)
    d.claim(sp.Sum(Entry(x, i), (i, 0, n - 1)), ">=", Entry(x, j), "true")  # a sum of positive entries
    d.claim(sp.Sum(Entry(x, i), (i, 0, n - 1)), ">=", n * Entry(x, j), "wrong")  # fails unless x_j is smallest
    res = check(d, cache=False)
    assert res.step("true").verdict in NOT_REFUTED, res.step("true")
    wrong = res.step("wrong")
    assert wrong.verdict is Verdict.REFUTED
    xs = _entries(wrong, "x")
    assert len(xs) > 1 and all(v > 0 for v in xs), wrong.counterexample.values  # at every index, not just j


def test_wrong_claim_with_positive_vector_is_refuted_by_small_positive_entries():
    d = Derivation("sum_positive"); n = d.dim("n"); x = d.vector("x", n, positive=True)
    i = sp.Symbol("i", integer=True)
    d.claim(sp.Sum(Entry(x, i), (i, 0, n - 1)), ">=", 1, "c")
    r = check(d, cache=False).step("c")
    assert r.verdict is Verdict.REFUTED
    xs = _entries(r, "x")
    assert all(v > 0 for v in xs) and sum(xs) < 1, xs


def test_probability_vector_max_entry_claim_is_refuted_on_the_simplex():
    d = Derivation("max_prob"); p = d.vector("p", 3, probability=True)
    d.claim(sp.Max(Entry(p, 0), Entry(p, 1), Entry(p, 2)), ">=", 1, "c")
    r = check(d, cache=False).step("c")
    assert r.verdict is Verdict.REFUTED
    ps = _entries(r, "p")
    assert all(v >= 0 for v in ps) and abs(sum(ps) - 1) < 1e-9, ps


def test_probability_vector_true_claims_are_not_refuted():
    d = Derivation("prob_true"); n = d.dim("n"); p = d.vector("p", n, probability=True)
    i = sp.Symbol("i", integer=True)
    d.claim(sp.Sum(Entry(p, i), (i, 0, n - 1)), "=", 1, "sum")  # exactly 1, also at 60 and 100 digits
    d.claim(sp.Sum(Entry(p, i) ** 2, (i, 0, n - 1)), "<=", 1, "sq")
    d.claim(sp.Sum(Entry(p, i) ** 2, (i, 0, n - 1)), ">=", 1 / n, "cs")
    d.claim(sp.Sum(Entry(p, i) ** 2, (i, 0, n - 1)), ">=", 1, "wrong")
    res = check(d, cache=False, stress=True)
    for label in ("sum", "sq", "cs"):
        assert res.step(label).verdict in NOT_REFUTED, res.step(label)
    wrong = res.step("wrong")
    assert wrong.verdict is Verdict.REFUTED
    ps = _entries(wrong, "p")
    assert all(v >= 0 for v in ps) and abs(sum(ps) - 1) < 1e-9, ps


def test_entries_in_an_interval():
    d = Derivation("unit_entries"); n = d.dim("n"); x = d.vector("x", n, entries="(0, 1)")
    j = d.index("j", lower=0, upper=n - 1)
    d.claim(Entry(x, j) ** 2, "<=", Entry(x, j), "sq")
    d.claim(Entry(x, j), ">=", sp.Rational(1, 2), "half")
    res = check(d, cache=False, stress=True)
    assert res.step("sq").verdict in NOT_REFUTED
    half = res.step("half")
    assert half.verdict is Verdict.REFUTED
    assert all(0 < v < 1 for v in _entries(half, "x"))


def test_every_drawn_and_searched_instance_respects_the_declarations():
    d = Derivation("draws"); n = d.dim("n")
    x, u = d.vector("x", n, positive=True), d.vector("u", n, nonnegative=True)
    p, w = d.vector("p", n, probability=True), d.vector("w", n, entries="[-1, 2)")
    s = Sampler(d, seed=3, stress=True)
    rng = np.random.default_rng(0)
    for k in range(12):  # plain and extreme (stress) instances
        inst = s.instance(k)
        assert (inst.values[x] > 0).all() and (inst.values[u] >= 0).all()
        assert (inst.values[p] >= 0).all() and sum(inst.values[p].ravel().tolist()) == 1.0
        assert ((inst.values[w] >= -1) & (inst.values[w] < 2)).all()
        for _ in range(10):  # the local search's moves stay admissible
            cand = _perturb(inst, rng, s)
            assert cand is not None and s.satisfies(cand)
    inst = s.instance(0)
    assert not s.satisfies(inst.with_values({x: -inst.values[x]}))
    assert not s.satisfies(inst.with_values({p: inst.values[p] * 0.5}))


def test_free_index_hypothesis_gates_every_index_value():
    d = Derivation("gate"); n = d.dim("n"); x = d.vector("x", n)
    j = d.index("j", lower=0, upper=n - 1)
    d.assume(Entry(x, j) >= 0)
    s = Sampler(d, seed=0)
    inst = s.instance(1)
    size = int(inst.values[n])
    assert size > 1 and (inst.values[x] >= 0).all()
    other = (int(inst.values[j]) + 1) % size
    bad = np.array(inst.values[x], dtype=float); bad[other, 0] = -1.0
    assert not s.satisfies(inst.with_values({x: bad}))  # the drawn j is fine; another index is not
    rng = np.random.default_rng(0)
    moves = [_perturb(inst, rng, s) for _ in range(20)]  # the local search moves x inside the hypothesis
    assert all(m is not None and s.satisfies(m) for m in moves)


def test_index_used_as_a_number_still_restricts_the_draw():
    d = Derivation("index_restriction"); t = d.index("t", lower=0)
    d.assume(t >= 2)
    s = Sampler(d, seed=0)
    assert all(int(s.instance(k).values[t]) >= 2 for k in range(6))


def test_vector_declaration_errors_name_derivation_and_symbol():
    d = Derivation("bad_decls"); n = d.dim("n")
    with pytest.raises(InvalidInputError, match="bad_decls.*x.*contradict"):
        d.vector("x", n, positive=True, entries="(-1, 0)")
    with pytest.raises(InvalidInputError, match="bad_decls.*p.*probability"):
        d.vector("p", n, probability=True, entries="(0, 1)")
    d.vector("q", n, probability=True, positive=True)  # fine: entries > 0 summing to 1
    assert d.decls["q"].entries == (0.0, 1.0, True, False)


def test_entry_declarations_are_part_of_the_cache_key():
    keys = []
    for kw in ({}, {"positive": True}, {"probability": True}):
        d = Derivation("key"); n = d.dim("n"); x = d.vector("x", n, **kw)
        d.claim(Entry(x, 0), ">=", 0, "c")
        keys.append(step_key(d, d.steps[0], 0, 24))
    assert len(set(keys)) == 3
    plain = Derivation("key"); plain.matrix("x", plain.dim("n"), 1)
    assert "entries" not in repr(plain.decls["x"])  # undeclared bounds leave older keys as they were


def test_prover_knows_free_index_hypotheses_and_entry_declarations_at_every_index():
    d = Derivation("facts"); n = d.dim("n"); x = d.vector("x", n); y = d.vector("y", n, positive=True)
    j, k = d.index("j", lower=0, upper=n - 1), d.index("k", lower=0, upper=n - 1)
    c = d.scalar("c", positive=True)
    d.assume(Entry(x, j) > 0)
    d.claim(2 * Entry(x, k), ">", 0, "x")  # k is not j: the hypothesis holds at every index
    d.claim(c * Entry(y, k), ">=", 0, "y")
    res = check(d, cache=False)
    for label in ("x", "y"):
        r = res.step(label)
        assert r.verdict is Verdict.PROVED and "hypothesis 0 < Entry" in r.evidence.method, r
    assert CheckContext.build(d).prover.strict_facts  # the instantiated facts reach the prover


def test_report_states_the_entry_declarations():
    from symbolic.emit.latex_report import derivation_body
    from symbolic.emit.report_text import texts

    d = Derivation("latex_decls"); n = d.dim("n")
    d.vector("p", n, probability=True); d.vector("x", n, positive=True); d.vector("u", n, entries="[0, 1)")
    body = derivation_body(d, None, texts("en"), title="Example", error="not checked")
    assert r"\mathbf{p}_{i} \ge 0 \ \forall i,\quad \sum_{i} \mathbf{p}_{i} = 1" in body
    assert r"\mathbf{x}_{i} > 0 \ \forall i" in body and r"\mathbf{u}_{i} \in [0, 1) \ \forall i" in body
