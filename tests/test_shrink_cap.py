"""The shrinker stops at a count of candidates, not at the clock: the same seed gives the same
counterexample on a slow machine; its wall-clock guard is a last resort and, when it fires, the
verdict's reason says so.  (No timing asserted: a slow machine is simulated by a slow predicate.)"""

from __future__ import annotations

import time

import symbolic.checks.shrink as shrink_module
from symbolic import Derivation, Verdict, check
from symbolic.budget import budget, remaining
from symbolic.checks.shrink import shrink
from symbolic.checks.sampling import Sampler


def _pair():
    d = Derivation("shrink_cap")
    a, b = d.scalar("a"), d.scalar("b")
    return d, Sampler(d, 1).instance(0).with_values({a: -4.3, b: 2.9}), a, b


def _pred(a, b, calls: list, pause: float = 0.0):
    def pred(inst):  # fails while a, b are not both small
        calls.append(1)
        if pause:
            time.sleep(pause)  # a slow machine
        return abs(float(inst.values[a])) + abs(float(inst.values[b])) > 0.4
    return pred


def _values(inst) -> dict:
    return {str(k): v for k, v in inst.values.items()}


def test_a_slow_machine_inside_a_nearly_spent_step_budget_shrinks_to_the_same_counterexample():
    d, inst, a, b = _pair()
    fast: list = []
    reference = shrink(d, inst, _pred(a, b, fast), Sampler(d, 1))
    assert _values(reference) != _values(inst) and len(fast) > 5
    slow: list = []
    with budget(0.05):  # the step's budget: it would run out after a few slow candidates
        small = shrink(d, inst, _pred(a, b, slow, pause=0.01), Sampler(d, 1))
        assert remaining() > 0  # the shrink did not count against it
    assert _values(small) == _values(reference) and len(slow) == len(fast)


def test_the_candidate_cap_decides_where_the_shrink_stops():
    from symbolic.checks.shrink import shrink_report

    d, inst, a, b = _pair()
    results = []
    for pause in (0.0, 0.005):
        calls: list = []
        small, note = shrink_report(d, inst, _pred(a, b, calls, pause), Sampler(d, 1), max_candidates=3)
        assert len(calls) == 3 and note is None
        results.append(_values(small))
    assert results[0] == results[1]
    full: list = []
    shrink(d, inst, _pred(a, b, full), Sampler(d, 1))
    assert len(full) <= shrink_module.MAX_CANDIDATES and len(full) > 3


def test_when_the_guard_fires_the_shrink_says_it_was_cut_by_time(monkeypatch):
    from symbolic.checks.shrink import shrink_report

    d, inst, a, b = _pair()
    calls: list = []
    small, note = shrink_report(d, inst, _pred(a, b, calls, pause=0.02), Sampler(d, 1), guard=0.05)
    assert note is not None and "time guard" in note
    assert abs(float(small.values[a])) + abs(float(small.values[b])) > 0.4  # still a counterexample

    real_safe = shrink_module._safe

    def slow_safe(*args):
        time.sleep(0.02)  # a slow machine: the guard fires during the first candidates
        return real_safe(*args)

    monkeypatch.setattr(shrink_module, "_safe", slow_safe)
    monkeypatch.setattr(shrink_module, "GUARD_SECONDS", 0.01)
    e = Derivation("guarded"); x = e.scalar("x")
    e.start((x + 1) ** 2).eq(x**2 + 1, "s")
    r = check(e, seed=0, cache=False).step("s")
    assert r.verdict is Verdict.REFUTED
    notes = r.evidence.notes
    assert any("time guard" in n for n in notes) and "shrunk" not in notes  # never a silent partial shrink
