"""Sums over an undefined sequence: telescoped by aligning the sequence's arguments, never by sympy's
``solve`` (which spent ~4 s a step on seed 000's momentum unrolling and found nothing).  No timing here:
the count of ``solve`` calls is asserted (the seconds are measured in bench/audit.py)."""

from __future__ import annotations

import pytest
import sympy as sp
import sympy.solvers.solvers as solvers

from symbolic.algebra.prove import prove_equal

i = sp.Symbol("i", integer=True)
T = sp.Symbol("T", integer=True, positive=True)
q = sp.Symbol("q", positive=True)
h, w = sp.Function("h"), sp.Function("w")


@pytest.fixture
def solves(monkeypatch) -> list:
    calls: list = []
    real = solvers.solve

    def counting(*args, **kwargs):
        calls.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(solvers, "solve", counting)  # sympy's telescopic imports it at each call
    return calls


def test_a_telescoping_sum_over_a_sequence_is_still_proved_and_one_with_weights_now_too(solves):
    # sum_{k=1}^T (h(k+1) - h(k)) = h(T+1) - h(1): sympy's pattern match finds the shift
    assert prove_equal(sp.Sum(h(i + 1) - h(i), (i, 1, T)), h(T + 1) - h(1)) is not None
    # sum_{k=1}^T (q^{k+1} h(k+1) - q^k h(k)) = q^{T+1} h(T+1) - q h(1): expanded, q^{k+1} = q q^k and the
    # match misses it; the shift that aligns h(k+1) with h(k) closes it (sympy's solve did not)
    weighted = sp.Sum(q**(i + 1) * h(i + 1) - q**i * h(i), (i, 1, T))
    assert prove_equal(weighted, q**(T + 1) * h(T + 1) - q * h(1)) == "evaluated sums"
    # a shift of two, starting at 0
    assert prove_equal(sp.Sum(h(i + 2) - h(i), (i, 0, T)), h(T + 1) + h(T + 2) - h(0) - h(1)) is not None
    # a sum without a sequence still goes to sympy (1/k - 1/(k+1) telescopes there)
    assert prove_equal(sp.Sum(1 / i - 1 / (i + 1), (i, 1, T)), 1 - 1 / (T + 1)) is not None
    assert not [e for e in solves if e.has(h)]  # no solve on a sequence term


def test_the_unrolled_moving_average_costs_no_solve_and_stays_unproved_when_wrong(solves):
    weights = sp.Sum(q**(T - i) * (1 - q) * h(i), (i, 1, T))
    # w(T) is any sequence: no symbolic proof of w(T) = q^T w(0) + sum ... (only w's recurrence gives one)
    assert prove_equal(w(T), q**T * w(0) + weights) is None
    # a wrong induction step (the weight 1 - q of h(T) dropped) is not proved
    shifted = sp.Sum(q**(T - 1 - i) * (1 - q) * h(i), (i, 1, T - 1))
    assert prove_equal(weights, q * shifted + h(T)) is None
    # the right one is
    assert prove_equal(weights, q * shifted + (1 - q) * h(T)) is not None
    assert solves == []  # sympy's solve never ran: each telescoping attempt was decided by the shifts
    import symbolic.algebra.telescope as telescope

    assert telescope.SHIFT_CALLS[0] > 0


def test_shifts_are_computed_only_for_arguments_linear_in_the_index():
    import symbolic.algebra.telescope as telescope

    assert telescope.shifts(h(i + 3), -h(i), i) == [-3]
    assert telescope.shifts(h(2 * i + 2), -h(2 * i), i) == [-1]
    assert telescope.shifts(h(i) * w(i), -h(i + 1) * w(i + 1), i) == [1]
    assert telescope.shifts(h(i**2), -h(i), i) is None  # left to sympy
    Ix = sp.IndexedBase("x")
    assert telescope.shifts(Ix[i + 1], -Ix[i], i) == [-1]
