r"""Derivative and index notation of the reader (issue 15), on small lines written for these tests: a numerator
that is an expression (a coefficient, a sign, the whole rest differentiated), second derivatives and the Hessian, a
derivative evaluated at a point, d/dx_j of a declared vector x, sums over indices without bounds (several
indices, primed indices, matrix entries), \log applied to a fraction.  Each line is audited end to end: a correct
line is PROVED or CONFIRMED, a wrong one REFUTED."""

from __future__ import annotations

from audit_files import verdicts_and_reasons

CONTEXT = """dims = ["m", "n"]
[symbols.x]
kind = "vector"
size = "n"
[symbols.x_0]
kind = "vector"
size = "n"
[symbols.b]
kind = "vector"
size = "m"
[symbols.W]
kind = "matrix"
shape = ["m", "n"]
[symbols.A]
kind = "matrix"
shape = ["n", "n"]
[symbols.lambda]
assumptions = ["positive"]
"""

CHECKED = ("PROVED", "CONFIRMED")


def verdicts(tmp_path, lines: list[str]) -> list[tuple[str, str]]:
    out = verdicts_and_reasons(tmp_path, "\n\n".join(f"$$ {x} $$" for x in lines) + "\n", CONTEXT)
    assert len(out) == len(lines)
    return out


def expect(tmp_path, cases: list[tuple[str, str]]) -> None:
    got = verdicts(tmp_path, [line for line, _ in cases])
    for (line, want), (verdict, reason) in zip(cases, got):
        ok = verdict in CHECKED if want == "ok" else verdict == want
        assert ok, f"{line}: {verdict} ({reason}), expected {want}"


def test_a_coefficient_or_a_sign_before_the_partial_multiplies_the_derivative(tmp_path):
    expect(tmp_path, [
        (r"\frac{\lambda \partial W_{kj}^2}{\partial W_{kj}} = 2 \lambda W_{kj}", "ok"),
        (r"\frac{\lambda \partial W_{kj}^2}{\partial W_{kj}} = \lambda W_{kj}", "REFUTED"),
        (r"\frac{-\partial t^2}{\partial t} = -2 t", "ok"),
        (r"\frac{-\partial t^2}{\partial t} = 2 t", "REFUTED"),
    ])


def test_the_whole_rest_of_the_numerator_is_differentiated(tmp_path):
    expect(tmp_path, [
        (r"\frac{\partial \lambda W_{kj}^2}{\partial W_{kj}} = 2 \lambda W_{kj}", "ok"),
        (r"\frac{\partial \lambda W_{kj}^2}{\partial W_{kj}} = \lambda W_{kj}", "REFUTED"),
        (r"\frac{\partial \sum_{j=1}^n W_{kj} x_j + b_k}{\partial b_k} = 1", "ok"),
        (r"\frac{\partial \sum_{j=1}^n W_{kj} x_j + b_k}{\partial b_k} = 0", "REFUTED"),
        (r"\frac{\partial \sum_{l=1}^n W_{kl} x_l + b_k}{\partial W_{kj}} = x_j", "ok"),
        (r"\frac{\partial \sum_{l=1}^n W_{kl} x_l + b_k}{\partial W_{kj}} = W_{kj}", "REFUTED"),
        (r"\frac{\partial(c + \lambda t^3)}{\partial t} = 3 \lambda t^2", "ok"),
    ])


def test_a_derivative_with_respect_to_an_entry_of_a_declared_vector_is_computed_by_entries(tmp_path):
    # x_k outside a sum is a plain name: read as independent of x, the derivative would be 0 (refuting a true line)
    expect(tmp_path, [
        (r"\frac{\partial}{\partial x_k} \sum_{j=1}^n x_j^2 = 2 x_k", "ok"),
        (r"\frac{\partial}{\partial x_k} \sum_{j=1}^n x_j^2 = x_k", "REFUTED"),
        (r"\frac{\partial}{\partial x_j} \sum_{l=1}^n W_{kl} x_l = W_{kj}", "ok"),
        (r"\frac{\partial}{\partial x_j} \sum_{l=1}^n W_{kl} x_l = W_{jk}", "REFUTED"),
    ])


