r"""Claims about shapes, checked exactly by shape inference: dimension statements and sides of different sizes.

``\frac{\partial L}{\partial W} \text{ est } d_h \times n`` (:mod:`symbolic.read.dimensions`) is PROVED when
the shape the declarations give the expression is the stated one (an identity in the dimensions), REFUTED
when they differ for some sizes, with the smallest such sizes as counterexample (both shapes evaluated
there).  An equation whose sides have shapes that differ for some sizes (``o = (e^{o_1}, ..., e^{o_n})``
with ``o`` of size ``m``) is REFUTED the same way: objects of different sizes are never equal.

>>> m, n = sp.symbols("m n", integer=True, positive=True)
>>> shape_counterexample((m, 1), (n, 1))
{'m': 1, 'n': 2}
>>> shape_counterexample((m, 1), (m, 1)) is None
True
"""

from __future__ import annotations

import itertools

from .algebra import sp
from .exceptions import ReadError, StepcheckError
from .read.dimensions import Clause, stated_dim
from .read.latex import read_chain

_BARE = (sp.Symbol, sp.MatrixSymbol)


def shape_of(e) -> tuple:
    """The shape of a read expression, a scalar being 1 x 1, in positive integer dimensions (by name)."""
    shape = e.shape if isinstance(e, sp.MatrixExpr) else (1, 1)
    return tuple(_positive(sp.sympify(s)) for s in shape)


def _positive(e):
    return e.xreplace({s: sp.Symbol(s.name, integer=True, positive=True) for s in e.free_symbols})


def _holds(shape: tuple, stated: tuple):
    """Whether ``shape`` is ``stated`` (a vector of one stated dimension: either orientation), a sympy truth."""
    if len(stated) == 1:
        return sp.Or(sp.And(sp.Eq(shape[0], stated[0]), sp.Eq(shape[1], 1)),
                     sp.And(sp.Eq(shape[0], 1), sp.Eq(shape[1], stated[0])))
    return sp.And(sp.Eq(shape[0], stated[0]), sp.Eq(shape[1], stated[1]))


def shape_counterexample(shape: tuple, stated: tuple, top: int = 4) -> dict | None:
    """The smallest sizes (sum first, then by name) of the dimensions where ``shape`` is not ``stated``, or None
    when they agree at every size up to ``top`` (for at most 5 dimensions)."""
    names = sorted({s for e in (*shape, *stated) for s in sp.sympify(e).free_symbols}, key=lambda s: s.name)
    if len(names) > 5:
        return None
    for values in sorted(itertools.product(range(1, top + 1), repeat=len(names)), key=lambda v: (sum(v), v)):
        at = dict(zip(names, values))
        if _holds(tuple(sp.sympify(e).subs(at) for e in shape), tuple(sp.sympify(e).subs(at) for e in stated)) \
                is sp.false:
            return {s.name: v for s, v in at.items()}
    return None


def _text(shape: tuple) -> str:
    return " x ".join(str(s) for s in shape)


def refutation(shape: tuple, stated: tuple, what: str, against: str) -> tuple[str, str, dict] | None:
    """``("REFUTED", reason, counterexample)`` when ``shape`` differs from ``stated`` at some sizes, else None."""
    dims = shape_counterexample(shape, stated)
    if dims is None:
        return None
    at = {sp.Symbol(k, integer=True, positive=True): v for k, v in dims.items()}
    lhs, rhs = (tuple(int(sp.sympify(e).subs(at)) for e in s) for s in (shape, stated))
    if _holds(lhs, rhs) is not sp.false:  # re-verified at the sizes themselves
        return None
    sizes = ", ".join(f"{k} = {v}" for k, v in dims.items())
    cex = {"values": {}, "dims": dims, "lhs": _text(lhs), "rhs": _text(rhs),
           "gap": f"{what} is {_text(lhs)}, {against} {_text(rhs)} at {sizes}", "code": None}
    said = f"shape inference: {what} is {_text(shape)}, {against} {_text(stated)}; they differ at {sizes}"
    return "REFUTED", said, cex


