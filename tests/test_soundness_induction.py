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
    import symbolic.checks.induction as steps

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


# -- item 4: sympy's Derivative is cross-checked and refuted like Grad/Jac -----------------

def _derivative_claims():
    import sympy as sp

    d = Derivation("sympy_derivative")
    x, y = d.scalar("x"), d.scalar("y")
    d.claim(sp.Derivative(x**3, x), "=", 3 * x**2, "right")
    d.claim(sp.Derivative(x**3, x), "=", 2 * x**2, "wrong")
    d.claim(sp.Derivative(x**2 * y + sp.sin(y), y), "=", x**2 + sp.cos(y), "partial")
    d.claim(sp.Derivative(x**2 * y + sp.sin(y), y), "=", x**2 - sp.cos(y), "partial wrong")
    d.claim(sp.Derivative(x**4, (x, 2)), "=", 12 * x**2, "second")
    d.claim(sp.Derivative(x**4, (x, 2)), "=", 4 * x**3, "second wrong")
    d.claim(sp.Derivative(x**2 * y**3, x, y), "=", 6 * x * y**2, "mixed")
    return d


@pytest.fixture(scope="module")
def derivative_results():
    return check(_derivative_claims(), cache=False)


@pytest.mark.parametrize("label", ["right", "partial", "second", "mixed"])
def test_a_right_sympy_derivative_is_proved_and_cross_checked_by_finite_differences(derivative_results, label):
    res = derivative_results.step(label)
    assert res.verdict is Verdict.PROVED
    assert res.evidence.samples > 0
    assert "finite differences" in res.evidence.summary()


@pytest.mark.parametrize("label", ["wrong", "partial wrong", "second wrong"])
def test_a_wrong_sympy_derivative_is_refuted_with_a_verified_counterexample(derivative_results, label):
    from symbolic import replay

    res = derivative_results.step(label)
    assert res.verdict is Verdict.REFUTED
    assert "re-verified at 60 digits" in res.evidence.summary()
    lhs, rhs = replay(_derivative_claims(), label, res.counterexample.values)
    assert abs(float(lhs) - float(rhs)) > 1e-3


# -- item 10: evidence says what was tried and what decided --------------------------------

MISLEADING = ("disagrees with the claim (or could not be matched)", "symbolic attempt failed (",
              "sympy could not differentiate (", "finite differences decide")


def test_a_correct_derivative_sympy_cannot_do_is_confirmed_by_a_counted_numeric_check():
    import sympy as sp
    from symbolic import Relu

    d = Derivation("relu_square")
    x = d.scalar("x")
    d.claim(sp.Derivative(Relu(x) ** 2, x), "=", 2 * Relu(x), "1")
    res = check(d, cache=False).step("1")
    assert res.verdict is Verdict.CONFIRMED and res.disagreement is None
    summary = res.evidence.summary()
    assert "no symbolic proof: sympy could not differentiate Relu" in summary
    assert f"{res.evidence.samples} finite-difference checks agree" in summary


@pytest.mark.parametrize("name, label", [("bp_1_7_corrected", "1.7d"), ("bp_1_5_corrected", "1.5b")])
def test_built_in_correct_steps_where_sympy_merely_fails_carry_no_misleading_evidence(name, label):
    from derivations import get

    res = check(get(name), cache=False, only=[label]).step(label)
    assert res.verdict is Verdict.CONFIRMED
    assert res.disagreement is None
    summary = res.evidence.summary()
    assert not any(m in summary for m in MISLEADING), summary
    assert "no symbolic proof: " in summary
    assert f"{res.evidence.samples} " in summary and "checks agree to" in summary


def test_the_sympy_trap_keeps_its_disagreement_naming_the_wrong_derivative():
    from derivations import get

    res = check(get("example_weight_norm_trap"), cache=False, only=["right"]).step("right")
    assert res.verdict is Verdict.PROVED and "sympy" not in res.evidence.method  # by the chain rule
    assert res.disagreement and "sympy's derivative of Jac(" in res.disagreement
    assert "finite differences give a different value" in res.disagreement


def test_float64_mismatches_that_vanish_report_their_size_and_residual():
    from symbolic import Relu

    d = Derivation("rounding")
    x = d.scalar("x", interval="(0, 1)")
    d.claim(Relu(x + 10**12) - 10**12, "=", x, "1")  # cancellation: float64 loses ~4 digits, 60 digits none
    res = check(d, cache=False).step("1")
    assert res.verdict is Verdict.CONFIRMED
    note = next(n for n in res.evidence.notes if "float64 mismatches" in n)
    assert "(up to " in note and "at most " in note, note
    size = float(note.split("(up to ")[1].split(")")[0])
    assert size > 1e-9  # the float64 error is reported, not hidden behind a max error of 0
