"""The lemmas of the norms family: equality rewrites and inequality bounds, each with its side conditions.

Equalities (:class:`~.registry.Rewrite`, applied by ``prove_equal`` modulo
algebra): ``||cA|| = |c| ||A||``, ``||A^T|| = ||A||`` (for the 1- and
infinity norms: of a vector only), ``||A||_F^2 = tr(A^T A)``.

Inequalities (:class:`~.registry.Bound`, for a goal ``a <= b``): the
orderings of the norms of one vector or matrix (``||x||_inf <= ||x||_2 <=
||x||_1 <= sqrt(n) ||x||_2``, ``||x||_2 <= sqrt(n) ||x||_inf``, ``||A||_2 <=
||A||_F <= ||A||_* <= sqrt(rank A) ||A||_F``, ``||A||_F <= sqrt(rank A)
||A||_2`` with ``rank A <= min(m, n)``), the triangle inequality of every
norm, submultiplicativity, Hölder ``|x^T y| <= ||x||_1 ||y||_inf`` (and
Cauchy-Schwarz for the trace inner product ``|tr(A^T B)| <= ||A||_F ||B||_F``,
``|tr(A^T B)| <= ||A||_2 ||B||_*``), and ``|x^T A y| <= ||x|| ||A|| ||y||``.

>>> import sympy as sp
>>> from symbolic.algebra.lemmas import Prover
>>> from ._norm_nodes import Norm1, NormInf
>>> from ..nodes import Norm
>>> n = sp.Symbol("n", integer=True, positive=True); x = sp.MatrixSymbol("x", n, 1)
>>> Prover().prove_le(Norm1(x), sp.sqrt(n) * Norm(x))
['||x||_1 <= sqrt(n) ||x||_2 (Cauchy-Schwarz)']
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from ..nodes import Dot, Norm
from ._norm_nodes import NORMS, Frobenius, Norm1, NormInf, Nuclear, is_vector, length
from .registry import Bound, Rewrite, apply_rewrites

# -- equalities ---------------------------------------------------------------

def _split(X):
    """``X`` as a scalar coefficient and the matrix it multiplies."""
    if isinstance(X, sp.MatMul):
        coeff = sp.Mul(*[a for a in X.args if not isinstance(a, MatrixExpr)])
        mats = [a for a in X.args if isinstance(a, MatrixExpr)]
        if coeff != 1 and mats:
            return coeff, (mats[0] if len(mats) == 1 else sp.MatMul(*mats))
    return sp.Integer(1), X


def _transpose_free(cls, X) -> bool:
    """``||X^T|| = ||X||`` for this norm (the 1- and infinity norms: for vectors only)."""
    return cls in (Norm, Frobenius, Nuclear) or is_vector(X)


def _trace_form(X):
    """``sqrt(tr(X^T X))`` with the trace's own lemmas applied (expanded, cyclically sorted)."""
    t = sp.Trace(sp.expand(sp.Transpose(X) * X))
    for _ in range(4):
        new, _used = apply_rewrites(t)
        if new == t:
            break
        t = new
    return sp.sqrt(t)


def _normal(e):
    """``e`` (a norm) with its scalar factor out, its transpose off, a Frobenius norm as ``sqrt(tr(X^T X))``."""
    cls, X = type(e), e.args[0]
    if not isinstance(X, MatrixExpr):
        return None
    coeff, X = _split(X)
    while isinstance(X, sp.Transpose) and _transpose_free(cls, X):
        X = X.arg
    if cls is Frobenius:
        return sp.Abs(coeff) * _trace_form(X)
    if cls is Nuclear and is_vector(X):
        return sp.Abs(coeff) * Norm(X)
    return sp.Abs(coeff) * cls(X)


def _scaling(e):
    coeff, _ = _split(e.args[0])
    return _normal(e) if coeff != 1 else None


def _transposed(e):
    X = e.args[0]
    return _normal(e) if isinstance(X, sp.Transpose) and _transpose_free(type(e), X.arg) else None


def _frobenius_trace(e):
    return _normal(e)


def _nuclear_vector(e):
    return _normal(e) if is_vector(e.args[0]) else None


_COMMON = (Rewrite("||cA|| = |c| ||A||", _scaling), Rewrite("||A^T|| = ||A||", _transposed))
REWRITES = {Norm: _COMMON, Norm1: _COMMON, NormInf: _COMMON,
            Frobenius: _COMMON + (Rewrite("||A||_F^2 = tr(A^T A)", _frobenius_trace),),
            Nuclear: _COMMON + (Rewrite("||x||_* = ||x||_2 of a vector", _nuclear_vector),)}

