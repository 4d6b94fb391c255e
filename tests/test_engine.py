"""The rules of verdicts, on small examples (issue 2's 'done when')."""

from __future__ import annotations

import time

import numpy as np
import pytest

from symbolic import (DerivationResult, Derivation, InvalidInputError, Jac, LambdaMax, Norm, Verdict,
                      check, check_step, replay, sp)
from symbolic.verdicts.cache import VerdictCache


def verdicts(d, **kw):
    return check(d, cache=False, **kw).verdicts()


def test_true_scalar_identity_is_proved_by_simplification():
    d = Derivation("t"); a, b = d.scalar("a"), d.scalar("b")
    d.start((a + b) ** 2).eq(a**2 + 2 * a * b + b**2, "1")
    r = check(d, cache=False).step("1")
    assert r.verdict is Verdict.PROVED
    assert r.evidence.method == "expand"
    assert r.evidence.samples > 0  # cross-checked numerically as well


def test_matrix_identity_is_proved_at_symbolic_size():
    d = Derivation("m"); n = d.dim("n")
    H = d.matrix("H", n, n, kinds=["symmetric"])
    g, x0 = d.vector("g", n), d.vector("x0", n)
    eps = d.scalar("epsilon", positive=True)
    step = x0 - eps * g - x0
    d.start(step.T * g + sp.Rational(1, 2) * step.T * H * step)
    d.eq(-eps * g.T * g + eps**2 / 2 * g.T * H * g, "35")
    r = check(d, cache=False).step("35")
    assert r.verdict is Verdict.PROVED
    assert "matrix normal form" in r.evidence.method or r.evidence.method in ("expand", "structural")


def test_uu_transpose_versus_utu_at_symbolic_size():
    d = Derivation("outer"); n = d.dim("n"); u = d.vector("u", n)
    d.claim(u * u.T * u, "=", u * (u.T * u), "assoc")
    assert verdicts(d)["assoc"] == "PROVED"


def test_true_inequality_proved_by_named_lemma():
    d = Derivation("sub"); n = d.dim("n")
    A, B = d.matrix("A", n, n), d.matrix("B", n, n)
    d.start(Norm(A * B)).le(Norm(A) * Norm(B), "1", why="submultiplicativity")
    r = check(d, cache=False).step("1")
    assert r.verdict is Verdict.PROVED
    assert "submultiplicativity" in r.evidence.method


def test_wrong_identity_refuted_with_shrunk_counterexample():
    d = Derivation("w"); a, b = d.scalar("a"), d.scalar("b")
    d.start((a + b) ** 2).eq(a**2 + b**2, "1")
    r = check(d, cache=False).step("1")
    assert r.verdict is Verdict.REFUTED
    ce = r.counterexample
    assert set(ce.values) == {"a", "b"}
    assert all(v in (0, 1, -1, 2, -2, 0.5, -0.5) for v in ce.values.values())
    lhs, rhs = replay(d, "1", ce.values)
    assert lhs != rhs


def test_wrong_matrix_inequality_refuted_small_dimensions():
    d = Derivation("wi"); n = d.dim("n")
    A, B = d.matrix("A", n, n), d.matrix("B", n, n)
    d.start(Norm(A * B)).ge(Norm(A) * Norm(B), "9", why="norm of a product (wrong)")
    r = check(d, cache=False).step("9")
    assert r.verdict is Verdict.REFUTED
    assert r.counterexample.dims["n"] <= 2
    lhs, rhs = replay(d, "9", r.counterexample.values | r.counterexample.dims)
    assert lhs < rhs


def test_true_step_sympy_cannot_simplify_is_confirmed_with_sample_count():
    d = Derivation("c"); n = d.dim("n"); A = d.matrix("A", n, n)
    d.claim(Norm(A) ** 2, "=", LambdaMax(A.T * A), "1", why="||A|| = sqrt(lambda_1(A^T A))")
    r = check(d, cache=False).step("1")
    assert r.verdict is Verdict.CONFIRMED
    assert r.evidence.samples >= 10
    assert r.evidence.max_error < 1e-9


