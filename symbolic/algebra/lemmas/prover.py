"""The search of the lemma prover: goals, memo, hypotheses and signs.

>>> import sympy as sp
>>> x, y = sp.symbols("x y", positive=True)
>>> Prover(facts=[(x, y)]).prove_le(x, y + 1)
['hypothesis x <= y', 'sign of the difference']
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef

from ...budget import check_time
from ..canon import Context, normal_scalar
from ..nodes import Dot, LambdaMax, Norm
from ..ops import apply_rewrites, lookup
from ..prove import Intervals, _is_gram, atomize, prove_zero
from .monotone import MonotoneRules
from .norms import NormRules
from .orders import OrderRules


class Prover(OrderRules, NormRules, MonotoneRules):
    """Backward-chaining prover for ``a <= b``.

    ``facts`` are pairs ``(lhs, rhs)`` known to satisfy ``lhs <= rhs``;
    ``derivative_bounds`` maps a function's derivative name (``"sigma'"``) to
    a bound ``gamma`` with ``|sigma'(x)| <= gamma``.
    """

    def __init__(self, facts=(), derivative_bounds=None, ctx: Context | None = None,
                 iv: Intervals | None = None, max_depth: int = 8, strict_facts=()) -> None:
        self.facts = [(sp.sympify(a), sp.sympify(b)) for a, b in facts]
        self.strict_facts = [(sp.sympify(a), sp.sympify(b)) for a, b in strict_facts]
        self.bounds = dict(derivative_bounds or {})
        self.ctx = ctx or Context()
        self.iv = iv
        self.max_depth = max_depth
        self._memo: dict = {}

    # -- helpers -------------------------------------------------------
    def _eq(self, a, b) -> bool:
        if a == b:
            return True
        try:
            return prove_zero(sp.sympify(a) - sp.sympify(b), self.ctx, self.iv, cheap=True) is not None
        except TypeError:
            return False

    def nonneg(self, a) -> bool:
        """Is ``a >= 0`` known from sign assumptions?"""
        a = sp.sympify(a)
        if isinstance(a, (Norm,)) or (isinstance(a, sp.Abs)):
            return True
        if isinstance(a, sp.Product):
            return self.nonneg(a.args[0])
        if isinstance(a, sp.Mul):
            return all(self.nonneg(f) for f in a.args)
        if isinstance(a, LambdaMax):
            return _is_gram(a.args[0])
        if self.ctx.psd and _psd_quadratic(a, self.ctx.psd):  # x^T A x >= 0, tr(A) >= 0 for a declared psd A
            return True
        if isinstance(a, sp.Pow):
            if a.exp.is_even or (a.exp.is_Rational and self.nonneg(a.base)):
                return True
            if self.nonneg(a.base):
                return True
        if isinstance(a, sp.Add):
            return all(self.nonneg(f) for f in a.args)
        at, _ = atomize(normal_scalar(a, self.ctx))
        return bool(at.is_nonnegative)

    def _sign(self, e, strict: bool) -> bool:
        for form in (lambda: e, lambda: normal_scalar(e, self.ctx)):
            try:
                at, _ = atomize(form())
                for x in (at, sp.factor_terms(sp.expand(at))):
                    if (x.is_positive if strict else x.is_nonnegative):
                        return True
            except (TypeError, ValueError):
                pass
        return False

    def _scaled_fact(self, a, b, strict: bool) -> list[str] | None:
        """``b - a = c (fb - fa)`` with a hypothesis ``fa < fb`` (or <=) and a factor ``c`` of known sign."""
        pool = [(f, True) for f in self.strict_facts] + ([] if strict else [(f, False) for f in self.facts])
        for (fa, fb), is_strict in pool:
            try:
                pair, mapping = atomize(sp.Tuple(normal_scalar(b - a, self.ctx), normal_scalar(fb - fa, self.ctx)))
                if pair[1] == 0:
                    continue
                c = sp.cancel(pair[0] / pair[1])
            except (TypeError, ValueError, ZeroDivisionError):
                continue
            if (c.is_positive if strict else c.is_nonnegative):
                rel = "<" if is_strict else "<="
                return [f"hypothesis {fa} {rel} {fb}, scaled by a factor of known sign"]
        return None

    def prove_lt(self, a, b) -> list[str] | None:
        """Names of the lemmas proving ``a < b`` (strictly), or ``None``."""
        a, b = sp.sympify(a), sp.sympify(b)
        if self._sign(b - a, strict=True):
            return ["sign of the difference"]
        return self._scaled_fact(a, b, strict=True)

    # -- the prover ----------------------------------------------------
    def prove_le(self, a, b, depth: int = 0) -> list[str] | None:
        """Names of the lemmas proving ``a <= b``, or ``None``."""
        check_time()
        if depth > self.max_depth:
            return None
        a, b = sp.sympify(a), sp.sympify(b)
        key = (a, b)
        if key in self._memo:
            return self._memo[key]
        self._memo[key] = None  # a goal that depends on itself is not proved
        r = self._prove_le(a, b, depth)
        self._memo[key] = r
        return r

    def _prove_le(self, a, b, depth: int) -> list[str] | None:
        if self._eq(a, b):
            return []
        if self._sign(b - a, strict=False):
            return ["sign of the difference"]
        if self.ctx.psd and self.nonneg(sp.expand(apply_rewrites(sp.expand(b - a))[0])):
            return ["positive semidefinite forms (x^T A x >= 0, tr(A B) >= 0)"]
        if depth == 0:
            r = self._scaled_fact(a, b, strict=False)
            if r is not None:
                return r
        for rule in (self._fact, self._abs_of_positive, self._products, self._powers, self._sqrt_bound, self._squares, self._positive_factor, self._interval, self._fewer_factors, self._bound_factors, self._sums,
                     self._submultiplicative, self._diag_norm, self._norm_eigen, self._triangle,
                     self._cauchy_schwarz, self._norm_product, self._grouped_products, self._registered) + self._normalisations():
            r = rule(a, b, depth)
            if r is not None:
                return r
        return None

    def _registered(self, a, b, depth):
        """The inequality lemmas the operators heading ``a`` and ``b`` declare (:mod:`symbolic.algebra.ops`)."""
        seen = []
        for side in (a, b, *(b.args if isinstance(b, sp.Mul) else ())):  # b's factors: |x^T y| <= ||x||_1 ||y||_inf
            op = lookup(side)
            if op is None or op in seen:
                continue
            seen.append(op)
            for bound in op.bounds:
                r = bound.rule(self, a, b, depth)
                if r is not None:
                    return r
        return None

    def _fact(self, a, b, depth):
        for fa, fb in self.facts:
            if self._eq(a, fa):
                rest = self.prove_le(fb, b, depth + 1)
                if rest is not None:
                    return [f"hypothesis {fa} <= {fb}"] + rest
        return None

    def _abs_of_positive(self, a, b, depth):
        if isinstance(b, sp.Abs) and self.nonneg(b.args[0]):
            return self.prove_le(a, b.args[0], depth + 1)
        if isinstance(a, sp.Abs) and self.nonneg(a.args[0]):
            return self.prove_le(a.args[0], b, depth + 1)
        if isinstance(a, sp.Abs) and isinstance(a.args[0], AppliedUndef):
            name = type(a.args[0]).__name__
            if name in self.bounds:
                rest = self.prove_le(self.bounds[name], b, depth + 1)
                if rest is not None:
                    return [f"stated bound |{name}| <= {self.bounds[name]}"] + rest
        return None

    def _interval(self, a, b, depth):
        """A symbol below a number by its declared interval (or a number below such a symbol)."""
        if self.iv is None:
            return None
        if a.is_Symbol and b.is_number and a in self.iv.bounds:
            hi = self.iv.bounds[a][1]
            if hi is not None and hi <= float(b):
                return [f"declared interval of {a}"]
        if b.is_Symbol and a.is_number and b in self.iv.bounds:
            lo = self.iv.bounds[b][0]
            if lo is not None and lo >= float(a):
                return [f"declared interval of {b}"]
        return None


def strict_facts_from_hypotheses(hypotheses) -> list[tuple]:
    """``(small, large)`` pairs of the strict hypotheses ``a < b`` and ``a > b``."""
    out = []
    for rel in hypotheses:
        if isinstance(rel, sp.StrictLessThan):
            out.append((rel.lhs, rel.rhs))
        elif isinstance(rel, sp.StrictGreaterThan):
            out.append((rel.rhs, rel.lhs))
    return out


def facts_from_hypotheses(hypotheses) -> list[tuple]:
    """Turn relations ``a <= b``, ``a < b``, ``a >= b``, ``a > b`` into ``(small, large)`` pairs."""
    out = []
    for rel in hypotheses:
        if isinstance(rel, (sp.LessThan, sp.StrictLessThan)):
            out.append((rel.lhs, rel.rhs))
            if isinstance(rel.lhs, LambdaMax):
                out.append((sp.sqrt(rel.lhs), sp.sqrt(rel.rhs)))
        elif isinstance(rel, (sp.GreaterThan, sp.StrictGreaterThan)):
            out.append((rel.rhs, rel.lhs))
            if isinstance(rel.rhs, LambdaMax):
                out.append((sp.sqrt(rel.rhs), sp.sqrt(rel.lhs)))
    return out


def _psd_quadratic(a, psd) -> bool:
    """``Dot(u^T A u)`` or ``tr(A)`` (``c >= 0`` times) with ``A`` declared positive semidefinite."""
    if isinstance(a, sp.Trace):  # tr(A) and tr(A B) = tr(A^(1/2) B A^(1/2)) for psd A, B
        word = a.arg.args if isinstance(a.arg, sp.MatMul) else (a.arg,)
        return len(word) <= 2 and all(f in psd for f in word)
    if not isinstance(a, Dot) or not isinstance(a.args[0], sp.MatMul):
        return False
    word = [f for f in a.args[0].args if f.is_Matrix]
    coeff = sp.Mul(*[f for f in a.args[0].args if not f.is_Matrix])
    if len(word) != 3 or not coeff.is_nonnegative:
        return False
    u, A, v = word
    return A in psd and isinstance(u, sp.Transpose) and u.arg == v