# -- the orderings of the norms of one argument -----------------------------

_VECTOR_EDGES = (  # small, large, factor of the length n, lemma
    (NormInf, Norm, lambda n: 1, "||x||_inf <= ||x||_2"),
    (Norm, Norm1, lambda n: 1, "||x||_2 <= ||x||_1"),
    (Norm1, Norm, sp.sqrt, "||x||_1 <= sqrt(n) ||x||_2 (Cauchy-Schwarz)"),
    (Norm, NormInf, sp.sqrt, "||x||_2 <= sqrt(n) ||x||_inf"),
    (Norm1, NormInf, lambda n: n, "||x||_1 <= n ||x||_inf"),
)
_MATRIX_EDGES = (  # small, large, factor of the rank r <= min(m, n), lemma
    (Norm, Frobenius, lambda r: 1, "||A||_2 <= ||A||_F"),
    (Frobenius, Nuclear, lambda r: 1, "||A||_F <= ||A||_*"),
    (Frobenius, Norm, sp.sqrt, "||A||_F <= sqrt(rank A) ||A||_2, rank A <= min(m, n)"),
    (Nuclear, Frobenius, sp.sqrt, "||A||_* <= sqrt(rank A) ||A||_F, rank A <= min(m, n)"),
    (Nuclear, Norm, lambda r: r, "||A||_* <= rank(A) ||A||_2, rank A <= min(m, n)"),
)


def _paths(edges, small, large, size, depth: int = 3):
    """Every chain of lemmas ``small <= factor * large`` (at most ``depth`` lemmas): ``(factor, names)``."""
    out, frontier = [], [(small, sp.Integer(1), [])]
    for _ in range(depth):
        nxt = []
        for cls, factor, names in frontier:
            for lo, hi, f, name in edges:
                if lo is cls and hi is not small and name not in names:
                    step = (hi, factor * f(size), names + [name])
                    if hi is large:
                        out.append(step[1:])
                    else:
                        nxt.append(step)
        frontier = nxt
    return sorted(out, key=lambda p: len(p[1]))


def _one_norm(e):
    """``e`` as ``c * N(X)`` with one norm ``N`` of a matrix expression, or ``None``."""
    factors = sp.Mul.make_args(e)
    norms = [f for f in factors if type(f) in NORMS and isinstance(f.args[0], MatrixExpr)]
    if len(norms) != 1:
        return None
    rest = sp.Mul(*[f for f in factors if f is not norms[0]])
    if rest.has(*NORMS):
        return None
    return rest, norms[0]


def _ordering(prover, a, b, depth):
    left, right = _one_norm(a), _one_norm(b)
    if left is None or right is None:
        return None
    (ca, na), (cb, nb) = left, right
    X = na.args[0]
    if nb.args[0] != X or type(na) is type(nb):
        return None
    if is_vector(X):
        edges, sizes = _VECTOR_EDGES, [length(X)]
    else:
        edges, (m, n) = _MATRIX_EDGES, X.shape
        sizes = [m] if sp.simplify(m - n) == 0 else [sp.Min(m, n), m, n]
    for size in sizes:
        for factor, names in _paths(edges, type(na), type(nb), size):
            r = prover.prove_le(ca * factor, cb, depth + 1)
            if r is not None:
                return names + r
    return None


# -- triangle, scaling, submultiplicativity ------------------------------------

def _triangle(prover, a, b, depth):
    """``||sum_i c_i X_i|| <= sum_i |c_i| ||X_i||`` and ``||cX|| = |c| ||X||`` on the left."""
    cls = type(a)
    if cls not in NORMS or cls is Norm or not isinstance(a.args[0], MatrixExpr):
        return None  # the 2-norm's triangle is symbolic.algebra.lemmas.norms
    X = a.args[0]
    if isinstance(X, sp.MatAdd):
        parts = sp.Add(*[sp.Abs(c) * cls(m) for c, m in map(_split, X.args)])
        r = prover.prove_le(parts, b, depth + 1)
        return None if r is None else ["triangle inequality"] + r
    coeff, inner = _split(X)
    if coeff != 1:
        r = prover.prove_le(sp.Abs(coeff) * cls(inner), b, depth + 1)
        return None if r is None else ["||cA|| = |c| ||A||"] + r
    return None