def test_unsupported_construct_is_undecided_with_reason():
    d = Derivation("u"); x = d.scalar("x", positive=True)
    d.claim(sp.zeta(x + 1), "=", sp.zeta(x + 1) + 0 * x, "1")
    d.claim(sp.zeta(x + 2), "<=", sp.zeta(x + 1), "2")
    res = check(d, cache=False)
    assert res.step("1").verdict is Verdict.PROVED  # structurally equal, no evaluation needed
    r = res.step("2")
    assert r.verdict is Verdict.UNDECIDED
    assert "zeta" in r.reason


def test_weight_norm_derivative_trap_is_not_proved():
    d = Derivation("trap"); n = d.dim("n"); u = d.vector("u", n); g = d.scalar("g")
    I = sp.Identity(n)
    d.claim(Jac(g * u / Norm(u), u), "=", g / Norm(u) * (I - u * u.T / Norm(u) ** 2), "right")
    d.claim(Jac(g * u / Norm(u), u), "=", g / Norm(u) * I, "sympy")
    res = check(d, cache=False)
    right, wrong = res.step("right"), res.step("sympy")
    # proved by the chain rule through the norm's declared Jacobian, never by sympy's (wrong) matrix calculus,
    # whose answer is reported as a disagreement
    assert right.verdict is Verdict.PROVED and "sympy" not in right.evidence.method
    assert right.disagreement and "sympy's derivative" in right.disagreement
    assert wrong.verdict is Verdict.REFUTED
    assert "claimed a proof" in wrong.disagreement  # sympy's answer is shown to be wrong


def test_result_reports_first_wrong_step_counts_and_times():
    d = Derivation("chain"); x = d.scalar("x")
    d.start(2 * x).eq(x + x, "a").eq(3 * x, "b").eq(x + 2 * x, "c")
    res = check(d, cache=False)
    assert res.first_wrong_step == "b"
    assert res.counts == {"PROVED": 2, "CONFIRMED": 0, "REFUTED": 1, "UNDECIDED": 0}
    assert all(s.seconds > 0 for s in res.steps)


def test_induction_proved_and_wrong_weights_refuted():
    d = Derivation("ind")
    t = d.index("t", lower=0); i = d.index("i", lower=1)
    beta = d.scalar("beta", interval="(0, 1)"); eps = d.scalar("epsilon", positive=True)
    g = d.sequence("g")
    v = d.sequence("v", index=t, recurrence=lambda t, prev: beta * prev + (1 - beta) * g(t), start=0)
    m = d.sequence("m", index=t, recurrence=lambda t, prev: beta * prev + eps * g(t), start=0)
    d.induction(v, beta**t * v(0) + sp.Sum(beta ** (t - i) * (1 - beta) * g(i), (i, 1, t)), "ema")
    d.induction(m, beta**t * m(0) + sp.Sum(beta ** (t - i) * (1 - beta) * g(i), (i, 1, t)), "momentum")
    res = check(d, cache=False)
    assert res.step("ema").verdict is Verdict.PROVED
    assert "induction" in res.step("ema").evidence.method
    wrong = res.step("momentum")
    assert wrong.verdict is Verdict.REFUTED
    assert wrong.counterexample.values["t"] == 1


def test_same_seed_same_verdicts_and_counterexamples():
    def build():
        d = Derivation("det"); n = d.dim("n"); A, B = d.matrix("A", n, n), d.matrix("B", n, n)
        d.claim(A * B, "=", B * A, "comm")
        return d

    a = [s.to_json() for s in check(build(), seed=3, cache=False).steps]
    b = [s.to_json() for s in check(build(), seed=3, cache=False).steps]
    for x in a + b:
        x.pop("seconds")
    assert a == b
    assert a[0]["verdict"] == "REFUTED"


# -- bad input -----------------------------------------------------------

def test_undeclared_symbol_names_derivation_step_and_symbol():
    d = Derivation("bad1"); x = d.scalar("x")
    y = sp.Symbol("y")
    d.start(x).eq(x + y - y + y, "7")
    with pytest.raises(InvalidInputError) as err:
        check(d, cache=False)
    msg = str(err.value)
    assert "bad1" in msg and "step 7" in msg and "'y'" in msg


