"""A normal form for matrix expressions of symbolic size.

sympy leaves many true matrix identities unsimplified (``g.T*H*g`` versus
``g.T*H.T*g`` for symmetric ``H``, ``(u*u.T)*u`` versus ``u*(u.T*u)``).  Here a
matrix expression is expanded into a sum of ``coefficient * word``, where a
word is a product of atomic factors; transposes are pushed to the atoms,
inverse pairs cancel, every 1x1 sub-word is pulled out as a scalar
:class:`Dot`, and a scalar word is stored in the orientation that sorts
first.  Two expressions whose normal forms agree are equal for every size:
each rewrite is an identity of matrix algebra valid for all dimensions.

>>> import sympy as sp
>>> n = sp.Symbol("n", integer=True, positive=True)
>>> u = sp.MatrixSymbol("u", n, 1)
>>> is_zero_matrix_form(normal_terms(u*u.T*u - Dot(u.T*u)*u))
True
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from .nodes import DiagOf, Dot, Norm, LambdaMax
from .ops import lookup

Term = tuple[sp.Expr, tuple]  # (coefficient, word of atomic factors)


class Context:
    """Facts the normal form and the lemmas may use: which matrices are symmetric, which orthogonal
    (``Q^T Q = Q Q^T = I``), which vectors have unit norm (``u^T u = 1``), which matrices are positive
    semidefinite, positive definite, invertible."""

    def __init__(self, symmetric: Iterable[sp.Basic] = (), orthogonal: Iterable[sp.Basic] = (),
                 unit: Iterable[sp.Basic] = (), psd: Iterable[sp.Basic] = (), *,
                 positive_definite: Iterable[sp.Basic] = (), invertible: Iterable[sp.Basic] = ()) -> None:
        self.symmetric = frozenset(symmetric)
        self.psd = frozenset(psd)
        self.orthogonal = frozenset(orthogonal)
        self.unit = frozenset(unit)
        self.positive_definite = frozenset(positive_definite)
        self.invertible = frozenset(invertible)


_EMPTY = Context()


def _is_one(x) -> bool:
    return sp.sympify(x) == 1


def _transpose_atom(a, ctx: Context):
    if isinstance(a, sp.Transpose):
        return a.arg
    if a in ctx.symmetric or isinstance(a, (sp.Identity, DiagOf)):
        return a
    if isinstance(a, sp.Inverse):
        inner = _transpose_atom(a.arg, ctx)
        return sp.Inverse(inner) if not isinstance(inner, sp.Identity) else inner
    return sp.Transpose(a)


def _transpose_word(word: tuple, ctx: Context) -> tuple:
    return tuple(_transpose_atom(a, ctx) for a in reversed(word))


def _atom(a, ctx: Context):
    """Canonicalize the inside of an atomic factor: by its operator's ``canon`` rule, else kept as it is."""
    op = lookup(a)
    if op is not None and op.canon is not None:
        return op.canon(a, lambda X: rebuild(normal_terms(X, ctx), X.shape))
    return a


def normal_terms(expr, ctx: Context = _EMPTY) -> list[Term]:
    """Expand a matrix expression into ``[(coefficient, word), ...]``."""
    raw = _terms(expr, ctx)
    return _collect(_clean(t, ctx) for t in raw)


