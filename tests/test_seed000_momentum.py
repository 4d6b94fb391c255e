"""Seed 000, Question 2 (momentum, moving average, bias correction): every step's verdict.

The expected verdicts below are written from the mathematics, not copied from
the engine: a correct step the engine can prove symbolically must be PROVED;
{"PROVED", "CONFIRMED"} is accepted only where the proof is out of the
engine's reach (the reason is given next to it); a wrong step must be REFUTED
with a small, simple counterexample.
"""

from __future__ import annotations


import pytest
from verdict_tables import assert_expected_verdicts, assert_settled, assert_source, is_simple, numbers_in

from derivations import get
from symbolic import check, replay

SEED_FILE = "000_fb61d5ace7e02265.txt"
P = frozenset({"PROVED"})
PC = frozenset({"PROVED", "CONFIRMED"})
R = frozenset({"REFUTED"})

# Unrolling steps compare v(t) with beta v(t-1) + (1 - beta) g(t): true by the
# recurrence, but chain steps do not see a sequence's recurrence (only an
# induction step does), and a definition v(t) := ... at a symbolic index
# never terminates; so only the numeric check (which iterates the recurrence)
# can establish them.
UNROLL = PC

EXPECTED: dict[str, dict[str, frozenset]] = {
    "q2_1_momentum_ema_submitted": {
        "14": P, "15": P, "16": P, "17": P,  # momentum: Dtheta_t = alpha Dtheta_{t-1} - eps g_t
        "18": P, "19": P, "20": P, "21": P,  # EMA: Dtheta_t = beta Dtheta_{t-1} - delta (1 - beta) g_t
        "map": P,  # alpha = beta, eps = delta (1 - beta) turns (17) into (21)
    },
    "q2_1_momentum_ema_corrected": {
        "14": P, "15": P, "16": P, "17": P, "18": P, "19": P, "20": P, "21": P,
        "map": P,
        "coefficients": P,  # momentum - EMA = (alpha - beta) Dtheta_{t-1} - (eps - delta (1 - beta)) g_t
        "map-inverse": P,
    },
    "q2_2_unrolled_submitted": {
        "22": UNROLL, "23": UNROLL, "24": UNROLL,
        "26": P,  # v_t = beta^t v_0 + sum beta^{t-i} (1 - beta) g_i: correct, by induction
        "27": R,  # momentum weights are alpha^{t-i} eps, not alpha^{t-i} (1 - alpha)
    },
    "q2_2_unrolled_corrected": {"26": P, "27": P},
    "q2_3_bias_correction_submitted": {
        "28": P, "29": P,  # linearity, stationarity
        "30": P,  # correct, only the sum of the weights is left unsimplified
    },
    "q2_3_bias_correction_corrected": {
        "W": P, "28": P, "29": P, "29b": P, "30a": P, "30b": P, "30": P,
    },
}


@pytest.fixture(scope="module")
def results() -> dict:
    return {name: check(get(name), seed=0, cache=False) for name in EXPECTED}


_numbers, _simple = numbers_in, is_simple


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_step_has_its_expected_verdict(name: str, results: dict) -> None:
    assert [s.label for s in results[name].steps] == list(EXPECTED[name]), "steps differ from the table"
    assert_expected_verdicts(name, results[name], EXPECTED[name])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_refuted_steps_have_small_simple_counterexamples(name: str, results: dict) -> None:
    for s in results[name].steps:
        if s.verdict.value != "REFUTED":
            continue
        ce = s.counterexample
        assert ce is not None, f"{name} step {s.label}: REFUTED without a counterexample"
        assert all(v <= 2 for v in ce.dims.values()), f"{name} step {s.label}: dims {ce.dims}"
        nums = [x for v in ce.values.values() for x in _numbers(v)]
        assert nums and all(_simple(x) for x in nums), f"{name} step {s.label}: values {ce.values}"
        assert ce.lhs != ce.rhs
        assert replay(name, s.label, {**ce.dims, **ce.values}) == (ce.lhs, ce.rhs), "counterexample does not replay"


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n.endswith("_corrected")))
def test_corrected_versions_are_fully_established(name: str, results: dict) -> None:
    assert_settled(name, results[name])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sources_and_statements(name: str) -> None:
    d = get(name)
    assert_source(name, d, SEED_FILE)
    assert d.source.question == name[1] + "." + name[3]


def test_momentum_closed_form_counterexample_is_the_first_index(results: dict) -> None:
    """(27) already fails at t = 1: v_1 = alpha v_0 + eps g_1, the student's form has (1 - alpha) g_1."""
    ce = results["q2_2_unrolled_submitted"].step("27").counterexample
    v = ce.values
    assert v["t"] == 1
    assert ce.lhs == pytest.approx(v["alpha"] * v["m(0)"] + v["epsilon"] * v["g(1)"])
    assert ce.rhs == pytest.approx(v["alpha"] * v["m(0)"] + (1 - v["alpha"]) * v["g(1)"])
    assert v["epsilon"] != pytest.approx(1 - v["alpha"]) and v["g(1)"] != 0


def test_the_2_3_derivations_cite_the_corrected_closed_form() -> None:
    for name in ("q2_3_bias_correction_submitted", "q2_3_bias_correction_corrected"):
        assert [lem.name for lem in get(name).lemmas] == ["q2_2_unrolled_corrected"]
