"""Notation the builder reads by shapes (issue 15): scalars next to matrices, dot products, products of matrices."""

from __future__ import annotations

import pytest

from symbolic.algebra import Dot, MatrixExpr, sp
from symbolic.read.context import context_from_dict
from symbolic.read.latex import ReadError, read_chain

TABLE = {"dims": ["n"], "symbols": {"A": {"kind": "matrix", "shape": ["n", "n"]}, "B": {"kind": "matrix", "shape": ["n", "n"]},
                                    "a": {"kind": "vector"}, "c": {"kind": "vector"}, "M": {"kind": "matrix", "shape": ["n", "m"]}}}


def read(text):
    scope = context_from_dict(dict(TABLE, dims=["n", "m"])).scope()
    chain = read_chain(text, scope)
    return chain, list(scope.notes)


def test_a_square_matrix_plus_a_scalar_is_the_scalar_times_the_identity_and_says_so():
    (chain, notes) = read(r"A - \frac{a^T a}{2} = A")
    e = chain.exprs[0]
    assert isinstance(e, MatrixExpr) and e.shape == chain.exprs[1].shape
    assert any(isinstance(x, sp.Identity) for x in sp.preorder_traversal(e))
    assert notes and "times the identity" in notes[0]
    # a vector plus a scalar, or a non-square matrix plus a scalar, has no such reading: not read
    with pytest.raises(ReadError):
        read(r"a + 1 = a")
    with pytest.raises(ReadError):
        read(r"M + 1 = M")


def test_a_dot_between_two_vectors_is_their_dot_product():
    (chain, _notes) = read(r"\sqrt{a \cdot c} = 1")
    assert not isinstance(chain.exprs[0], MatrixExpr)
    assert any(isinstance(x, Dot) for x in sp.preorder_traversal(chain.exprs[0]))
    (chain, _notes) = read(r"2 \cdot A = A")  # a scalar times a matrix stays a product
    assert isinstance(chain.exprs[0], MatrixExpr)


def test_a_product_of_square_matrices_is_an_ordered_matprod_and_a_subscripted_function_applies():
    from symbolic.algebra import MatProd
    scope = context_from_dict({"dims": ["n"], "symbols": {"A": {"kind": "matrix", "shape": ["n", "n"]},
                                                          "z": {"kind": "vector"}},
                               "functions": {"f": {"kind": "activation"}}}).scope()
    chain = read_chain(r"\prod_{k=1}^{3} A = A^3", scope)
    assert isinstance(chain.exprs[0], MatProd) and "leftmost" in scope.notes[0]
    scope.notes.clear()
    chain = read_chain(r"f_t(A z) = f(A z)", scope)
    assert chain.exprs[0] == chain.exprs[1] and "subscript names the step" in scope.notes[0]


def test_a_sequence_name_written_bare_in_a_function_call_is_any_real_number():
    scope = context_from_dict({"symbols": {"c": {"assumptions": ["positive"]}}, "sequences": {"x": {"index": "t", "size": "n"}},
                               "functions": {"f": {"kind": "activation", "derivative_bound": "c"}}}).scope()
    chain = read_chain(r"|f'(x)| \leq c", scope)
    assert not isinstance(chain.exprs[0], MatrixExpr) and "any real number" in scope.notes[0]


def test_a_subscripted_argument_keeps_its_subscript_in_an_applied_name():
    scope = context_from_dict({"symbols": {"z_0": {"kind": "vector"}, "f(z_0)": {"kind": "scalar"}}}).scope()
    chain = read_chain(r"f(z_0) + 1 = 1 + f(z_0)", scope)
    assert not isinstance(chain.exprs[0], MatrixExpr) and "f(z_0)" in str(chain.exprs[0])


def test_a_star_between_factors_is_a_product_and_a_log_applies_to_a_sum():
    scope = context_from_dict({"symbols": {"p": {}, "q": {}}}).scope()
    chain = read_chain(r"p * q = q p", scope)
    assert chain.exprs[0] == chain.exprs[1]
    chain = read_chain(r"\log \sum_{i=1}^{3} p = \log(3 p)", scope)
    assert isinstance(chain.exprs[0], sp.log)


def test_a_limit_of_a_variable_tending_to_a_value_is_a_limit():
    scope = context_from_dict({"symbols": {"p": {}}}).scope()
    chain = read_chain(r"\lim_{p \rightarrow \infty} \frac{1}{p} = 0", scope)
    assert isinstance(chain.exprs[0], sp.Limit) and chain.exprs[0].doit() == 0
    with pytest.raises(ReadError):
        read_chain(r"\max_{p \to 1} p = 1", scope)