def test_undeclared_symbol_in_text_expression():
    d = Derivation("bad2"); x = d.scalar("x")
    with pytest.raises(InvalidInputError, match=r"derivation 'bad2', step 3, symbol 'z'"):
        d.start(x).eq("x + z", "3")


def test_shape_mismatch_named():
    d = Derivation("bad3"); n = d.dim("n"); u = d.vector("u", n)
    with pytest.raises(InvalidInputError, match=r"bad3.*step 2.*symbol 'u'.*shape mismatch: adding n x 1"):
        d.start(u).eq("u + u.T", "2")


def test_contradictory_assumptions():
    d = Derivation("bad4")
    with pytest.raises(InvalidInputError, match="bad4.*symbol 'x'.*contradict"):
        d.scalar("x", positive=True, negative=True)
    with pytest.raises(InvalidInputError, match="contradict"):
        d.scalar("y", interval="(1, 0)")
    with pytest.raises(InvalidInputError, match="contradict"):
        d.scalar("z", interval="(-2, -1)", positive=True)


def test_relation_between_incompatible_objects():
    d = Derivation("bad5"); n = d.dim("n"); u = d.vector("u", n); W = d.matrix("W", n, n)
    with pytest.raises(InvalidInputError, match=r"bad5.*step 1.*incompatible objects: n x 1 against n x n"):
        d.claim(u, "=", W, "1")
    with pytest.raises(InvalidInputError, match="inequality between non-scalar"):
        d.claim(u, "<=", u, "2")


def test_step_that_would_hang_sympy_ends_within_budget():
    d = Derivation("slow", budget=2.0)
    x, y, z = d.scalar("x"), d.scalar("y"), d.scalar("z")
    k = d.index("k", lower=1)
    big = sp.Sum(sp.sin(k * x) ** 2 * sp.cos(y) ** k, (k, 1, 10**5 * (z**2 + 1)))
    d.claim(big, "<=", big + 1, "1")
    t0 = time.perf_counter()
    r = check(d, cache=False).step("1")
    elapsed = time.perf_counter() - t0
    assert elapsed < 2.0 + 20  # ends near its budget instead of hanging (generous: machines are noisy)
    assert r.verdict in (Verdict.UNDECIDED, Verdict.PROVED)
    if r.verdict is Verdict.UNDECIDED:
        assert "timeout" in r.reason or "sum" in r.reason


def test_backend_returning_none_never_passes(monkeypatch):
    import symbolic.checks.steps as steps

    monkeypatch.setattr(steps, "prove_equal", lambda *a, **k: None)
    monkeypatch.setattr(steps, "sample_relation", lambda *a, **k: steps.sample_relation.__wrapped__(*a, **k)
                        if hasattr(steps.sample_relation, "__wrapped__") else _empty())
    d = Derivation("none"); x = d.scalar("x")
    d.start(x + x).eq(2 * x, "1")
    r = check(d, cache=False).step("1")
    assert r.verdict is Verdict.UNDECIDED


def _empty():
    from symbolic.checks.numeric import NumericOutcome

    out = NumericOutcome()
    out.errors.append("backend returned nothing")
    return out


def test_backend_exception_is_undecided_not_passed(monkeypatch):
    import symbolic.checks.steps as steps

    def boom(*a, **k):
        raise RuntimeError("simulated sympy failure")

    monkeypatch.setattr(steps, "sample_relation", boom)
    d = Derivation("boom"); x = d.scalar("x")
    d.start(x + x).eq(2 * x, "1")
    r = check(d, cache=False).step("1")
    assert r.verdict is Verdict.UNDECIDED
    assert "simulated sympy failure" in r.reason


# -- cache ---------------------------------------------------------------

def _cached_derivation(third="c"):
    d = Derivation("cached"); x = d.scalar("x"); y = d.scalar("y")
    d.start((x + y) ** 2).eq(x**2 + 2 * x * y + y**2, "a")
    d.claim(x * y, "=", y * x, "b")
    d.claim(x + 1, "=", 1 + x if third == "c" else 2 + x, third)
    return d