def _terms(expr, ctx: Context) -> list[Term]:
    if isinstance(expr, sp.MatAdd):
        out: list[Term] = []
        for a in expr.args:
            out.extend(_terms(a, ctx))
        return out
    if isinstance(expr, sp.MatMul):
        acc: list[Term] = [(sp.Integer(1), ())]
        for a in expr.args:
            if isinstance(a, MatrixExpr):
                right = _terms(a, ctx)
            else:
                right = [(normal_scalar(a, ctx), ())]
            acc = [(c1 * c2, w1 + w2) for c1, w1 in acc for c2, w2 in right]
        return acc
    if isinstance(expr, sp.Transpose):
        return [(c, _transpose_word(w, ctx)) for c, w in _terms(expr.arg, ctx)]
    if isinstance(expr, sp.ZeroMatrix):
        return []
    if isinstance(expr, sp.Identity):
        return [(sp.Integer(1), ())]
    if isinstance(expr, sp.MatPow) and expr.exp.is_Integer and expr.exp > 0:
        base = _terms(expr.base, ctx)
        acc = [(sp.Integer(1), ())]
        for _ in range(int(expr.exp)):
            acc = [(c1 * c2, w1 + w2) for c1, w1 in acc for c2, w2 in base]
        return acc
    if isinstance(expr, sp.Inverse):
        inner = expr.arg
        if isinstance(inner, sp.Inverse):
            return _terms(inner.arg, ctx)
        if isinstance(inner, sp.MatMul):
            mats = [a for a in inner.args if isinstance(a, MatrixExpr)]
            coef = sp.Mul(*[a for a in inner.args if not isinstance(a, MatrixExpr)])
            word: list = []
            for m in reversed(mats):
                word.extend(w for w in _terms(sp.Inverse(m), ctx)[0][1])
            return [(1 / normal_scalar(coef, ctx), tuple(word))]
        if isinstance(inner, sp.Transpose):
            return [(sp.Integer(1), (_transpose_atom(sp.Inverse(inner.arg), ctx),))]
        inner_c = rebuild(normal_terms(inner, ctx), inner.shape)
        return [(sp.Integer(1), (sp.Inverse(inner_c),))]
    if isinstance(expr, MatrixExpr):
        if expr.shape == (1, 1) and not isinstance(expr, sp.MatrixSymbol):
            pass
        return [(sp.Integer(1), (_atom(expr, ctx),))]
    # a scalar used where a matrix is expected (1x1)
    return [(normal_scalar(expr, ctx), ())]


def _cancel_inverses(word: tuple, ctx: Context = _EMPTY) -> tuple:
    out: list = []
    for a in word:
        if out:
            b = out[-1]
            if (isinstance(a, sp.Inverse) and a.arg == b) or (isinstance(b, sp.Inverse) and b.arg == a):
                out.pop()
                continue
            if ctx.orthogonal and ((isinstance(a, sp.Transpose) and a.arg == b and b in ctx.orthogonal)
                                   or (isinstance(b, sp.Transpose) and b.arg == a and a in ctx.orthogonal)):
                out.pop()  # Q^T Q = Q Q^T = I for a declared orthogonal Q
                continue
            if isinstance(a, sp.Identity):
                continue
        elif isinstance(a, sp.Identity):
            continue
        out.append(a)
    return tuple(out)


def _rows(a):
    return a.shape[0]


def _cols(a):
    return a.shape[1]


def _word_key(word: tuple) -> str:
    return " ".join(sp.srepr(a) for a in word)


def _scalar_word(word: tuple, ctx: Context) -> sp.Expr:
    """A scalar Dot for a 1x1 word, in the orientation that sorts first."""
    if len(word) == 2 and isinstance(word[0], sp.Transpose) and word[0].arg == word[1] and word[1] in ctx.unit:
        return sp.Integer(1)  # u^T u = 1 for a declared unit vector
    tw = _transpose_word(word, ctx)
    best = min(word, tw, key=_word_key)
    return Dot(sp.MatMul(*best)) if len(best) > 1 else Dot(best[0])


def _clean(term: Term, ctx: Context) -> Term:
    coef, word = term
    word = _cancel_inverses(word, ctx)
    changed = True
    while changed and len(word) > 1:
        changed = False
        for length in range(2, len(word) + 1):
            for i in range(0, len(word) - length + 1):
                sub = word[i : i + length]
                if length == len(word):
                    break
                if _is_one(_rows(sub[0])) and _is_one(_cols(sub[-1])):
                    coef = coef * _scalar_word(sub, ctx)
                    word = word[:i] + word[i + length :]
                    changed = True
                    break
            if changed:
                break
    if len(word) > 1 and _is_one(_rows(word[0])) and _is_one(_cols(word[-1])):
        coef = coef * _scalar_word(word, ctx)
        word = ()
    elif len(word) == 1 and word[0].shape == (1, 1):
        coef = coef * Dot(word[0])
        word = ()
    return (coef, word)


def _collect(terms: Iterable[Term]) -> list[Term]:
    acc: dict[str, list] = {}
    for coef, word in terms:
        key = _word_key(word)
        if key in acc:
            acc[key][0] += coef
        else:
            acc[key] = [coef, word]
    return [(c, w) for c, w in acc.values()]


