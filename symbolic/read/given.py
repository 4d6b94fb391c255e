r"""Probability notation of real write-ups, read as values nothing is known of: ``p(x, z | \theta)``,
``p(y; \eta)``, ``p(y = 1 | x)``, ``KL(P || Q)``, ``\mathbb{E}[y]``, ``\mathbb{E}_{x \sim p}[f(x)]``,
``\mathrm{Var}[y]``, ``\mathrm{Cov}(x, y)``; also ``a \cdot -b`` and a function applied to a bare name
absorbing its subscripts and powers (``\log x_i^2`` is log(x_i^2)).

A value of this module is named as it is written (one name per written form, so a line that holds for every
value of these names holds, whatever the distribution): a proof stands, a counterexample on them is no
counterexample (the audit says so).  Under a sum over ``i`` such a value is a term ``i`` of a family named with
``i`` left out, never a constant of the sum.

>>> from symbolic.read.context import SymbolTable
>>> from symbolic.read.latex import read_chain
>>> [str(e) for e in read_chain(r"p(x, z | \theta) = p(z | x; \theta) p(x | \theta)", SymbolTable().scope()).exprs]
['p(x,z|theta)', 'p(x|theta)*p(z|x;theta)']
"""

from __future__ import annotations

import re

from lark import Tree

from ..algebra import MatrixExpr, sp
from ..exceptions import ReadError
from .labels import optimum_vector
from .shapes import _is1x1, _scalar

_SEPARATORS = {"GIVEN": "|", "SEMI": ";", "DIVSEP": "||"}
_HEAD = re.compile(r"(?:[A-Za-z']|\})\s*$|\\[A-Za-z]+\s*$")
_FUNCS = ("log", "ln", "exp", "sin", "cos", "tan", "tanh", "sinh", "cosh", "det", "max", "min", "lim", "sup", "inf",
          "arg", "argmax", "argmin", "sum", "prod", "frac", "sqrt", "cdot", "times")


def mark_given(t: str) -> str:
    r"""Mark the calls whose argument list holds a conditioning bar, a ``;`` or a ``||`` at its own depth
    (``p(x | y)``, ``p(y; \eta)``, ``KL(P || Q)``), and the bar of a subscript ``\mu_{1|2}``, for the grammar:
    their bar is no absolute value.  A group with any other count of bars is left as it is.

    >>> " ".join(mark_given(r"p(x^{(i)}, z | \theta) + |a| + KL(P||Q) + \Sigma_{1|2}").split())
    'p\\givenopen(x^{(i)}, z \\given \\theta) + |a| + KL\\givenopen(P \\divsep Q) + \\Sigma_{1 \\given 2}'
    """
    out = list(t)
    for i, c in enumerate(t):
        if c == "(" and _HEAD.search(t[:i]) and not re.search(r"\\(?:" + "|".join(_FUNCS) + r")\s*$", t[:i]):
            _mark(t, out, i, ")", call=True)
        elif c == "{" and t[:i].rstrip().endswith("_"):
            _mark(t, out, i, "}", call=False)
    return "".join(out)


def _mark(t: str, out: list[str], start: int, close: str, call: bool) -> None:
    depth, bars, semis, j = 0, [], [], start + 1
    while j < len(t):
        c = t[j]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and c == "|":
            if t.startswith("||", j) and call:
                bars.append((j, 2))
                j += 2
                continue
            bars.append((j, 1))
        elif depth == 0 and c == ";" and call and t[j - 1] != "\\":
            semis.append(j)
        elif depth == 0 and c == "=" and call and t[j - 1] not in ":<>!\\" and not t.startswith("==", j):
            semis.append(-1)  # p(y = 0): an event
        j += 1
    if j >= len(t) or t[j] != close or t[j - 1:j] == "\\" or len(bars) > 1 or (not bars and not semis):
        return
    if not call and semis:
        return
    if call and not bars and -1 in semis and re.search(r"(?:\\mathbb\s*\{?\s*1\s*\}?|(?<![A-Za-z\\])I)\s*$", t[:start]):
        return  # \mathbb{1}(x = y), I(x = y): an indicator, read as such elsewhere
    if bars:
        k, width = bars[0]
        out[k] = " \\divsep " if width == 2 else " \\given "
        if width == 2:
            out[k + 1] = ""
    if call:
        out[start] = "\\givenopen("