def test_second_run_served_from_cache(tmp_path, monkeypatch):
    cache = VerdictCache(tmp_path)
    first = check(_cached_derivation(), cache=cache)
    assert not any(s.cached for s in first.steps)
    import symbolic.checks.steps as steps

    def no_proving(*a, **k):
        raise AssertionError("a cached step was re-proved")

    monkeypatch.setattr(steps, "check_relation", no_proving)
    second = check(_cached_derivation(), cache=cache)  # would raise if any step were re-proved
    assert all(s.cached for s in second.steps)
    assert second.verdicts() == first.verdicts()


def test_changed_step_invalidates_only_itself(tmp_path):
    cache = VerdictCache(tmp_path)
    check(_cached_derivation(), cache=cache)
    second = check(_cached_derivation(third="d"), cache=cache)
    cached = {s.label: s.cached for s in second.steps}
    assert cached == {"a": True, "b": True, "d": False}
    assert second.step("d").verdict is Verdict.REFUTED


def test_changed_declaration_invalidates_dependent_steps(tmp_path):
    cache = VerdictCache(tmp_path)

    def build(interval):
        d = Derivation("decl"); x = d.scalar("x", interval=interval); y = d.scalar("y")
        d.claim(sp.sqrt(x**2), "=", x, "1")
        d.claim(y * 2, "=", y + y, "2")
        return d

    first = check(build("(0, 1)"), cache=cache)
    assert first.step("1").verdict is Verdict.PROVED
    second = check(build("(-1, 1)"), cache=cache)
    assert second.step("1").cached is False and second.step("2").cached is True
    assert second.step("1").verdict is Verdict.REFUTED


def test_a_crashing_sympy_rung_proves_nothing_and_the_ladder_goes_on(monkeypatch):
    """sympy's simplify can raise StopIteration (sum_combine): a rung that crashes is skipped, never fatal."""
    import sympy as sp

    import symbolic.algebra.prove as prove

    real = prove.ladder

    def crashing_first(iv):
        def boom(e):
            raise StopIteration

        return [("crashes", boom), *real(iv)]

    monkeypatch.setattr(prove, "ladder", crashing_first)
    x = sp.Symbol("x")
    assert prove.prove_zero((x + 1) ** 2 - x**2 - 2 * x - 1) is not None


def test_a_symbolic_attempt_that_crashes_still_leaves_the_numbers_to_decide(monkeypatch):
    """Any exception in the symbolic attempt means "no proof": the wrong step is still REFUTED, the right one CONFIRMED."""
    import symbolic.checks.steps as steps

    def crash(*a, **k):
        raise StopIteration

    monkeypatch.setattr(steps, "prove_equal", crash)
    d = Derivation("crashy")
    a, b = d.scalar("a"), d.scalar("b")
    d.start(a**2 - b**2).eq((a - b) * (a + b), "1").eq(a**2 + b**2, "2")
    res = check(d, cache=False)
    assert res.verdicts() == {"1": "CONFIRMED", "2": "REFUTED"}
    assert "StopIteration" in res.step("1").evidence.summary()


def test_atoms_never_freeze_a_summation_index():
    """sum_i i x_i = (sum_i i)(sum_i x_i)/n is false: an entry x_i replaced by one symbol would 'prove' it."""
    from symbolic import Entry
    from symbolic.algebra.prove import prove_zero

    n = sp.Symbol("n", integer=True, positive=True)
    x = sp.MatrixSymbol("x", n, 1)
    i = sp.Symbol("i", integer=True)
    lhs = sp.Sum(i * Entry(x, i), (i, 0, n - 1))
    rhs = sp.Sum(i, (i, 0, n - 1)) * sp.Sum(Entry(x, i), (i, 0, n - 1)) / n
    assert prove_zero(lhs - rhs) is None
    assert prove_zero(2 * Entry(x, 0) - Entry(x, 0) - Entry(x, 0)) is not None  # no index: atoms are fine
