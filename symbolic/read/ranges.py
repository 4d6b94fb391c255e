r"""A hypothesis line that is the range of a summation index: "$v_t$ as a combination of the $g_i$
($1 \le i \le t$)" and, in the question, $\sum_{i=1}^t \dots$.  Such a line restates the range the sum
gives its index: it is checked against that sum (its bounds are the sum's, the engine's claims), not
assumed as a fact of its own.  A range no sum of the question gives stays a hypothesis.

>>> i, t = sp.symbols("i t")
>>> sum_limits([sp.Sum(i, (i, 1, t))])
[('i', 1, t)]
"""

from __future__ import annotations

from ..algebra import MatSum, sp

_LE = ("<=", "\\le", "\\leq")


def sum_limits(exprs: list) -> list[tuple[str, object, object]]:
    """The (index name, lower, upper) of the sums (scalar or of vectors) in ``exprs``."""
    out = []
    for e in exprs:
        for a in sp.preorder_traversal(e) if isinstance(e, sp.Basic) else ():
            if isinstance(a, sp.Sum):
                out += [(str(v), lo, hi) for v, lo, hi in a.limits]
            elif isinstance(a, MatSum):
                out.append((str(a.args[1]), a.args[2], a.args[3]))
    return out


def index_range(exprs: list, rels: list[str]) -> tuple[str, object, object] | None:
    """``lo <= i <= hi`` as ``(i, lo, hi)``, else None.

    >>> i, t = sp.symbols("i t")
    >>> index_range([1, i, t], ["<=", "<="]), index_range([i, t], ["<="])
    (('i', 1, t), None)
    """
    if len(exprs) != 3 or any(r not in _LE for r in rels) or len(rels) != 2 or not isinstance(exprs[1], sp.Symbol):
        return None
    return str(exprs[1]), exprs[0], exprs[2]


def range_claims(d, rng: tuple[str, object, object], sums: list[tuple[int, str, object, object]],
                 label: str) -> tuple[list[str], str] | None:
    """State that the range ``rng`` is the range of a sum of the question (``sums``: line, index, bounds):
    the engine's claims that the bounds agree, with a note; None when no sum over that index has those bounds.

    >>> from symbolic.model.derivation import Derivation
    >>> d = Derivation("d"); t = d.scalar("t")
    >>> range_claims(d, ("i", 1, t), [(7, "i", 1, t)], "3")[0]
    ['3.1', '3.2']
    >>> range_claims(d, ("i", 0, t), [(7, "i", 1, t)], "4") is None
    True
    """
    name, lo, hi = rng
    for line, var, lo_s, hi_s in sums:
        try:
            same = var == name and sp.simplify(lo - lo_s) == 0 and sp.simplify(hi - hi_s) == 0
        except (TypeError, ValueError):
            same = False
        if same:
            d.claim(lo, "=", lo_s, f"{label}.1")
            d.claim(hi, "=", hi_s, f"{label}.2")
            return [f"{label}.1", f"{label}.2"], (f"the range of the summation index {name} of line {line} "
                                                          f"(from {lo_s} to {hi_s}): its bounds are checked to be the sum's")
    return None