class GivenMixin:
    """Builders of :mod:`symbolic.read.build` for this module's notation (``value`` is the builder's)."""

    def opaque_value(self, parts: list, head: str, close: str = ")", opener: str = "(", scalars: bool = True):
        """The value named ``head(parts...)`` (``parts``: values and separator strings); a term of a family when
        it mentions the index of a sum around it.  With ``scalars``, a vector or matrix part is refused (the value
        would not be a scalar: an expectation of a vector); a probability of vectors is a scalar."""
        values = [p for p in parts if not isinstance(p, str)]
        for v in values:
            if scalars and isinstance(v, MatrixExpr) and not _is1x1(v):
                raise ReadError(f"{head}{opener}...{close} of a {v.shape[0]}x{v.shape[1]} value is not read yet")
        bound = {s for v in values for s in getattr(v, "free_symbols", ()) if str(s) in self.scope.bound()
                 and self.scope.symbol(str(s), False) == s}
        if len(bound) > 1:
            raise ReadError(f"{head}{opener}...{close} under two sums over its indices is not read yet")
        i = bound.pop() if bound else None
        hole = sp.Symbol("@") if i is not None else None

        def show(p):
            if isinstance(p, str):
                return p
            v = _scalar(p) if isinstance(p, MatrixExpr) and _is1x1(p) else p
            return str(v.xreplace({i: hole}) if i is not None else v)

        text = f"{head}{opener}{''.join(show(p) for p in parts)}{close}"
        if i is None:
            value = self.scope.symbol(text, False)
            self.scope.opaque.add(text)
            return value
        value = self.scope.term(text, i, False)  # the function text_seq at i: its name is opaque
        self.scope.opaque.add(type(value).__name__)
        return value

    def b_call_given(self, head, _open, *items):
        if getattr(head, "data", None) == "func" and self.is_name(head.children[1]):  # \log p(x | y)
            return self.b_func(head.children[0], Tree("call_given", [head.children[1], _open, *items]))
        sunk = self.sunk(Tree("call_given", [head, _open, *items]))
        if sunk is not None:
            return sunk
        name = self.head_name(head)
        if name is None or (self.is_name(head) and self.name_of(head)[1]):
            raise ReadError(f"{self.label(head)}(.. | ..) of something that is not a function's name is not read yet")
        if getattr(head, "data", None) == "subscript":  # p_k(x | theta) under \sum_k: one name would be one value
            named = set(re.findall(r"[A-Za-z]+", self.label(head.children[1]))) & self.scope.bound()
            if named:
                raise ReadError(f"a probability whose name holds the summation index {', '.join(sorted(named))} "
                                "is not read yet (its value depends on the index; one name would not)")
        parts: list = []
        for it in items:
            if getattr(it, "data", None) == "gsep":
                parts.append(_SEPARATORS.get(it.children[0].type, ",") if it.children else ",")
            else:
                parts.extend(self.garg(it))
        return self.opaque_value(parts, name, scalars=False)  # p(y | x; theta) of vectors: still a number

    def garg(self, t) -> list:
        if getattr(t, "data", None) == "event":
            return [self.value(t.children[0]), "=", self.value(t.children[2])]
        return [self.value(t.children[0] if getattr(t, "data", None) == "garg" else t)]

    def b_given_label(self, *_):
        raise ReadError("a conditioning bar outside a subscript or a function's arguments is not read yet")

    def b_bigop_neg(self, tok, bound, *rest):
        body = Tree("neg", [rest[-2], rest[-1]])
        return self.b_bigop(tok, bound, *rest[:-2], body)

    def b_mul_neg(self, a, _op, _minus, b):
        return self.mul(self.value(a), -self.value(b))

    def b_op_several(self, tok, *args):
        name = str(tok)[4:-1]
        if name != "Cov":
            raise ReadError(f"\\{name} of {len(args)} arguments is not read yet")
        return self.opaque_value(_commas([self.value(a) for a in args]), name)

    def b_op_sub(self, tok, sub, arg):
        name = str(tok)[4:-1]
        if name != "E":
            raise ReadError(f"\\{name} with a subscript is not read yet")
        if getattr(sub, "data", None) == "distributed":
            label = f"{self.label(sub.children[0])}~{self.label(sub.children[2])}"
        else:
            label = self.label(sub)
        return self.moment(name + "_{" + label + "}", arg)

    def moment(self, name: str, arg):
        """``\\mathbb{E}[y]``, ``\\mathrm{Var}[y]``, ``\\mathrm{Cov}(x, y)``: a value named as written."""
        inner = arg.children[0] if getattr(arg, "data", None) == "paren" else arg
        v = self.value(inner)
        if name == "E" and self.scope.table.sequences:  # over the random quantities the context declares
            try:
                return self.expectation_of(v)  # symbolic/read/entries.py: the engine's expectation
            except ReadError:
                pass
        if isinstance(v, MatrixExpr) and not _is1x1(v):
            what = "an expectation" if name.startswith("E") else f"\\{name}"
            raise ReadError(f"{what} of a vector or matrix ({v.shape[0]}x{v.shape[1]}) is not read yet")
        return self.opaque_value([v], name, "]", "[")

    def b_optimum(self, tok, var, body):
        r"""``\max_x \min_y f(x, y)``, ``\arg\max_\theta L``: a value named as written (what it is optimised over
        is unknown, so nothing is derived from it); a vector or matrix optimum is not read."""
        name = str(tok).lstrip("\\")
        if name not in ("max", "min", "argmax", "argmin", "sup", "inf"):
            raise ReadError(f"\\{name}_{{..}} is not read yet")
        if name.startswith("arg") and isinstance(self.value(var), MatrixExpr):
            return optimum_vector(self, name, var, self.value(body))  # symbolic/read/labels.py
        v = self.value(body)
        return self.opaque_value([v], f"{name}_{{{self.label(var)}}}", "]", "[")

    def b_nabla_bare(self, _tok, body):
        r"""``\nabla \ell(\theta)``: the gradient of ``ell`` at ``theta``, a value named as written when ``ell`` is
        an undeclared function of scalars (the derivative of an unknown function is unknown); else not read."""
        if getattr(body, "data", None) != "call" or self.head_name(body.children[0]) is None \
                or self.scope.function(self.head_name(body.children[0])) is not None:
            raise ReadError("a \\nabla without its variable (\\nabla_x f) is not read yet")
        args = [self.value(a) for a in body.children[1:]]
        if any(isinstance(a, MatrixExpr) for a in args):
            raise ReadError("a \\nabla without its variable of a function of a vector (\\nabla_x f) is not read yet")
        return self.opaque_value(_commas(args), f"nabla {self.head_name(body.children[0])}")

    def prime_of_expression(self, base):
        r"""``\left(\frac{1}{1+e^{-x}}\right)'``: the derivative with respect to the one variable of a scalar expression;
        an expression of several variables (with respect to which?), or of vectors or matrices (a transpose?), is not
        read."""
        v = self.value(base)
        free = {s for s in getattr(v, "free_symbols", set()) if str(s) != "e"}  # e: Euler's number
        if isinstance(v, MatrixExpr) or len(free) != 1 or not isinstance(next(iter(free)), sp.Symbol) \
                or v.atoms(sp.MatrixSymbol) or {str(s) for s in free} & (self.scope.bound() | self.scope.opaque) \
                or v.atoms(sp.core.function.AppliedUndef) - {a for a in v.atoms(sp.core.function.AppliedUndef)
                                                              if self.scope.function(type(a).__name__.rstrip("'"))}:
            raise ReadError("a prime on an expression is not read yet (only on an expression of one scalar variable)")
        x = next(iter(free))
        self._note(f"the prime on an expression of {x} alone is read as the derivative with respect to {x}")
        return self.derivative(v, x)

    def euler_power(self, base, exp):
        """``e^{x}`` of the bare letter ``e`` that the context neither declares nor defines, and that no line of
        the question used as a variable before: ``exp(x)``; None otherwise (then ``e`` is a name as any other)."""
        if getattr(base, "data", None) != "letter" or str(base.children[0]) != "e" \
                or getattr(exp, "data", None) in ("transpose_mark", "paren", "star", "tuple"):
            return None
        table = self.scope.table
        if "e" in table.symbols or "e" in table.definitions or "e" in self.scope.d.decls or "e" in self.scope.bound():
            return None
        self.scope.euler = True
        return sp.exp(_scalar(self.value(exp)))

    def family_guard(self, f, x) -> None:
        r"""``\partial / \partial \theta_k`` of ``\sum_j e^{\theta_j}``: ``theta_k`` is read as a name of its own and
        ``theta_j`` as a term of the family ``theta_seq``, so the derivative would be 0 where it is ``e^{\theta_k}``:
        not read."""
        base = str(x).split("_")[0] if isinstance(x, sp.Symbol) and "_" in str(x) else None
        if base is None or not isinstance(f, sp.Basic):
            return
        for a in sp.preorder_traversal(f):
            if isinstance(a, sp.core.function.AppliedUndef) and type(a).__name__ == f"{base}_seq":
                raise ReadError(f"a derivative with respect to {x} of terms {a} of the family {base}: whether {x} is "
                                "one of them is unknown (declare the vector); not read yet")

    def sunk(self, t):
        """``\\log x_i^2`` parsed as (log x)_i^2: the function's argument is the bare name with its postfix
        (subscripts, powers, primes), the function applied to it; None when ``t`` is no such tree."""
        chain, node = [], t
        while getattr(node, "data", None) in ("subscript", "power", "prime", "call", "call_given"):
            chain.append(node)
            node = node.children[0]
        if not chain or getattr(node, "data", None) != "func" or len(node.children) != 2 \
                or not self.is_name(node.children[1]):
            return None
        rebuilt = node.children[1]
        for c in reversed(chain):
            rebuilt = Tree(c.data, [rebuilt, *c.children[1:]])
        return self.value(Tree("func", [node.children[0], rebuilt]))


def _commas(values: list) -> list:
    out: list = []
    for k, v in enumerate(values):
        out.extend([",", v] if k else [v])
    return out
