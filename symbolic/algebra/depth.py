"""Size limits on what stepcheck accepts: expression depth, number size, message length.

Python and sympy recurse once (or several times) per level of an
expression, so an expression nested a few hundred deep overflows the
interpreter's stack in printing, hashing or simplifying.  The depth is
measured here without recursion, up front, so that such a step is
UNDECIDED with its reason instead of failing somewhere deep inside sympy.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> expr_depth(sp.sin(sp.sin(x)) + 1)
4
>>> shorten("y" * 1000, 20)  # re-exported from symbolic.exceptions
'yyyyyyyyyyyyyyyyyyyy... (1,000 characters, cut)'
"""

from __future__ import annotations

from typing import Any, Iterator

import sympy as sp

from ..exceptions import shorten

__all__ = ["MAX_DEPTH", "MAX_LITERAL_DIGITS", "MAX_POWER_DIGITS", "expr_depth", "too_deep", "shorten", "walk"]

#: The deepest expression a step may hold (the seed derivations reach 19).
MAX_DEPTH = 60
#: A numeric literal in expression text may have at most this many digits.
MAX_LITERAL_DIGITS = 100
#: An integer power in expression text may have a result of at most this many digits.
MAX_POWER_DIGITS = 1000


def expr_depth(e: Any) -> int:
    """The nesting depth of ``e`` (an atom is 1; tuples of expressions count their deepest), without recursion.

    >>> expr_depth(sp.Symbol("x")), expr_depth((sp.Integer(1), sp.exp(sp.Symbol("x"))))
    (1, 2)
    """
    if isinstance(e, (tuple, list)):
        return max((expr_depth(x) for x in e), default=0)
    if not isinstance(e, sp.Basic):
        return 0
    memo: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(e, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if key in memo:
            continue
        args = node.args if isinstance(node, sp.Basic) else ()
        if done:
            memo[key] = 1 + max((memo[id(a)] for a in args), default=0)
        else:
            stack.append((node, True))
            stack.extend((a, False) for a in args if id(a) not in memo)
    return memo[id(e)]


def too_deep(e: Any, limit: int = MAX_DEPTH) -> str | None:
    """The reason ``e`` is too deep to check (``None`` when it is not).

    >>> x = sp.Symbol("x")
    >>> too_deep(sp.sin(sp.sin(x)), limit=2)
    'the expression is nested 3 deep; the limit is 2'
    """
    depth = expr_depth(e)
    return f"the expression is nested {depth} deep; the limit is {limit}" if depth > limit else None


def walk(e: Any) -> Iterator[Any]:
    """Pre-order traversal of a sympy expression, like ``sp.preorder_traversal`` but without recursion.

    >>> [str(a) for a in walk(sp.sin(sp.Symbol("x")) + 1)]
    ['sin(x) + 1', '1', 'sin(x)', 'x']
    """
    stack = [e]
    while stack:
        node = stack.pop()
        yield node
        if isinstance(node, sp.Basic):
            stack.extend(reversed(node.args))
        elif isinstance(node, (tuple, list)):
            stack.extend(reversed(node))
