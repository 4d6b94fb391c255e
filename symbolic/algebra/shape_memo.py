"""The shape of a sympy matrix product, remembered on the product (it never changes: sympy's objects are immutable).

sympy's ``MatMul.shape`` reads ``rows`` of its first factor and ``cols`` of its last, each of which
computes that factor's whole shape again: a product nested ``k`` deep costs ``2**k`` shape calls.
``simplify`` (the sum rung of the prover: ``gosper_sum`` through ``powsimp``) builds such nests
around ``W^{(2)} relu(W^{(1)} x + b^{(1)}) + b^{(2)}`` and spent its whole time budget there.
:func:`install` makes the shape a property computed once per object, with the same value.

>>> import sympy as sp
>>> install()
>>> n = sp.Symbol("n"); A = sp.MatrixSymbol("A", n, 2); B = sp.MatrixSymbol("B", 2, 3)
>>> (A * B).shape, (A * B).shape
((n, 3), (n, 3))
"""

from __future__ import annotations

import sympy as sp

_INSTALLED = [False]


def _matmul_shape(self):
    try:
        return self.__dict__["_stepcheck_shape"]
    except KeyError:
        pass
    matrices = [arg for arg in self.args if arg.is_Matrix]
    first, last = matrices[0].shape, matrices[-1].shape
    shape = (first[0], last[1])  # what sympy's property computes, each factor's shape read once
    self.__dict__["_stepcheck_shape"] = shape
    return shape


def install() -> None:
    """Make ``MatMul.shape`` computed once per product (idempotent).

    >>> install(); install(); sp.MatMul.shape.fget is _matmul_shape
    True
    """
    if _INSTALLED[0]:
        return
    sp.MatMul.shape = property(_matmul_shape, doc=sp.MatMul.shape.__doc__)
    _INSTALLED[0] = True