_SUBMULT = {Frobenius: "||AB||_F <= ||A||_F ||B||_F", Nuclear: "||AB||_* <= ||A||_* ||B||_*",
            Norm1: "||AB||_1 <= ||A||_1 ||B||_1 (induced)", NormInf: "||AB||_inf <= ||A||_inf ||B||_inf (induced)"}


def _submultiplicative(prover, a, b, depth):
    cls = type(a)
    if cls not in _SUBMULT or not isinstance(a.args[0], sp.MatMul):
        return None
    coeff, X = _split(a.args[0])
    mats = [m for m in sp.MatMul.make_args(X) if isinstance(m, MatrixExpr)]
    if len(mats) < 2 or (cls in (Norm1, NormInf) and any(is_vector(m) for m in mats[:-1])):
        return None
    c = sp.Abs(coeff)
    tries = [(c * sp.Mul(*[cls(m) for m in mats]), _SUBMULT[cls])]
    if cls is Frobenius and len(mats) == 2:
        (p, q) = mats
        tries += [(c * Norm(p) * Frobenius(q), "||AB||_F <= ||A||_2 ||B||_F"),
                  (c * Frobenius(p) * Norm(q), "||AB||_F <= ||A||_F ||B||_2")]
    for bound, name in tries:
        r = prover.prove_le(bound, b, depth + 1)
        if r is not None:
            return [name] + r
    return None


# -- Hölder, Cauchy-Schwarz -------------------------------------------------------

_DUAL_VECTOR = ((Norm1, NormInf, "Hölder |x^T y| <= ||x||_1 ||y||_inf"),
                (NormInf, Norm1, "Hölder |x^T y| <= ||x||_inf ||y||_1"),
                (Norm, Norm, "Cauchy-Schwarz |x^T y| <= ||x||_2 ||y||_2"))
_DUAL_MATRIX = ((Frobenius, Frobenius, "Cauchy-Schwarz |tr(A^T B)| <= ||A||_F ||B||_F"),
                (Norm, Nuclear, "Hölder |tr(A^T B)| <= ||A||_2 ||B||_*"),
                (Nuclear, Norm, "Hölder |tr(A^T B)| <= ||A||_* ||B||_2"))


def _pairing(a):
    """``a`` (or ``|a|``) as an inner product ``<P, Q>``: ``x^T y``, ``x^T A y``, ``tr(P^T Q)``."""
    inner = a.args[0] if isinstance(a, sp.Abs) else a
    if isinstance(inner, Dot) and isinstance(inner.args[0], sp.MatMul):
        coeff, X = _split(inner.args[0])
        mats = list(sp.MatMul.make_args(X))
        if len(mats) == 2 and isinstance(mats[0], sp.Transpose):
            return "vector", coeff, mats[0].arg, mats[1]
        if len(mats) == 3 and isinstance(mats[0], sp.Transpose):
            return "bilinear", coeff, mats[0].arg, mats[1:]
    if isinstance(inner, sp.Trace) and isinstance(inner.arg, sp.MatMul):
        coeff, X = _split(inner.arg)
        mats = list(sp.MatMul.make_args(X))
        if len(mats) == 2:  # tr(PQ) = <P^T, Q>
            return "matrix", coeff, sp.Transpose(mats[0]).doit(), mats[1]
    return None


def _duality(prover, a, b, depth):
    found = _pairing(a)
    if found is None:
        return None
    kind, coeff, P, Q = found
    c = sp.Abs(coeff)
    first = [] if isinstance(a, sp.Abs) else ["<P, Q> <= |<P, Q>|"]
    if kind == "bilinear":
        A, y = Q
        bound = c * Norm(P) * Norm(A) * Norm(y)
        r = prover.prove_le(bound, b, depth + 1)
        return None if r is None else first + ["Cauchy-Schwarz and ||Ay|| <= ||A|| ||y||"] + r
    classes = {type(f) for f in sp.preorder_traversal(b) if type(f) in NORMS}
    for lp, lq, name in (_DUAL_VECTOR if kind == "vector" else _DUAL_MATRIX):
        if lp not in classes and lq not in classes:
            continue
        for p, q in ((P, Q), (Q, P)):
            r = prover.prove_le(c * lp(p) * lq(q), b, depth + 1)
            if r is not None:
                return first + [name] + r
    return None


_LEFT = (Bound("orderings of norms", _ordering), Bound("triangle inequality", _triangle),
         Bound("submultiplicativity", _submultiplicative), Bound("Hölder and Cauchy-Schwarz", _duality))
BOUNDS = {cls: _LEFT for cls in NORMS}
