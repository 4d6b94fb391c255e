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

from ..algebra import sp
from .audit_kinds import _BARE
from ..exceptions import ReadError, StepcheckError
from ..read.dimensions import Clause, stated_dim
from ..read.latex import read_chain

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


def readings(undeclared: list[str], dims: list[str], limit: int = 16) -> list[dict[str, str]]:
    """The readings of names a shape uses but the context does not declare: ``{}`` (any positive integers),
    then each of them taken for a declared dimension (at most ``limit`` such assignments, else none).

    >>> readings(["n"], ["d", "m"])
    [{}, {'n': 'd'}, {'n': 'm'}]
    """
    combos = list(itertools.product(dims, repeat=len(undeclared))) if undeclared else []
    return [{}] + ([dict(zip(undeclared, c)) for c in combos] if len(combos) <= limit else [])


def _said(reading: dict[str, str], names: str = "") -> str:
    return ", ".join(f"{k} = {v}" for k, v in reading.items()) if reading else f"{names} any positive integer"


def dimension_verdict(clauses: list[Clause], scope, d, seen: set[str]) -> tuple[str, str, dict | None]:
    r"""The verdict, reason and counterexample of a dimension statement (its clauses, read under ``scope``).

    A stated dimension the context does not declare (``n`` in ``d_h \times n``) is read as any positive
    integer and as each declared dimension in turn: when the readings give different verdicts the line is
    ambiguous (UNDECIDED, both reported), never a silent choice.

    >>> from symbolic.read.context import context_from_dict
    >>> from symbolic.model.derivation import Derivation
    >>> t = context_from_dict({"dims": ["m", "k"], "symbols": {"A": {"kind": "matrix", "shape": ["m", "k"]}}})
    >>> d = Derivation("d"); scope = t.scope(d)
    >>> dimension_verdict([Clause("A^T", ["k", "m"])], scope, d, set())[0]
    'PROVED'
    >>> dimension_verdict([Clause("A", ["k", "m"])], scope, d, set())[2]["dims"]
    {'k': 1, 'm': 2}
    >>> dimension_verdict([Clause("A", ["m", "r"])], scope, d, set())[1].startswith("ambiguous")
    True
    """
    read, notes = [], []
    dims = list(getattr(scope.table, "dims", ()))
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
            read.append((c, None))  # a declaration of its shape
            continue
        read.append((c, shape_of(e)))
    undeclared = sorted({s.name for c, shape in read if shape is not None for x in c.dims
                         for s in _positive(stated_dim(x)).free_symbols} - set(dims))
    if undeclared:
        notes.append(f"{', '.join(undeclared)}: not a declared dimension")
    verdict, why, cex = across([(r, _under(read, len(clauses), r)) for r in readings(undeclared, dims)])
    return verdict, (": " if why.endswith("not checked") else "; ").join([why, "; ".join(notes)]) if notes \
        else why, cex


def across(results: list[tuple[dict, tuple]]) -> tuple[str, str, dict | None]:
    """One verdict from the verdicts of the readings ``(reading, (verdict, reason, counterexample, held))``,
    the first reading being the one with the undeclared names free: that verdict when all agree (when all
    refute, the counterexample of the reading under which most clauses hold first: the most charitable;
    the others said), else UNDECIDED, ambiguous: each verdict with its reading, never a silent choice."""
    (_, first), others = results[0], results[1:]
    names = ", ".join(others[0][0]) if others else ""
    if all(v[0] == first[0] for _, v in others):
        if first[0] != "REFUTED" or not others:
            return first[:3]
        best = max(range(len(results)), key=lambda k: (results[k][1][3], -k))
        also = [f"with {_said(r, names)}: {v[1]}" for k, (r, v) in enumerate(results) if k != best]
        verdict, why, cex, _ = results[best][1]
        return "REFUTED", f"{why} (with {_said(results[best][0], names)}); refuted under every reading of {names}: " \
            f"{'; '.join(also)}", cex
    said: dict[str, str] = {}
    for r, v in results:
        said.setdefault(v[0], f"with {_said(r, names)} it is {v[0]} ({v[1]})")
    return "UNDECIDED", f"ambiguous: {'; '.join(said.values())}; declare {names} in the context file", None


