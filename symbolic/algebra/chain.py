"""The chain rule through the operators of the vocabulary: symbolic Jacobians of vector expressions.

:func:`chain_jacobian` differentiates a column (or scalar) expression with
respect to a column vector, in numerator layout, by the rules of matrix
calculus (sums, scalar and matrix products, transposes of columns) and the
``jacobian`` rule each registered operator declares
(:class:`~symbolic.algebra.ops.registry.Operator`): the chain rule
``J(f(u)) = J_f(u) J(u)``.  :func:`chain_derivative` answers a ``Jac``/``Grad``
node (a gradient with respect to a matrix ``W`` when ``W`` enters only
through products ``W q``).  It is one symbolic witness: a caller cross-checks
its answer numerically, as it does sympy's.

>>> import sympy as sp
>>> n = sp.Symbol("n", integer=True, positive=True)
>>> A, x = sp.MatrixSymbol("A", n, n), sp.MatrixSymbol("x", n, 1)
>>> chain_jacobian(A * x, x)
A
"""

from __future__ import annotations

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixElement, MatrixExpr

from .nodes import Apply, DiagOf, Dot, Entry, Grad, Jac, OneHot
from .ops import lookup
from .terms import expand_held as _expand, split as _split


class NoRule(ValueError):
    """The expression holds a construct the chain rule here does not know."""


def _shape(e):
    return e.shape if isinstance(e, MatrixExpr) else (sp.Integer(1), sp.Integer(1))


def _mul(*factors):
    """The product of ``factors`` with ones and identities dropped."""
    kept = [f for f in factors if f != 1 and not isinstance(f, sp.Identity)]
    if not any(isinstance(f, MatrixExpr) for f in kept):  # the product is still a matrix: keep its identity
        kept += [f for f in factors if isinstance(f, sp.Identity)][:1]
    if not kept:
        return sp.S.One
    return kept[0] if len(kept) == 1 else sp.MatMul(*kept)


def chain_jacobian(e, x):
    """``d e / d x`` (rows of ``e`` by rows of ``x``) for a column or scalar ``e`` and a column vector ``x``.

    >>> import sympy as sp
    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> u, x = sp.MatrixSymbol("u", n, 1), sp.MatrixSymbol("x", n, 1)
    >>> chain_jacobian(Dot(u.T * x), x)
    u.T
    """
    n = x.shape[0]
    rows = _shape(e)[0]
    if not isinstance(e, sp.Basic) or not e.has(x):
        return sp.ZeroMatrix(rows, n)
    if e == x:
        return sp.Identity(n)
    if isinstance(e, (Jac, Grad)):
        return chain_jacobian(chain_derivative(e), x)
    if any(isinstance(a, sp.Lambda) and a.has(x) for a in e.args):
        raise NoRule("the variable inside the body of an element-wise function")
    op = lookup(e)
    if op is not None and op.jacobian is not None:
        out = op.jacobian(e, lambda sub: chain_jacobian(sub, x))
        if out is None:
            raise NoRule(f"no Jacobian rule applies to {type(e).__name__}")
        return out
    if isinstance(e, (sp.MatAdd, sp.Add)):
        parts = [chain_jacobian(a, x) for a in e.args if isinstance(a, sp.Basic) and a.has(x)]
        return sp.MatAdd(*parts) if len(parts) > 1 else parts[0]
    if isinstance(e, sp.Transpose) and sp.sympify(e.arg.shape[1]) == 1 and sp.sympify(e.arg.shape[0]) == 1:
        return chain_jacobian(e.arg, x)
    if isinstance(e, sp.MatMul):
        return _matmul(e, x)
    if isinstance(e, Dot):
        return chain_jacobian(e.args[0], x)
    if isinstance(e, Apply) and sp.sympify(e.arg.shape[1]) == 1:  # f(u) entry by entry: diag(f'(u)) J(u)
        return _mul(DiagOf(Apply(sp.Symbol(f"{e.func_name}'"), e.arg)), chain_jacobian(e.arg, x))
    if isinstance(e, Entry):
        v, i = e.args
        return OneHot(i, v.shape[0]).T * chain_jacobian(v, x)
    if isinstance(e, MatrixElement) and sp.sympify(e.parent.shape[1]) == 1 and e.j == 0:
        return _mul(OneHot(e.i, e.parent.shape[0]).T, chain_jacobian(e.parent, x))
    if not isinstance(e, MatrixExpr):
        return _scalar(e, x)
    raise NoRule(f"no Jacobian rule for {type(e).__name__}")


