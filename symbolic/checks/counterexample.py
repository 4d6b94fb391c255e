"""Turn a failing instance into a :class:`Counterexample` a user can paste and run.

>>> from symbolic import Derivation
>>> d = Derivation("demo"); x = d.scalar("x")
>>> from symbolic.checks.sampling import Sampler
>>> inst = Sampler(d, 0).instance(0).with_values({x: 2})
>>> ce = make_counterexample(d, "1", x**2, "=", x, inst)
>>> ce.values, ce.lhs, ce.rhs
({'x': 2}, 4, 2)
"""

from __future__ import annotations

import numpy as np

from ..algebra import SeqTerm, sp
from ..algebra.evaluate import EvalError, evaluate, to_plain
from ..algebra.limits import limit_traces
from ..model.declarations import DimDecl, IndexDecl, MatrixDecl, ScalarDecl
from .sampling import to_backend
from ..model.results import Counterexample
from .numeric import HP


def _free_names(e, bound: frozenset = frozenset()) -> set:
    """Names of the symbols ``e`` depends on: bound variables of sums, products, limits and
    ordered matrix products are not free (``Sum(T*a, (T, 1, 3))`` depends on ``a`` only)."""
    from ..algebra import MatProd, MatSum

    if isinstance(e, (sp.Symbol, sp.MatrixSymbol)):
        return set() if e.name in bound else {e.name}
    if isinstance(e, (sp.Sum, sp.Product)):
        out, inner = set(), set(bound)
        for lim in e.limits:  # a later limit may use an earlier variable
            for x in lim[1:]:
                out |= _free_names(x, frozenset(inner))
            inner.add(lim[0].name)
        return out | _free_names(e.function, frozenset(inner))
    if isinstance(e, sp.Limit):
        body, var, point = e.args[0], e.args[1], e.args[2]
        return _free_names(body, bound | {var.name}) | _free_names(point, bound)
    if isinstance(e, (MatProd, MatSum)):
        body, t, lo, hi = e.args
        return _free_names(body, bound | {t.name}) | _free_names(lo, bound) | _free_names(hi, bound)
    out = {type(e).__name__} if isinstance(e, sp.core.function.AppliedUndef) else set()  # f(x), s(t)
    for a in e.args:
        if isinstance(a, sp.Basic):
            out |= _free_names(a, bound)
    return out


def _used_symbols(exprs, d) -> set:
    """Names of the declared symbols the expressions depend on, through recurrences too.

    >>> from symbolic import Derivation
    >>> d = Derivation("demo"); a = d.scalar("a"); T = d.index("T", lower=1); r = d.scalar("r")
    >>> sorted(_used_symbols([sp.Sum(T * a, (T, 1, 3))], d))
    ['a']
    """
    from ..model.declarations import SequenceDecl

    names = set()
    todo = [(e, frozenset()) for e in exprs]
    seen_seq = set()
    while todo:
        e, bound = todo.pop()
        if not isinstance(e, sp.Basic):
            continue
        names |= _free_names(e, bound)
        for a in sp.preorder_traversal(e):
            seq = str(a.name) if isinstance(a, SeqTerm) else (
                type(a).__name__ if isinstance(a, sp.core.function.AppliedUndef) else None)
            decl = d.decls.get(seq) if seq else None
            if isinstance(decl, SequenceDecl) and seq not in seen_seq:
                seen_seq.add(seq)  # a recurrence's symbols are used too, but not its own index
                own = frozenset(getattr(x, "name", str(x)) for x in (decl.index, decl.prev) if x is not None)
                todo += [(x, own) for x in (decl.step, decl.initial) if x is not None]
    return names


def key_name(key) -> str:
    if isinstance(key, SeqTerm):
        return f"{key.name}({key.index})"
    if isinstance(key, sp.core.function.AppliedUndef):
        return f"{type(key).__name__}({key.args[0]})"
    return getattr(key, "name", str(key))