def dimension_verdict(clauses: list[Clause], scope, d, seen: set[str]) -> tuple[str, str, dict | None]:
    r"""The verdict, reason and counterexample of a dimension statement (its clauses, read under ``scope``).

    >>> from symbolic.read.context import context_from_dict
    >>> from symbolic.derivation import Derivation
    >>> t = context_from_dict({"dims": ["m", "k"], "symbols": {"A": {"kind": "matrix", "shape": ["m", "k"]}}})
    >>> d = Derivation("d"); scope = t.scope(d)
    >>> dimension_verdict([Clause("A^T", ["k", "m"])], scope, d, set())[0]
    'PROVED'
    >>> dimension_verdict([Clause("A", ["k", "m"])], scope, d, set())[2]["dims"]
    {'k': 1, 'm': 2}
    """
    proved, notes, declared = [], [], []
    dims = set(getattr(scope.table, "dims", ()))
    for c in clauses:
        try:
            chain = read_chain(c.subject, scope)
        except (ReadError, StepcheckError) as err:
            notes.append(f"{c.subject} is not read ({getattr(err, 'message', err)})")
            continue
        if len(chain.exprs) != 1 or chain.relations:
            notes.append(f"{c.subject} is not one expression")
            continue
        e = chain.exprs[0]
        if isinstance(e, _BARE) and e.name not in scope.table.symbols and e.name not in seen \
                and e.name not in {str(s) for s, _ in d.definitions}:
            declared.append(f"{c.subject} ({' x '.join(c.dims)})")
            continue
        stated = tuple(_positive(stated_dim(x)) for x in c.dims)
        free = sorted({s.name for x in stated for s in x.free_symbols} - dims)
        if free:
            notes.append(f"{', '.join(free)}: not a declared dimension, taken as any positive integer")
        shape = shape_of(e)
        truth = _holds(shape, stated)
        if truth is sp.true or sp.simplify(truth) is sp.true:
            proved.append(f"{c.subject} is {_text(shape)}, as stated")
            continue
        refuted = refutation(shape, stated, c.subject, "stated")
        if refuted is not None:
            return refuted[0], "; ".join([refuted[1], *notes]), refuted[2]
        notes.append(f"{c.subject} is {_text(shape)}, stated {' x '.join(c.dims)}: equal or not depending on sizes "
                     "beyond those tried")
    said = "; ".join(notes)
    if proved and len(proved) + len(declared) == len(clauses):
        return "PROVED", "; ".join([f"shape inference from the declarations: {', '.join(proved)}", *notes]), None
    if declared and len(declared) == len(clauses):
        return "UNDECIDED", f"read as the declaration of the shape of {', '.join(declared)}: not a claim", None
    if not proved and not declared:
        return "UNREAD", f"a dimension statement, not checked: {said}", None
    return "UNDECIDED", f"a dimension statement, checked in part ({', '.join(proved)}): {said}", None


def sides_apart(exprs: list, rels: list[str]) -> tuple[str, str, dict] | None:
    """``("REFUTED", reason, counterexample)`` for the first equation of a chain whose sides have shapes that
    differ at some sizes (objects of different sizes are never equal), else None.

    >>> m, n = sp.symbols("m n", integer=True, positive=True)
    >>> sides_apart([sp.MatrixSymbol("o", m, 1), sp.MatrixSymbol("t", n, 1)], ["="])[2]["dims"]
    {'m': 1, 'n': 2}
    """
    for k, rel in enumerate(rels):
        if rel not in ("=", ":="):
            continue
        a, b = shape_of(exprs[k]), shape_of(exprs[k + 1])
        if all(sp.simplify(x - y) == 0 for x, y in zip(a, b)):
            continue
        found = refutation(a, b, f"side {k + 1}", f"side {k + 2} is")  # by place: never str() a side (below)
        if found is not None:
            verdict, reason, cex = found
            return verdict, f"{reason}: objects of different sizes are never equal", cex
    return None

# Never print a side to name it: str() of a product with a symbolic sum (1 / \sum_{i=1}^m e^{o_i} times a
# vector) asks sympy whether it could extract a minus sign, which evaluates the sum (Gosper's algorithm) and
# took minutes on seed 003.
