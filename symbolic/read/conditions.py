r"""Rows that state a condition for the rows that follow, and rows that end with their own condition.

``&\text{Pour } h_j > 0 :``, ``\text{for } x \le 0:``, ``\text{if } x > 0,`` alone on a row of a display
state a case: the rows after it, in the same display and until the next such row, hold under it
(:func:`condition_row`).  ``f'(x) = 1 \text{ si } x > 0`` holds under its trailing condition
(:func:`trailing_condition`).  The audit checks such a row where its condition holds only
(:func:`guarded`): a line true only under the condition is never refuted.

>>> condition_row(r"\text{Pour } h_j^a > 0 :")
'h_j^a > 0'
>>> trailing_condition(r"g(x) = 1 \text{ si } x > 0")
('g(x) = 1', 'x > 0')
"""

from __future__ import annotations

import re

from ..algebra import MatrixExpr, sp
from ..exceptions import ReadError

_WORD = r"(?:pour|for|if|si|when|whenever|quand|lorsque|assuming|suppose|supposons|in the case|dans le cas)"
_LEAD = re.compile(r"^\s*\\(?:text|textrm|textnormal|textit|mbox)\s*\{\s*" + _WORD + r"\s*\}\s*(.*?)\s*[:,]?\s*$",
                   re.I | re.S)
_TRAIL = re.compile(r",?\s*(?:\\[qs]?quad\s*|\\[,;: ]\s*)*\\(?:text|textrm|textnormal|textit|mbox)\s*\{\s*" + _WORD +
                    r"\s*\}", re.I)
_ORDER = re.compile(r"<|>|\\(?:le|ge|leq|geq|lt|gt|leqslant|geqslant)(?![A-Za-z])")
_BAD = re.compile(r"\\text|\\mbox|\\dots|\\ldots|\\cdots|\.\.\.|,|\\begin|\\\\|&|(?<![<>])=")
_REL = {"<=": sp.Le, "<": sp.Lt, ">=": sp.Ge, ">": sp.Gt}


def condition_row(text: str) -> str | None:
    r"""The condition a row states alone (``\text{for } x \le 0:``), or None: a word (for, if, si, pour, when...)
    then one order relation (``<``, ``\le``, ...; never an equation or a range ``i = 1, \dots, n``).

    >>> condition_row(r"\text{for } i = 1, \dots, n:") is None, condition_row(r"\text{if } x > 0,")
    (True, 'x > 0')
    """
    m = _LEAD.match(text)
    if m is None or not _ORDER.search(m.group(1)) or _BAD.search(m.group(1)):
        return None
    return m.group(1).strip()


def states_case(text: str) -> bool:
    r"""Whether a row opens with a word of a case (``\text{for } ...``), read as a condition or not.

    >>> states_case(r"\text{for } i = 1, \dots, n:"), states_case(r"x = 1")
    (True, False)
    """
    return _LEAD.match(text) is not None


def trailing_condition(text: str) -> tuple[str, str] | None:
    r"""``(claim, condition)`` of a row ending with its own condition (``a = b \text{ if } x > 0``), or None.

    The cut is outside braces and environments (a ``cases`` row keeps its own conditions).

    >>> trailing_condition(r"f = \begin{cases} 0 \text{ si } z < 0 \\ 1 \text{ sinon} \end{cases}") is None
    True
    """
    for m in reversed(list(_TRAIL.finditer(text))):
        before, after = text[:m.start()], text[m.end():].strip().rstrip(".,;").strip()
        if before.count("{") != before.count("}") or len(re.findall(r"\\begin", before)) != len(re.findall(r"\\end", before)):
            continue
        if _ORDER.search(after) and not _BAD.search(after) and re.search(r"=|<|>|\\[lg]e", before):
            return before.strip(), after
        return None
    return None


def guard_of(exprs: list, rels: list[str]):
    r"""The sympy condition of a read condition ``0 < x \le 1``: order relations between scalars only.

    >>> x = sp.Symbol("x")
    >>> guard_of([0, x, 1], ["<", "<="])
    (x <= 1) & (0 < x)
    """
    if not rels or any(r not in _REL for r in rels):
        raise ReadError("a condition that is not an order relation (<, \\le, >, \\ge) is not used as a hypothesis yet")
    if any(isinstance(e, MatrixExpr) for e in exprs):
        raise ReadError("a condition on matrices is not used as a hypothesis yet")
    g = sp.And(*[_REL[r](exprs[k], exprs[k + 1]) for k, r in enumerate(rels)])
    if g in (sp.true, sp.false):
        raise ReadError(f"the condition is always {g}")
    return g


def guarded(lhs, rel: str, rhs, guard):
    r"""The claim ``guard => lhs rel rhs`` as one relation the engine checks: its left side is ``lhs`` where the
    guard holds and a value that satisfies the relation elsewhere (``rhs``; ``rhs - 1`` for ``<``), so a
    counterexample always satisfies the guard.

    >>> x = sp.Symbol("x")
    >>> guarded(sp.Abs(x), "=", x, x > 0)
    Piecewise((Abs(x), x > 0), (x, True))
    """
    if any(isinstance(e, MatrixExpr) and not (sp.sympify(e.shape[0]) == 1 and sp.sympify(e.shape[1]) == 1)
           for e in (lhs, rhs)):
        raise ReadError("a matrix relation under a condition is not checked yet (scalars only)")
    from ..algebra import Dot

    lhs, rhs = (Dot(e) if isinstance(e, MatrixExpr) else e for e in (lhs, rhs))
    other = {"<": rhs - 1, ">": rhs + 1}.get(rel, rhs)
    return sp.Piecewise((lhs, guard), (other, True))
