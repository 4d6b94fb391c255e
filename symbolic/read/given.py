r"""Probability notation read as opaque values: conditioning bars, events, expectations.

``p(\mathbf{x}_i \mid z_i = k, \theta)``, ``\mathcal{N}(x | \mu, \sigma^2)`` and
``\mathbb{E}_{z \sim q}[\log p(x, z)]`` name numbers the write-up never defines: nothing
is known of ``p``, of the distribution, or of the law an expectation is taken over.  Each is
read as a scalar named as written (the builder's values of undeclared functions,
:meth:`~symbolic.read.notation.NotationMixin.applied`): a line that holds for every value of
these holds, so a proof stands; a counterexample on them is no counterexample (the audit says
so).  Equal names are equal values only when the arguments are the same expressions (the name
is built from the engine's own printing of the arguments, never from the source text).

Two spellings are refused rather than guessed: a term whose arguments name an index a
``\sum`` binds (its value depends on the index, a name does not), and a vector inside an
expectation or a bold (vector-valued) head.

Before parsing, :func:`mark_given` gives a lone bar inside a call's parentheses, or inside
an expectation's brackets or subscript, the spelling ``\given`` (one bar alone cannot be one
side of an absolute value), and ``\mathbb{E}`` the spelling ``\expect``.

>>> " ".join(mark_given(r"p(x_i | z_i = k) + |a|").split())
'p(x_i \\given z_i = k) + |a|'
>>> " ".join(mark_given(r"\mathbb{E}_{z|x}[f(z)]").split())
'\\expect _{z \\given x}[f(z)]'
"""

from __future__ import annotations

import re

from lark import Token

from ..algebra import MatrixExpr, sp
from ..exceptions import ReadError
from .shapes import _is1x1, _walk

_EXPECT = re.compile(r"\\mathbb\s*(?:\{\s*E\s*\}|E(?![A-Za-z]))")
_BAR = re.compile(r"\\mid(?![A-Za-z])|\\vert(?![A-Za-z])|\|")
_CLOSE = {"(": ")", "[": "]", "{": "}"}


def mark_given(t: str) -> str:
    r"""``t`` with each conditioning bar written ``\given`` and ``\mathbb{E}`` written ``\expect``.

    A bar is a conditioning bar when it is the only bar at the top of a group that is the
    argument list of a call (``p(..)``, ``\mathcal{N}(..)``, ``p_k(..)``), or the brackets or
    the subscript of an expectation.  Two bars in a group are an absolute value, as before.

    >>> " ".join(mark_given(r"f(|x|) = \mathcal{N}(x \mid \mu, s)").split())
    'f(|x|) = \\mathcal{N}(x \\given \\mu, s)'
    """
    t = _EXPECT.sub(r"\\expect ", t)
    spans: list[tuple[int, int]] = []
    for i, c in enumerate(t):
        if c not in _CLOSE or (i and t[i - 1] == "\\"):
            continue
        if not _conditions(t, i, c):
            continue
        end = _match(t, i)
        if end < 0:
            continue
        bars = [m for m in _BAR.finditer(t, i + 1, end) if _depth(t, i + 1, m.start()) == 0]
        if len(bars) == 1:
            spans.append((bars[0].start(), bars[0].end()))
    for s, e in sorted(spans, reverse=True):
        t = t[:s] + " \\given " + t[e:]
    return t


def _conditions(t: str, i: int, c: str) -> bool:
    """Whether the group opening at ``i`` may hold a conditioning bar (see :func:`mark_given`)."""
    before = t[:i].rstrip()
    if c == "(":
        return bool(re.search(r"(?:[A-Za-z}'])$", before)) and not re.search(
            r"\\(?:left|right|frac|sqrt|log|ln|exp|sum|prod|cdot|times)$", before)
    if c == "[":
        return bool(re.search(r"\\expect\s*$|\\expect\s*_\s*(?:\{[^{}]*\}|\S)\s*$", before))
    return bool(re.search(r"\\expect\s*_\s*$", before))


def _match(t: str, i: int) -> int:
    """Index of the bracket closing the one at ``i`` (-1 when none), counting all three kinds."""
    depth = 0
    for j in range(i, len(t)):
        c = t[j]
        if j and t[j - 1] == "\\":
            continue
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                return j
    return -1


def _depth(t: str, start: int, stop: int) -> int:
    depth = 0
    for j in range(start, stop):
        if j and t[j - 1] == "\\":
            continue
        depth += 1 if t[j] in "([{" else -1 if t[j] in ")]}" else 0
    return depth


class GivenMixin:
    """Builder methods for calls with a conditioning bar or events, and for expectations."""

    def conditional(self, head, args):
        """``p(a, b | c)`` or ``p(z = k)``: an opaque scalar named by the head and its read arguments."""
        name = self.head_name(head)
        if name is None:
            raise ReadError(f"{self.label(head)}(.. | ..): a conditional of an expression is not read yet")
        if getattr(head, "data", None) == "styled" and str(head.children[0]) == "\\mathbf":
            raise ReadError(f"{name}(.. | ..): a vector-valued conditional is not read yet")
        self._refuse_bound(head, args, "a probability")
        parts: list[str] = []
        for a in args:
            if isinstance(a, Token):
                parts.append("|")
                continue
            parts.append(("," if parts and parts[-1] != "|" else "") + self._argument_text(a))
        text = f"{name}({''.join(parts)})"
        value = self.scope.symbol(text, False)
        self.scope.opaque.add(text)
        return value

    def b_event(self, lhs, _eq, rhs):
        raise ReadError("an event (x = a) outside the arguments of a probability is not read yet")

    def b_expectation(self, _tok, *rest):
        """``\\mathbb{E}[X]``, ``\\mathbb{E}_{z \\sim q}[X]``: an opaque scalar named by its law and its argument."""
        sub, body = (rest[0], rest[1]) if len(rest) == 2 else (None, rest[0])
        v = self.value(body)
        if sub is None and self.scope.table.sequences:  # over the random quantities the context declares
            try:
                return self.expectation_of(v)
            except ReadError:
                pass
        self._refuse_bound(sub, [body], "an expectation")
        if isinstance(v, MatrixExpr) and not _is1x1(v):
            raise ReadError("the expectation of a vector or matrix is not read yet")
        law = "" if sub is None else "_{" + self._law_text(sub) + "}"
        text = f"E{law}[{_text(v)}]"
        value = self.scope.symbol(text, False)
        self.scope.opaque.add(text)
        return value

    # -- helpers -------------------------------------------------------------
    def _argument_text(self, a) -> str:
        if getattr(a, "data", None) == "event":
            return f"{_text(self.value(a.children[0]))}={_text(self.value(a.children[2]))}"
        return _text(self.value(a))

    def _law_text(self, sub) -> str:
        if getattr(sub, "data", None) != "law":
            return _text(self.value(sub))
        first, sep, *rest = sub.children
        mark = "~" if "sim" in str(sep) else "|"
        return _text(self.value(first)) + mark + ",".join(_text(self.value(r)) for r in rest)

    def _refuse_bound(self, head, args, what: str) -> None:
        bound = self.scope.bound()
        if not bound:
            return
        used = {self.name_of(x)[0] for t in [head, *args] if t is not None and not isinstance(t, Token)
                for x in _walk(t) if self.is_name(x)}
        if used & bound:
            raise ReadError(f"{what} whose arguments name the summation index {', '.join(sorted(used & bound))} "
                            "is not read yet (its value depends on the index; a name would not)")


def _text(v) -> str:
    return str(sp.sympify(v)) if not isinstance(v, MatrixExpr) else str(v)
