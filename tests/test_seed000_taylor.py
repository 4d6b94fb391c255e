"""Seed 000, Question 3 (Taylor model, gradient step, Newton's step): every step's verdict.

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
C = frozenset({"CONFIRMED"})
PC = frozenset({"PROVED", "CONFIRMED"})
R = frozenset({"REFUTED"})

# The case inequalities of 3.2 follow from signs the hypotheses give
# (g^T H g > 0 or <= 0, g^T g > 0, the parametrized step sizes), but the
# engine checks a strict inequality with sympy's sign assumptions only, which
# do not see hypotheses, and its lemma prover has no rule for "a hypothesis
# times a non-negative factor"; the identities they rest on ("decrease",
# "square") are PROVED.
CASE = PC

EXPECTED: dict[str, dict[str, frozenset]] = {
    "q3_1_taylor_step_submitted": {"32": P, "33": P, "34": P, "35": P},  # (34) repeats (33): still true
    "q3_1_taylor_step_corrected": {"32": P, "33": P, "35": P},
    "q3_2_step_condition_submitted": {
        "model": P,  # the terms of (35)
        "first-order": P,  # -eps g^T g <= 0
        "second-order": R,  # eps^2/2 g^T H g < 0 when H has negative curvature along g
        "any-eps": R,  # with g^T H g > 0, eps >= 2 g^T g / g^T H g does not decrease the model
    },
    "q3_2_step_condition_corrected": {
        "model": P, "decrease": P, "square": P,
        "case-nonpositive": CASE, "case-positive-inside": CASE, "case-positive-outside": CASE,
        "best-value": P,
        "best": CASE,  # completed square ("square") times g^T H g > 0: same reason
    },
    "q3_3_newton_submitted": {
        "36": P,  # gradient of the model, H symmetric
        # H^-1 is used but H is never said to be invertible: the step holds on the
        # (invertible) instances sampled, and no symbolic route exists without the assumption.
        "37": C,
        "38": P,  # (37) rearranged
    },
    "q3_3_newton_corrected": {"36": P, "37": P, "38": P},
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
    too_big = []
    for s in results[name].steps:
        if s.verdict.value != "REFUTED":
            continue
        ce = s.counterexample
        assert ce is not None, f"{name} step {s.label}: REFUTED without a counterexample"
        nums = [x for v in ce.values.values() for x in _numbers(v)]
        assert nums and all(_simple(x) for x in nums), f"{name} step {s.label}: values {ce.values}"
        assert replay(name, s.label, {**ce.dims, **ce.values}) == (ce.lhs, ce.rhs), "counterexample does not replay"
        if any(v > 2 for v in ce.dims.values()):
            too_big.append((s.label, ce.dims))
    assert not too_big, f"{name}: counterexamples with dimensions > 2: {too_big}"


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if n.endswith("_corrected")))
def test_corrected_versions_are_fully_established(name: str, results: dict) -> None:
    assert_settled(name, results[name])


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_sources_and_statements(name: str) -> None:
    d = get(name)
    assert_source(name, d, SEED_FILE)
    assert d.source.question == name[1] + "." + name[3]


def test_second_order_sign_counterexample_has_negative_curvature(results: dict) -> None:
    """The student's "+ eps^2/2 g^T H g is an increase" fails exactly when g^T H g < 0."""
    ce = results["q3_2_step_condition_submitted"].step("second-order").counterexample
    H, g = ce.values["H"], ce.values["g"]
    q = sum(g[i][0] * H[i][j] * g[j][0] for i in range(len(g)) for j in range(len(g)))
    assert q < 0 and ce.lhs < 0


def test_any_step_size_counterexample_is_outside_the_interval(results: dict) -> None:
    """A step that does not decrease the model has g^T H g > 0 and eps >= 2 g^T g / g^T H g."""
    ce = results["q3_2_step_condition_submitted"].step("any-eps").counterexample
    H, g, eps = ce.values["H"], ce.values["g"], ce.values["epsilon"]
    s = sum(gi[0] ** 2 for gi in g)
    q = sum(g[i][0] * H[i][j] * g[j][0] for i in range(len(g)) for j in range(len(g)))
    assert q > 0 and eps >= 2 * s / q - 1e-12


def test_newton_versions_differ_only_by_the_invertibility_assumption() -> None:
    sub, cor = get("q3_3_newton_submitted"), get("q3_3_newton_corrected")
    assert sub.decls["H"].kinds == frozenset({"symmetric"})
    assert cor.decls["H"].kinds == frozenset({"symmetric", "invertible"})
    assert [(s.label, s.kind) for s in sub.steps] == [(s.label, s.kind) for s in cor.steps]
