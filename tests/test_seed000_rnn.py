"""Question 1 of seed 000 (RNN): every step's verdict is computed here by the engine."""

from __future__ import annotations

import pytest
from verdict_tables import assert_expected_verdicts, assert_settled

from derivations import fresh, get
from symbolic import Derivation, check, replay

ANY_OK = {"PROVED", "CONFIRMED"}

EXPECTED = {
    "q1_1_induction_submitted": {"1": {"PROVED"}, "2": {"PROVED"}, "3": {"PROVED"}},
    "q1_1_induction_corrected": {"1": {"PROVED"}, "2": {"PROVED"}, "3": {"PROVED"}, "1.1": {"PROVED"}},
    # chain-rule claims through a recurrence have no symbolic calculus here: numeric only
    "q1_2_vanishing_submitted": {
        "5": {"CONFIRMED"}, "6": {"CONFIRMED"}, "7": {"CONFIRMED"}, "8": {"CONFIRMED"},
        "9": {"REFUTED"},       # ||prod A_t|| = prod ||A_t|| is false for non-commuting factors
        "10": {"PROVED"}, "11": {"PROVED"},
        "11b": {"REFUTED"},     # sqrt(lambda_1) = delta/gamma: the hypothesis is an inequality
        "12": {"PROVED"}, "12b": {"PROVED"}, "13": {"CONFIRMED"}, "13b": {"PROVED"},
    },
    "q1_2_vanishing_corrected": {
        "6": {"CONFIRMED"}, "7": {"CONFIRMED"}, "8": {"CONFIRMED"}, "9": {"PROVED"}, "10": {"PROVED"},
        "11": {"PROVED"}, "11b": {"PROVED"}, "12": {"PROVED"}, "13": {"PROVED"}, "13b": {"CONFIRMED"},
    },
    "q1_3_converse_submitted": {"1.3a": {"PROVED"}},
    "q1_3_converse_corrected": {"1.3a": {"PROVED"}, "1.3b": {"PROVED"}, "1.3c": {"CONFIRMED"},
                                "1.3d": {"PROVED"}, "1.3e": {"PROVED"}, "1.3f": {"PROVED"}, "1.3g": {"PROVED"}},
    "q1_3_explosion_probe": {"probe": {"REFUTED"}},
}


@pytest.fixture(scope="module")
def results():
    return {name: check(get(name), seed=0, cache=False) for name in EXPECTED}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_verdicts(results, name):
    assert_expected_verdicts(name, results[name], EXPECTED[name])


def test_corrected_versions_have_nothing_refuted_or_undecided(results):
    for name, res in results.items():
        if name.endswith("_corrected"):
            assert_settled(name, res)


@pytest.mark.parametrize("name,label", [("q1_2_vanishing_submitted", "9"),
                                        ("q1_2_vanishing_submitted", "11b"),
                                        ("q1_3_explosion_probe", "probe")])
def test_refutations_have_small_reproducible_counterexamples(results, name, label):
    step = results[name].step(label)
    ce = step.counterexample
    assert ce is not None and ce.dims.get("n", 1) <= 2
    lhs, rhs = replay(get(name), label, {**ce.values, **ce.dims})
    assert (lhs, rhs) == (ce.lhs, ce.rhs)
    if step.relation == "=":
        assert lhs != rhs
    else:
        assert lhs < rhs  # the probe claims >=


def test_norm_of_product_counterexample_needs_two_factors(results):
    ce = results["q1_2_vanishing_submitted"].step("9").counterexample
    assert ce.values["T"] == 2 and ce.dims["n"] == 2


def test_probe_counterexample_is_a_witness_for_the_corrected_answer(results):
    """The witness the corrected 1.3 cites is one the tool finds by refuting the probe."""
    ce = results["q1_3_explosion_probe"].step("probe").counterexample
    d = Derivation("q1_3_witness_check")
    base = fresh("q1_3_converse_corrected")
    d.decls, d.definitions, d.moments = base.decls, base.definitions, base.moments
    step = next(s for s in base.steps if s.label == "1.3a")
    d.exists(step.lhs, "<", step.rhs, "w", witness={**ce.values, **ce.dims})
    d.exists(base.steps[1].lhs, ">", base.steps[1].rhs, "cond", witness={**ce.values, **ce.dims})
    assert check(d, cache=False).verdicts() == {"w": "PROVED", "cond": "PROVED"}


def test_sources_are_recorded():
    for name in EXPECTED:
        src = get(name).source
        assert src.file == "000_fb61d5ace7e02265.txt" and src.question.startswith("1.")
