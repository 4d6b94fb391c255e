r"""Definitions by cases: ``\begin{cases} a & \text{if } c \\ b & \text{otherwise} \end{cases}``.

Before the grammar reads a line, :func:`mark_cases` rewrites each ``cases`` environment into the
spelling the grammar reads: every row ``value \caseif condition`` or ``value \caseelse``.  The
conditions are written in the ways of real write-ups: ``a & \text{if } c``, ``a \text{ si } c``,
``a, & c``, ``a & \text{for } c``, ``a \text{if $c$}``; the last row ``\text{otherwise}``,
``\text{sinon}``, ``\text{else}``.  A row whose condition is prose (``\text{if x is minimal}``) is
not guessed: the line is unread, with the row named.  The builder (:class:`PiecewiseMixin`) makes a
``Piecewise`` of scalars: sympy's own node, which the evaluator, the printers and ``diff`` know.

>>> mark_cases(r"f = \begin{cases} 0 & \text{if } z \le 0 \\ 1 & \text{otherwise} \end{cases}")
'f = \\begin{cases} 0 \\caseif z \\le 0 \\\\ 1 \\caseelse \\end{cases}'
"""

from __future__ import annotations

import re

from ..algebra import MatrixExpr, sp
from ..exceptions import ReadError

_ENV = re.compile(r"\\begin\s*\{cases\*?\}(.*?)\\end\s*\{cases\*?\}", re.S)
_TEXT = re.compile(r"\\(?:text|textrm|textnormal|textit|mbox)\s*\{((?:[^{}]|\{[^{}]*\})*)\}")
_IF = re.compile(r"^(?:if|si|for|when|whenever|where|pour|quand|lorsque|lorsqu'|o[uù])(?![A-Za-z])", re.I)
_ELSE = re.compile(r"^(?:(?:if\s+|si\s+)?(?:otherwise|sinon|else|elsewhere|autrement|ailleurs)|"
                   r"in all other cases|dans les autres cas)$", re.I)
_REL = re.compile(r"(?<![\\<>])=|<|>|\\(?:le|ge|leq|geq|lt|gt|neq|ne|leqslant|geqslant)(?![A-Za-z])")
_SPACE = re.compile(r"\\[,;:! ]|\\q?quad(?![A-Za-z])|~")
_CONDITIONS = {"GT": sp.StrictGreaterThan, "LT": sp.StrictLessThan, "GE": sp.GreaterThan, "LE": sp.LessThan,
               "EQ": sp.Eq, "NEQ": sp.Ne}


def mark_cases(text: str) -> str:
    r"""``text`` with each ``cases`` environment in the grammar's spelling (see the module); unchanged without one.

    >>> mark_cases(r"\begin{cases} x, & x > 0 \\ 0, & \text{sinon} \end{cases}")
    '\\begin{cases} x \\caseif x > 0 \\\\ 0 \\caseelse \\end{cases}'
    """
    if "cases" not in text:
        return text
    return _ENV.sub(lambda m: r"\begin{cases} " + " \\\\ ".join(_row(r) for r in _rows(m.group(1))) +
                    r" \end{cases}", text)


def _rows(body: str) -> list[str]:
    """The rows of a cases body, at the ``\\\\`` outside braces (a ``\\\\[2ex]`` spacing dropped)."""
    rows, depth, start, i = [], 0, 0, 0
    while i < len(body):
        if body.startswith("\\\\", i) and depth == 0:
            rows.append(body[start:i])
            i += 2
            m = re.match(r"\s*\[[^\]]{0,10}\]", body[i:])
            i += m.end() if m else 0
            start = i
            continue
        if body[i] == "\\":
            i += 2
            continue
        depth += {"{": 1, "}": -1}.get(body[i], 0)
        i += 1
    rows.append(body[start:])
    return [r for r in rows if r.strip()]


def _row(row: str) -> str:
    """One row as ``value \\caseif condition`` or ``value \\caseelse``."""
    marked = _TEXT.sub(_words, row)
    marked = _SPACE.sub(" ", marked)
    parts = _split_amp(marked)
    if "\\caseif" not in marked and "\\caseelse" not in marked:
        if len(parts) != 2 or not parts[0].strip() or not _REL.search(parts[1]):
            raise ReadError(f'a definition by cases whose row "{" ".join(row.split())}" states no condition '
                            "(value & condition) is not read")
        marked = parts[0] + " \\caseif " + parts[1]
    else:
        marked = " ".join(parts)
    marked = re.sub(r"[,;]\s*(?=\\case(?:if|else))", " ", marked)
    marked = re.sub(r"(?:[.,;:]\s*)+$", "", marked.strip())
    head, _, cond = marked.partition("\\caseif")
    if "\\caseif" in marked and not _REL.search(cond):
        raise ReadError(f'the condition "{" ".join(cond.split())}" of a definition by cases is not read (no relation)')
    return " ".join(marked.split())


