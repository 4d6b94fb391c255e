"""Mathematics for a terminal: sympy's ``str`` printer with stepcheck's nodes in unicode.

``‖u‖`` for norms, ``uᵀ`` for transposes, ``∇_u f`` for gradients, ``f(x)``
for element-wise functions, ``sum(x)``, ``λ₁(A)``, ``E[x]``: what a user
reading ``stepcheck show`` expects, instead of sympy's trees
(``Grad(SumEntries(Apply(ell, ...)), u)``).

>>> from symbolic.algebra import Norm, sp
>>> u = sp.MatrixSymbol("u", 3, 1)
>>> to_text(Norm(u)**2 * sp.Transpose(u + u))
'(2*‖u‖**2)*uᵀ'
"""

from __future__ import annotations

import sympy as sp
from sympy.printing.precedence import PRECEDENCE, precedence
from sympy.printing.str import StrPrinter

__all__ = ["to_text"]

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


class _TextPrinter(StrPrinter):
    """``StrPrinter`` that prints stepcheck's nodes as a mathematician writes them."""

    def _atom(self, x) -> str:
        s = self._print(x)
        if isinstance(x, (sp.Symbol, sp.MatrixSymbol, sp.Number)) or type(x).__name__ in ("SeqTerm", "Norm"):
            return s
        return "(%s)" % s

    def _call(self, head: str, x) -> str:
        return "%s(%s)" % (head, self._print(x))

    def _print_Transpose(self, e) -> str:
        return self._atom(e.arg) + "ᵀ"

    def _print_Inverse(self, e) -> str:
        return self._atom(e.arg) + "⁻¹"

    def _print_Norm(self, e) -> str:
        return "‖%s‖" % self._print(e.args[0])

    def _print_Dot(self, e) -> str:
        return self._print(e.args[0])

    def _print_Apply(self, e) -> str:
        f = e.args[0]
        return self._call(str(getattr(f, "name", f)), e.args[1])

    def _print_SumEntries(self, e) -> str:
        return self._call("sum", e.args[0])

    def _print_LambdaMax(self, e) -> str:
        return self._call("λ₁", e.args[0])

    def _print_Expect(self, e) -> str:
        return "E[%s]" % self._print(e.args[0])

    _print_MatExpect = _print_Expect

    def _print_Softmax(self, e) -> str:
        return self._call("softmax", e.args[0])

    def _print_DiagOf(self, e) -> str:
        return self._call("diag", e.args[0])

    def _print_LogSumExp(self, e) -> str:
        return self._call("logsumexp", e.args[0])

    def _print_Relu(self, e) -> str:
        return self._call("ReLU", e.args[0])

    def _print_Step(self, e) -> str:
        return "1[%s > 0]" % self._print(e.args[0])

    def _print_OneHot(self, e) -> str:
        return self._call("onehot_%s" % self._print(e.args[1]), e.args[0])

    def _print_Entry(self, e) -> str:
        v, i = e.args
        return "%s_%s" % (self._atom(v), self._print(i))

    def _print_SeqTerm(self, e) -> str:
        return "%s_%s" % (e.args[0], self._print(e.args[1]))

    def _print_Jac(self, e) -> str:
        y, x = e.args
        return "∂%s/∂%s" % (self._atom(y), self._atom(x))

    def _print_Grad(self, e) -> str:
        y, x = e.args
        body = self._print(y)
        if precedence(y) <= PRECEDENCE["Mul"]:
            body = "(%s)" % body
        return "∇_%s %s" % (self._print(x), body)

    def _print_MatProd(self, e) -> str:
        body, t, a, b = e.args
        return "∏_{%s=%s}^{%s} (%s)" % (self._print(t), self._print(a), self._print(b), self._print(body))


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
