"""Structural shape checking for matrix expressions of symbolic size.

sympy accepts ``u + u.T`` for ``u`` of shape ``n x 1`` because ``n`` might be
1.  A derivation means it for every ``n``, so shapes must agree
structurally.

>>> import sympy as sp
>>> n = sp.Symbol("n", integer=True, positive=True)
>>> u = sp.MatrixSymbol("u", n, 1)
>>> check_shapes(u.T * u)
>>> check_shapes(u + u.T)
Traceback (most recent call last):
...
symbolic.algebra.shapes.ShapeProblem: adding n x 1 (u) to 1 x n (u.T)
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr


class ShapeProblem(ValueError):
    """Operands whose shapes cannot agree for every size; ``symbols`` names them."""

    def __init__(self, message: str, symbols: tuple[str, ...]) -> None:
        super().__init__(message)
        self.symbols = symbols


def _same(a, b) -> bool:
    return sp.simplify(sp.sympify(a) - sp.sympify(b)) == 0


def _names(*es) -> tuple[str, ...]:
    out = set()
    for e in es:
        if isinstance(e, sp.Basic):
            out |= {a.name for a in sp.preorder_traversal(e) if isinstance(a, sp.MatrixSymbol)}
    return tuple(sorted(out))


def check_shapes(expr) -> None:
    """Raise ShapeProblem where a sum or product mixes incompatible shapes."""
    if not isinstance(expr, sp.Basic):
        return
    from .nodes import Dot

    for node in sp.preorder_traversal(expr):
        if isinstance(node, Dot) and isinstance(node.args[0], MatrixExpr):
            X = node.args[0]
            if not (_same(X.shape[0], 1) and _same(X.shape[1], 1)):
                raise ShapeProblem(f"a scalar product of shape {X.shape[0]} x {X.shape[1]} ({X}): expected 1 x 1",
                                   _names(X))
        if isinstance(node, sp.MatAdd):
            mats = [a for a in node.args if isinstance(a, MatrixExpr)]
            first = mats[0]
            for other in mats[1:]:
                if not (_same(first.shape[0], other.shape[0]) and _same(first.shape[1], other.shape[1])):
                    raise ShapeProblem(
                        f"adding {first.shape[0]} x {first.shape[1]} ({first}) to "
                        f"{other.shape[0]} x {other.shape[1]} ({other})", _names(first, other))
        elif isinstance(node, sp.MatMul):
            mats = [a for a in node.args if isinstance(a, MatrixExpr)]
            for left, right in zip(mats, mats[1:]):
                if not _same(left.shape[1], right.shape[0]):
                    raise ShapeProblem(
                        f"multiplying {left.shape[0]} x {left.shape[1]} ({left}) by "
                        f"{right.shape[0]} x {right.shape[1]} ({right})", _names(left, right))
