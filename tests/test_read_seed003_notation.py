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
        "v^a": {"kind": "vector", "size": "m"}, "x": {"kind": "vector", "size": "n"},
        "W": {"kind": "matrix", "shape": ["m", "n"]},
        "h^a": {"kind": "vector", "size": "m", "depends_on": ["v^a"]}},
        "definitions": {"e": {"value": "exp(1)"}}})


def _read(text):
    return read_chain(text, _table().scope()).exprs


def _same(a, b, **subs):
    return sp.simplify(sp.sympify(a - b).doit()) == 0


def test_derivative_with_respect_to_an_entry_is_computed_never_zero():
    lhs, rhs = _read(r"\frac{\partial}{\partial v_k^a} \log \sum_{i=1}^m e^{v_i^a} = \frac{e^{v_k^a}}{\sum_{i=1}^m e^{v_i^a}}")
    assert lhs != 0 and _same(lhs, rhs)
    (d,) = _read(r"\frac{\partial}{\partial v_k^a} v_y^a")
    k = next(s for s in d.free_symbols if str(s) == "k")
    y = next(s for s in d.free_symbols if str(s) == "y")
    assert d.subs({k: 2, y: 2}) == 1 and d.subs({k: 2, y: 3}) == 0


def test_derivative_with_respect_to_a_matrix_entry():
    lhs, rhs = _read(r"\frac{\partial (W_{kj})^2}{\partial W_{kj}} = 2 W_{k,j}")
    assert lhs == rhs and lhs != 0
    (d,) = _read(r"\frac{\partial}{\partial W_{kj}} \sum_{l=1}^n W_{kl} W_{kl}")
    assert d == lhs  # 2 W_kj: the Kronecker deltas of the matrix entries summed out


def test_derivative_of_a_dependent_or_whole_vector_is_refused():
    with pytest.raises(ReadError, match="depends"):
        _read(r"\frac{\partial h_k^a}{\partial v_k^a}")  # h is computed from v: never held constant (never 0)
    with pytest.raises(ReadError, match="whole|not read yet"):
        _read(r"\frac{\partial}{\partial v_k^a} (v^a)^T v^a")


def test_two_index_entries_of_a_declared_matrix():
    a, b = _read(r"W_{i1} = W_{2,3}")
    assert str(a) == "W[i - 1, 0]" and str(b) == "W[1, 2]"
    with pytest.raises(ReadError):
        _read(r"W_{0,1} = 1")


def test_indicators():
    a, b = _read(r"I_{\{v_k^a > 0\}} = \mathbb{1}[v_k^a > 0]")
    assert isinstance(a, Step) and a == b
    (c,) = _read(r"\mathbb{1}_{\{v_k^a \leq 0\}}")
    assert isinstance(c, sp.Piecewise)
    with pytest.raises(ReadError, match="condition"):
        _read(r"(v_k^a > 0) = 1")


def test_entry_applied_to_the_input_and_log_without_backslash():
    a, b = _read(r"-log(e^{v_y^a(x)}) = -v_y^a(x)")
    assert isinstance(b, sp.Mul) and isinstance(-b, Entry)
    assert sp.simplify(sp.expand_log(a, force=True) - b) == 0
    assert str(_read(r"W_{i1} v_1^a")[0]).startswith("W[i - 1, 0]*") or "W[i - 1, 0]" in str(_read(r"W_{i1} v_1^a")[0])
