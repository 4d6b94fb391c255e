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
