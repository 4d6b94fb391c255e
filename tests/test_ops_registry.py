"""The operator registry: one declaration per operator, and every stage dispatches to it."""

from __future__ import annotations

import sympy as sp

from symbolic import Derivation, Dot, Grad, check
from symbolic.algebra.evaluate import Instance, evaluate
from symbolic.algebra.ops import apply_rewrites, by_text, lookup, operators
from symbolic.algebra.parse import parse_expression
from symbolic.algebra.printing import to_latex
from symbolic.checks.mutate import expression_mutants


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


# -- every node of symbolic.algebra.nodes is an operator of the vocabulary (issue 14: one place per operator) ----

import ast  # noqa: E402
import inspect  # noqa: E402
from pathlib import Path  # noqa: E402

from symbolic.algebra import nodes as _nodes  # noqa: E402

_NODES = _nodes.MATRIX_NODES + _nodes.SCALAR_NODES
_ALGEBRA = Path(_nodes.__file__).parent


def _names_used(source: str) -> set[str]:
    """Every identifier and attribute name a module's source mentions (imports included)."""
    tree = ast.parse(source)
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    used |= {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
    used |= {a.asname or a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
    used |= {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    return used


def test_every_node_class_is_a_registered_operator_that_evaluates_prints_and_reads():
    for cls in _NODES:
        op = next((o for o in operators() if o.node is cls), None)
        assert op is not None, f"{cls.__name__} has no operator in symbolic.algebra.ops"
        assert callable(op.evaluate), cls.__name__
        assert op.latex is not None, f"{cls.__name__} prints by an isinstance branch, not by its declaration"
        assert op.text_form is not None, f"{cls.__name__} has no unicode text form"


def test_the_stages_hold_no_isinstance_branch_for_a_node_any_more():
    names = {cls.__name__ for cls in _NODES}
    for module in ("evaluate.py", "printing.py", "text_printing.py"):
        used = _names_used((_ALGEBRA / module).read_text())
        assert not names & used, f"{module} still names {sorted(names & used)}"
        assert not any(u.startswith("_print_") and u[len("_print_"):] in names for u in used), module
    from symbolic.algebra import canon, parse
    from symbolic.checks import mutate

    assert not set(parse.FUNCTIONS.values()) & set(_NODES), "parse.FUNCTIONS still lists nodes"
    assert not names & _names_used(inspect.getsource(canon._atom))
    assert not {"Relu", "Step", "MatProd"} & _names_used(inspect.getsource(mutate))


def test_migrated_operators_evaluate_in_float64_and_at_high_precision():
    import numpy as np

    from symbolic.algebra.backend import Backend
    from symbolic.algebra.nodes import Entry, LambdaMax, MatProd, OneHot, Relu, Step, SumEntries

    x, t, T = sp.Symbol("x", real=True), sp.Symbol("t", integer=True), sp.Symbol("T", integer=True)
    u, A = sp.MatrixSymbol("u", 2, 1), sp.MatrixSymbol("A", 2, 2)
    vals = {x: -1.5, T: 3, u: np.array([[3.0], [4.0]]), A: np.array([[2.0, 1.0], [1.0, 2.0]])}
    cases = [(Relu(x) + 2 * Step(-x), 2.0), (Entry(u, 1) + SumEntries(A), 10.0), (LambdaMax(A), 3.0),
             (Dot(u.T * A * u), 74.0), (Dot(OneHot(1, 2).T * u), 4.0), (Dot(u.T * MatProd(A, t, 1, T) * u), 662.0)]
    mp = Backend("mp", dps=60)
    mp_vals = {k: (mp.array(v) if isinstance(v, np.ndarray) else mp.num(v)) for k, v in vals.items()}
    for expr, want in cases:
        assert abs(float(evaluate(expr, Instance(values=vals))) - want) < 1e-9, expr
        assert abs(evaluate(expr, Instance(values=mp_vals, backend=mp)) - want) < 1e-40, expr


def test_migrated_operators_read_from_text_and_print_in_unicode():
    from symbolic.algebra.nodes import Entry, Jac, LambdaMax, MatProd, OneHot, Relu, SeqTerm, Step
    from symbolic.algebra.ops.norms import Frobenius, Norm1
    from symbolic.algebra.text_printing import to_text

    n = sp.Symbol("n", integer=True, positive=True)
    x, t, T = sp.Symbol("x", real=True), sp.Symbol("t", integer=True), sp.Symbol("T", integer=True)
    u, A = sp.MatrixSymbol("u", n, 1), sp.MatrixSymbol("A", n, n)
    names = {"x": x, "u": u, "A": A}
    assert parse_expression("relu(x) + step(x) + Dot(u.T*u) + LambdaMax(A) + Entry(u, 0)", names) == \
        Relu(x) + Step(x) + Dot(u.T * u) + LambdaMax(A) + Entry(u, 0)
    assert parse_expression("Jac(A*u, u)", names) == Jac(A * u, u)
    assert parse_expression("onehot(1, n)", {"n": n}) == OneHot(1, n)
    assert to_text(Frobenius(A) + Norm1(u)) in ("‖A‖_F + ‖u‖₁", "‖u‖₁ + ‖A‖_F")
    assert to_text(sp.Trace(A) * sp.Determinant(A)) == "det(A)*tr(A)"
    assert to_text(Relu(x) + Step(x)) in ("ReLU(x) + 1[x > 0]", "1[x > 0] + ReLU(x)")
    assert to_text(MatProd(A, t, 1, T) * SeqTerm(sp.Symbol("h"), t, n, 1)) == "∏_{t=1}^{T} (A)*h_t"


def test_migrated_operators_plant_their_declared_mistakes():
    from symbolic.algebra.nodes import MatProd, Relu, Step

    x, y = sp.symbols("x y", real=True)
    t, T = sp.Symbol("t", integer=True), sp.Symbol("T", integer=True)
    W = sp.MatrixSymbol("W", 3, 3)
    got = {(m.operator, str(m.expr)) for m in expression_mutants(Relu(x) + y * Step(x))}
    assert ("neighbour", "y*sign(x) + Relu(x)") in got
    assert ("neighbour", "y*Step(x) + Abs(x)") in got
    assert ("neighbour", "y*Step(y) + Relu(x)") in got  # the mask moved to another symbol of the expression
    shifted = [m.expr for m in expression_mutants(MatProd(W, t, 1, T)) if m.operator == "exponent"]
    assert MatProd(W, t, 1, T - 1) in shifted


def test_verdicts_through_migrated_operators():
    from symbolic.algebra.nodes import MatProd, Relu

    d = Derivation("migrated", review=True)
    x = d.scalar("x")
    n = d.dim("n")
    A, u = d.matrix("A", n, n), d.vector("u", n)
    t, T = sp.Symbol("t", integer=True), d.scalar("T", integer=True, positive=True)
    d.claim(Relu(x) - Relu(-x), "=", x, "relu odd part")
    d.claim(Relu(x) + Relu(-x), "=", x, "relu wrong")
    d.claim(Grad(Dot(u.T * A * u), u), "=", (A + A.T) * u, "grad")
    d.claim(Grad(Dot(u.T * A * u), u), "=", A * u, "grad wrong")
    d.claim(MatProd(A * (A + A.T), t, 1, T) * u, "=", MatProd(A * A + A * A.T, t, 1, T) * u, "inside normalized")
    r = check(d, cache=False)
    assert r.step("relu odd part").verdict.value in ("PROVED", "CONFIRMED")
    assert r.step("relu wrong").verdict.value == "REFUTED"
    assert r.step("grad").verdict.value in ("PROVED", "CONFIRMED")
    assert r.step("grad wrong").verdict.value == "REFUTED"
    assert r.step("inside normalized").verdict.value == "PROVED"


def test_a_new_operator_is_placed_read_normalized_and_mutated_by_its_declaration_alone():
    """The hooks are general: an operator declared in a test prints, reads, normalizes and mutates."""
    from sympy.matrices.expressions.matexpr import MatrixExpr

    from symbolic.algebra.canon import is_zero_matrix_form, matrix_difference_terms
    from symbolic.algebra.ops import Operator, register
    from symbolic.algebra.text_printing import to_text

    class Smooth(MatrixExpr):  # a matrix operator of one argument, written S(X)
        def __new__(cls, X):
            return sp.Basic.__new__(cls, X)

        @property
        def shape(self):
            return self.args[0].shape

    class Sweep(MatrixExpr):  # open to the right, like a gradient: nabla X
        def __new__(cls, X):
            return sp.Basic.__new__(cls, X)

        @property
        def shape(self):
            return self.args[0].shape

    register(Operator(
        "smooth_test", Smooth, evaluate=lambda e, inst, ev: ev(e.args[0], inst), postfix=True,
        latex=lambda e, pr: r"S\left( %s \right)" % pr(e.args[0]), text=("smooth_test",),
        text_form=lambda e, pr: "S(%s)" % pr(e.args[0]), text_atomic=True,
        canon=lambda e, inside: Smooth(inside(e.args[0])), mutation_context=True,
        mutations=lambda e, whole: iter([("operator", f"{e} dropped in {whole}", e.args[0])])))
    register(Operator("sweep_test", Sweep, evaluate=lambda e, inst, ev: ev(e.args[0], inst), atomic=False,
                      open_right=True, latex=lambda e, pr: r"\Delta %s" % pr(e.args[0])))
    A, B = sp.MatrixSymbol("A", 3, 3), sp.MatrixSymbol("B", 3, 3)
    assert to_latex(Smooth(A).T) == r"S\left( \mathbf{A} \right)^{\top}"  # postfix: no parentheses
    assert to_latex(Sweep(A) * B) == r"\left(\Delta \mathbf{A}\right) \mathbf{B}"  # open right: not last
    assert to_latex(B * Sweep(A)) == r"\mathbf{B} \Delta \mathbf{A}"
    assert to_text(Smooth(A).T) == "S(A)ᵀ"
    assert parse_expression("smooth_test(A*B)", {"A": A, "B": B}) == Smooth(A * B)
    # the inside in normal form: S(A(A + B)) and S(AB + AA) are one atom
    assert is_zero_matrix_form(matrix_difference_terms(Smooth(A * (A + B)), Smooth(A * B + A * A)))
    assert not is_zero_matrix_form(matrix_difference_terms(Smooth(A * (A + B)), Smooth(A * B + B * A)))
    got = [(m.operator, m.expr) for m in expression_mutants(Smooth(A) + B)]
    assert any(o == "operator" and isinstance(e, sp.MatAdd) and set(e.args) == {A, B} for o, e in got), got


def test_a_load_of_the_vocabulary_cut_short_is_undone_and_retried(monkeypatch):
    """A time limit's alarm can interrupt an import: the half-loaded table must not stay."""
    import importlib

    from symbolic.algebra.ops import registry

    real = importlib.import_module
    calls = {"n": 0}

    def flaky(name, *a, **k):
        if name.startswith("symbolic.algebra.ops.") and calls["n"] == 0:
            calls["n"] += 1
            raise KeyboardInterrupt("an alarm in the middle of an import")
        return real(name, *a, **k)

    import sys

    monkeypatch.setattr(registry, "_TABLE", registry._Table())  # a first load, in a fresh process
    for name in registry.families():
        monkeypatch.delitem(sys.modules, name, raising=False)  # restored, with the real table, afterwards
    monkeypatch.setattr(registry.importlib, "import_module", flaky)
    import pytest

    with pytest.raises(KeyboardInterrupt):
        registry.operators().__next__()
    assert registry._TABLE.loaded is False
    monkeypatch.setattr(registry.importlib, "import_module", real)
    x = sp.Symbol("x")
    from symbolic.algebra.nodes import Relu

    assert registry.lookup(Relu(x)) is not None and registry.exported("sigmoid") is not None
