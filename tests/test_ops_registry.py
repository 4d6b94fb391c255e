"""The operator registry: one declaration per operator, and every stage dispatches to it."""

from __future__ import annotations

import sympy as sp

from symbolic import Derivation, Dot, Grad, check
from symbolic.algebra.evaluate import Instance, evaluate
from symbolic.algebra.ops import apply_rewrites, by_text, lookup, operators
from symbolic.algebra.parse import parse_expression
from symbolic.algebra.printing import to_latex
from symbolic.mutate import expression_mutants


def _square(n="n"):
    d = Derivation("ops", review=True)
    k = d.dim(n)
    return d, k, d.matrix("A", k, k), d.matrix("B", k, k)


def test_every_operator_is_declared_once_with_an_evaluation():
    ops = list(operators())
    assert ops, "the vocabulary is empty"
    nodes = [op.node for op in ops]
    assert len(nodes) == len(set(nodes))
    assert all(callable(op.evaluate) for op in ops)


def test_trace_evaluates_in_float64_and_at_high_precision():
    import numpy as np

    from symbolic.algebra.backend import Backend

    _, _, A, _ = _square()
    value = np.array([[1.0, 2.0], [3.0, 4.5]])
    assert float(evaluate(sp.Trace(A), Instance(values={A: value}))) == 5.5
    mp = Backend("mp", dps=60)
    assert abs(evaluate(sp.Trace(A), Instance(values={A: mp.array(value)}, backend=mp)) - 5.5) < 1e-50


def test_a_wrong_trace_gradient_is_refuted_and_a_right_one_cross_checked():
    d, n, A, _ = _square()
    X = d.matrix("X", n, n)
    d.claim(Grad(sp.Trace(A * X), X), "=", A.T, "right")
    d.claim(Grad(sp.Trace(A * X), X), "=", A, "wrong")
    r = check(d, cache=False)
    assert r.step("right").verdict.value == "PROVED"
    assert r.step("right").evidence.samples > 0  # never PROVED with no numeric cross-check
    assert r.step("wrong").verdict.value == "REFUTED"


def test_trace_cyclicity_is_a_named_lemma_modulo_algebra():
    d, n, A, B = _square()
    x, y = d.vector("x", n), d.vector("y", n)
    d.claim(sp.Trace(A * B), "=", sp.Trace(B * A), "cyclic")
    d.claim(Dot(x.T * A * y), "=", sp.Trace(A.T * x * y.T), "scalar")
    d.claim(Dot(x.T * A * y), "=", sp.Trace(x * y.T * A), "swapped")
    r = check(d, cache=False)
    assert r.step("cyclic").verdict.value == "PROVED"
    assert "trace cyclicity" in r.step("cyclic").evidence.method
    assert r.step("scalar").verdict.value == "PROVED"
    assert r.step("swapped").verdict.value == "REFUTED"


def test_the_lemma_does_not_rotate_past_a_transpose():
    _, _, A, B = _square()
    assert apply_rewrites(sp.Trace(A * B))[0] != apply_rewrites(sp.Trace(A.T * B))[0]


def test_trace_prints_parses_and_mutates_through_its_declaration():
    _, _, A, B = _square()
    assert to_latex(sp.Trace(A * B)) == r"\operatorname{tr}\left( \mathbf{A} \mathbf{B} \right)"
    assert to_latex(2 * sp.Trace(A) ** 2) == r"2 \operatorname{tr}\left( \mathbf{A} \right)^{2}"
    assert parse_expression("tr(A*B) + trace(B)", {"A": A, "B": B}) == sp.Trace(A * B) + sp.Trace(B)
    assert by_text("tr") is lookup(sp.Trace(A))
    assert any(m.operator == "operator" for m in expression_mutants(sp.Trace(A * B) + 1))


def test_trace_cyclicity_drops_the_transpose_of_a_declared_symmetric_matrix_only():
    d, n, A, B = _square()
    S = d.matrix("S", n, n, kinds=["symmetric"])
    d.claim(sp.Trace(A.T * S), "=", sp.Trace(A * S), "symmetric")
    d.claim(sp.Trace(A.T * B), "=", sp.Trace(A * B), "general")
    r = check(d, cache=False)
    assert r.step("symmetric").verdict.value == "PROVED"
    assert r.step("general").verdict.value == "REFUTED"
