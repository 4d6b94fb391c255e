r"""Rows that state a condition for the rows that follow, and rows that end with their own condition.

``&\text{Pour } h_j > 0 :``, ``\text{for } x \le 0:``, ``\text{if } x > 0,`` alone on a row of a display
state a case: the rows after it, in the same display and until the next such row, hold under it
(:func:`condition_row`).  ``f'(x) = 1 \text{ si } x > 0`` holds under its trailing condition
(:func:`trailing_condition`).  The audit checks such a row under its condition, as a case of the
derivation (``Derivation.suppose``): every instance drawn, and so every counterexample, satisfies it.
``Pour $k \neq y$ :`` before a display states a case for the rows of that display
(:func:`inline_condition`).

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
_ORDER = re.compile(r"<|>|\\(?:le|ge|leq|geq|lt|gt|leqslant|geqslant|neq|ne)(?![A-Za-z])")
_BAD = re.compile(r"\\text|\\mbox|\\dots|\\ldots|\\cdots|\.\.\.|,|\\begin|\\\\|&|(?<![<>])=")
_REL = {"<=": sp.Le, "<": sp.Lt, ">=": sp.Ge, ">": sp.Gt, "\\neq": sp.Ne, "\\ne": sp.Ne, "=": sp.Eq}
_INLINE_BAD = re.compile(r"\\text|\\mbox|\\dots|\\ldots|\\cdots|\.\.\.|,|\\begin|\\\\|&")
_ONE = re.compile(r"<=?|>=?|(?<![<>!])=|\\(?:le|ge|leq|geq|lt|gt|leqslant|geqslant|neq|ne)(?![A-Za-z])")


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


def guard_of(exprs: list, rels: list[str], constant: bool = False):
    r"""The sympy condition of a read condition ``0 < x \le 1``, ``k \neq y`` or ``k = y``: between scalars only.
    A condition that the declarations decide (``t \ge 1`` of an index from 1) is an error, unless ``constant``:
    then it is ``sp.true`` or ``sp.false``.

    >>> x, k, y = sp.symbols("x k y")
    >>> guard_of([0, x, 1], ["<", "<="]), guard_of([k, y], ["\\neq"])
    ((x <= 1) & (0 < x), Ne(k, y))
    >>> guard_of([sp.Symbol("t", positive=True, integer=True), 1], [">="], constant=True)
    True
    """
    if not rels or any(r not in _REL for r in rels):
        raise ReadError("a condition that is not an order relation (<, \\le, >, \\ge), \\neq or = is not used as a "
                        "hypothesis yet")
    if any(isinstance(e, MatrixExpr) for e in exprs):
        raise ReadError("a condition on matrices is not used as a hypothesis yet")
    g = sp.And(*[_REL[r](exprs[k], exprs[k + 1]) for k, r in enumerate(rels)])
    if g in (sp.true, sp.false) and not constant:
        raise ReadError(f"the condition is always {g}")
    return g


def inline_condition(intro: str, text: str, after: str) -> str | None:
    r"""The condition an inline formula states for the display that follows it, or None: a word of a case just
    before it (pour, for, if, when...), a colon or a comma just after it, and one relation (an order, ``\neq``
    or ``=``; never a range ``i = 1, \dots, n``).

    >>> inline_condition("Pour", r"k \neq y", " :\n\n"), inline_condition("so", r"k \neq y", ":")
    ('k \\neq y', None)
    """
    if not re.search(r"(?:^|\s)" + _WORD + r"$", intro.strip(), re.I) or not re.match(r"\s*[:,]", after):
        return None
    if _INLINE_BAD.search(text) or len(_ONE.findall(text)) != 1:
        return None
    return text.strip()