def rebuild(terms: list[Term], shape) -> sp.Basic:
    """Turn normal terms back into a sympy matrix expression of ``shape``."""
    if not terms:
        return sp.ZeroMatrix(*shape)
    parts = []
    for coef, word in terms:
        if not word:
            mat = sp.Identity(shape[0]) if shape != (1, 1) else sp.Identity(1)
        else:
            mat = sp.MatMul(*word) if len(word) > 1 else word[0]
        parts.append(mat if coef == 1 else sp.MatMul(coef, mat))
    return sp.MatAdd(*parts) if len(parts) > 1 else parts[0]


def is_zero_matrix_form(terms: list[Term], simplify=None) -> bool:
    """True when every coefficient simplifies to zero (``simplify`` given)."""
    simplify = simplify or (lambda e: sp.expand(e))
    return all(simplify(c) == 0 for c, _ in terms)


def normal_scalar(expr, ctx: Context = _EMPTY):
    """Rewrite the matrix parts inside a scalar expression into normal form.

    Norms of vectors become ``sqrt(Dot(v.T*v))``; a ``Dot`` of a sum becomes a
    sum of ``Dot`` of words.
    """
    expr = sp.sympify(expr)
    if isinstance(expr, MatrixExpr):
        if expr.shape != (1, 1):
            raise TypeError("a matrix of shape %s used as a scalar" % (expr.shape,))
        return _dot_of(expr, ctx)
    if isinstance(expr, Dot):
        return _dot_of(expr.args[0], ctx)
    if isinstance(expr, Norm):
        X = expr.args[0]
        if isinstance(X, MatrixExpr) and _is_one(X.shape[1]):
            return sp.sqrt(_dot_of(sp.Transpose(X) * X, ctx))
        if isinstance(X, MatrixExpr) and _is_one(X.shape[0]):
            return sp.sqrt(_dot_of(X * sp.Transpose(X), ctx))
        if isinstance(X, MatrixExpr):
            return Norm(rebuild(normal_terms(X, ctx), X.shape))
        return sp.Abs(normal_scalar(X, ctx))
    if isinstance(expr, LambdaMax):
        X = expr.args[0]
        terms = normal_terms(X, ctx)
        if len(terms) == 1 and len(terms[0][1]) == 2:  # A^T A and A A^T have the same largest eigenvalue
            c, (p, q) = terms[0]
            if _transpose_atom(p, ctx) == q and (c.is_nonnegative or c.is_positive):
                best = min([(p, q), (q, p)], key=_word_key)
                return LambdaMax(c * sp.MatMul(*best))
        return LambdaMax(rebuild(terms, X.shape))
    if not expr.args or isinstance(expr, (sp.Symbol, sp.Number)):
        return expr
    if isinstance(expr, (sp.Sum, sp.Product)):
        return expr.func(normal_scalar(expr.args[0], ctx), *expr.args[1:])
    # a matrix argument of a scalar function (the vector in Entry(x, i), SumEntries(X)) is kept as it is
    args = [a if isinstance(a, sp.Tuple) or isinstance(a, MatrixExpr) and a.shape != (1, 1)
            else normal_scalar(a, ctx) for a in expr.args]
    try:
        return expr.func(*args)
    except TypeError:
        return expr


def _dot_of(X, ctx: Context):
    terms = normal_terms(X, ctx)
    total = sp.Integer(0)
    for coef, word in terms:
        if word:
            total += coef * _scalar_word(word, ctx)
        else:
            total += coef
    return total


def matrix_difference_terms(lhs, rhs, ctx: Context = _EMPTY) -> list[Term]:
    """Normal terms of ``lhs - rhs`` grouped by word, coefficients unsimplified."""
    return normal_terms(sp.MatAdd(lhs, sp.MatMul(-1, rhs)), ctx)


def words_and_coefficients(terms: list[Term]) -> dict[str, sp.Expr]:
    out: dict[str, sp.Expr] = defaultdict(lambda: sp.Integer(0))
    for c, w in terms:
        out[_word_key(w)] += c
    return dict(out)
