"""Hypotheses no draw can meet (a < 1 and a > 1, as a text's two cases read as one question's hypotheses)
cost a few rounds of draws, not a full round per instance asked: after three rounds with nothing found, the
sampler says so at once.  The step stays UNDECIDED with the reason; nothing passes."""

from __future__ import annotations

import pytest

from symbolic import Derivation, check
from symbolic.algebra.evaluate import EvalError
from symbolic.checks.sampling import Sampler


def contradictory():
    d = Derivation("cases_as_hypotheses")
    a = d.scalar("a")
    d.assume(a < 1).assume(a > 1)
    return d, a


def test_a_sampler_that_never_met_the_hypotheses_stops_drawing_after_three_rounds():
    s = Sampler(contradictory()[0], seed=0)
    draws = []
    real = s._draw
    s._draw = lambda *args: draws.append(1) or real(*args)
    for k in range(10):
        with pytest.raises(EvalError, match="satisfies the hypotheses"):
            s.instance(k)
    assert len(draws) == 3 * s.max_tries  # ten instances asked, three rounds drawn


def test_the_claim_under_contradictory_hypotheses_is_undecided_with_the_reason():
    d, a = contradictory()
    d.claim(a + a, "=", 3 * a, "wrong")
    step = check(d, seed=0, cache=False).steps[0]
    assert step.verdict.value == "UNDECIDED" and "satisfies the hypotheses" in (step.reason or "")
