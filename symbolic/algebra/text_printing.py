"""Mathematics for a terminal: sympy's ``str`` printer with stepcheck's nodes in unicode.

``‖u‖`` for norms, ``uᵀ`` for transposes, ``∇_u f`` for gradients, ``f(x)``
for element-wise functions, ``sum(x)``, ``λ₁(A)``, ``E[x]``: what a user
reading ``stepcheck show`` expects, instead of sympy's trees
(``Grad(SumEntries(Apply(ell, ...)), u)``).  Each operator of the vocabulary
prints by its declaration's ``text_form`` (:mod:`symbolic.algebra.ops`).

>>> from symbolic.algebra import Norm, sp
>>> u = sp.MatrixSymbol("u", 3, 1)
>>> to_text(Norm(u)**2 * sp.Transpose(u + u))
'(2*‖u‖**2)*uᵀ'
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.str import StrPrinter

from .ops import lookup

__all__ = ["to_text"]


class _Sub:
    """What a declared ``text_form`` is given: ``pr(sub)`` prints a sub-expression, ``pr.atom(sub)``
    parenthesizes it unless it is self-delimited."""

    __slots__ = ("_p",)

    def __init__(self, printer: "_TextPrinter") -> None:
        self._p = printer

    def __call__(self, expr) -> str:
        return self._p._print(expr)

    def atom(self, expr) -> str:
        """``expr`` printed, in parentheses unless a symbol, a number or a self-delimited operator."""
        return self._p._atom(expr)


class _TextPrinter(StrPrinter):
    """``StrPrinter`` that prints stepcheck's nodes as a mathematician writes them."""

    def __init__(self) -> None:
        super().__init__()
        self._sub = _Sub(self)

    def _print(self, expr, **kwargs) -> str:
        op = lookup(expr)
        if op is not None and op.text_form is not None:  # a registered operator prints itself
            return op.text_form(expr, self._sub)
        return super()._print(expr, **kwargs)

    def _atom(self, x) -> str:
        s = self._print(x)
        op = lookup(x)
        if isinstance(x, (sp.Symbol, sp.MatrixSymbol, sp.Number)) or (op is not None and op.text_atomic):
            return s
        return "(%s)" % s

    def _print_Transpose(self, e) -> str:
        return self._atom(e.arg) + "ᵀ"

    def _print_Inverse(self, e) -> str:
        return self._atom(e.arg) + "⁻¹"


def to_text(expr) -> str:
    """One line of unicode mathematics for ``expr`` (anything unprintable falls back to ``str``).

    >>> from symbolic.algebra import Grad, Norm, sp
    >>> u, g = sp.MatrixSymbol("u", 3, 1), sp.Symbol("g")
    >>> to_text(Grad(g * Norm(u), u))
    '∇_u (g*‖u‖)'
    """
    try:
        return _TextPrinter().doprint(expr)
    except Exception:  # a node the printer does not know must not break the page
        return str(expr)