def make_counterexample(d, label: str, lhs, relation: str, rhs, inst, *, extra_exprs=(),
                        note: str | None = None, extra_values: dict | None = None) -> Counterexample:
    """Plain values, both sides, and a replay snippet for a failing instance.

    The values are exactly the declared symbols the two sides depend on (bound
    variables of sums, products and limits are not), with the dimensions of the
    matrices among them, and those of the case the step holds under (``Derivation.suppose``).  ``note`` prefixes the gap, e.g. why a pole of one side
    is shown; ``extra_values`` are shown (and replayed) with the values, e.g. a witness law.
    """
    cases = [h for _, h in getattr(d, "cases", ())]  # the case the step holds under: its names are shown too
    used = _used_symbols([lhs, rhs, *extra_exprs, *cases], d)
    # dimensions of used matrices count as used
    for decl in d.decls.values():
        if isinstance(decl, MatrixDecl) and decl.name in used:
            used |= {s.name for s in decl.symbol.shape[0].free_symbols | sp.sympify(decl.symbol.shape[1]).free_symbols}
    inst = inst.with_values({})  # fresh memo: record which sequence terms the step uses
    try:
        with np.errstate(all="ignore"):
            evaluate(lhs, inst), evaluate(rhs, inst)
    except (EvalError, ArithmeticError, ValueError):
        pass
    used_terms = {(k[1], k[2]) for k in inst.memo if len(k) == 3 and k[0] == "used"}
    values: dict = {}
    dims: dict = {}
    for key, v in inst.values.items():
        if isinstance(key, SeqTerm) and (str(key.name), int(key.index)) not in used_terms:
            continue
        if isinstance(key, sp.core.function.AppliedUndef) and (type(key).__name__, int(key.args[0])) not in used_terms:
            continue
        name = key_name(key)
        decl = d.decls.get(name)
        if isinstance(decl, DimDecl):
            if name in used:
                dims[name] = int(v)
            continue
        if isinstance(decl, (ScalarDecl, IndexDecl, MatrixDecl)) and name not in used:
            continue
        if decl is None and not isinstance(key, (SeqTerm, sp.core.function.AppliedUndef)):
            continue
        values[name] = to_plain(v)
    for fname, desc in sorted(inst.describe.items()):
        if fname in used or f"{fname}'" in used:  # a declared function the sides apply (or its derivative)
            values[fname] = desc
    values.update(extra_values or {})
    sides = []
    shown = sides_at_60_digits(inst, lhs, rhs)  # float64 noise differs between machines; 60 digits do not
    for e in (lhs, rhs):
        try:
            with np.errstate(all="ignore"):
                v = shown[len(sides)] if shown is not None else evaluate(e, inst)
            if not np.all(np.isfinite(np.asarray(v, dtype=float))):
                raise ArithmeticError("not a finite number (division by zero)")
            sides.append((v, None))
        except (EvalError, ArithmeticError, ValueError) as exc:
            sides.append((None, exc))
    (a, ea), (c, ec) = sides
    a_p = to_plain(a) if ea is None else "undefined"
    c_p = to_plain(c) if ec is None else "undefined"
    if ea is None and ec is None:
        gap = _gap(relation, a, c)
    else:
        which, other, err = ("left", "right", ea) if ea is not None else ("right", "left", ec)
        gap = f"the {which} side is undefined here ({err}) while the {other} side is defined"
    if note:
        gap = f"{note}; {gap}"
    gap += _limit_notes(lhs, rhs, inst)
    code = (
        "from symbolic import replay\n"
        f"replay({d.name!r}, {label!r}, {dict(sorted({**dims, **values}.items()))!r})"
    )
    return Counterexample(values=dict(sorted(values.items())), lhs=a_p, rhs=c_p, gap=gap,
                          dims=dict(sorted(dims.items())), code=code)


def _limit_notes(lhs, rhs, inst) -> str:
    """The limits sympy computed exactly, with the terms (at 60 digits) that confirm them."""
    if not limit_traces(inst):  # every limit settled numerically (or none): nothing to add
        return ""
    hp = to_backend(inst, HP)
    try:
        with np.errstate(all="ignore"):
            evaluate(lhs, hp), evaluate(rhs, hp)
    except (EvalError, ArithmeticError, ValueError):
        pass
    return "".join(f"; {t.describe()} (60 digits)" for t in limit_traces(hp))


def sides_at_60_digits(inst, lhs, rhs):
    """Both sides evaluated at 60 digits, or ``None`` when either cannot be (then float64 is shown).

    >>> from symbolic import Derivation
    >>> from symbolic.checks.context import CheckContext
    >>> d = Derivation("demo"); x = d.scalar("x")
    >>> inst = CheckContext.build(d).sampler.instance(0).with_values({x: 3})
    >>> [float(v) for v in sides_at_60_digits(inst, x**2, 2*x)]
    [9.0, 6.0]
    """
    try:
        hp = to_backend(inst, HP)
        out = (evaluate(lhs, hp), evaluate(rhs, hp))
        if all(np.all(np.isfinite(np.asarray(v, dtype=float))) for v in out):
            return out
    except (EvalError, ArithmeticError, ValueError, TypeError, ZeroDivisionError):
        pass
    return None


def _gap(relation: str, a, c) -> str:
    if isinstance(a, np.ndarray) or isinstance(c, np.ndarray):
        diff = np.asarray(a, dtype=float) - np.asarray(c, dtype=float)
        return f"largest entry of lhs - rhs: {float(np.max(np.abs(diff))):.6g}"
    diff = float(a) - float(c)
    return f"lhs - rhs = {diff:.6g} (claimed {relation})"
