"""Notation of backprop write-ups (entries of declared vectors and matrices, derivatives with respect to an entry,
indicators, o_k(x), log typed without a backslash), on small lines written for these tests."""

from __future__ import annotations

import pytest

from symbolic.algebra import Entry, Step, sp
from symbolic.exceptions import ReadError
from symbolic.read.context import context_from_dict
from symbolic.read.latex import read_chain


def _table():
    return context_from_dict({"dims": ["m", "n"], "symbols": {
        "v": {"kind": "vector", "size": "m"}, "x": {"kind": "vector", "size": "n"},
        "W": {"kind": "matrix", "shape": ["m", "n"]},
        "h": {"kind": "vector", "size": "m", "depends_on": ["v"]}},
        "definitions": {"e": {"value": "exp(1)"}}})


def _read(text):
    return read_chain(text, _table().scope()).exprs


def _same(a, b, **subs):
    return sp.simplify(sp.sympify(a - b).doit()) == 0


def test_derivative_with_respect_to_an_entry_is_computed_never_zero():
    lhs, rhs = _read(r"\frac{\partial}{\partial v_k} \log \sum_{i=1}^m e^{v_i} = \frac{e^{v_k}}{\sum_{i=1}^m e^{v_i}}")
    assert lhs != 0 and _same(lhs, rhs)
    (d,) = _read(r"\frac{\partial}{\partial v_k} v_y")
    k = next(s for s in d.free_symbols if str(s) == "k")
    y = next(s for s in d.free_symbols if str(s) == "y")
    assert d.subs({k: 2, y: 2}) == 1 and d.subs({k: 2, y: 3}) == 0


def test_derivative_with_respect_to_a_matrix_entry():
    lhs, rhs = _read(r"\frac{\partial (W_{kj})^2}{\partial W_{kj}} = 2 W_{k,j}")
    assert lhs == rhs and lhs != 0
    (d,) = _read(r"\frac{\partial}{\partial x_j} \sum_{l=1}^n W_{kl} x_l")
    assert str(d) == "W[k - 1, j - 1]"


def test_derivative_of_a_dependent_or_whole_vector_is_refused():
    with pytest.raises(ReadError, match="depends"):
        _read(r"\frac{\partial h_k}{\partial v_k}")  # h is computed from v: never held constant (never 0)
    with pytest.raises(ReadError, match="whole"):
        _read(r"\frac{\partial}{\partial v_k} \mathbf{v}^T \mathbf{v}")


def test_two_index_entries_of_a_declared_matrix():
    a, b = _read(r"W_{i1} = W_{2,3}")
    assert str(a) == "W[i - 1, 0]" and str(b) == "W[1, 2]"
    with pytest.raises(ReadError):
        _read(r"W_{0,1} = 1")


def test_indicators():
    a, b = _read(r"I_{\{v_k > 0\}} = \mathbb{1}[v_k > 0]")
    assert isinstance(a, Step) and a == b
    (c,) = _read(r"\mathbb{1}_{\{v_k \leq 0\}}")
    assert isinstance(c, sp.Piecewise)
    with pytest.raises(ReadError, match="condition"):
        _read(r"(v_k > 0) = 1")


def test_entry_applied_to_the_input_and_log_without_backslash():
    a, b = _read(r"-log(e^{v_y(x)}) = -v_y(x)")
    assert isinstance(b, sp.Mul) and isinstance(-b, Entry)
    assert sp.simplify(sp.expand_log(a, force=True) - b) == 0
    assert str(_read(r"W_{i1} x_1")[0]) == "Entry(x, 0)*W[i - 1, 0]"  # scalars: entries commute
