"""Symbolic equality: a ladder of simplifications, cheapest first.

Scalar parts that hold matrices (``Dot``, ``Norm``, ...) are first put in the
matrix normal form of :mod:`.canon`, then replaced by plain symbols carrying
the right sign assumptions, so sympy sees an ordinary scalar problem.

>>> import sympy as sp
>>> x = sp.Symbol("x", positive=True)
>>> prove_zero((x + 1)**2 - x**2 - 2*x - 1)
'expand'
"""

from __future__ import annotations

from typing import Callable

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement, MatrixExpr

from ..budget import check_time
from ..exceptions import BudgetExceeded
from .canon import Context, normal_scalar, normal_terms, _word_key
from .ops import apply_rewrites
from .nodes import Dot, LambdaMax, MatSum, Norm


class Intervals:
    """Known real intervals of symbols, for piecewise conditions and limits."""

    def __init__(self, bounds: dict | None = None) -> None:
        self.bounds = dict(bounds or {})  # symbol -> (lower, upper, lower_open, upper_open)

    def excludes(self, sym, value: float) -> bool:
        if sym not in self.bounds:
            return False
        lo, hi, lo_open, hi_open = self.bounds[sym]
        if lo is not None and (value < lo or (lo_open and value == lo)):
            return True
        if hi is not None and (value > hi or (hi_open and value == hi)):
            return True
        return False

    def abs_below_one(self, sym) -> bool:
        if sym not in self.bounds:
            return False
        lo, hi, lo_open, hi_open = self.bounds[sym]
        return (lo is not None and hi is not None and lo >= -1 and hi <= 1
                and (lo > -1 or lo_open) and (hi < 1 or hi_open))


def atomize(expr):
    """Replace Dot/Norm/LambdaMax applications, and any other real scalar of a matrix argument
    (an entry, a log-sum-exp of a vector), by symbols with sign assumptions.

    Identical subexpressions get the same symbol, so a difference that vanishes
    for every value of the symbols vanishes for the original; and sympy's
    simplify never has to look inside a matrix expression (it churns there).

    >>> from symbolic.algebra.nodes import Entry
    >>> n = sp.Symbol("n", integer=True, positive=True); x = sp.MatrixSymbol("x", n, 1)
    >>> out, mapping = atomize(2 * Entry(x, 0) - Entry(x, 0))
    >>> len(mapping), out.free_symbols == set(mapping.values())
    (1, True)
    """
    mapping: dict = {}
    bound = {v for a in sp.preorder_traversal(expr) if isinstance(a, (sp.Sum, sp.Product))
             for v, *_ in a.limits}

    def visit(e):
        if bound and getattr(e, "free_symbols", set()) & bound:
            pass  # depends on a summation index: a symbol would freeze it (sum_i i x_i is not x sum_i i)
        elif isinstance(e, (Dot, Norm, LambdaMax)):
            if e not in mapping:
                nonneg = isinstance(e, Norm) or (isinstance(e, Dot) and _is_gram(e.args[0]))
                mapping[e] = sp.Dummy(f"a{len(mapping)}", real=True, nonnegative=nonneg or None)
            return mapping[e]
        elif (isinstance(e, sp.Expr) and not isinstance(e, (MatrixExpr, MatrixElement))
                and any(isinstance(a, MatrixExpr) for a in e.args)):
            if e not in mapping:  # a norm of a matrix, say, keeps its sign
                mapping[e] = sp.Dummy(f"a{len(mapping)}", real=True, nonnegative=e.is_nonnegative or None)
            return mapping[e]
        if not e.args or isinstance(e, (sp.Symbol,)):
            return e
        args = [visit(a) for a in e.args]
        if all(a is b for a, b in zip(args, e.args)):
            return e
        try:
            return e.func(*args)
        except (TypeError, ValueError):
            return e

    out = visit(expr)
    return out, mapping


