r"""Notation of real write-ups that the core builder leaves to this module: sums whose range is a
vector's size, inner products, functions of several arguments.

>>> from symbolic.read.context import SymbolTable
>>> from symbolic.read.latex import read_chain
>>> table = SymbolTable().from_use({"x": {"bold"}, "y": {"bold"}})
>>> str(read_chain(r"\sum_i x_i y_i = \mathbf{x}^T \mathbf{y}", table.scope()).exprs[0])
'Sum(Entry(x, i - 1)*Entry(y, i - 1), (i, 1, n))'
"""

from __future__ import annotations

import re

from lark import Tree

from ..algebra import Dot, Entry, MatrixExpr, sp
from ..exceptions import ReadError

_BARE = (sp.Symbol, sp.MatrixSymbol)
_WHY = ((re.compile(r"\\int(?![a-zA-Z])|\\iint|\\oint"), "an integral (\\int) is not read yet"),
        (re.compile(r"\\begin\s*\{cases\}"), "a definition by cases (\\begin{cases}) is not read yet"),
        (re.compile(r"\\begin\s*\{array\}"), "an array (\\begin{array}) is not read yet"),
        (re.compile(r"\\begin\s*\{[vV]matrix\}"), "a determinant (vmatrix) is not read yet"),
        (re.compile(r"\\(?:arg)?(?:max|min|sup|inf)(?![a-zA-Z])|\\op\{arg(?:max|min)\}|"
                    r"\\textname\{arg\s*(?:max|min)\}"), "an optimisation (\\max, \\min, \\arg\\max) is not read yet"),
        (re.compile(r"\\nabla\s*(?![_ ])"), "a \\nabla without its variable (\\nabla_x f) is not read yet"),
        (re.compile(r"\\hdotsfor(?![a-zA-Z])"), "an elided row of a matrix (\\hdotsfor) is not read yet"),
        (re.compile(r"\\(?:l?dots|cdots|vdots|ddots|dots[cbmi]?)(?![a-zA-Z])|\.\.\."),
         "an elided term (\\dots) is read only between the terms of a sum, the factors of a product or the entries "
         "of a vector"),
        (re.compile(r"\\sim(?![a-zA-Z])"), "a \\sim (distributed as) inside an expression is not read yet"))


def tidy(text: str) -> str:
    r"""The text without invisible characters (zero-width spaces, a byte-order mark; a no-break space is a space),
    and a number of several digits after ``\ln``, ``\log``, ``\exp`` kept whole (``\ln 20`` is ln(20)).

    >>> tidy("\\ln 20 + x\u200b")
    '\\ln {20} + x'
    """
    t = re.sub("[\u200b\u200c\u200d\u2060\ufeff]", "", text).replace("\u00a0", " ")
    return re.sub(r"(\\(?:ln|log|exp|sin|cos|tan)(?![a-zA-Z]))\s*(\d{2,}(?:\.\d+)?|\d+\.\d+)", r"\1 {\2}", t)


def explain(norm: str, pos: int, default: str) -> str:
    r"""Why the normalised line ``norm`` stops at ``pos``, named by the notation there (else ``default``).

    >>> explain(r"\int_0^1 f(x) dx", 0, "unknown command \\int")
    'an integral (\\int) is not read yet (unknown command \\int)'
    """
    for rx, why in _WHY:
        m = rx.search(norm, max(0, pos - 8))
        if m is not None and m.start() <= pos + 1:
            return f"{why} ({default})"
    return default


def undefined_derivative(exprs, defined, unknown=()) -> str | None:
    r"""Why a derivative in ``exprs`` cannot be read, or None: one of a bare name that nothing ``defined``
    (``\partial J / \partial W`` with no line ``J = ...`` read before).  Read as a constant, its derivative
    would be 0, and a chain rule of such names would pass as 0 = 0.

    >>> from symbolic.algebra import Grad
    >>> f, x = sp.Symbol("f"), sp.Symbol("x")
    >>> undefined_derivative([Grad(f, x)], set())[:24], undefined_derivative([Grad(f, x)], {f})
    ('a derivative of f, which', None)
    """
    from ..algebra import Grad, Jac, SeqTerm
    from ..algebra.ops.calculus import Hessian

    for e in exprs:
        names = {str(s) for s in getattr(e, "free_symbols", ())} & set(unknown)
        if names:
            return (f"{sorted(names)[0]} is a derivative of a value of an undeclared function: unknown "
                    "(declare the function in the context file)")
        for a in sp.preorder_traversal(e) if isinstance(e, sp.Basic) else ():
            f = a.args[0] if isinstance(a, (Grad, Jac, Hessian)) else None
            free_term = isinstance(f, SeqTerm) and str(f).split("(")[0].endswith("_seq")  # x_i of no sequence declared
            if isinstance(f, sp.Pow) and isinstance(f.base, _BARE) and f.exp.is_Number and f.base not in defined \
                    and f.base != a.args[1]:  # d sigma^2 / d mu: the power of a name nothing defines
                f = f.base
            if f is not None and (isinstance(f, _BARE) or free_term) \
                    and a.args[0] != a.args[1] and f not in defined:
                return (f"a derivative of {a.args[0]}, which no line read before defines: how it depends on "
                        f"{a.args[1]} is unknown (define it, or declare it in the context file)")
    return None


