"""Normalisation before lemma matching: monotone maps of both sides, positive scalings, Gram forms.

The norm lemmas match the *smaller* side structurally: ``|x^T y|``
(Cauchy-Schwarz), ``||A B||`` (submultiplicativity), ``||A + B||`` and ``|a +
b|`` (triangle), ``||diag(f(x))||``, ``||prod_t A_t||``, a hypothesis' left
side; a product is compared factor by factor.  The larger side is reached by
recursion.  So a goal whose smaller side is wrapped in a monotone map (a
power, a root, a positive scaling, ``exp``, ``log``), or written ``v^T v``
instead of ``||v||^2``, or signed instead of absolute, never reaches a lemma.

Each rule here peels one such wrapper off a goal ``a <= b`` and leaves a goal
that *implies* it, never the converse; every side condition (non-negativity,
positivity, ``c^k = b``) is proved by the engine's sign reasoning and its
equality ladder, never assumed.

* ``p^k <= b``: write ``b = c^k`` with ``c >= 0`` (both proved); then for an even
  integer ``k`` it suffices that ``|p| <= c``, for an odd integer ``k`` that
  ``p <= c``, for any other ``k > 0`` that ``0 <= p <= c``.
* ``v^T M^T M v``-style Gram scalars become ``||M v||^2`` (checked equal).
* ``a <= b`` follows from ``|a| <= b``.
* ``c a <= b`` with a constant ``c``: ``a <= b / c`` if ``c > 0``, ``b / c <= a`` if ``c < 0``.
* ``exp(p) <= exp(q)`` from ``p <= q``; ``log(p) <= log(q)`` from ``0 < p <= q``.

>>> import sympy as sp
>>> from symbolic.algebra.lemmas import Prover
>>> from symbolic.algebra.nodes import Dot
>>> n = sp.Symbol("n", integer=True, positive=True)
>>> u, v = sp.MatrixSymbol("u", n, 1), sp.MatrixSymbol("v", n, 1)
>>> Prover().prove_le(Dot(u.T*v)**2, Dot(u.T*u)*Dot(v.T*v))
['Cauchy-Schwarz |x^T y| <= ||x|| ||y||', 'squared (both sides non-negative)']
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from ..nodes import Dot, Norm
from ..prove import _is_gram


def _power_name(k) -> str:
    if k == 2:
        return "squared (both sides non-negative)"
    if k == sp.Rational(1, 2):
        return "square root of both sides (both non-negative)"
    return f"x -> x^{k} on both sides (both non-negative)"


class MonotoneRules:
    """Rules that reduce a goal to one a lemma can match (needs ``prove_le``, ``nonneg``, ``_eq``, ``_sign``)."""

    # -- side conditions -------------------------------------------------
    def real_nonneg(self, x) -> bool:
        """``x >= 0`` and real: non-negative by sign reasoning, and every fractional power has a non-negative base.

        >>> import sympy as sp
        >>> from symbolic.algebra.lemmas import Prover
        >>> x = sp.Symbol("x", real=True)
        >>> Prover().real_nonneg(sp.sqrt(x**2 + 1)), Prover().real_nonneg(sp.sqrt(x))
        (True, False)
        """
        x = sp.sympify(x)
        if not self.nonneg(x):
            return False
        for p in sp.preorder_traversal(x):
            if isinstance(p, sp.Pow) and not (p.exp.is_integer or self.nonneg(p.base) or self._sign(p.base, strict=False)):
                return False
        return True

    def positive(self, x) -> bool:
        """``x > 0`` proved by sign reasoning (declared signs and intervals, norms, squares).

        >>> import sympy as sp
        >>> from symbolic.algebra.lemmas import Prover
        >>> x = sp.Symbol("x", real=True)
        >>> Prover().positive(1 + x**2), Prover().positive(x**2)
        (True, False)
        """
        x = sp.sympify(x)
        return self._sign(x, strict=True) and self.real_nonneg(x)

    # -- the rules -------------------------------------------------------
    def _root(self, b, k):
        """``c >= 0`` with ``c^k = b`` (both proved), or ``None``."""
        if not self.real_nonneg(b):
            return None
        factors = []
        for f in sp.Mul.make_args(b):
            base, e = f.as_base_exp()
            m = e / k
            if self.real_nonneg(base):
                factors.append(base**m)
            elif e.is_even and m.is_integer:
                factors.append(sp.Abs(base)**m)  # base^e = |base|^e for an even e
            else:
                factors = [b**(1 / sp.sympify(k))]
                break
        for c in dict.fromkeys((sp.Mul(*factors), b**(1 / sp.sympify(k)))):
            if self.real_nonneg(c) and self._eq(c**k, b):
                return c
        return None

    def _both_powers(self, a, b, depth):
        """``p^k <= c^k`` from ``|p| <= c`` (even k), ``p <= c`` (odd k) or ``0 <= p <= c`` (k > 0), ``c >= 0``."""
        if not isinstance(a, sp.Pow) or not a.exp.is_number or not a.exp.is_positive or a.exp == 1:
            return None
        p, k = a.base, a.exp
        if k.is_even:
            lower = sp.Abs(p)
        elif k.is_odd or self.real_nonneg(p):
            lower = p
        else:
            return None
        c = self._root(b, k)
        if c is None:
            return None
        r = self.prove_le(lower, c, depth + 1)
        if r is None:
            return None
        return r + [_power_name(k)]

    def _gram_as_norm(self, a, b, depth):
        """``coef * (v^T M^T M v)`` is ``coef * ||M v||^2`` (checked equal)."""
        if not isinstance(a, Dot) or not _is_gram(a.args[0]):
            return None
        X = a.args[0]
        mats = [x for x in X.args if isinstance(x, MatrixExpr)]
        coef = sp.Mul(*[x for x in X.args if not isinstance(x, MatrixExpr)])
        right = sp.MatMul(*mats[len(mats) // 2:]).doit() if len(mats) > 2 else mats[-1]
        if right.shape[1] != 1:
            return None
        new = coef * Norm(right)**2
        if not self._eq(new, a):
            return None
        r = self.prove_le(new, b, depth + 1)
        if r is None:
            return None
        return ["||v||^2 = v^T v"] + r

    def _abs_lower(self, a, b, depth):
        """``a <= |a| <= b``, for a signed real ``a``."""
        if a.is_number or isinstance(a, sp.Abs) or not a.is_real or self.nonneg(a):
            return None
        if not (a.has(Dot) or isinstance(a, sp.Add)):
            return None
        A = sp.Abs(a)
        if not isinstance(A, sp.Abs):
            return None
        r = self.prove_le(A, b, depth + 1)
        if r is None:
            return None
        return ["x <= |x|"] + r

    def _constant_scale(self, a, b, depth):
        """``c a' <= b`` for a numeric ``c``: ``a' <= b/c`` if ``c > 0``; ``b/c <= a'`` if ``c < 0``."""
        c, rest = a.as_coeff_Mul()
        if not c.is_Number or c in (1, 0) or rest == 1:
            return None
        if c.is_positive:
            r = self.prove_le(rest, b / c, depth + 1)
            return None if r is None else r + [f"division by the positive factor {c}"]
        if not c.is_negative:
            return None
        r = self.prove_le(b / c, rest, depth + 1)
        return None if r is None else r + [f"multiplication by the negative factor {c} (reverses the order)"]

    def _positive_scale(self, a, b, depth):
        """``f a' <= b`` with ``f > 0`` proved: ``a' <= b / f``."""
        fs = sp.Mul.make_args(a)
        if len(fs) < 2:
            return None
        for f in fs:
            if f.is_Number or f.is_positive:  # numbers: _constant_scale; sympy-positive: _positive_factor
                continue
            if self.positive(f):
                r = self.prove_le(sp.Mul(*[g for g in fs if g is not f]), sp.simplify(b / f), depth + 1)
                if r is not None:
                    return r + [f"division by the positive factor {f}"]
        return None

    def _monotone_function(self, a, b, depth):
        """``exp(p) <= exp(q)`` from ``p <= q``; ``log(p) <= log(q)`` from ``0 < p <= q``."""
        if isinstance(a, sp.exp) and isinstance(b, sp.exp):
            r = self.prove_le(a.args[0], b.args[0], depth + 1)
            return None if r is None else r + ["monotonicity of exp"]
        if isinstance(a, sp.log) and isinstance(b, sp.log) and self.positive(a.args[0]):
            r = self.prove_le(a.args[0], b.args[0], depth + 1)
            return None if r is None else r + ["monotonicity of log (positive arguments)"]
        return None

    def _normalisations(self):
        return (self._constant_scale, self._positive_scale, self._gram_as_norm, self._both_powers,
                self._monotone_function, self._abs_lower)
