"""Entry-wise constraints: vector declarations and hypotheses with a free index.

A hypothesis such as ``Entry(x, j) > 0``, where ``j`` is a declared index that
is free (not bound by a ``Sum``) and subscripts an entry, is a statement about
every entry: it holds for every value of ``j`` in its range (``lower..upper``;
an index declared without ``upper`` ranges over ``lower..lower + upper_sample``,
and values past the end of the vector are not spoken of).  An index used only
as a number (``t >= 1``) is not quantified: that hypothesis restricts the drawn
value.  The sampler draws such vectors constructively where it recognises the
form ``Entry(x, j) op bound`` and checks every index value for the rest.

>>> from symbolic import Derivation
>>> from symbolic.algebra import Entry
>>> d = Derivation("demo"); n = d.dim("n"); x = d.vector("x", n); j = d.index("j", upper=n - 1)
>>> [i.name for i in quantified_indices(Entry(x, j) > 0, d.decls)], quantified_indices(j >= 1, d.decls)
(['j'], ())
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from ..algebra import Entry, sp
from ..algebra.evaluate import DomainError, EvalError, Instance, Unsupported, evaluate
from .declarations import DimDecl, IndexDecl, MatrixDecl, ScalarDecl

MAX_INDEX_VALUES = 100000
_DYADIC = 2.0 ** 40  # probability vectors: entries are multiples of 2^-40, so they sum to exactly 1


def _index_positions(e, bound: frozenset = frozenset()):
    """Symbols in the subscripts of entries (``Entry(x, j)``, ``x[j, 0]``) that no enclosing sum binds."""
    if isinstance(e, (sp.Sum, sp.Product)):
        inner = bound | {lim[0] for lim in e.limits}
        yield from _index_positions(e.args[0], inner)
        for lim in e.limits:
            for a in lim[1:]:
                yield from _index_positions(a, bound)
        return
    if isinstance(e, Entry):
        yield from (s for s in e.args[1].free_symbols if s not in bound)
    elif isinstance(e, sp.matrices.expressions.matexpr.MatrixElement):
        yield from (s for a in e.args[1:] for s in sp.sympify(a).free_symbols if s not in bound)
    for a in e.args:
        if isinstance(a, sp.Basic):
            yield from _index_positions(a, bound)


def quantified_indices(rel, decls) -> tuple:
    """The declared indices a hypothesis quantifies over: free, and subscripting an entry (sorted by name).

    >>> from symbolic import Derivation
    >>> from symbolic.algebra import Entry
    >>> d = Derivation("d"); n = d.dim("n"); x = d.vector("x", n); i = d.index("i", upper=n - 1)
    >>> quantified_indices(sp.Sum(Entry(x, i), (i, 0, n - 1)) > 0, d.decls)
    ()
    """
    names = {s.name for s in _index_positions(rel)}
    return tuple(decls[k] for k in sorted(names) if isinstance(decls.get(k), IndexDecl))


def index_values(decl: IndexDecl, inst: Instance) -> range:
    """The values an index ranges over on an instance.

    >>> from symbolic.model.declarations import IndexDecl
    >>> index_values(IndexDecl("j", sp.Symbol("j"), 1, 3), Instance({}))
    range(1, 5)
    """
    if decl.upper is None:
        return range(decl.lower, decl.lower + decl.upper_sample + 1)
    return range(decl.lower, int(round(float(evaluate(decl.upper, inst)))) + 1)


def holds_for_every_index(rel, indices, inst: Instance, truth) -> bool:
    """``truth(rel, ·)`` at every combination of the indices' values (``truth`` raises on undefined values).

    A value past the end of a vector, for an index declared without ``upper``, is skipped; at least one
    value must be in range.

    >>> from symbolic import Derivation
    >>> from symbolic.algebra import Entry
    >>> from symbolic.algebra.evaluate import _truth
    >>> d = Derivation("d"); n = d.dim("n"); x = d.vector("x", n); j = d.index("j", upper=n - 1)
    >>> inst = Instance({n: 2, j: 0, x: np.array([[1.0], [-1.0]])})
    >>> _truth(Entry(x, j) > 0, inst), holds_for_every_index(Entry(x, j) > 0, (d.decls["j"],), inst, _truth)
    (True, False)
    """
    ranges = [index_values(d, inst) for d in indices]
    if math.prod(len(r) for r in ranges) > MAX_INDEX_VALUES:
        raise EvalError(f"a hypothesis quantified over more than {MAX_INDEX_VALUES} index values")
    unbounded = any(d.upper is None for d in indices)
    mp = inst.backend.mp
    seen = False
    for combo in itertools.product(*ranges):
        sub = inst.with_values({d.symbol: (inst.backend.num(v) if mp else v) for d, v in zip(indices, combo)},
                               share_memo=True)
        try:
            ok = truth(rel, sub)
        except (DomainError, Unsupported):
            return False
        except EvalError:
            if unbounded:  # an entry past the vector's end: not part of what the hypothesis states
                continue
            return False
        if not ok:
            return False
        seen = True
    return seen


@dataclass(frozen=True)
class EntryBound:
    """``Entry(vector, index) op bound`` from a hypothesis: a bound on the entries the index ranges over."""

    vector: sp.MatrixSymbol
    index: IndexDecl
    bound: object
    below: bool  # True: entries >= (or >) bound
    strict: bool


def hypothesis_bounds(d) -> list:
    """The entry bounds the sampler can meet by construction: ``Entry(x, j) > c`` with ``c`` free of x and j.

    >>> from symbolic import Derivation
    >>> from symbolic.algebra import Entry
    >>> d = Derivation("d"); n = d.dim("n"); x = d.vector("x", n); j = d.index("j", upper=n - 1)
    >>> [(b.below, b.strict, b.bound) for b in hypothesis_bounds(d.assume(Entry(x, j) > 0))]
    [(True, True, 0)]
    """
    out = []
    for _, rel in d.hypotheses:
        for part in (rel.args if isinstance(rel, sp.And) else (rel,)):
            if not isinstance(part, (sp.GreaterThan, sp.StrictGreaterThan, sp.LessThan, sp.StrictLessThan)):
                continue
            below = isinstance(part, (sp.GreaterThan, sp.StrictGreaterThan))
            strict = isinstance(part, (sp.StrictGreaterThan, sp.StrictLessThan))
            for side, other, lower in ((part.lhs, part.rhs, below), (part.rhs, part.lhs, not below)):
                if not (isinstance(side, Entry) and isinstance(side.args[0], sp.MatrixSymbol)
                        and isinstance(side.args[1], sp.Symbol)):
                    continue
                vec, idx = d.decls.get(side.args[0].name), d.decls.get(side.args[1].name)
                if not isinstance(vec, MatrixDecl) or not isinstance(idx, IndexDecl) or vec.symbol != side.args[0]:
                    continue
                plain = all(isinstance(d.decls.get(s.name), (ScalarDecl, DimDecl)) for s in other.free_symbols)
                if plain and not isinstance(other, sp.MatrixExpr):
                    out.append(EntryBound(side.args[0], idx, other, lower, strict))
    return out


def _inside(v: float, lo: float, hi: float, lo_open: bool, hi_open: bool) -> bool:
    return (v > lo if lo_open else v >= lo) and (v < hi if hi_open else v <= hi)


def _draw_in(lo: float, hi: float, lo_open: bool, hi_open: bool, rng, scale: float, hard: bool) -> float:
    """One value in an interval (infinite ends allowed): extreme but admissible when ``hard``."""
    for _ in range(50):
        if math.isfinite(lo) and math.isfinite(hi):
            w = hi - lo
            if hard:
                v = lo + w * 1e-6 if rng.random() < 0.5 else hi - w * 1e-6
            else:
                v = float(rng.uniform(lo, hi))
        else:
            mag = float(10.0 ** rng.uniform(-4, 4)) if hard else abs(float(rng.normal())) * scale
            v = lo + mag if math.isfinite(lo) else hi - mag if math.isfinite(hi) else float(rng.normal()) * scale
        if _inside(v, lo, hi, lo_open, hi_open):
            return v
    if math.isfinite(lo) and math.isfinite(hi):
        return (lo + hi) / 2
    return lo + 1.0 if math.isfinite(lo) else hi - 1.0


def dyadic_probability(p, positive: bool = False) -> np.ndarray:
    """Non-negative weights as a probability vector whose float entries sum to exactly 1.

    >>> q = dyadic_probability(np.array([[0.2], [0.3], [0.5]]))
    >>> sum(q.ravel().tolist()) == 1.0, bool((q >= 0).all())
    (True, True)
    """
    shape = np.shape(p)
    w = np.abs(np.asarray(p, dtype=float).ravel())
    w = w / w.sum() if w.sum() > 0 and np.isfinite(w.sum()) else np.full(w.size, 1.0 / w.size)
    q = np.floor(w * _DYADIC) / _DYADIC
    if positive:
        q = np.maximum(q, 1.0 / _DYADIC)
    k = int(np.argmax(w))
    q[k] = 0.0
    q[k] = 1.0 - q.sum()  # every entry a multiple of 2^-40 in [0, 1]: the sum and the difference are exact
    return q.reshape(shape)


def _row_intervals(decl: MatrixDecl, r: int, bounds, values: dict):
    """Per row: ``(lower, upper, lower_open, upper_open)`` arrays from the declaration and hypothesis bounds."""
    lo, hi = np.full(r, -math.inf), np.full(r, math.inf)
    lo_open, hi_open = np.ones(r, dtype=bool), np.ones(r, dtype=bool)
    if decl.entries is not None:
        a, b, ao, bo = decl.entries
        lo[:], lo_open[:] = (-math.inf if a is None else a), ao
        hi[:], hi_open[:] = (math.inf if b is None else b), bo
    inst = Instance(values)
    for bd in bounds:
        try:
            c = float(evaluate(bd.bound, inst))
            rows = [p for p in index_values(bd.index, inst) if 0 <= p < r]
        except (EvalError, ArithmeticError, ValueError, TypeError):
            continue  # not met by construction: the rejection step still checks it
        for p in rows:
            if bd.below and (c > lo[p] or c == lo[p] and bd.strict):
                lo[p], lo_open[p] = c, bd.strict
            elif not bd.below and (c < hi[p] or c == hi[p] and bd.strict):
                hi[p], hi_open[p] = c, bd.strict
    return lo, hi, lo_open, hi_open


def _positive(decl: MatrixDecl) -> bool:
    return decl.entries is not None and decl.entries[0] == 0 and bool(decl.entries[2])


def draw_constrained(values: dict, d, rng, scale: float, hard: bool) -> None:
    """Redraw, in place, the entries of declared or hypothesised bounds that the plain draw put outside them."""
    bounds = hypothesis_bounds(d)
    for decl in d.decls.values():
        if not isinstance(decl, MatrixDecl) or decl.symbol not in values:
            continue
        mine = [b for b in bounds if b.vector == decl.symbol]
        if decl.entries is None and not decl.probability and not mine:
            continue
        A = np.array(values[decl.symbol], dtype=float)
        if decl.probability:
            w = rng.dirichlet(np.full(A.size, 0.1 if hard else 1.0))
            values[decl.symbol] = dyadic_probability(w, _positive(decl)).reshape(A.shape)
            continue
        lo, hi, lo_open, hi_open = _row_intervals(decl, A.shape[0], mine, values)
        for (p, q), v in np.ndenumerate(A):
            if lo[p] <= hi[p] and not _inside(v, lo[p], hi[p], lo_open[p], hi_open[p]):
                A[p, q] = _draw_in(lo[p], hi[p], lo_open[p], hi_open[p], rng, scale, hard)
        values[decl.symbol] = A


def admissible(decl: MatrixDecl, new, old, d=None, values: dict | None = None):
    """A perturbed value moved back inside the declaration (and, given the derivation ``d`` and the
    instance's ``values``, inside the bounds its hypotheses put on the entries): entries reflected into
    their interval (else kept at ``old``), a probability vector renormalised.

    >>> from symbolic.model.declarations import entry_bounds
    >>> x = MatrixDecl("x", sp.MatrixSymbol("x", 2, 1), entries=entry_bounds("x", positive=True))
    >>> admissible(x, np.array([[-0.5], [2.0]]), np.array([[1.0], [1.0]])).ravel().tolist()
    [0.5, 2.0]
    """
    if decl.probability:
        return dyadic_probability(new, _positive(decl))
    mine = [b for b in hypothesis_bounds(d) if b.vector == decl.symbol] if d is not None else []
    if decl.entries is None and not mine:
        return new
    A = np.array(new, dtype=float)
    lo, hi, lo_open, hi_open = _row_intervals(decl, A.shape[0], mine, values or {})
    for (p, q), v in np.ndenumerate(A):
        if v < lo[p]:
            v = 2 * lo[p] - v
        if v > hi[p]:
            v = 2 * hi[p] - v
        A[p, q] = v if _inside(v, lo[p], hi[p], lo_open[p], hi_open[p]) else np.asarray(old, dtype=float)[p, q]
    return A


def simple_probabilities(p) -> list:
    """Probability vectors near ``p`` with entries in quarters, eighths, sixteenths (shrinking candidates).

    >>> [q.ravel().tolist() for q in simple_probabilities(np.array([[0.07], [0.79], [0.14]]))][:2]
    [[0.0, 1.0, 0.0], [0.0, 0.75, 0.25]]
    """
    w = np.asarray(p, dtype=float)
    out: list = []
    for den in (2, 4, 8, 16):
        q = np.round(w * den) / den
        k = np.unravel_index(int(np.argmax(w)), w.shape)
        q[k] = 0.0
        q[k] = 1.0 - q.sum()
        if (q >= 0).all() and not any(np.array_equal(q, o) for o in out):
            out.append(q)
    return out


def _covers(j: IndexDecl, k: IndexDecl) -> bool:
    """Every value of ``k`` lies in ``j``'s range."""
    if k.lower < j.lower:
        return False
    if j.upper is None:
        return True
    return k.upper is not None and (sp.sympify(j.upper) - k.upper).is_nonnegative is True


def prover_hypotheses(d) -> list:
    """The hypotheses for the lemma prover, with what a free index and a vector declaration state spelled
    out for each declared index: ``Entry(x, j) > 0`` for every j gives ``Entry(x, k) > 0`` for an index k
    in j's range, and ``d.vector("x", n, positive=True)`` gives ``Entry(x, k) > 0``.

    >>> from symbolic import Derivation
    >>> d = Derivation("d"); n = d.dim("n"); x = d.vector("x", n, positive=True); k = d.index("k", upper=n - 1)
    >>> prover_hypotheses(d)
    [Entry(x, k) > 0]
    """
    hyps = [h for _, h in d.hypotheses]
    indices = [x for x in d.decls.values() if isinstance(x, IndexDecl)]
    out = list(hyps)
    for rel in hyps:
        for j in quantified_indices(rel, d.decls):
            out += [rel.xreplace({j.symbol: k.symbol}) for k in indices if k is not j and _covers(j, k)]
    for decl in d.decls.values():
        if not isinstance(decl, MatrixDecl) or decl.entries is None or decl.shape[1] != 1:
            continue
        _, _, lo_open, hi_open = decl.entries
        lo, hi = (None if v is None else sp.Rational(repr(v)) for v in decl.entries[:2])  # 0.5 -> 1/2
        for k in (x for x in indices if x.lower >= 0):
            e = Entry(decl.symbol, k.symbol)
            if lo is not None:
                out.append(e > lo if lo_open else e >= lo)
            if hi is not None:
                out.append(e < hi if hi_open else e <= hi)
    return [r for r in dict.fromkeys(out) if isinstance(r, sp.Rel)]