def _matmul(e, x):
    coeff, mats = _split(e)
    terms = []
    if coeff.has(x):  # a scalar factor that depends on x: (d coeff) times the rest, an outer product
        rest = sp.MatMul(*mats) if len(mats) > 1 else mats[0]
        if sp.sympify(_shape(rest)[1]) != 1:
            raise NoRule("a matrix times a scalar depending on the variable")
        terms.append(_mul(rest, chain_jacobian(coeff, x)))
    for k, F in enumerate(mats):
        if not F.has(x):
            continue
        pre, post = mats[:k], mats[k + 1:]
        c = coeff  # the product rule: every other factor, the scalar one included, held at its value
        if not post and sp.sympify(F.shape[1]) == 1:  # ... F(x): the prefix times dF
            terms.append(_mul(c, *pre, chain_jacobian(F, x)))
        elif not pre and isinstance(F, sp.Transpose) and sp.sympify(F.arg.shape[1]) == 1 and post:
            R = sp.MatMul(*post) if len(post) > 1 else post[0]
            if sp.sympify(R.shape[1]) != 1:
                raise NoRule("a row depending on the variable times a matrix")
            terms.append(_mul(c, R.T, chain_jacobian(F.arg, x)))  # G^T R = R^T G
        else:
            raise NoRule("the variable inside a product other than in its last column or first row")
    return sp.MatAdd(*terms) if len(terms) > 1 else terms[0]


_BINDERS = (sp.Sum, sp.Product, sp.Integral, sp.Limit, sp.Derivative, sp.Lambda)


def _scalar(e, x):
    """A scalar expression: sympy's partial derivatives in its x-dependent parts, times their Jacobians."""
    parts = []

    def visit(a):
        if not isinstance(a, sp.Basic) or not a.has(x):
            return
        if isinstance(a, _BINDERS):  # a bound index: one placeholder would stand for many entries
            raise NoRule(f"the variable inside a {type(a).__name__}")
        op = lookup(a)
        if isinstance(a, (Dot, Entry, Jac, Grad, MatrixExpr, MatrixElement)) \
                or (op is not None and op.jacobian is not None):
            parts.append(a)
            return
        if isinstance(a, sp.Symbol):
            raise NoRule(f"{a} depends on the variable")
        for b in a.args:
            visit(b)

    visit(e)
    parts = list(dict.fromkeys(parts))
    if any(isinstance(p, MatrixExpr) and _shape(p) != (1, 1) for p in parts):
        raise NoRule("a matrix inside a scalar function")
    ts = [sp.Dummy("t") for _ in parts]
    plain = e.xreplace(dict(zip(parts, ts)))
    if plain.has(x):
        raise NoRule("the variable inside a scalar expression the chain rule cannot split")
    terms = []
    for p, t in zip(parts, ts):
        dp = sp.diff(plain, t).xreplace(dict(zip(ts, parts)))
        if dp != 0:
            terms.append(_mul(dp, chain_jacobian(p, x)))
    if not terms:
        return sp.ZeroMatrix(1, x.shape[0])
    return sp.MatAdd(*terms) if len(terms) > 1 else terms[0]