class NotationMixin:
    """Builders of :mod:`symbolic.read.build` for the notations of this module (``value`` is the builder's)."""

    def unbounded_sum(self, tok, var, body):
        r"""``\sum_i x_i y_i`` with no bounds: :meth:`symbolic.read.indices.IndexMixin.index_sum` of one index."""
        return self.index_sum(tok, [var], body)

    def applied(self, head, args):
        r"""``f(x, y)`` of an undeclared ``f``: a scalar named as written (``f(x, y)``), one per argument list.

        Nothing is known of ``f``: a line holds for every ``f`` when it holds for every value of these, so a
        proof stands; a counterexample on them is no counterexample (the audit says so), and a derivative of one
        is refused (:meth:`refuse_opaque`)."""
        primed = getattr(head, "data", None) == "prime"  # a'(eta): the derivative a', as unknown as a
        name, bold = self.name_of(head.children[0] if primed else head)
        name += "'" if primed else ""
        if bold:
            raise ReadError(f"{name}(...): a vector-valued undeclared function is not read yet")
        values = []
        for a in args:
            v = self.value(a)
            values.append(Dot(v) if isinstance(v, MatrixExpr) and sp.sympify(v.shape[0]) == 1
                          and sp.sympify(v.shape[1]) == 1 else v)
        text = f"{name}({','.join(str(v) for v in values)})"
        if self.scope.d.decls.get(text) is None and any(name == n.split("(")[0] for n in self.scope.table.symbols):
            raise ReadError(f"{text}: the context declares other values of {name}, not this one")
        value = self.scope.symbol(text, False)
        self.scope.opaque.add(text)
        return value

    def refuse_opaque(self, f, x):
        """A derivative of a value ``f(x, y)`` of an undeclared function is unknown: a placeholder of its shape
        (``d(f(x,y))/d(x)``) that the audit never checks a relation with, or None when ``f`` holds no such value."""
        names = {str(s) for s in getattr(f, "free_symbols", ())} & self.scope.opaque
        if not names:
            return None
        if isinstance(f, MatrixExpr) and not (sp.sympify(f.shape[0]) == 1 and sp.sympify(f.shape[1]) == 1):
            raise ReadError(f"a derivative of {sorted(names)[0]} (a value of an undeclared function) is not read yet")
        name = f"d({f})/d({x})"
        if name not in self.scope.d.decls:
            if isinstance(x, MatrixExpr):
                self.scope.d.matrix(name, *x.shape)
            else:
                self.scope.d.scalar(name)
        self.scope.opaque.add(name)
        self.scope.unknown.add(name)
        return self.scope.d.decls[name].symbol


    def per_square(self, f, s):
        r"""``\partial f / \partial \sigma^2``: the chain rule through ``v = \sigma^2``, locally invertible where
        ``\sigma \ne 0``: ``(\partial f / \partial \sigma) / (2 \sigma)``."""
        self.scope.notes.append(f"d/d({s}^2) read as (d/d{s}) / (2 {s}), where {s} is not 0")
        return self.divide(self.derivative(f, s), 2 * s)


    def power_on_call(self, call, exp):
        r"""``X(a)^k``: the grammar puts the power on the call; it is on ``(a)`` when the call is a product
        (``2(a+b)^2``, ``\frac{1}{2}(v+e)^{-1.5}``), on the value when it is a function applied (``f(x)^2``)."""
        self.power_of_call, self.power_taken = exp, False
        v = self.value(call)
        self.power_of_call = None
        if self.power_taken:  # taken by the product
            self.power_taken = False
            return v
        return self.b_power(Tree("paren", [call]), exp)


    def b_inner(self, _l, a, b, _r):
        r"""``\langle a, b \rangle`` of two vectors of one size: ``a^T b``; of anything else, or where the submission
        defines its own inner product (``\langle x, y \rangle := x^T S y``), UNREAD."""
        if self.scope.table.inferred.get("\\langle") == "defined":
            raise ReadError("the submission defines its own inner product \\langle .., .. \\rangle: not read yet")
        x, y = self.value(a), self.value(b)
        if not (isinstance(x, MatrixExpr) and isinstance(y, MatrixExpr) and sp.sympify(x.shape[1]) == 1
                and x.shape == y.shape):
            raise ReadError(f"\\langle {x}, {y} \\rangle of objects that are not vectors of one size (functions? "
                            "declare them) is not read yet")
        return Dot(x.T * y)

    def entry_of(self, base, sub):
        r"""``\mathrm{softmax}(\mathbf{z})_i``, ``(\mathbf{W}\mathbf{x})_2``: entry ``i`` (from 1) of a vector
        expression, when ``i`` is a number or the index of a sum around it; else UNREAD."""
        v = self.value(base)
        if not (isinstance(v, MatrixExpr) and sp.sympify(v.shape[1]) == 1 and sp.sympify(v.shape[0]) != 1):
            raise ReadError(f"a subscript on an expression ({self.label(sub)}) that is not a vector is not read yet")
        names = {self.name_of(t)[0] for t in _walk(sub) if self.is_name(t)}
        if names - self.scope.bound():
            raise ReadError(f"entry {self.label(sub)} of the vector {v}: {self.label(sub)} is neither a number nor the "
                            "index of a sum around it, so its range is unknown; not read yet")
        i = self.value(sub)
        if getattr(i, "is_Integer", False) and i < 1:
            raise ReadError(f"entry {i} of {v}: entries are numbered from 1")
        return Entry(v, i - 1)


def _walk(t):
    yield t
    for c in getattr(t, "children", []):
        yield from _walk(c)
