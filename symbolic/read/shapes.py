r"""Shapes of the expressions the builder of :mod:`symbolic.read.build` makes, and walks of parse trees.

A 1x1 product such as ``u^T u`` is a scalar (``Dot``) where a scalar is needed; a matrix there is an error.

>>> from symbolic.algebra import sp
>>> _shape_text(sp.MatrixSymbol("W", 2, 3)), _shape_text(sp.Symbol("a"))
('2x3', 'scalar')
"""

from __future__ import annotations

from ..algebra import Dot, MatrixExpr, sp
from ..exceptions import ReadError


class _DiffOp:
    def __init__(self, x) -> None:
        self.x = x

    def _alone(self, *_):
        raise ReadError("a derivative operator with nothing to differentiate")

    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _alone
    __pow__ = __rpow__ = __neg__ = __matmul__ = __rmatmul__ = _alone


def _same_kind(e, exprs) -> bool:
    mats = [x for x in exprs if isinstance(x, MatrixExpr) and not _is1x1(x)]
    return bool(mats) or all(isinstance(x, MatrixExpr) for x in exprs)


def _is1x1(e) -> bool:
    return isinstance(e, MatrixExpr) and sp.sympify(e.shape[0]) == 1 and sp.sympify(e.shape[1]) == 1


def _is_vector(e) -> bool:
    return isinstance(e, MatrixExpr) and sp.sympify(e.shape[1]) == 1 and not _is1x1(e)


def _scalar(e):
    if _is1x1(e):
        return Dot(e)
    if isinstance(e, MatrixExpr):
        raise ReadError(f"a matrix ({e}) where a scalar is needed")
    return e


def zero_of_shape(exprs: list, rels: list[str]) -> list:
    r"""``g + H(x - x_0) = 0``: a literal 0 related by ``=`` to a vector or matrix side is the zero of that shape.

    The nearest side of the chain that is a matrix (not 1x1) gives the shape; a 0 between scalars stays 0.

    >>> x = sp.MatrixSymbol("x", sp.Symbol("n"), 1)
    >>> zero_of_shape([x, sp.Integer(0)], ["="])[1].shape, zero_of_shape([sp.Symbol("a"), sp.Integer(0)], ["="])
    ((n, 1), [a, 0])
    """
    out = list(exprs)
    for k, e in enumerate(exprs):
        if isinstance(e, MatrixExpr) or e != 0 or len(exprs) != len(rels) + 1:
            continue
        near = [j for j in (k - 1, k + 1) if 0 <= j < len(exprs) and rels[min(j, k)] in ("=", ":=")]
        shapes = [exprs[j] for j in near if isinstance(exprs[j], MatrixExpr) and not _is1x1(exprs[j])]
        if shapes:
            out[k] = sp.ZeroMatrix(*shapes[0].shape)
    return out


def _shape_text(e) -> str:
    return "x".join(str(s) for s in e.shape) if isinstance(e, MatrixExpr) else "scalar"


def _factors(t) -> list:
    """The factors of a left-nested product tree, in order."""
    if getattr(t, "data", None) == "mul":
        return _factors(t.children[0]) + [t.children[-1]]
    return [t]


def _walk(t):
    yield t
    for c in getattr(t, "children", []):
        yield from _walk(c)
