"""Exact reduction of expectations: linearity, declared moments and laws, independence (never a sample).

>>> import sympy as sp
>>> from symbolic.algebra.rewrite import Moments
>>> z = sp.Symbol("z", real=True)
>>> reduce_expectations(Expect(3 * z + 1), Moments([z], {z: sp.Integer(2)}))
7
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.matrices.expressions.matexpr import MatrixExpr

from .nodes import Dot, Expect, MatExpect, SeqTerm
from .random_nodes import Cov, Var

__all__ = ["reduce_expectations"]


def reduce_expectations(expr, m):
    """Push expectations through sums, constant factors and sums over indices; apply the declared laws.

    Exact only: linearity, ``E[x] = mu``, ``E[x x^T]`` (the second moment), ``E[x^T A x] = tr(A E[x x^T])``
    (the trace of a rotated product), products of independent quantities, raw moments of scalars, the
    Gaussian moment generating function and Isserlis' fourth moment of a centred Gaussian vector.
    ``Var(X)`` is ``E[X^2] - E[X]^2`` and ``Cov(x)`` is ``E[x x^T] - E[x] E[x]^T``.  What none of these
    reduces stays an ``Expect`` / ``MatExpect`` node (never evaluated on a sample).

    >>> import sympy as sp
    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> x, mu = sp.MatrixSymbol("x", n, 1), sp.MatrixSymbol("mu", n, 1)
    >>> from symbolic.algebra.rewrite import Moments
    >>> from symbolic.algebra.rewrite import Moments
    >>> reduce_expectations(MatExpect(2 * x), Moments([x], {x: mu}))
    2*mu
    """
    def rec(e):
        if isinstance(e, Var):
            X = rec(e.args[0])
            X = Dot(X) if isinstance(X, MatrixExpr) else X
            return _expect_scalar(X ** 2, m) - _expect_scalar(X, m) ** 2
        if isinstance(e, Cov):
            X = rec(e.args[0])
            mean = _expect_matrix(X, m)
            return _expect_matrix(X * X.T, m) - mean * mean.T
        if isinstance(e, Expect) and isinstance(e.args[0], MatrixExpr):
            return _expect_matrix(rec(e.args[0]), m)
        if isinstance(e, Expect):
            return _expect_scalar(rec(e.args[0]), m)
        if isinstance(e, MatExpect):
            return _expect_matrix(rec(e.args[0]), m)
        if not getattr(e, "args", None) or isinstance(e, (sp.Symbol, sp.MatrixSymbol)):
            return e
        args = [rec(a) for a in e.args]
        if all(a is b for a, b in zip(args, e.args)):
            return e
        return e.func(*args)

    return rec(expr)


def _unreduced(e) -> bool:
    return e is None or e.has(Expect, MatExpect)


def _as_dots(e):
    """``||v||^2 -> v^T v`` and ``Dot(a)^k -> Dot(a a^T a ...)`` (a 1 x 1 product): words the matrix rules read."""
    from .nodes import Norm

    e = e.replace(lambda x: isinstance(x, sp.Pow) and isinstance(x.base, Norm) and x.exp.is_Integer
                  and x.exp > 0 and x.exp % 2 == 0 and isinstance(x.base.args[0], MatrixExpr)
                  and x.base.args[0].shape[1] == 1,
                  lambda x: Dot(x.base.args[0].T * x.base.args[0]) ** (x.exp // 2))
    return e.replace(lambda x: isinstance(x, sp.Pow) and isinstance(x.base, Dot) and x.exp.is_Integer
                     and 2 <= x.exp <= 4,
                     lambda x: Dot(_mul([x.base.args[0] if k % 2 == 0 else x.base.args[0].T
                                         for k in range(int(x.exp))])))


def _mul(factors):
    """The flattened matrix product of ``factors``."""
    out = factors[0]
    for f in factors[1:]:
        out = out * f
    return out


def _expect_scalar(e, m):
    if not m.is_random(e):
        return e
    e = _as_dots(e)
    e = sp.expand(e) if not isinstance(e, Dot) else e
    if isinstance(e, sp.Add):
        return sp.Add(*[_expect_scalar(a, m) for a in e.args])
    if isinstance(e, sp.Mul):
        const = [a for a in e.args if not m.is_random(a)]
        rand = [a for a in e.args if m.is_random(a)]
        if const:
            return sp.Mul(*const) * _expect_scalar(sp.Mul(*rand), m)
        if len(rand) == 1:
            return _expect_scalar(rand[0], m)
        out = _expect_product(rand, m)
        if out is not None:
            return out
    if isinstance(e, sp.Sum):
        return sp.Sum(_expect_scalar(e.args[0], m), *e.args[1:])
    if isinstance(e, AppliedUndef) and e.func.__name__ in m.mean_terms:
        return m.mean_terms[e.func.__name__](e.args[0])
    if isinstance(e, AppliedUndef) and e.func.__name__ in m.means:
        return m.means[e.func.__name__]
    if e in m.means:
        return m.means[e]
    law = _scalar_law(e, m)
    if law is not None:
        return law
    if isinstance(e, Dot):
        return _expect_dot(e, m)
    return Expect(e)


def _expect_product(rand: list, m):
    """``E[prod]`` of random factors: split into independent groups, else one merged 1 x 1 product."""
    groups: list[list] = []
    for f in rand:
        atoms = m.atoms(f)
        hit = [g for g in groups if m.atoms(sp.Mul(*g)) & atoms]
        merged = [f] + [x for g in hit for x in g]
        groups = [g for g in groups if g not in hit] + [merged]
    if len(groups) > 1 and m.separable([sp.Mul(*g) for g in groups]):
        parts = [_expect_scalar(sp.Mul(*g), m) for g in groups]
        return sp.Mul(*parts)
    if all(isinstance(f, Dot) for f in rand):
        return _expect_dot(Dot(_mul([f.args[0] for f in rand])), m)
    return None


def _scalar_law(e, m):
    """Raw moments ``E[z^k]`` and ``E[exp(a + c z)]`` of a scalar with a declared law."""
    base, k = (e.base, e.exp) if isinstance(e, sp.Pow) else (e, sp.Integer(1))
    law = m.dists.get(base)
    if law is not None and law.is_scalar and k.is_Integer and k > 0:
        out = law.raw_moment(int(k))
        return Expect(e) if out is None else out
    if isinstance(e, sp.exp):
        arg = sp.expand(e.args[0])
        zs = [z for z in m.atoms(arg) if z in m.dists and m.dists[z].is_scalar]
        if len(zs) == 1 and m.atoms(arg) == {zs[0]}:
            z = zs[0]
            c = sp.diff(arg, z)
            if not c.has(z) and not m.is_random(c):
                out = m.dists[z].exp_moment(c)
                if out is not None:
                    return sp.exp(sp.expand(arg - c * z)) * out
    atoms = m.atoms(e)
    if len(atoms) == 1:
        (b,) = atoms
        law = m.dists.get(b)
        if law is not None and law.kind == "bernoulli" and law.is_scalar:  # a two-point law: any function
            hi = 1 / law.p if law.scaled else sp.Integer(1)
            return (1 - law.p) * e.xreplace({b: sp.Integer(0)}) + law.p * e.xreplace({b: hi})
    return _finite_sum(e, atoms, m)


_MAX_POINTS = 64  # a finite sum over more joint values than this is not written out


def _finite_sum(e, atoms, m):
    """``E[f(x, y, ...)]`` of independent scalars of finite laws with a ``"points"`` one among them:
    the exact finite sum over their joint values, else ``None``."""
    laws = [m.dists.get(b) for b in sorted(atoms, key=str)]
    if not atoms or any(law is None or not law.finite_support() for law in laws):
        return None
    if not any(law.kind == "points" for law in laws) or not m.separable(sorted(atoms, key=str)):
        return None
    terms = [(sp.Integer(1), {})]
    for b, law in zip(sorted(atoms, key=str), laws):
        terms = [(q * r, {**vals, b: v}) for q, vals in terms for r, v in law.finite_support()]
        if len(terms) > _MAX_POINTS:
            return None
    return sp.Add(*[q * e.xreplace(vals) for q, vals in terms])


def _expect_dot(e, m):
    """``E[u^T M v]``: the reduced 1 x 1 product, else ``tr(E[rotated word])`` (trace cyclicity)."""
    inner = e.args[0]
    out = _expect_matrix(inner, m)
    if not _unreduced(out):
        return Dot(out)
    if isinstance(inner, (sp.MatMul, sp.MatPow)):
        args = inner.args if isinstance(inner, sp.MatMul) else (inner,)
        coeff = sp.Mul(*[a for a in args if not a.is_Matrix])
        word = _flatten([a for a in args if a.is_Matrix])
        for k in range(1, len(word)):
            rot = _expect_word([], word[k:] + word[:k], m)
            if not _unreduced(rot):
                rot = sp.expand(rot)
                return coeff * sp.Add(*[_trace(t) for t in sp.MatAdd.make_args(rot)])
    return Expect(e)


def _split(M):
    """``M`` as (scalar coefficient, matrix part)."""
    if isinstance(M, sp.MatMul):
        mats = [a for a in M.args if a.is_Matrix]
        return sp.Mul(*[a for a in M.args if not a.is_Matrix]), (mats[0] if len(mats) == 1 else sp.MatMul(*mats))
    return sp.Integer(1), M


def _trace(M):
    """``tr(M)``, with ``tr(c I o Y) = c tr(Y)`` (the identity keeps the diagonal of ``Y``)."""
    c, W = _split(M)
    if isinstance(W, sp.HadamardProduct) and len(W.args) == 2:
        for k, f in enumerate(W.args):
            fc, fm = _split(f)
            if isinstance(fm, sp.Identity):
                return c * fc * sp.Trace(W.args[1 - k])
    return sp.Trace(M)


def _expect_matrix(X, m):
    if not m.is_random(X):
        return X
    if isinstance(X, sp.MatAdd):
        return sp.MatAdd(*[_expect_matrix(a, m) for a in X.args])
    if isinstance(X, sp.Transpose):
        inner = _expect_matrix(X.arg, m)
        return MatExpect(X) if _unreduced(inner) else inner.T
    if isinstance(X, sp.HadamardProduct):
        if m.separable([a for a in X.args if m.is_random(a)]):
            parts = [_expect_matrix(a, m) for a in X.args]
            if not any(_unreduced(p) for p in parts):
                return _hadamard(parts)
        return MatExpect(X)
    if isinstance(X, sp.MatMul):
        scal = [a for a in X.args if not isinstance(a, MatrixExpr)]
        out = _expect_word(scal, _flatten([a for a in X.args if isinstance(a, MatrixExpr)]), m)
        return MatExpect(X) if out is None else out
    if isinstance(X, sp.MatPow) and _flatten([X]) != [X]:
        out = _expect_word([], _flatten([X]), m)
        return MatExpect(X) if out is None else out
    if X in m.means:
        return m.means[X]
    if isinstance(X, SeqTerm):
        core = _expect_core([X], m)
        if core is not None:
            return core
    return MatExpect(X)


def _flatten(mats: list) -> list:
    """Matrix factors with ``(u^T v)^k`` and ``(x x^T)^k`` (a positive integer power of a product) spelled out."""
    out = []
    for a in mats:
        if isinstance(a, sp.MatPow) and a.exp.is_Integer and 1 <= a.exp <= 4:
            base = a.base.args if isinstance(a.base, sp.MatMul) else (a.base,)
            if all(isinstance(f, MatrixExpr) for f in base):
                out += _flatten(list(base)) * int(a.exp)
                continue
        out.append(a)
    return out


def _expect_word(scal: list, mats: list, m):
    """``E[c * M_1 ... M_k]``: the deterministic ends kept, the random core reduced; ``None`` if it is not."""
    if any(m.is_random(s) for s in scal):
        rs = sp.Mul(*scal)
        rest = _mul(mats)
        if m.is_random(rest) and not m.separable([rs, rest]):
            return None
        es, em = _expect_scalar(rs, m), _expect_matrix(rest, m)
        return None if _unreduced(es) or _unreduced(em) else es * em
    i = 0
    while i < len(mats) and not m.is_random(mats[i]):
        i += 1
    j = len(mats)
    while j > i and not m.is_random(mats[j - 1]):
        j -= 1
    core_e = _expect_core(mats[i:j], m)
    if core_e is None:
        return None
    parts = scal + mats[:i] + [core_e] + mats[j:]
    return parts[0] if len(parts) == 1 else sp.MatMul(*parts)


def _expect_core(core: list, m):
    if len(core) == 1:
        x = core[0]
        if x in m.means:
            return m.means[x]
        if isinstance(x, SeqTerm) and str(x.name) in m.mean_terms:
            return m.mean_terms[str(x.name)](x.index)
        if isinstance(x, SeqTerm):
            return m.means.get(str(x.name))
        out = _expect_matrix(x, m)
        return None if _unreduced(out) else out
    if len(core) == 2:
        a, b = core
        if (isinstance(b, sp.Transpose) and b.arg == a) or b == a.T:
            if a in m.seconds:
                return m.seconds[a]
            if (isinstance(a, sp.HadamardProduct) and a.shape[1] == 1  # columns: (a o b)(a o b)^T = aa^T o bb^T
                    and m.separable([f for f in a.args if m.is_random(f)])):
                parts = [_expect_matrix(f * f.T, m) for f in a.args]  # E[(a o b)(a o b)^T] = E[aa^T] o E[bb^T]
                if not any(_unreduced(p) for p in parts):
                    return _hadamard(parts)
    random = [f for f in core if m.is_random(f)]
    if len(random) > 1 and m.separable(random):  # independent factors: the product of their means
        parts = [_expect_matrix(f, m) if m.is_random(f) else f for f in core]
        if not any(_unreduced(p) for p in parts):
            return sp.MatMul(*parts)
    return _isserlis(core, m)


def _hadamard(parts: list):
    """``(c 1) o X = c X``: entrywise products with a constant all-ones factor (a Bernoulli mean) resolved."""
    for k, q in enumerate(parts):  # distribute over a sum: (A + B) o X = A o X + B o X
        if isinstance(q, sp.MatAdd):
            return sp.MatAdd(*[_hadamard(parts[:k] + [t] + parts[k + 1:]) for t in q.args])
    coeff, rest = sp.Integer(1), []
    for q in parts:  # scalar factors pulled out: (c A) o B = c (A o B)
        c, mats = _split(q)
        coeff *= c
        if not isinstance(mats, sp.OneMatrix):
            rest.append(mats)
    if not rest:
        return coeff * sp.OneMatrix(*parts[0].shape)
    return coeff * (rest[0] if len(rest) == 1 else sp.HadamardProduct(*rest))


def _isserlis(core: list, m):
    """``E[x x^T B x x^T] = S (B + B^T) S + tr(B S) S`` for a centred Gaussian ``x`` with covariance ``S``."""
    if len(core) < 4:
        return None
    x = core[0]
    law = m.dists.get(x)
    if law is None or law.kind != "gaussian" or law.cov is None or not _is_zero(law.mean):
        return None
    if not (core[1] == x.T and core[-2] == x and core[-1] == x.T):
        return None
    middle = core[2:-2]
    if any(m.is_random(f) for f in middle):
        return None
    S = law.cov
    B = sp.MatMul(*middle) if len(middle) > 1 else (middle[0] if middle else sp.Identity(x.shape[0]))
    return sp.MatAdd(S * B * S, S * B.T * S, sp.Trace(B * S) * S)


def _is_zero(e) -> bool:
    return isinstance(e, sp.ZeroMatrix) or (not isinstance(e, MatrixExpr) and sp.sympify(e) == 0)
