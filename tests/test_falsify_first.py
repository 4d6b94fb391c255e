"""Falsify first: an equality one of its first random instances refutes gets no full proof attempt.

The instances a proof would be cross-checked on are drawn before the proof is tried; a verified
failure among them is the refutation (shrunk, as always), and only the prover's inexpensive rungs look
at the claim then, so that a backend "proving" a false equality is still reported.  A claim they do
not refute is proved or confirmed exactly as before, on the same instances.
"""

from __future__ import annotations

from symbolic import Derivation, LambdaMax, Norm, Verdict, check
import symbolic.checks.steps as steps


def _recording(monkeypatch, answer=None):
    calls = []
    real = steps.prove_equal

    def prove_equal(*a, **k):
        calls.append(k.get("cheap", False))
        return answer if answer is not None else real(*a, **k)

    monkeypatch.setattr(steps, "prove_equal", prove_equal)
    return calls


def test_a_refuted_equality_gets_only_the_cheap_rungs(monkeypatch):
    calls = _recording(monkeypatch)
    d = Derivation("falsify"); A, B = d.matrix("A", 3, 3), d.matrix("B", 3, 3)
    d.start(A * B).eq(B * A, "1")
    r = check(d, cache=False).step("1")
    assert r.verdict is Verdict.REFUTED and r.counterexample is not None
    assert calls == [True]  # the full ladder (cheap=False) never ran
    assert r.disagreement is None


def test_a_backend_proving_a_refuted_equality_is_reported(monkeypatch):
    _recording(monkeypatch, answer="a broken rung")
    d = Derivation("falsify"); x = d.scalar("x")
    d.start(x + x).eq(3 * x, "1")
    r = check(d, cache=False).step("1")
    assert r.verdict is Verdict.REFUTED
    assert "'a broken rung' claimed a proof" in r.disagreement


def test_a_true_equality_is_proved_and_cross_checked_on_the_same_instances(monkeypatch):
    calls = _recording(monkeypatch)
    d = Derivation("falsify"); x, y = d.scalar("x"), d.scalar("y")
    d.start((x + y) ** 2).eq(x**2 + 2 * x * y + y**2, "1")
    r = check(d, cache=False).step("1")
    assert r.verdict is Verdict.PROVED and calls == [False]
    assert r.evidence.samples == steps.CROSS_CHECK_SAMPLES


def test_a_true_equality_without_proof_is_confirmed_on_every_sample(monkeypatch):
    calls = _recording(monkeypatch)
    d = Derivation("falsify"); n = d.dim("n"); A = d.matrix("A", n, n)
    d.claim(Norm(A) ** 2, "=", LambdaMax(A.T * A), "1")
    r = check(d, cache=False, samples=20).step("1")
    assert r.verdict is Verdict.CONFIRMED and calls[0] is False
    assert r.evidence.samples == 20  # the first 8 and the 12 after them, each instance once


def test_a_closed_form_wrong_past_the_base_case_gets_no_symbolic_induction(monkeypatch):
    import symbolic.checks.induction as induction

    tried = []
    monkeypatch.setattr(induction, "prove_equal", lambda *a, **k: tried.append("base") or None)
    monkeypatch.setattr(induction, "prove_zero", lambda *a, **k: tried.append("step") or None)
    d = Derivation("falsify"); t = d.index("t", lower=0)
    v = d.sequence("v", index=t, recurrence=lambda t, prev: 2 * prev, start=0, initial=1)
    r = check(d.induction(v, 2**t + t, "1"), cache=False).step("1")
    assert r.verdict is Verdict.REFUTED and r.counterexample.values["t"] == 1
    assert tried == []


def test_a_right_closed_form_is_still_proved_by_induction():
    d = Derivation("falsify"); t = d.index("t", lower=0)
    v = d.sequence("v", index=t, recurrence=lambda t, prev: 2 * prev, start=0, initial=1)
    r = check(d.induction(v, 2**t, "1"), cache=False).step("1")
    assert r.verdict is Verdict.PROVED and "induction on t" in r.evidence.method
