r"""Notation of real write-ups that the core builder leaves to this module: matrix literals, inner
products, sums whose range is a vector's size.

A matrix environment (``pmatrix``, ``bmatrix``, ``Bmatrix``, ``matrix``, ``smallmatrix``) is rewritten
before the line is normalised into tokens the grammar reads (``\matbegin a \matcol b \matrow c \matcol d
\matend``), so neither the row splitter's ``\\`` nor the alignment ``&`` is lost inside it.

>>> matrices(r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}")
' \\matbegin  a \\matcol  b \\matrow  c \\matcol  d  \\matend '
"""

from __future__ import annotations

import re

from ..algebra import Dot, Entry, MatrixExpr, sp
from ..exceptions import ReadError

MATRIX_ENVS = ("pmatrix", "bmatrix", "Bmatrix", "matrix", "smallmatrix")
_ENV = re.compile(r"\\begin\s*\{(" + "|".join(MATRIX_ENVS) + r")\}")


def matrices(text: str) -> str:
    r"""``text`` with each matrix environment written in the grammar's tokens (nested ones too).

    >>> matrices(r"x = \begin{bmatrix} 1 \\ 2 \\ \end{bmatrix}")
    'x =  \\matbegin  1 \\matrow  2 \\matrow   \\matend '
    """
    for _ in range(200):
        found = None
        for m in _ENV.finditer(text):  # the innermost first: the last opening before the first closing
            close = text.find("\\end", m.end())
            if close < 0:
                break
            nxt = _ENV.search(text, m.end())
            if nxt is None or nxt.start() > close:
                found = m
                break
        if found is None:
            return text
        env = found.group(1)
        end = re.compile(r"\\end\s*\{" + env + r"\}").search(text, found.end())
        if end is None:
            return text
        body = text[found.end():end.start()]
        body = body.replace("\\\\", " \\matrow ").replace("&", " \\matcol ")
        text = text[:found.start()] + " \\matbegin " + body + " \\matend " + text[end.end():]
    return text


def strip_alignment(text: str) -> str:
    r"""``text`` without its alignment ``&`` (those of ``align``); the ``&`` between a matrix's cells are kept.

    >>> strip_alignment(r"a &= \begin{pmatrix} 1 & 2 \end{pmatrix}")
    'a  = \\begin{pmatrix} 1 & 2 \\end{pmatrix}'
    """
    out, depth, i = [], 0, 0
    for m in re.finditer(r"\\(begin|end)\s*\{(" + "|".join(MATRIX_ENVS) + r")\}|&", text):
        out.append(text[i:m.start()])
        if m.group(0) == "&":
            out.append("&" if depth > 0 else " ")
        else:
            depth = max(0, depth + (1 if m.group(1) == "begin" else -1))
            out.append(m.group(0))
        i = m.end()
    out.append(text[i:])
    return "".join(out)


class NotationMixin:
    """Builders of :mod:`symbolic.read.build` for the notations of this module (``value`` is the builder's)."""

    def b_matrix(self, _begin, *rest):
        rows = [c for c in rest if getattr(c, "data", None) == "matrow"]
        cells = [[self.value(x) for x in r.children if getattr(x, "type", None) != "MATCOL"] for r in rows]
        if not cells or any(len(r) != len(cells[0]) for r in cells):
            raise ReadError("a matrix whose rows have different lengths")
        out = []
        for r in cells:
            row = []
            for v in r:
                if isinstance(v, MatrixExpr) and not (sp.sympify(v.shape[0]) == 1 and sp.sympify(v.shape[1]) == 1):
                    raise ReadError("a block matrix (a matrix of matrices or vectors) is not read yet")
                row.append(Dot(v) if isinstance(v, MatrixExpr) else v)
            out.append(row)
        return sp.ImmutableMatrix(out)

    def unbounded_sum(self, tok, var, body):
        r"""``\sum_i x_i y_i`` with no bounds: read only when ``i`` indexes nothing but entries ``x_i`` of vectors of
        one size ``n`` (then it runs over 1..n); outside a sum ``x_i`` is a plain symbol, inside it a term, so any
        other use leaves the range unknown and the line UNREAD."""
        name = str(var) if not hasattr(var, "data") else (self.name_of(var)[0] if self.is_name(var) else None)
        if name is None:
            raise ReadError("a \\sum or \\prod without bounds i = a .. b is not read yet")
        for t in _walk(body):  # a bold x_i is the i-th vector of a family more often than an entry of x
            if getattr(t, "data", None) == "subscript" and name in {str(x) for x in _walk(t.children[1])} \
                    and self.is_name(t.children[0]) and self.name_of(t.children[0])[1]:
                raise ReadError(f"a \\sum over {name} without bounds of bold terms (vectors of a family, or "
                                "entries?) is not read yet")
        i = self.scope.bind(name)
        try:
            v = self.value(body)
        finally:
            self.scope.unbind(name)
        if isinstance(v, MatrixExpr):
            if not (sp.sympify(v.shape[0]) == 1 and sp.sympify(v.shape[1]) == 1):
                raise ReadError("a \\sum of matrices is not read yet")
            v = Dot(v)
        entries = {a for a in sp.preorder_traversal(v) if isinstance(a, Entry) and i in a.args[1].free_symbols}
        sizes = {sp.sympify(a.args[0].shape[0]) for a in entries}
        rest = v.xreplace({a: sp.Dummy() for a in entries})
        if not entries or len(sizes) != 1 or any(a.args[1] != i - 1 for a in entries) or i in rest.free_symbols:
            raise ReadError(f"a \\sum over {name} without bounds: {name} does not index only entries of vectors of "
                            "one size, so its range is not known (write its bounds, or declare the vectors)")
        op = sp.Sum if str(tok) == "\\sum" else sp.Product
        return op(v, (i, 1, sizes.pop()))


def _walk(t):
    yield t
    for c in getattr(t, "children", []):
        yield from _walk(c)