def test_second_derivatives_and_the_hessian(tmp_path):
    expect(tmp_path, [
        (r"\frac{\partial^2 (t^3)}{\partial t^2} = 6 t", "ok"),
        (r"\frac{\partial^2 t^3}{\partial^2 t} = 3 t^2", "REFUTED"),  # the student spelling of \partial t^2
        (r"\frac{\partial^2 (s^2 t)}{\partial s \partial t} = 2 s", "ok"),
        (r"\frac{\partial^2 (s^2 t)}{\partial s \partial t} = 2 t", "REFUTED"),
        (r"\frac{\partial^2 (x^T A x)}{\partial x^2} = A + A^T", "ok"),
        (r"\frac{\partial^2 (x^T A x)}{\partial x^2} = 2 A", "REFUTED"),
        (r"\nabla_x^2 (x^T A x) = A + A^T", "ok"),
        (r"\nabla^2_x (x^T A x) = 2 A^T", "REFUTED"),
    ])


def test_a_derivative_evaluated_at_a_point(tmp_path):
    expect(tmp_path, [
        (r"\frac{\partial (x^T A x)}{\partial x}(x_0) = (A + A^T) x_0", "ok"),
        (r"\frac{\partial (x^T A x)}{\partial x}(x_0) = 2 A x_0", "REFUTED"),
        (r"\frac{\partial^2 (x^T A x)}{\partial^2 x}(x_0) = A + A^T", "ok"),
    ])


def test_a_derivative_of_an_undefined_name_at_a_point_is_read_and_never_refuted(tmp_path):
    (g, h) = verdicts(tmp_path, [r"y = \frac{\partial f}{\partial x}(x_0)", r"A = \frac{\partial^2 f}{\partial x^2}(x_0)"])
    assert g[0] == "UNDECIDED" and "derivative of f" in g[1], g
    assert h[0] == "UNDECIDED" and "derivative of f" in h[1], h


def test_sums_over_indices_without_bounds_take_their_ranges_from_the_shapes(tmp_path):
    expect(tmp_path, [
        (r"\sum_{i,j} W_{i,j}^2 = \sum_{i=1}^m \sum_{j=1}^n W_{ij}^2", "ok"),
        (r"\sum_{i,j} W_{i,j}^2 = \sum_{i=1}^m \sum_{j=1}^n W_{ij}", "REFUTED"),
        (r"\sum_{j} W_{kj} x_j = \sum_{l=1}^n W_{kl} x_l", "ok"),
        (r"\sum_{j'} W_{kj'} x_{j'} = \sum_{l=1}^n W_{kl} x_l", "ok"),
        (r"\sum_{j'} W_{kj'} x_{j'} = \sum_{l=1}^n W_{kl} x_l^2", "REFUTED"),
        (r"\frac{\lambda \partial \sum_{i,j} (W_{i,j})^2}{\partial W_{kj}} = 2 \lambda W_{k,j}", "ok"),
        (r"\frac{\lambda \partial \sum_{i,j} (W_{i,j})^2}{\partial W_{kj}} = \lambda W_{k,j}", "REFUTED"),
    ])
    # W_{ii} indexes rows (m) and columns (n): no one range, the line stays unread with its reason
    ((verdict, reason),) = verdicts(tmp_path, [r"\sum_i W_{ii} = 1"])
    assert verdict == "UNREAD" and "without bounds" in reason


def test_log_applied_to_a_fraction_without_parentheses(tmp_path):
    expect(tmp_path, [
        (r"\log \frac{t}{2} = \log t - \log 2", "ok"),
        (r"-\log \frac{t}{2} = \log 2 - \log t", "ok"),
        (r"-log\frac{t}{2} = \log t", "REFUTED"),
    ])


def test_a_derivative_by_a_name_whose_labelled_sibling_the_expression_holds_is_not_read():
    # d/dW_kj of an expression of W^(1) only: W_kj with its label dropped (not 0), or another name (0)? Never 0.
    import pytest as _pytest

    from symbolic.exceptions import ReadError
    from symbolic.read.context import context_from_dict
    from symbolic.read.latex import read_chain

    table = context_from_dict({"dims": ["m", "n"], "symbols": {
        "W^{(1)}": {"kind": "matrix", "shape": ["m", "n"]}, "W^{(2)}": {"kind": "matrix", "shape": ["m", "n"]}}})
    with _pytest.raises(ReadError, match="label"):
        read_chain(r"\frac{\partial \sum_{l} W_{kl}^{(1)}}{\partial W_{kj}}", table.scope())
    (d,) = read_chain(r"\frac{\partial \sum_{i,l} (W_{i,l}^{(1)})^2}{\partial W_{kj}^{(2)}}", table.scope()).exprs
    assert d == 0  # another declared matrix: 0 is the only reading
    (d,) = read_chain(r"\frac{\partial \sum_{l} W_{kl}^{(1)}}{\partial W_{kj}^{(1)}}", table.scope()).exprs
    assert d == 1
