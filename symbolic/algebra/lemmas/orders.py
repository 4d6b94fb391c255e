"""Order lemmas of the prover: products, powers, square roots, sums of bounded terms.

A mixin of :class:`~symbolic.algebra.lemmas.Prover`; every rule reduces a goal
``a <= b`` to smaller goals through ``self.prove_le``.

>>> import sympy as sp
>>> from symbolic.algebra.lemmas import Prover
>>> x, y = sp.symbols("x y", positive=True)
>>> Prover(facts=[(x, y)]).prove_le(sp.sqrt(x), sp.sqrt(y))
['hypothesis x <= y', 'monotonicity of x^p on x >= 0']
"""

from __future__ import annotations

import itertools

import sympy as sp


class OrderRules:
    """Monotonicity of products, powers, roots and sums (needs ``prove_le`` and ``nonneg``)."""

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
        if isinstance(b, sp.Pow) and b.exp == sp.Rational(1, 2) and self.real_nonneg(a):
            r = self.prove_le(a**2, b.base, depth + 1)
            if r is not None:
                return r + ["monotonicity of the square root"]
        return None

    def _squares(self, a, b, depth):
        """``a <= b`` for non-negative sides with square roots in ``a`` (``sqrt(ab) <= (a + b)/2``, AM-GM):
        ``b^2 - a^2``, free of square roots and factored, is non-negative (a square, a product of such)."""
        if depth or not _has_sqrt(a) or not (self.real_nonneg(a) and self.real_nonneg(b)):
            return None
        gap = sp.expand(b ** 2 - a ** 2)
        if _has_sqrt(gap) or not sp.factor(gap).is_nonnegative:
            return None
        return [f"squares of non-negative sides (b^2 - a^2 = {sp.factor(gap)} >= 0)"]

    def _powers(self, a, b, depth):
        if isinstance(a, sp.Pow) and isinstance(b, sp.Pow) and self._eq(a.exp, b.exp):
            if (a.exp.is_nonnegative or a.exp.is_positive) and self.real_nonneg(a.base):
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

    def _grouped_products(self, a, b, depth):
        """``a_1 ... a_m <= B_1 ... B_m`` where each ``B_i`` is a product of some of b's factors, ``0 <= a_i <= B_i``."""
        fa, fb = list(sp.Mul.make_args(a)), list(sp.Mul.make_args(b))
        if not (2 <= len(fa) <= 3 and len(fa) < len(fb) <= 6) or not all(self.nonneg(f) for f in fa):
            return None
        r = self._assign(fa, tuple(range(len(fb))), fb, depth)
        return None if r is None else r + ["products of bounded non-negative factors"]

    def _assign(self, fa: list, left: tuple, fb: list, depth):
        if len(fa) == 1:
            return self.prove_le(fa[0], sp.Mul(*[fb[j] for j in left]), depth + 1)
        for size in range(1, len(left) - len(fa) + 2):
            for group in itertools.combinations(left, size):
                r = self.prove_le(fa[0], sp.Mul(*[fb[j] for j in group]), depth + 1)
                if r is None:
                    continue
                rest = self._assign(fa[1:], tuple(j for j in left if j not in group), fb, depth)
                if rest is not None:
                    return r + rest
        return None


def _has_sqrt(e) -> bool:
    """``e`` holds a square root.

    >>> _has_sqrt(sp.sqrt(sp.Symbol("a")) + 1), _has_sqrt(sp.Symbol("a") ** 2)
    (True, False)
    """
    return any(isinstance(t, sp.Pow) and t.exp == sp.Rational(1, 2) for t in sp.preorder_traversal(e))
