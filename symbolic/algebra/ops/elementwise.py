"""A scalar function applied to every entry of a matrix: evaluation, LaTeX, mistakes, lemmas, Jacobian.

The scalar functions (:mod:`.activations`) are nodes of their own (``Sigmoid(x)``)
whose derivative sympy knows (the registry installs ``fdiff``); :class:`Elementwise` applies
a scalar body ``Lambda(z, f(z))`` to every entry of a matrix expression.
The callables :data:`sigmoid`, :data:`softplus`, ... build the scalar node
on a scalar and the element-wise node on a matrix, so ``X.T * (sigmoid(X * w) - y)``
is written as on paper.  User formulas (``d.elementwise("softplus", lambda z: ...)``)
are :class:`Formula` nodes that carry their formula: sympy differentiates
it, the evaluator walks it.

>>> import sympy as sp
>>> n = sp.Symbol("n", integer=True, positive=True)
>>> X, w = sp.MatrixSymbol("X", n, n), sp.MatrixSymbol("w", n, 1)
>>> sigmoid(X * w).shape
(n, 1)
>>> x = sp.Symbol("x")
>>> sp.diff(sigmoid(x), x)
(1 - Sigmoid(x))*Sigmoid(x)
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import sympy as sp

from ..backend import DomainError, EvalError, _as_matrix
from ..nodes import Apply, Relu
from .activations import (  # noqa: F401  (the callables are this family's vocabulary too)
    Z, Elementwise, ElementwiseFunction, Formula, Sigmoid, Softplus, gelu, leaky_relu, relu, sigmoid, softplus,
)
from .registry import Operator, Rewrite, register

__all__ = ["elementwise"]

# -- element-wise application to a matrix ------------------------------------------------------------


def _eval_elementwise(e, inst, ev):
    b = inst.backend
    x = _as_matrix(ev(e.arg, inst), b)
    f = e.function
    var, body = f.variables[0], f.expr
    fast = _VECTORIZED.get(type(body)) if not b.mp and body.args == (var,) else None
    if fast is not None:
        with np.errstate(over="ignore", under="ignore"):
            out = fast(np.asarray(x, dtype=float))
        if isinstance(body, sp.log) and np.any(x <= 0):
            raise DomainError("log of a non-positive number")
        return out
    out = b.zeros(*x.shape)
    sub = inst.with_values({var: b.num(0)}, share_memo=True)  # one child, the bound variable updated in place
    for idx in np.ndindex(*x.shape):
        sub.values[var] = x[idx]
        v = ev(body, sub)
        if isinstance(v, np.ndarray):
            raise EvalError("the body of an element-wise function is not a scalar")
        out[idx] = v
    return out


def _np_sigmoid(x):
    return np.where(x >= 0, 1.0 / (1.0 + np.exp(-np.abs(x))), np.exp(-np.abs(x)) / (1.0 + np.exp(-np.abs(x))))


_VECTORIZED = {Sigmoid: _np_sigmoid, sp.tanh: np.tanh, sp.exp: np.exp, Softplus: lambda x: np.logaddexp(0.0, x)}


def _latex_elementwise(e, pr):
    call = e.call()
    if call is not None:
        hole = sp.Symbol("zzhole")
        tex = pr(call.xreplace({e.function.variables[0]: hole}))
        return tex.replace(pr(hole), pr(e.arg), 1)
    v = e.function.variables[0]
    z = sp.Symbol("z")
    return r"\left( z \mapsto %s \right)\left( %s \right)" % (pr(e.function.expr.xreplace({v: z})), pr(e.arg))


#: Neighbouring functions a student confuses (each way).
NEIGHBOURS = {Sigmoid: lambda z: sp.tanh(z), sp.tanh: lambda z: Sigmoid(z), Softplus: lambda z: Relu(z),
              Relu: lambda z: Softplus(z), sp.exp: lambda z: sp.log(z), sp.log: lambda z: sp.exp(z)}


def _mutate_elementwise(e):
    call = e.call()
    if call is not None and type(call) in NEIGHBOURS:
        new = NEIGHBOURS[type(call)](Z)
        yield "neighbour", f"{e} with {type(new).__name__.lower()} for {type(call).__name__.lower()}", \
            Elementwise(sp.Lambda(Z, new), e.arg)
    body = e.body
    if isinstance(body, sp.Mul) and len(body.args) > 1:  # f'(z) = a(z) b(z): a factor dropped
        for k, factor in enumerate(body.args):
            if factor.has(Z):
                rest = sp.Mul(*(body.args[:k] + body.args[k + 1:]))
                yield "factor", f"{e} without its factor {factor}", Elementwise(sp.Lambda(Z, rest), e.arg)


def _elementwise_symmetry(e):
    """``sigmoid(-X) = 1 - sigmoid(X)`` entry by entry (the scalar lemma, for a matrix argument)."""
    call = e.call()
    if isinstance(call, Sigmoid) and e.arg.could_extract_minus_sign():
        return sp.OneMatrix(*e.shape) - Elementwise(e.function, -e.arg)
    return None


def _log_softmax(e):
    """``log(softmax(z)) = z - logsumexp(z) 1`` for a column vector ``z``."""
    from ..nodes import LogSumExp, Softmax

    call = e.call()
    if isinstance(call, sp.log) and isinstance(e.arg, Softmax) and sp.sympify(e.arg.shape[1]) == 1:
        z = e.arg.args[0]
        return z - LogSumExp(z) * sp.OneMatrix(*z.shape)
    return None


def _jacobian_elementwise(e, D):
    """``J f(u) = diag(f'(u)) J u`` (and ``J log softmax(v) = J (v - logsumexp(v) 1)``)."""
    shifted = _log_softmax(e)
    if shifted is not None:
        return D(shifted)
    if sp.sympify(e.shape[1]) != 1:
        return None
    prime = sp.Lambda(Z, sp.diff(e.body, Z))
    from ..nodes import DiagOf

    return DiagOf(Elementwise(prime, e.arg)) * D(e.arg)


register(Operator(
    "elementwise", Elementwise, evaluate=_eval_elementwise, latex=_latex_elementwise, text=("elementwise",),
    build=lambda f, X: elementwise(f, X), mutations=_mutate_elementwise, family="elementwise",
    jacobian=_jacobian_elementwise,
    rewrites=(Rewrite("sigmoid(-z) = 1 - sigmoid(z)", _elementwise_symmetry),
              Rewrite("log-softmax = z - logsumexp(z)", _log_softmax)),
    doc="a scalar function applied to every entry of a matrix",
))


# -- the callables users write with ------------------------------------------------------------------


def user_function(name: str, formula: Callable) -> ElementwiseFunction:
    """The function ``name`` defined by ``formula(z)`` (what ``Derivation.elementwise`` returns).

    >>> import sympy as sp
    >>> sp_ = user_function("softplus", lambda z: sp.log(1 + sp.exp(z)))
    >>> x = sp.Symbol("x")
    >>> sp.diff(sp_(x), x)
    exp(x)/(exp(x) + 1)
    """
    lam = sp.Lambda(Z, sp.sympify(formula(Z)))
    return ElementwiseFunction(name, lambda x: Formula(sp.Symbol(name), lam, x))


def elementwise(f, X):
    """``f`` applied to every entry of ``X``; ``f`` a callable of one scalar (``sp.tanh``, ``lambda z: z**2``).

    >>> import sympy as sp
    >>> str(elementwise(sp.exp, sp.MatrixSymbol("A", 2, 2)))
    'exp(A)'
    """
    if isinstance(f, sp.Lambda):
        return Elementwise(f.xreplace({f.variables[0]: Z}) if f.variables[0] != Z else f, X)
    return Elementwise(sp.Lambda(Z, f(Z)), X)


#: The built-in functions by name (``Derivation.elementwise(name)`` and ``Derivation.function(kind=...)``).
BUILTINS = {"sigmoid": sigmoid, "softplus": softplus, "gelu": gelu, "relu": relu, "leaky_relu": leaky_relu,
            "tanh": ElementwiseFunction("tanh", sp.tanh), "exp": ElementwiseFunction("exp", sp.exp),
            "log": ElementwiseFunction("log", sp.log)}


# -- a named (declared) function applied to every entry: Apply(f, X) ----------------------------------


def _eval_apply(e, inst, ev):
    name = getattr(e.func_name, "name", None) or str(e.func_name)  # a Symbol: skip the printer
    if name not in inst.functions:
        raise EvalError(f"no value for function {name}")
    f = inst.functions[name]
    b = inst.backend
    return b.elementwise(lambda z: f(z, b), _as_matrix(ev(e.arg, inst), b))


register(Operator(
    "applied function", Apply, evaluate=_eval_apply,  # not written in text: a declared function is called
    latex=lambda e, pr: r"%s\left( %s \right)" % (pr.function_name(e.args[0]), pr(e.args[1])),
    postfix=True, family="elementwise",
    text_form=lambda e, pr: "%s(%s)" % (getattr(e.args[0], "name", e.args[0]), pr(e.args[1])),
    canon=lambda e, inside: Apply(e.func_name, inside(e.arg)),
    doc="a declared scalar function, by name, applied to every entry of a matrix",
))
