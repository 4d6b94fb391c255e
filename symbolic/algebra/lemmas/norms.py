"""Norm lemmas of the prover: submultiplicativity, ``||A|| = sqrt(lambda_1(A^T A))``,
``||diag(a)|| = max |a_i|``, the triangle and Cauchy-Schwarz inequalities.

A mixin of :class:`~symbolic.algebra.lemmas.Prover`.

>>> import sympy as sp
>>> from symbolic.algebra.lemmas import Prover
>>> from symbolic.algebra.nodes import Norm
>>> n = sp.Symbol("n", integer=True, positive=True)
>>> A, B = sp.MatrixSymbol("A", n, n), sp.MatrixSymbol("B", n, n)
>>> Prover().prove_le(Norm(A + B), Norm(A) + Norm(B))
['triangle inequality']
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from ..nodes import Apply, DiagOf, Dot, LambdaMax, MatProd, Norm


class NormRules:
    """Lemmas about norms and inner products (needs ``prove_le``, ``facts``, ``bounds``)."""

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