def _column_products(e, W):
    """The products ``W q`` (``q`` a column free of ``W``) through which ``W`` enters ``e``; ``None`` otherwise."""
    found = []
    for a in sp.preorder_traversal(e):
        if isinstance(a, sp.MatMul):
            mats = _split(a)[1]
            for k, F in enumerate(mats):
                if F == W:
                    post = mats[k + 1:]
                    q = sp.MatMul(*post) if len(post) > 1 else (post[0] if post else None)
                    if q is None or q.has(W) or sp.sympify(q.shape[1]) != 1:
                        return None
                    found.append((a, k, q))
    return found


def chain_derivative(node):
    """The symbolic value of a ``Jac``/``Grad`` node by the chain rule, else :class:`NoRule`.

    >>> import sympy as sp
    >>> n = sp.Symbol("n", integer=True, positive=True)
    >>> W, x, a = sp.MatrixSymbol("W", n, n), sp.MatrixSymbol("x", n, 1), sp.MatrixSymbol("a", n, 1)
    >>> chain_derivative(Grad(Dot(a.T * W * x), W))
    a*x.T
    """
    Y, X = node.args
    if not isinstance(X, sp.MatrixSymbol):
        raise NoRule("a derivative with respect to an expression")
    if sp.sympify(X.shape[1]) == 1:
        J = chain_jacobian(Y, X)
        return tidy(J if isinstance(node, Jac) else J.T)
    if isinstance(node, Jac) or _shape(Y) != (1, 1):
        raise NoRule("a Jacobian with respect to a matrix")
    from .matgrad import NoGradient, matrix_gradient

    try:  # det, log det, tr of matrices affine in X: the matrix differential
        return tidy(matrix_gradient(Y, X))
    except NoGradient:
        pass
    uses = _column_products(Y, X)
    if not uses or len({q for _, _, q in uses}) != 1:
        raise NoRule(f"{X} enters other than through one product {X} q")
    q = uses[0][2]
    u = sp.MatrixSymbol(f"_{X.name}q", X.shape[0], 1)
    repl = {}
    for prod, k, _ in uses:
        coeff, mats = _split(prod)
        repl[prod] = sp.MatMul(coeff, *mats[:k], u) if (k or coeff != 1) else u
    Yu = Y.xreplace(repl)
    if Yu.has(X):
        raise NoRule(f"{X} enters other than through one product {X} q")
    g = tidy(chain_jacobian(Yu, u).T)
    return tidy(sp.MatMul(g, q.T).xreplace({u: X * q}))


def tidy(e):
    """Products with ones and one-hot vectors simplified: ``diag(v) 1 = v``, ``1^T e_k = 1``, ``I`` dropped.

    >>> import sympy as sp
    >>> from symbolic.algebra.nodes import DiagOf
    >>> v = sp.MatrixSymbol("v", 3, 1)
    >>> tidy(DiagOf(v) * sp.OneMatrix(3, 1))
    v
    """
    from .nodes import DiagOf

    def fix(m):
        coeff, mats = _split(m)
        out = []
        for F in mats:
            if out and isinstance(out[-1], DiagOf) and isinstance(F, sp.OneMatrix) and sp.sympify(F.shape[1]) == 1:
                out[-1] = out[-1].args[0]
            elif out and isinstance(out[-1], sp.OneMatrix) and sp.sympify(out[-1].shape[0]) == 1 \
                    and isinstance(F, DiagOf):
                out[-1] = F.args[0].T
            elif out and isinstance(out[-1], sp.OneMatrix) and sp.sympify(out[-1].shape[0]) == 1 \
                    and isinstance(F, OneHot):
                out[-1] = sp.Integer(1)
            else:
                out.append(F)
        mats = [F for F in out if F != 1]
        if not mats:
            return coeff
        return sp.MatMul(coeff, *mats).doit(deep=False) if len(mats) > 1 or coeff != 1 else mats[0]

    prev = None
    while prev != e:
        prev = e
        e = _expand(e.doit(deep=False)) if isinstance(e, MatrixExpr) else e
        e = e.replace(lambda a: isinstance(a, sp.MatMul), fix)
    return e
