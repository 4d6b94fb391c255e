"""Question 4 of seed 000 (weight normalization): verdicts computed by the engine."""

from __future__ import annotations

import pytest
from verdict_tables import assert_expected_verdicts, assert_settled

from derivations import get
from symbolic import check, replay

EXPECTED = {
    "q4_1_wn_equals_bn_submitted": {
        "40": {"REFUTED"},  # BN = WN taken as a premise: not an identity in x, w, v
        "41": {"PROVED"}, "42": {"PROVED"}, "43": {"PROVED"},  # each rearrangement is valid
        "4.1": {"REFUTED"},  # w^T x = v^T x is not true for all w, v
    },
    "q4_1_wn_equals_bn_corrected": {"mean": {"PROVED"}, "variance": {"PROVED"}, "4.1": {"PROVED"}},
    "q4_2_wn_gradient_submitted": {
        "44": {"PROVED"}, "45": {"CONFIRMED"}, "46": {"PROVED"}, "47": {"PROVED"},
        "48": {"REFUTED"},  # u^T (grad ||u||) where (grad ||u||) u^T belongs
        "49": {"CONFIRMED", "PROVED"}, "50": {"CONFIRMED", "PROVED"}, "51": {"PROVED"},
        "52": {"REFUTED"},  # (48) again
        "53": {"CONFIRMED", "PROVED"}, "54": {"PROVED"}, "55": {"CONFIRMED"},
        "56": {"REFUTED"},  # I - u^T u/||u||^2 = 0: the projection is lost
        "57": {"PROVED"},
    },
    "q4_2_wn_gradient_corrected": {
        "45": {"CONFIRMED"}, "47": {"PROVED"}, "48": {"CONFIRMED", "PROVED"}, "53": {"CONFIRMED", "PROVED"},
        "54": {"PROVED"}, "51": {"CONFIRMED", "PROVED"}, "56": {"CONFIRMED"}, "57": {"PROVED"},
        "P2": {"PROVED"}, "Pu": {"PROVED"}, "PT": {"PROVED"},
    },
    "q4_3_norm_grows_submitted": {
        "59": {"PROVED"}, "60": {"PROVED"}, "61": {"PROVED"}, "62": {"PROVED"}, "63": {"PROVED"},
        "64": {"PROVED"}, "65": {"PROVED"},
        "4.3": {"REFUTED"},  # strictly greater fails when grad_u L = 0
    },
    "q4_3_norm_grows_corrected": {
        "perp": {"PROVED"}, "60": {"PROVED"}, "61": {"PROVED"}, "62": {"PROVED"}, "64": {"PROVED"},
        "65": {"PROVED"}, "4.3": {"PROVED"},
    },
}


@pytest.fixture(scope="module")
def results():
    return {name: check(get(name), seed=0, cache=False) for name in EXPECTED}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_verdicts(results, name):
    assert_expected_verdicts(name, results[name], EXPECTED[name])


def test_corrected_have_nothing_refuted_or_undecided(results):
    for name, res in results.items():
        if name.endswith("_corrected"):
            assert_settled(name, res)


def test_projection_mistake_shows_at_n_2(results):
    """At n = 1 the Jacobian of g u/|u| is 0 and both formulas agree: the counterexample needs n = 2."""
    for label in ("48", "56"):
        ce = results["q4_2_wn_gradient_submitted"].step(label).counterexample
        assert ce.dims == {"n": 2}
        lhs, rhs = replay(get("q4_2_wn_gradient_submitted"), label, {**ce.values, **ce.dims})
        assert lhs != rhs


def test_strict_growth_fails_exactly_when_the_gradient_vanishes(results):
    ce = results["q4_3_norm_grows_submitted"].step("4.3").counterexample
    lhs, rhs = replay(get("q4_3_norm_grows_submitted"), "4.3", {**ce.values, **ce.dims})
    assert lhs == rhs  # ||u'|| = ||u||: not strictly greater


def test_the_sympy_trap_is_reported_as_a_disagreement(results):
    step = results["q4_2_wn_gradient_corrected"].step("45")
    assert step.verdict.value == "CONFIRMED" and step.disagreement
