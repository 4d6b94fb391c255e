"""Proving ``a <= b`` as an instance of named lemmas whose side conditions hold.

The prover works backwards from the goal with a small set of rules, each a
textbook lemma: submultiplicativity of the spectral norm, ``||A|| =
sqrt(lambda_1(A^T A))``, ``||diag(a)|| = max |a_i|``, the triangle and
Cauchy-Schwarz inequalities, monotonicity of products of bounded
non-negative factors, of powers and of sums; and the stated hypotheses.  A
proof returns the names of the lemmas used; no proof returns ``None``.

>>> import sympy as sp
>>> x, y = sp.symbols("x y", positive=True)
>>> Prover(facts=[(x, y)]).prove_le(2*x, 2*y)
['hypothesis x <= y, scaled by a factor of known sign']
"""

from __future__ import annotations

import itertools

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.matrices.expressions.matexpr import MatrixExpr

from ..budget import check_time
from .canon import Context, normal_scalar
from .nodes import Apply, DiagOf, Dot, LambdaMax, MatProd, Norm
from .prove import Intervals, atomize, prove_zero


class Prover:
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
            from .prove import _is_gram

            return _is_gram(a.args[0])
        if isinstance(a, sp.Pow):
            if a.exp == sp.Rational(1, 2):  # the principal square root, where it is real
                return True
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
        if depth == 0:
            r = self._scaled_fact(a, b, strict=False)
            if r is not None:
                return r
        for rule in (self._fact, self._abs_of_positive, self._products, self._powers, self._sqrt_bound, self._positive_factor, self._interval, self._fewer_factors, self._bound_factors, self._sums,
                     self._submultiplicative, self._diag_norm, self._norm_eigen, self._triangle,
                     self._cauchy_schwarz, self._norm_product):
            r = rule(a, b, depth)
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

    def _pair(self, fa: list, fb: list, depth):
        if len(fa) != len(fb) or len(fa) > 5:
            return None
        for perm in itertools.permutations(range(len(fb))):
            used: list[str] = []
            ok = True
            for i, j in enumerate(perm):
                if not self.nonneg(fa[i]):
                    ok = False
                    break
                r = self.prove_le(fa[i], fb[j], depth + 1)
                if r is None:
                    ok = False
                    break
                used += r
            if ok:
                return used
        return None

    def _known_bound(self, f):
        """An upper bound of a non-negative factor taken from a fact, a stated bound or a lemma."""
        for fa, fb in self.facts:
            if self._eq(f, fa):
                return fb, f"hypothesis {fa} <= {fb}"
        if isinstance(f, Norm) and isinstance(f.args[0], DiagOf):
            v = f.args[0].args[0]
            if isinstance(v, Apply) and str(v.func_name) in self.bounds:
                return self.bounds[str(v.func_name)], f"||diag(a)|| = max|a_i| with |{v.func_name}| <= {self.bounds[str(v.func_name)]}"
        if isinstance(f, Norm) and isinstance(f.args[0], MatrixExpr):
            X = f.args[0]
            alt = sp.sqrt(LambdaMax(sp.Transpose(X) * X))
            for fa, fb in self.facts:
                if self._eq(alt, fa):
                    return fb, "||A|| = sqrt(lambda_1(A^T A)) and a hypothesis"
        return None

    def _bound_factors(self, a, b, depth):
        """Replace each non-negative factor of a product by a known upper bound, then compare."""
        factors = list(sp.Mul.make_args(a))
        if len(factors) < 2 or not all(self.nonneg(f) for f in factors):
            return None
        used, new = [], []
        for f in factors:
            kb = self._known_bound(f)
            if kb is None:
                new.append(f)
            else:
                new.append(kb[0])
                used.append(kb[1])
        if not used:
            return None
        r = self.prove_le(sp.simplify(sp.Mul(*new)), b, depth + 1)
        if r is None:
            return None
        return used + ["products of bounded non-negative factors"] + r

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

    def _fewer_factors(self, a, b, depth):
        """prod_{lo}^{hi1} a_t <= prod_{lo'}^{hi2} b_t with more factors on the left, each in [0, 1]."""
        if not isinstance(a, sp.Product):
            return None
        (t, lo, hi) = a.limits[0]
        body = a.args[0]
        if isinstance(b, sp.Product):
            (_, lo2, hi2) = b.limits[0]
            if sp.simplify(hi2 - lo2 + 1).is_nonpositive:  # an empty product (our convention): 1
                b = sp.Integer(1)
        if b == 1 or (isinstance(b, sp.Product) and b.limits[0][0] == t):
            if b != 1:
                (_, lo2, hi2) = b.limits[0]
                dh, dl = sp.simplify(hi - hi2), sp.simplify(lo2 - lo)
                if not (dh.is_nonnegative and dl.is_nonnegative and (dh.is_positive or dl.is_positive)):
                    return None
            if not self.nonneg(body) or self.prove_le(body, 1, depth + 1) is None:
                return None
            if b != 1 and self.prove_le(body, b.args[0], depth + 1) is None:
                return None
            return ["products of factors in [0, 1]: dropping factors does not decrease the product"]
        return None

    def _products(self, a, b, depth):
        if isinstance(a, sp.Product) and isinstance(b, sp.Pow):
            i, lo, hi = a.limits[0]
            if self._eq(b.exp, hi - lo + 1):
                return self._products(a, sp.Product(b.base, (i, lo, hi)), depth)
        if isinstance(a, sp.Product) and isinstance(b, sp.Product) and a.limits == b.limits:
            if self.nonneg(a.args[0]):
                r = self.prove_le(a.args[0], b.args[0], depth + 1)
                if r is not None:
                    return r + ["products of bounded non-negative factors"]
        if isinstance(a, sp.Product) and isinstance(b, sp.Product):
            (i, lo, hi), (j, lo2, hi2) = a.limits[0], b.limits[0]
            if lo == lo2 and hi == hi2 and self.nonneg(a.args[0]):
                r = self.prove_le(a.args[0], b.args[0].xreplace({j: i}), depth + 1)
                if r is not None:
                    return r + ["products of bounded non-negative factors"]
        fa, fb = list(sp.Mul.make_args(a)), list(sp.Mul.make_args(b))
        if len(fa) > 1 or len(fb) > 1:
            if len(fa) < len(fb):
                fa = fa + [sp.Integer(1)] * (len(fb) - len(fa))
            if len(fb) < len(fa):
                fb = fb + [sp.Integer(1)] * (len(fa) - len(fb))
            r = self._pair(fa, fb, depth)
            if r is not None:
                return r + ["products of bounded non-negative factors"]
        return None

    def _positive_factor(self, a, b, depth):
        for f in sp.Mul.make_args(a):
            if f.is_positive and not f.is_Number and len(sp.Mul.make_args(a)) > 1:
                r = self.prove_le(sp.simplify(a / f), sp.simplify(b / f), depth + 1)
                if r is not None:
                    return r + [f"division by the positive factor {f}"]
        return None

    def _sqrt_bound(self, a, b, depth):
        if isinstance(b, sp.Pow) and b.exp == sp.Rational(1, 2) and self.nonneg(a):
            r = self.prove_le(a**2, b.base, depth + 1)
            if r is not None:
                return r + ["monotonicity of the square root"]
        return None

    def _powers(self, a, b, depth):
        if isinstance(a, sp.Pow) and isinstance(b, sp.Pow) and self._eq(a.exp, b.exp):
            if (a.exp.is_nonnegative or a.exp.is_positive) and self.nonneg(a.base):
                r = self.prove_le(a.base, b.base, depth + 1)
                if r is not None:
                    return r + ["monotonicity of x^p on x >= 0"]
        return None

    def _sums(self, a, b, depth):
        if isinstance(a, sp.Add) and isinstance(b, sp.Add):
            ta, tb = list(a.args), list(b.args)
            if len(ta) == len(tb) and len(ta) <= 4:
                for perm in itertools.permutations(tb):
                    used: list[str] = []
                    for x, y in zip(ta, perm):
                        r = self.prove_le(x, y, depth + 1)
                        if r is None:
                            break
                        used += r
                    else:
                        return used + ["sum of term-wise bounds"]
        return None

    def _submultiplicative(self, a, b, depth):
        if isinstance(a, Norm) and isinstance(a.args[0], sp.MatMul):
            mats = [x for x in a.args[0].args if isinstance(x, MatrixExpr)]
            coef = sp.Mul(*[x for x in a.args[0].args if not isinstance(x, MatrixExpr)])
            if len(mats) >= 2:
                split = sp.Abs(coef) * sp.Mul(*[Norm(m) for m in mats])
                r = self.prove_le(split, b, depth + 1)
                if r is not None:
                    return ["submultiplicativity ||AB|| <= ||A|| ||B||"] + r
        return None

    def _norm_product(self, a, b, depth):
        if isinstance(a, Norm) and isinstance(a.args[0], MatProd):
            body, t, lo, hi = a.args[0].args
            r = self.prove_le(sp.Product(Norm(body), (t, lo, hi)), b, depth + 1)
            if r is not None:
                return ["submultiplicativity over an ordered product"] + r
        return None

    def _diag_norm(self, a, b, depth):
        if isinstance(a, Norm) and isinstance(a.args[0], DiagOf):
            v = a.args[0].args[0]
            if isinstance(v, Apply) and str(v.func_name) in self.bounds:
                bound = self.bounds[str(v.func_name)]
                r = self.prove_le(bound, b, depth + 1)
                if r is not None:
                    return [f"||diag(a)|| = max|a_i| with |{v.func_name}| <= {bound}"] + r
        return None

    def _norm_eigen(self, a, b, depth):
        if isinstance(a, Norm) and isinstance(a.args[0], MatrixExpr):
            X = a.args[0]
            alt = sp.sqrt(LambdaMax(sp.Transpose(X) * X))
            if any(isinstance(fa, LambdaMax) for fa, _ in self.facts) or b.has(LambdaMax):
                r = self.prove_le(alt, b, depth + 1)
                if r is not None:
                    return ["||A|| = sqrt(lambda_1(A^T A))"] + r
        if isinstance(b, Norm) and isinstance(b.args[0], MatrixExpr) and a.has(LambdaMax):
            X = b.args[0]
            r = self.prove_le(a, sp.sqrt(LambdaMax(sp.Transpose(X) * X)), depth + 1)
            if r is not None:
                return r + ["||A|| = sqrt(lambda_1(A^T A))"]
        return None

    def _triangle(self, a, b, depth):
        if isinstance(a, Norm) and isinstance(a.args[0], sp.MatAdd):
            parts = sp.Add(*[Norm(x) for x in a.args[0].args])
            r = self.prove_le(parts, b, depth + 1)
            if r is not None:
                return ["triangle inequality"] + r
        if isinstance(a, sp.Abs) and isinstance(a.args[0], sp.Add):
            parts = sp.Add(*[sp.Abs(x) for x in a.args[0].args])
            r = self.prove_le(parts, b, depth + 1)
            if r is not None:
                return ["triangle inequality"] + r
        return None

    def _cauchy_schwarz(self, a, b, depth):
        if isinstance(a, sp.Abs) and isinstance(a.args[0], Dot):
            X = a.args[0].args[0]
            if isinstance(X, sp.MatMul):
                mats = [x for x in X.args if isinstance(x, MatrixExpr)]
                if len(mats) == 2 and isinstance(mats[0], sp.Transpose):
                    bound = Norm(mats[0].arg) * Norm(mats[1])
                    r = self.prove_le(bound, b, depth + 1)
                    if r is not None:
                        return ["Cauchy-Schwarz |x^T y| <= ||x|| ||y||"] + r
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
