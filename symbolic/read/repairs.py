r"""A row with an unclosed parenthesis (``a (b + c``): the places its ``)`` may go.  The reader inserts nothing
silently: :func:`close_paren` lists the well-formed placements (before each ``+`` or ``-`` or relation at the
parenthesis's own level after it, and at the end of the row), each a row that parses; the audit checks the
question under each placement and gives a verdict only where they all agree (:mod:`symbolic.app.audit_readings`).

>>> [where for where, _ in close_paren(r"a (b + c")]
['before "+ c" (character 6)', 'at the end of the row']
>>> close_paren(r"a (b + c)") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..exceptions import ReadError

MAX_PLACES = 4  # more places than this: not tried (the row stays unread, the count said)
_RELATION = re.compile(r"=|<|>|\\(?:leq?|geq?|neq|approx|equiv)(?![A-Za-z])")


@dataclass(frozen=True)
class Unclosed:
    """The unclosed ``(`` of a row (its character, from 1) and its placements: ``(where, row)``."""

    at: int
    places: tuple[tuple[str, str], ...]
    tried: int  # how many places were tried (all of them, unless more than MAX_PLACES)


def unclosed(text: str) -> Unclosed | None:
    r"""The one unclosed ``(`` of ``text`` and the well-formed rows closing it; None when the row has no
    unclosed ``(`` or more than one (``\left(`` is left to the reader).

    >>> u = unclosed(r"x = 2 (y - z")
    >>> u.at, [row for _, row in u.places]
    (7, ['x = 2 (y) - z', 'x = 2 (y - z)'])
    """
    from .latex import parse_tree

    start = _open_paren(text)
    if start is None:
        return None
    places = _places(text, start)
    if len(places) > MAX_PLACES:
        return Unclosed(start + 1, (), len(places))
    rows = []
    for pos in places:
        row = text[:pos].rstrip() + ")" + (" " + text[pos:].lstrip() if pos < len(text) else "")
        try:
            parse_tree(row)
        except ReadError:
            continue
        rest = text[pos:].strip()
        where = f'before "{_short(rest)}" (character {pos + 1})' if rest else "at the end of the row"
        rows.append((where, row))
    return Unclosed(start + 1, tuple(rows), len(places))


def close_paren(text: str) -> list[tuple[str, str]] | None:
    """The placements ``(where, row)`` of the unclosed ``(`` of ``text`` (see :func:`unclosed`); None when none."""
    u = unclosed(text)
    return list(u.places) if u is not None else None


def _open_paren(text: str) -> int | None:
    """The index of the single unmatched ``(`` (not ``\\left(``, not in ``\\{``), None when not exactly one."""
    stack: list[int] = []
    unmatched_close = False
    for m in re.finditer(r"\\left\s*\(|\\right\s*\)|\\[()]|[()]", text):
        tok = m.group(0)
        if tok.startswith("\\"):
            continue
        if tok == "(":
            stack.append(m.start())
        elif stack:
            stack.pop()
        else:
            unmatched_close = True
    if len(stack) != 1 or unmatched_close:
        return None
    return stack[0]


def _places(text: str, start: int) -> list[int]:
    """Where the ``)`` may go: before each binary ``+``/``-`` or relation at the level of the ``(`` after it (up to
    the first relation), and at the end of the row."""
    out, depth = [], 0
    k = start + 1
    while k < len(text):
        c = text[k]
        if c == "\\" and k + 1 < len(text) and not text[k + 1].isalpha():
            k += 2
            continue
        if c in "{[(":
            depth += 1
        elif c in "}])":
            depth -= 1
            if depth < 0:  # the end of the group the ( is in: the last place
                break
        elif depth == 0:
            rel = _RELATION.match(text, k)
            if rel:
                out.append(k)
                return out
            if c in "+-" and _binary(text, k):
                out.append(k)
        k += 1
    out.append(k)
    return out


def _binary(text: str, k: int) -> bool:
    before = text[:k].rstrip()
    return bool(before) and before[-1] not in "({[=+-*/^_,&<>" \
        and not re.search(r"\\(?:cdot|times|pm|mp|div|leq?|geq?|neq|approx|sum|prod)$", before)


def _short(rest: str) -> str:
    return rest if len(rest) <= 24 else rest[:21] + "..."