def _under(read: list, total: int, reading: dict[str, str]) -> tuple[str, str, dict | None, int]:
    """The verdict of the read clauses with the undeclared names of ``reading`` taken for declared dims, and
    how many clauses hold before the first refuted one."""
    at = {sp.Symbol(k, integer=True, positive=True): sp.Symbol(v, integer=True, positive=True)
          for k, v in reading.items()}
    proved, declared, notes = [], [], []
    for c, shape in read:
        if shape is None:
            declared.append(f"{c.subject} ({' x '.join(c.dims)})")
            continue
        stated = tuple(_positive(stated_dim(x)).xreplace(at) for x in c.dims)
        truth = _holds(shape, stated)
        if truth is sp.true or sp.simplify(truth) is sp.true:
            proved.append(f"{c.subject} is {_text(shape)}, as stated")
            continue
        refuted = refutation(shape, stated, c.subject, "stated")
        if refuted is not None:
            return (*refuted, len(proved))
        notes.append(f"{c.subject} is {_text(shape)}, stated {_text(stated)}: equal or not depending on sizes "
                     "beyond those tried")
    said = "; ".join(notes)
    if proved and len(proved) + len(declared) == total:
        return "PROVED", f"shape inference from the declarations: {', '.join(proved)}", None, len(proved)
    if declared and len(declared) == total:
        return "UNDECIDED", f"read as the declaration of the shape of {', '.join(declared)}: not a claim", None, 0
    if not proved and not declared:
        return "UNREAD", "a dimension statement, not checked" + (f": {said}" if said else ""), None, 0
    return "UNDECIDED", f"a dimension statement, checked in part ({', '.join(proved)})" + \
        (f": {said}" if said else ""), None, len(proved)


def sides_apart(exprs: list, rels: list[str]) -> tuple[str, str, dict] | None:
    """``("REFUTED", reason, counterexample)`` for the first equation of a chain whose sides have shapes that
    differ at some sizes (objects of different sizes are never equal), else None.

    >>> m, n = sp.symbols("m n", integer=True, positive=True)
    >>> sides_apart([sp.MatrixSymbol("o", m, 1), sp.MatrixSymbol("t", n, 1)], ["="])[2]["dims"]
    {'m': 1, 'n': 2}
    >>> sides_apart([sp.MatrixSymbol("o", n, 1), sp.MatrixSymbol("t", 1, n)], ["="]) is None  # a row, a column
    True
    """
    for k, rel in enumerate(rels):
        if rel not in ("=", ":="):
            continue
        a, b = shape_of(exprs[k]), shape_of(exprs[k + 1])
        if all(sp.simplify(x - y) == 0 for x, y in zip(a, b)):
            continue
        if sp.simplify(a[0] * a[1] - b[0] * b[1]) == 0:
            continue  # as many entries (a row against a column, d x n against n x d): a layout, not a size
        found = refutation(a, b, f"side {k + 1}", f"side {k + 2} is")  # by place: never str() a side (below)
        if found is not None:
            verdict, reason, cex = found
            return verdict, f"{reason}: objects of different sizes are never equal", cex
    return None



def _raw_shape(e) -> tuple:
    return tuple(sp.sympify(x) for x in e.shape) if isinstance(e, sp.MatrixExpr) else (sp.Integer(1), sp.Integer(1))


