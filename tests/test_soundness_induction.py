"""Soundness of induction checks, derivative claims and the wording of evidence (issue 12, items 1, 4, 10)."""

from __future__ import annotations

import pytest

from symbolic import Derivation, Verdict, check
from symbolic.exceptions import BudgetExceeded


def _doubling(closed_form, **kw):
    d = Derivation("doubling")
    t = d.index("t", lower=0)
    v = d.sequence("v", index=t, recurrence=lambda t, prev: 2 * prev, start=0, initial=1)
    d.induction(v, closed_form(t), "1", **kw)
    return d


# -- item 1: induction under a tight budget ---------------------------------------------

def test_wrong_closed_form_under_tight_budget_is_never_confirmed():
    res = check(_doubling(lambda t: 2**t + t, budget=0.08), cache=False).step("1")
    assert res.verdict in (Verdict.REFUTED, Verdict.UNDECIDED), res


def test_wrong_closed_form_is_refuted_at_the_first_index_past_the_base():
    res = check(_doubling(lambda t: 2**t + t), cache=False).step("1")
    assert res.verdict is Verdict.REFUTED
    assert res.counterexample.values["t"] == 1


def test_evidence_lists_the_indices_checked_and_counts_only_those_past_the_base():
    res = check(_doubling(lambda t: 2**t), cache=False).step("1")
    assert res.verdict is Verdict.PROVED
    summary = res.evidence.summary()
    assert "t = 0 (base case), 1..20, 30, 40, ..., 200 on 2 instances" in summary, summary
    assert "up to" not in summary
    assert res.evidence.samples == 2 * (20 + 18)  # t = 1..20 and 30..200: the base case is not a sample


def _no_symbolic_induction(monkeypatch):
    import symbolic.checks.steps as steps

    monkeypatch.setattr(steps, "prove_zero", lambda *a, **k: None)
    return steps


def test_a_low_budget_stops_unrolling_only_after_the_first_indices(monkeypatch):
    steps = _no_symbolic_induction(monkeypatch)
    monkeypatch.setattr(steps, "remaining", lambda: 0.0)  # the budget looks spent from the start
    ok = check(_doubling(lambda t: 2**t), cache=False).step("1")
    assert ok.verdict is Verdict.CONFIRMED
    assert ok.evidence.samples == 2 * steps.PRIORITY_INDICES >= steps.MIN_SAMPLES
    assert "t = 0 (base case), 1..6 on 2 instances" in ok.evidence.summary()
    wrong = check(_doubling(lambda t: 2**t + t), cache=False).step("1")
    assert wrong.verdict is Verdict.REFUTED


def test_a_timeout_mid_unrolling_is_undecided_not_confirmed(monkeypatch):
    steps = _no_symbolic_induction(monkeypatch)
    calls = []

    def tick():
        calls.append(1)
        if len(calls) > 3:  # time runs out after the base case and two more indices
            raise BudgetExceeded("time budget exceeded")

    monkeypatch.setattr(steps, "check_time", tick, raising=False)
    res = check(_doubling(lambda t: 2**t), cache=False).step("1")
    assert res.verdict is Verdict.UNDECIDED, res
    assert "only 2 index value(s) past the base case" in res.reason