def _words(m: re.Match) -> str:
    r"""A ``\text{..}`` of a cases row: ``if``/``si``/``for`` starts a condition, ``otherwise``/``sinon`` ends the
    cases; math inside it (``\text{if $i = j$}``) is kept; any other word is prose, left to the grammar."""
    inner = m.group(1)
    words = re.sub(r"\$[^$]*\$", " ", inner).strip().strip(".,;:").strip()
    if _ELSE.match(words):
        return " \\caseelse "
    math = " ".join(x for x in re.findall(r"\$([^$]*)\$", inner))
    if _IF.match(words):
        rest = _IF.sub("", words).strip(" ,")
        if rest:  # \text{if x is minimal}: prose, not a condition we read
            raise ReadError(f'the condition "{inner.strip()}" of a definition by cases is prose: not read')
        return " \\caseif " + math + " "
    return m.group(0)


def _split_amp(row: str) -> list[str]:
    """The row cut at its ``&`` outside braces and inner environments."""
    parts, depth, start = [], 0, 0
    for k, c in enumerate(row):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == "&" and depth == 0 and (k == 0 or row[k - 1] != "\\"):
            parts.append(row[start:k])
            start = k + 1
    parts.append(row[start:])
    return parts


class PiecewiseMixin:
    """Builds the ``cases`` node of the grammar into a ``Piecewise`` of scalars."""

    def b_cases(self, _begin, *parts):
        r"""The branches in order, the condition of each read as a relation of scalars; ``\caseelse`` is True.

        >>> from symbolic.read.context import SymbolTable
        >>> from symbolic.read.latex import read_chain
        >>> c = read_chain(r"f = \begin{cases} 0 & \text{if } z \le 0 \\ z & \text{otherwise} \end{cases}",
        ...                SymbolTable().scope())
        >>> str(c.exprs[1])
        'Piecewise((0, z <= 0), (z, True))'
        """
        branches = []
        rows = [p for p in parts if getattr(p, "data", None) in ("case_if", "case_else")]
        for k, row in enumerate(rows):
            value = self._case_scalar(self.value(row.children[0]))
            if row.data == "case_else":
                if k != len(rows) - 1:
                    raise ReadError("a definition by cases whose \"otherwise\" row is not the last is not read")
                branches.append((value, sp.true))
                continue
            kids = row.children[2:]
            sides = [self._case_scalar(self.value(kids[j])) for j in range(0, len(kids), 2)]
            rels = [kids[j].children[0].type for j in range(1, len(kids), 2)]
            cond = sp.And(*[_CONDITIONS[r](sides[j], sides[j + 1]) for j, r in enumerate(rels)])
            if cond in (sp.true, sp.false):
                raise ReadError(f"the condition of row {k + 1} of a definition by cases is always {cond}: not read")
            branches.append((value, cond))
        return sp.Piecewise(*branches)

    @staticmethod
    def _case_scalar(v):
        if isinstance(v, MatrixExpr):
            if sp.sympify(v.shape[0]) == 1 and sp.sympify(v.shape[1]) == 1:
                from ..algebra import Dot

                return Dot(v)
            raise ReadError(f"a definition by cases of a matrix ({v}) is not read yet (scalars only)")
        return v

    def b_func_args(self, tok, *args):
        r"""``\max(a, b)``, ``\min(a, b, c)`` of scalars: sympy's ``Max``/``Min``; any other function of several
        arguments written so is not read.

        >>> from symbolic.read.context import SymbolTable
        >>> from symbolic.read.latex import read_chain
        >>> str(read_chain(r"y = \max(z, 0)", SymbolTable().scope()).exprs[1])
        'Max(0, z)'
        """
        name = str(tok).lstrip("\\")
        if name not in ("max", "min"):
            raise ReadError(f"\\{name} of {len(args)} arguments is not read yet")
        values = [self._case_scalar(self.value(a)) for a in args if getattr(a, "data", None) is not None]
        return (sp.Max if name == "max" else sp.Min)(*values)