def size_reading(exprs: list, rels: list[str], dims) -> tuple[dict[str, str], list] | None:
    """The first reading of the names the sides' sizes use but the context does not declare (``n`` in
    ``(e^{o_1}, ..., e^{o_n})``) as declared dimensions under which every equation's sides have the same
    size, with the sides so read (``n`` replaced by that dimension), or None.

    >>> m, n = sp.Symbol("m", integer=True, positive=True), sp.Symbol("n")
    >>> reading, sides = size_reading([sp.MatrixSymbol("o", m, 1), sp.MatrixSymbol("t", n, 1)], ["="], ["m"])
    >>> reading, sides[1].shape
    ({'n': 'm'}, (m, 1))
    """
    used = {s for e in exprs for x in _raw_shape(e) for s in x.free_symbols}
    undeclared = sorted({s.name for s in used} - set(dims))
    named = {s.name: s for s in used if s.name in set(dims)}
    for reading in readings(undeclared, list(dims))[1:]:
        to = {v: named.get(v, sp.Symbol(v, integer=True, positive=True)) for v in reading.values()}
        at = {s: to[reading[s.name]] for e in exprs if isinstance(e, sp.Basic) for s in e.atoms(sp.Symbol)
              if s.name in reading}  # atoms, not free symbols: those of a MatrixSymbol's shape too
        sides = [e.xreplace(at) if isinstance(e, sp.Basic) else e for e in exprs]
        if all(all(sp.simplify(x - y) == 0 for x, y in zip(_raw_shape(sides[k]), _raw_shape(sides[k + 1])))
               for k, rel in enumerate(rels) if rel in ("=", ":=")):
            return reading, sides
    return None


def claim_reading(d, sides: list, rels: list[str], base: str, skip: dict) -> list[str]:
    """Claim in ``d`` each relation of the chain ``sides`` (but those ``skip`` names: not checked), labels
    ``base.k.read``; the labels."""
    labels = []
    for k, rel in enumerate(rels):
        if rel in skip:
            continue
        label = f"{base}.{k + 1}.read"
        d.claim(sides[k], "=" if rel == ":=" else rel, sides[k + 1], label)
        labels.append(label)
    return labels


def sizes_apart(d, exprs: list, rels: list[str], dims, base: str, skip: dict) -> tuple[tuple, list | None] | None:
    """For a chain whose equation has sides of different sizes: its refutation by sizes (:func:`sides_apart`)
    and, when an undeclared name read as a declared dimension makes the sizes agree, the labels of the chain
    so read, claimed in ``d`` (``(refutation, reading)`` to :func:`settle` with their verdict), else None."""
    apart = sides_apart(exprs, rels)
    other = size_reading(exprs, rels, dims) if apart is not None else None
    if other is None:
        return None if apart is None else (apart, None)
    try:
        return (apart, other[0]), claim_reading(d, other[1], rels, base, skip)
    except StepcheckError as err:
        return settle(apart, other[0], "UNREAD", err.message, None), None


def settle(free: tuple, reading: dict[str, str], verdict: str, reason: str | None, cex: dict | None) \
        -> tuple[str, str, dict | None]:
    """The verdict of a line whose sides differ in size with the undeclared names free (``free``, REFUTED),
    from the verdict it has with them read as ``reading``: REFUTED when refuted there too (its counterexample,
    the most charitable reading's), else UNDECIDED, ambiguous (both verdicts said).

    >>> settle(("REFUTED", "m != n", {}), {"n": "m"}, "CONFIRMED", "checked at 8 points", None)[0]
    'UNDECIDED'
    """
    names = ", ".join(reading)
    said = _said(reading)
    if verdict == "REFUTED":
        return "REFUTED", f"{reason} (with {said}); refuted under every reading of {names}: with {names} any " \
            f"positive integer: {free[1]}", cex
    return "UNDECIDED", f"ambiguous: with {names} any positive integer it is REFUTED ({free[1]}); with {said} it " \
        f"is {verdict} ({reason}); declare {names} in the context file", None


# Never print a side to name it: str() of a product with a symbolic sum (1 / \sum_{i=1}^m e^{o_i} times a
# vector) asks sympy whether it could extract a minus sign, which evaluates the sum (Gosper's algorithm) and
# took minutes on seed 003.
