"""The large-instance routes (issue 8) against the dense ones they replace.

Every route must agree with the tree walk and the dense SVD it stands in for;
the evaluator must take it where it applies (a spy counts the calls), and
never on the high-precision backend.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from derivations import get
from symbolic.algebra import largescale, linops
from symbolic.algebra.backend import Backend, DomainError
from symbolic.algebra.evaluate import evaluate
from symbolic.checks.context import CheckContext
from symbolic import sp
from symbolic.checks.sampling import FunctionSpec, to_backend


def dense_product(pieces, n):
    M = np.eye(n)
    for p in reversed(pieces):
        if isinstance(p, float):
            M = p * M
        elif p.ndim == 1:
            M = p[:, None] * M
        else:
            M = p @ M
    return M


@settings(max_examples=60, deadline=None)
@given(n=st.integers(1, 9), k=st.integers(1, 7), seed=st.integers(0, 10**6))
def test_product_norm_matches_the_dense_svd(n, k, seed):
    rng = np.random.default_rng(seed)
    pieces = []
    for j in range(k):
        kind = j % 3
        pieces.append(rng.normal(size=(n, n)) if kind == 0 else rng.uniform(-2, 2, size=n) if kind == 1
                      else float(rng.uniform(0.5, 2)))
    want = np.linalg.norm(dense_product(pieces, n), 2)
    got = linops.product_norm(pieces, n)
    assert got == pytest.approx(want, rel=1e-11, abs=1e-300)


def test_product_norm_of_a_long_product_does_not_underflow():
    # 0.5 ** 1000 is about 9e-302: its square underflows, the norm must not
    n = 70
    pieces = [np.full(n, 0.5), np.eye(n)] * 1000
    assert linops.product_norm(pieces, n) == pytest.approx(0.5**1000, rel=1e-12)


def test_product_norm_of_the_empty_product_and_of_zero():
    assert linops.product_norm([], 5) == 1.0
    assert linops.product_norm([np.zeros((3, 3))], 3) == 0.0


@settings(max_examples=40, deadline=None)
@given(n=st.integers(1, 12), T=st.integers(1, 9), sides=st.sampled_from(["left", "right", "both"]),
       seed=st.integers(0, 10**6))
def test_scaled_norms_match_the_dense_svd(n, T, sides, seed):
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(n, n + 1))
    L = rng.uniform(0, 1, size=(n, T)) if sides != "right" else None
    R = rng.uniform(0, 1, size=(n + 1, T)) if sides != "left" else None
    got = linops.scaled_norms(A, L, R)
    for t in range(T):
        M = A if L is None else L[:, t, None] * A
        M = M if R is None else M * R[None, :, t]
        assert got[t] == pytest.approx(np.linalg.norm(M, 2), rel=1e-11, abs=1e-300)


def test_scaled_norms_with_a_clustered_top_fall_back_to_the_dense_svd():
    # A orthogonal: D A A^T D = D^2, whose top eigenvalues are almost equal;
    # Lanczos without reorthogonalization crawls there, the dense SVD finishes the job
    n, T = 150, 4
    rng = np.random.default_rng(3)
    Q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    D = 1 - rng.uniform(0, 1e-9, size=(n, T))
    D[:, 3] = 0.0  # a zero factor: breakdown at the first step
    got = linops.scaled_norms(Q, D, None)
    want = [np.linalg.norm(D[:, t, None] * Q, 2) for t in range(T)]
    assert got == pytest.approx(want, rel=1e-12, abs=1e-300)


@settings(max_examples=60, deadline=None)
@given(K=st.integers(1, 40), scale=st.sampled_from([1e-8, 1.0, 1e8]), seed=st.integers(0, 10**6))
def test_top_eigenvalue_of_tridiagonals(K, scale, seed):
    rng = np.random.default_rng(seed)
    a, b = rng.normal(size=(5, K)) * scale, rng.normal(size=(5, K - 1)) * scale
    b[0] = 0.0  # a reducible one
    M = np.zeros((5, K, K))
    i = np.arange(K)
    M[:, i, i] = a
    M[:, i[:-1], i[1:]] = M[:, i[1:], i[:-1]] = b
    ev = np.linalg.eigvalsh(M)
    got = linops._top_tridiagonal(a, b)
    assert np.all(np.abs(got - ev[:, -1]) <= 1e-13 * np.max(np.abs(ev), axis=1))


# -- the evaluator takes the routes, and they agree with the tree walk --------------------------


@pytest.fixture(scope="module")
def jacobian_bound():
    d = get("q1_2_vanishing_corrected")
    ctx = CheckContext.build(d, 0)
    step = next(s for s in d.steps if s.label == "9")  # ||prod diag(sigma') W|| <= prod ||diag(sigma') W||
    tanh = FunctionSpec("tanh", 1.0)
    base = ctx.sampler.instance(1, plan=1)
    base.functions.update({"sigma": tanh.__call__, "sigma'": tanh.prime})

    def instance(n, T, seed=0):
        rng = np.random.default_rng(seed)
        return base.with_values({d.decls["n"].symbol: n, d.decls["T"].symbol: T,
                                 d.decls["W"].symbol: rng.normal(size=(n, n)) * 1.2 / np.sqrt(n),
                                 d.decls["U"].symbol: rng.normal(size=(n, n)) / np.sqrt(n),
                                 d.decls["b"].symbol: rng.normal(size=(n, 1))})

    return ctx.prepare(step.lhs), ctx.prepare(step.rhs), instance


def spy(monkeypatch, module, name):
    calls = []
    real = getattr(module, name)

    def wrapper(*a, **k):
        calls.append(name)
        return real(*a, **k)

    monkeypatch.setattr(module, name, wrapper)
    return calls


@pytest.mark.parametrize("T", [1, 7])
def test_jacobian_product_bound_matrix_free_agrees_with_dense(jacobian_bound, monkeypatch, T):
    lhs, rhs, instance = jacobian_bound
    n = linops.MIN_SIZE + 6
    products = spy(monkeypatch, linops, "product_norm")
    batches = spy(monkeypatch, linops, "scaled_norms")
    a, c = evaluate(lhs, instance(n, T)), evaluate(rhs, instance(n, T))
    assert products and (batches or T == 1)  # a product of one norm is not a batch
    monkeypatch.setattr(linops, "MIN_SIZE", 10**9)
    a0, c0 = evaluate(lhs, instance(n, T)), evaluate(rhs, instance(n, T))
    assert a == pytest.approx(a0, rel=1e-12)
    assert c == pytest.approx(c0, rel=1e-12)
    assert 0 < a <= c


def test_the_evaluator_routes_large_norms_matrix_free(jacobian_bound, monkeypatch):
    lhs, rhs, instance = jacobian_bound
    products = spy(monkeypatch, linops, "product_norm")
    batches = spy(monkeypatch, linops, "scaled_norms")
    evaluate(lhs, instance(linops.MIN_SIZE, 5))
    evaluate(rhs, instance(linops.MIN_SIZE, 5))
    assert products == ["product_norm"] and batches == ["scaled_norms"]
    evaluate(lhs, instance(linops.MIN_SIZE - 1, 5))
    evaluate(rhs, instance(linops.MIN_SIZE - 1, 5))
    assert len(products) == 1 and len(batches) == 1  # small sizes keep the dense SVD


def test_high_precision_never_takes_the_float_routes(jacobian_bound, monkeypatch):
    lhs, _, instance = jacobian_bound
    products = spy(monkeypatch, linops, "product_norm")
    inst = to_backend(instance(linops.MIN_SIZE, 1), Backend("mp", dps=20))
    v = evaluate(lhs, inst)
    assert products == []
    assert float(v) == pytest.approx(evaluate(lhs, instance(linops.MIN_SIZE, 1)), rel=1e-12)


@pytest.fixture(scope="module")
def moving_average():
    m = get("q2_2_unrolled_corrected")
    ctx = CheckContext.build(m, 0)
    ind = next(s for s in m.steps if s.kind == "induction")
    return m, ctx, ind


def test_a_long_scalar_sum_is_vectorized_and_agrees_with_the_loop(moving_average, monkeypatch):
    m, ctx, ind = moving_average
    t = m.decls[ind.option("sequence")].index
    rhs = ctx.prepare(ind.rhs)
    calls = spy(monkeypatch, largescale, "_accumulate")
    fast = evaluate(rhs, ctx.sampler.instance(0).with_values({t: 300}))
    assert calls, "the sum took the loop"
    monkeypatch.setattr(largescale, "VECTOR_MIN", 10**9)
    slow = evaluate(rhs, ctx.sampler.instance(0).with_values({t: 300}))
    assert fast == pytest.approx(slow, rel=1e-13)
    assert fast == pytest.approx(evaluate(ind.lhs, ctx.sampler.instance(0).with_values({t: 300})), rel=1e-12)


@pytest.mark.parametrize("body, error", [
    (lambda i, x: 1 / (i - 70), "division by zero"),
    (lambda i, x: sp.log(i - 70), "log of a non-positive number"),
    (lambda i, x: (i - 70 - x) ** sp.Rational(1, 3), "fractional power of a negative number"),
])
def test_a_vectorized_sum_reports_the_loops_domain_error(body, error):
    from symbolic.algebra.backend import Instance

    i, k, x = sp.Symbol("i", integer=True), sp.Symbol("k", integer=True), sp.Symbol("x", positive=True)
    s = sp.Sum(body(i, x), (i, 0, k))
    with pytest.raises(DomainError, match=error):
        evaluate(s, Instance(values={k: 100, x: 0.5}))


def test_vectorized_sums_and_products_match_the_loop(monkeypatch):
    from symbolic.algebra.backend import Instance

    i, k, x = sp.Symbol("i", integer=True), sp.Symbol("k", integer=True), sp.Symbol("x", positive=True)
    bodies = [sp.exp(-i * x) / (1 + i), (1 + x**i) * sp.tanh(i / 10), sp.Abs(sp.sin(i)) + sp.sqrt(i + x),
              1 + x / (i + 1) ** 2]
    inst = {"values": {k: 150, x: 0.3}}
    for body in bodies:
        for node in (sp.Sum, sp.Product):
            e = node(body, (i, 1, k))
            fast = evaluate(e, Instance(**inst))
            with monkeypatch.context() as mp:
                mp.setattr(largescale, "VECTOR_MIN", 10**9)
                slow = evaluate(e, Instance(**inst))
            assert fast == pytest.approx(slow, rel=1e-13), (node, body)


def test_a_long_vector_recurrence_is_batched_and_agrees_with_the_loop(jacobian_bound, monkeypatch):
    _, _, instance = jacobian_bound
    runs = spy(monkeypatch, largescale, "_vector_recurrence")
    inst = instance(20, 1)
    fast = inst.sequences["g"](150, inst)
    assert runs, "the recurrence took the loop"
    monkeypatch.setattr(largescale, "VECTOR_MIN", 10**9)
    inst = instance(20, 1)
    slow = inst.sequences["g"](150, inst)
    assert np.allclose(fast, slow, rtol=1e-12, atol=1e-14)
    assert inst.memo[("seq", "g", 75)].shape == (20, 1)  # the terms on the way are remembered


def test_a_long_scalar_recurrence_is_batched_and_agrees_with_the_loop(moving_average, monkeypatch):
    m, ctx, ind = moving_average
    t = m.decls[ind.option("sequence")].index
    runs = spy(monkeypatch, largescale, "_scalar_recurrence")
    fast = evaluate(ind.lhs, ctx.sampler.instance(0).with_values({t: 400}))
    assert runs
    monkeypatch.setattr(largescale, "VECTOR_MIN", 10**9)
    slow = evaluate(ind.lhs, ctx.sampler.instance(0).with_values({t: 400}))
    assert fast == pytest.approx(slow, rel=1e-13)


def test_an_explicit_term_inside_a_long_run_wins_over_the_batch(moving_average):
    m, ctx, ind = moving_average
    seq = m.decls[ind.option("sequence")]
    inst = ctx.sampler.instance(0).with_values({seq.term(100): 5.0})
    v = inst.sequences[seq.name]
    assert v(100, inst) == 5.0
    beta = float(inst.values[m.decls["beta"].symbol])
    g101 = float(inst.sequences["g"](101, inst))
    assert v(101, inst) == pytest.approx(beta * 5.0 + (1 - beta) * g101, rel=1e-14)