def _is_gram(X) -> bool:
    if isinstance(X, sp.MatMul):
        mats = [a for a in X.args if isinstance(a, MatrixExpr)]
        coef = sp.Mul(*[a for a in X.args if not isinstance(a, MatrixExpr)])
        if coef.is_nonnegative is not True:
            return False
        k = len(mats)
        if k % 2:
            return False
        left, right = mats[: k // 2], mats[k // 2 :]
        return all(sp.Transpose(r).doit() == l or (isinstance(l, sp.Transpose) and l.arg == r)
                   for l, r in zip(reversed(left), right))
    return False


def _peel_sums(e):
    """Bring sums over the same variable to common limits, then merge them."""
    sums = [s for s in e.atoms(sp.Sum) if len(s.limits) == 1]
    if len(sums) < 2:
        return e
    groups: dict = {}
    for s in sums:
        i, lo, hi = s.limits[0]
        key = (tuple(sorted(map(str, (hi - sp.Symbol("_o")).free_symbols))),)
        groups.setdefault(key, []).append(s)
    for group in groups.values():
        if len(group) < 2:
            continue
        dummy = sp.Dummy("k", integer=True)
        his = [s.limits[0][2] for s in group]
        los = [s.limits[0][1] for s in group]
        try:
            hi_min = min(his, key=lambda h: (h - his[0]).as_coeff_Add()[0])
            lo_max = max(los, key=lambda l: (l - los[0]).as_coeff_Add()[0])
        except TypeError:
            continue
        rep = {}
        for s in group:
            i, lo, hi = s.limits[0]
            body = s.args[0].xreplace({i: dummy})
            extra = sp.Integer(0)
            dh = sp.simplify(hi - hi_min)
            dl = sp.simplify(lo_max - lo)
            if not (dh.is_Integer and dl.is_Integer and dh >= 0 and dl >= 0 and dh + dl < 50):
                break
            for k in range(int(dh)):
                extra += body.xreplace({dummy: hi - k})
            for k in range(int(dl)):
                extra += body.xreplace({dummy: lo + k})
            rep[s] = sp.Sum(body, (dummy, lo_max, hi_min)) + extra
        else:
            e = e.xreplace(rep)
    # merge: c*Sum(f) + d*Sum(g) with equal limits -> Sum(c f + d g)
    e = sp.expand(e)
    terms = sp.Add.make_args(e)
    buckets: dict = {}
    rest = []
    for t in terms:
        coeff_sums = [a for a in sp.Mul.make_args(t) if isinstance(a, sp.Sum)]
        if len(coeff_sums) == 1:
            s = coeff_sums[0]
            c = t / s
            if not (c.free_symbols & {s.limits[0][0]}):
                buckets.setdefault(s.limits[0][1:], []).append((c, s))
                continue
        rest.append(t)
    out = sp.Add(*rest)
    for (lo, hi), items in buckets.items():
        dummy = sp.Dummy("k", integer=True)
        body = sp.Add(*[c * s.args[0].xreplace({s.limits[0][0]: dummy}) for c, s in items])
        body = sp.simplify(sp.powsimp(sp.expand(body), force=True))
        if body != 0:
            out += sp.Sum(body, (dummy, lo, hi))
    return out


def _piecewise_refine(e, iv: Intervals | None):
    if iv is None or not e.has(sp.Piecewise):
        return e

    def decide(c):
        if isinstance(c, sp.Eq):
            a, b = c.args
            for s, v in ((a, b), (b, a)):
                if s.is_Symbol and v.is_Number and iv.excludes(s, float(v)):
                    return sp.false
            syms = (a - b).free_symbols
            if len(syms) == 1:  # e.g. Eq(1/beta, 1): every solution outside the interval
                (s,) = syms
                try:
                    sols = sp.solve(sp.Eq(a, b), s)
                except (NotImplementedError, TypeError, ValueError):
                    sols = None
                if sols is not None and all(x.is_number and x.is_real and iv.excludes(s, float(x)) for x in sols):
                    return sp.false
        if isinstance(c, sp.Ne):
            r = decide(sp.Eq(*c.args))
            return sp.true if r is sp.false else c
        if isinstance(c, (sp.And, sp.Or)):
            return c.func(*[decide(a) for a in c.args])
        return c

    def fix(p):
        new = []
        for val, cond in p.args:
            new.append((val, decide(cond)))
        return sp.Piecewise(*new)

    return e.replace(lambda x: isinstance(x, sp.Piecewise), fix)


def _limit_rung(e, iv: Intervals | None):
    if not e.has(sp.Limit):
        return e

    def lim(L):
        body, var, point = L.args[0], L.args[1], L.args[2]
        if point is sp.S.Infinity and iv is not None:
            # geometric lemma: |q| < 1  =>  q**T -> 0
            q = sp.Wild("q", exclude=[var])
            c = sp.Wild("c", exclude=[var])
            m = sp.expand(body).match(c * q**var)
            if m and m[q].is_Symbol and iv.abs_below_one(m[q]):
                return sp.Integer(0)
            m = body.match(c * sp.Abs(q)**var) if m is None else None
            if m and m[q].is_Symbol and iv.abs_below_one(m[q]):
                return sp.Integer(0)
        r = sp.limit(body, var, point)
        if isinstance(r, sp.Limit) or r.has(sp.AccumBounds):
            return L
        return r

    return e.replace(lambda x: isinstance(x, sp.Limit), lim)


def _power_simplification(e):
    """Combine and denest powers; ``force`` (which treats every symbol as positive) only where every symbol is non-negative.

    Forcing on a real symbol would "prove" ``|t| = t`` and ``sqrt(s t) = sqrt(s) sqrt(t)``.

    >>> t = sp.Symbol("t", real=True)
    >>> _power_simplification(sp.Abs(t) - t) == 0, _power_simplification(sp.sqrt(t**2) - t) == 0
    (False, False)
    >>> u = sp.Symbol("u", nonnegative=True)
    >>> _power_simplification(sp.sqrt(u**2 * u) - u**sp.Rational(3, 2))
    0
    """
    force = all(s.is_nonnegative for s in e.free_symbols)
    return sp.expand(sp.powsimp(sp.powdenest(sp.expand(e), force=force), force=force))


def ladder(iv: Intervals | None = None, simplify: Callable | None = None) -> list[tuple[str, Callable]]:
    """The rungs of :func:`prove_zero`, cheapest first; ``simplify`` is sympy's, by default remembered over
    these rungs (one :class:`_Simplified` per ladder: a ladder is one proof attempt).

    >>> [name for name, _ in ladder()][:3]
    ['structural', 'expand', 'cancel']
    """
    simplify = _Simplified() if simplify is None else simplify
    return [
        ("structural", lambda e: e),
        ("expand", lambda e: sp.expand(e)),
        ("cancel", lambda e: sp.cancel(sp.together(sp.expand(e)))),
        ("power simplification", _power_simplification),
        ("sum manipulation", lambda e: simplify(_peel_sums(e))),
        ("evaluated sums", lambda e: simplify(_piecewise_refine(sp.expand(e.doit()), iv))),
        ("limit", lambda e: simplify(_limit_rung(e, iv))),
        ("simplify", lambda e: simplify(e)),
    ]


class _Simplified:
    """``sp.simplify`` remembered over the rungs of one proof attempt: without two sums to merge, a limit
    or a sum to evaluate, four rungs simplify the same expression, and sympy's answer (or the error it
    raised) for an expression is always the same.  A time limit is never remembered: it propagates.

    >>> x = sp.Symbol("x"); s = _Simplified()
    >>> s(sp.sin(x)**2 + sp.cos(x)**2), s(sp.sin(x)**2 + sp.cos(x)**2), s.hits
    (1, 1, 1)
    """

    def __init__(self) -> None:
        self.seen: dict = {}
        self.hits = 0

    def __call__(self, e):
        if e in self.seen:
            self.hits += 1
            ok, value = self.seen[e]
            if ok:
                return value
            raise value
        try:
            value = sp.simplify(e)
        except BudgetExceeded:
            raise
        except Exception as exc:  # noqa: BLE001 - the rung that called it proves nothing, now and next time
            self.seen[e] = (False, exc)
            raise
        self.seen[e] = (True, value)
        return value


def prove_zero(expr, ctx: Context | None = None, iv: Intervals | None = None, *, cheap: bool = False) -> str | None:
    """Name of the first simplification that reduces ``expr`` to zero, else ``None``.

    ``cheap`` stops after the inexpensive rungs (no ``simplify``).
    """
    ctx = ctx or Context()
    e = normal_scalar(expr, ctx)
    e, _ = atomize(e)
    rungs = ladder(iv)[:4] if cheap else ladder(iv)
    for name, fn in rungs:
        check_time()
        try:
            r = fn(e)
        except BudgetExceeded:
            raise
        except Exception:  # noqa: BLE001 - a sympy rung that crashes (even StopIteration) proves nothing
            continue
        if r == 0:
            return name
    return None


def prove_equal(lhs, rhs, ctx: Context | None = None, iv: Intervals | None = None, *,
                cheap: bool = False) -> str | None:
    """Prove ``lhs == rhs`` (scalars or matrices of symbolic size); the method, or None.

    ``cheap`` tries only the inexpensive rungs of the ladder (no ``simplify``).  When
    the sides do not simplify to each other, the equality lemmas of the operators in
    them (:func:`symbolic.algebra.ops.apply_rewrites`) are applied and the proof is
    tried again; the method then names the lemmas.

    >>> x = sp.Symbol("x")
    >>> prove_equal((x + 1)**2, x**2 + 2*x + 1, cheap=True)
    'expand'
    """
    method = _prove_equal(lhs, rhs, ctx, iv, cheap=cheap)
    if method is not None:
        return method
    if any(isinstance(a, MatSum) for side in (lhs, rhs) if isinstance(side, sp.Basic)
           for a in sp.preorder_traversal(side)):  # sum_i c_i g_i of vectors: one coordinate is the claim
        from .coordinates import coordinatewise

        cl, cr = coordinatewise(lhs), coordinatewise(rhs)
        if cl is not None and cr is not None:
            method = prove_zero(cl - cr, ctx, iv, cheap=cheap)
            if method is not None:
                return f"coordinate by coordinate (linear in the vectors); {method}"
    new_lhs, used_lhs = apply_rewrites(lhs, ctx)
    new_rhs, used_rhs = apply_rewrites(rhs, ctx)
    used = tuple(dict.fromkeys(used_lhs + used_rhs))
    if not used:
        return None
    method = _prove_equal(new_lhs, new_rhs, ctx, iv, cheap=cheap)
    if method is None:  # a node's next lemma: a second form of the same definition (sigmoid via tanh)
        alt_lhs, alt_l = apply_rewrites(lhs, ctx, skip=used)
        alt_rhs, alt_r = apply_rewrites(rhs, ctx, skip=used)
        alt = tuple(dict.fromkeys(alt_l + alt_r))
        if alt and (alt_lhs, alt_rhs) != (new_lhs, new_rhs):
            method = _prove_equal(alt_lhs, alt_rhs, ctx, iv, cheap=cheap)
            used = alt if method is not None else used
    return None if method is None else f"lemma {', '.join(used)}; {method}"


def _prove_equal(lhs, rhs, ctx: Context | None, iv: Intervals | None, *, cheap: bool) -> str | None:
    ctx = ctx or Context()
    if isinstance(lhs, MatrixExpr) or isinstance(rhs, MatrixExpr):
        if (getattr(lhs, "shape", (1, 1)) == (1, 1)) and (getattr(rhs, "shape", (1, 1)) == (1, 1)):
            return prove_zero(normal_scalar(lhs, ctx) - normal_scalar(rhs, ctx), ctx, iv, cheap=cheap)
        terms = normal_terms(sp.MatAdd(lhs, sp.MatMul(-1, rhs)), ctx)
        grouped: dict = {}
        for c, w in terms:
            k = _word_key(w)
            grouped[k] = grouped.get(k, 0) + c
        methods = []
        for c in grouped.values():
            m = prove_zero(c, ctx, iv, cheap=cheap)
            if m is None:
                return None
            methods.append(m)
        names = [n for n, _ in ladder(iv)]
        worst = max(methods, key=names.index) if methods else "structural"
        return f"matrix normal form, {worst}"
    return prove_zero(sp.sympify(lhs) - sp.sympify(rhs), ctx, iv, cheap=cheap)
