"""Scalar activation functions: sigmoid, softplus, GELU (exact, via erf), leaky ReLU, and users' formulas.

Each is a sympy function node of its own whose derivative sympy knows (the
registry installs ``fdiff``), evaluated in float64 and at high precision,
printed as on paper (``\\sigma``, ``\\operatorname{softplus}``).  A user's
formula is a :class:`Formula` node that carries its formula: sympy
differentiates it, the evaluator walks it.  :mod:`.elementwise` applies any
of them to every entry of a matrix.

>>> import sympy as sp
>>> x = sp.Symbol("x")
>>> sp.diff(Sigmoid(x), x)
(1 - Sigmoid(x))*Sigmoid(x)
>>> sp.diff(Softplus(x), x)
Sigmoid(x)
"""

from __future__ import annotations

import math
from typing import Callable

import mpmath
import numpy as np
import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from ..nodes import Relu, Step
from .registry import Operator, Rewrite, register

__all__ = ["Sigmoid", "Softplus", "Gelu", "LeakyRelu", "Formula", "Elementwise", "ElementwiseFunction",
           "sigmoid", "softplus", "gelu", "leaky_relu", "relu"]

#: The bound variable of every element-wise body (a fixed symbol: equal bodies are equal nodes).
Z = sp.Symbol("_z", real=True)

_GREEK = {"sigma", "phi", "psi", "rho", "tau", "eta", "zeta", "theta", "varphi"}


def _head(name: str) -> str:
    """The LaTeX head of a function named ``name``: ``\\sigma``, ``\\operatorname{softplus}``."""
    base = name.rstrip("'")
    primes = "'" * (len(name) - len(base))
    if base in _GREEK:
        return "\\" + base + primes
    if len(base) == 1:
        return base + primes
    return r"\operatorname{%s}%s" % (base.replace("_", r"\_"), primes)


class Sigmoid(sp.Function):
    """The logistic function ``1 / (1 + exp(-x))``."""

    nargs = 1
    is_real = True
    is_positive = True

    @classmethod
    def eval(cls, x):
        return sp.S.Half if x == 0 else None


class Softplus(sp.Function):
    """``log(1 + exp(x))``, a smooth ReLU."""

    nargs = 1
    is_real = True
    is_positive = True


class Gelu(sp.Function):
    """The exact GELU ``x Phi(x)``, ``Phi`` the standard normal CDF (via ``erf``)."""

    nargs = 1
    is_real = True


class LeakyRelu(sp.Function):
    """``x`` for ``x > 0``, ``slope * x`` otherwise."""

    nargs = 2
    is_real = True

    def fdiff(self, argindex=1):
        x, a = self.args
        if argindex == 1:
            return Step(x) + a * (1 - Step(x))
        return x * (1 - Step(x))


class Formula(sp.Function):
    """A user's scalar function ``name``: ``Formula(Symbol(name), Lambda(z, body), x)`` is ``body`` at ``z = x``."""

    nargs = 3
    is_real = True

    @property
    def formula(self) -> sp.Lambda:
        return self.args[1]

    def fdiff(self, argindex=3):
        if argindex != 3:
            return sp.S.Zero
        lam, x = self.args[1], self.args[2]
        return sp.diff(lam.expr, lam.variables[0]).xreplace({lam.variables[0]: x})

    def _sympystr(self, printer) -> str:
        return "%s(%s)" % (self.args[0], printer._print(self.args[2]))


def _formula_head(name: sp.Symbol, pr) -> str:
    """The declared LaTeX of the function's name when there is one (the printer knows it), else its head."""
    tex = pr(name)
    return _head(str(name)) if tex.startswith(r"\mathrm{") or tex == str(name) else tex


def _phi_cdf(x):
    return (1 + sp.erf(x / sp.sqrt(2))) / 2


def _is_mp(inst) -> bool:
    return inst.backend.mp


def _fl(v) -> float:
    return float(v)


def _eval_sigmoid(e, inst, ev):
    v = ev(e.args[0], inst)
    if _is_mp(inst):
        return 1 / (1 + mpmath.exp(-v))
    v = _fl(v)
    if v >= 0:
        return 1.0 / (1.0 + math.exp(-v))
    t = math.exp(v)
    return t / (1.0 + t)


def _eval_softplus(e, inst, ev):
    v = ev(e.args[0], inst)
    if _is_mp(inst):
        return mpmath.log(1 + mpmath.exp(v))
    return float(np.logaddexp(0.0, _fl(v)))


def _eval_gelu(e, inst, ev):
    v = ev(e.args[0], inst)
    if _is_mp(inst):
        return v * (1 + mpmath.erf(v / mpmath.sqrt(2))) / 2
    v = _fl(v)
    return v * (1.0 + math.erf(v / math.sqrt(2.0))) / 2.0


def _eval_leaky(e, inst, ev):
    v, a = ev(e.args[0], inst), ev(e.args[1], inst)
    return v if v > 0 else a * v


def _eval_erf(e, inst, ev):
    v = ev(e.args[0], inst)
    return mpmath.erf(v) if _is_mp(inst) else math.erf(_fl(v))


def _eval_formula(e, inst, ev):
    lam = e.args[1]
    sub = inst.with_values({lam.variables[0]: ev(e.args[2], inst)}, share_memo=True)
    return ev(lam.expr, sub)


def _latex_call(head: str) -> Callable:
    return lambda e, pr: r"%s\left( %s \right)" % (head, pr(e.args[0]))


def _swap(to, words: str):
    def mutate(e):
        yield "neighbour", f"{type(e).__name__.lower()}({e.args[0]}) replaced by {words}", to(e.args[0])
    return mutate


def _sigmoid_symmetry(e):
    x = e.args[0]
    if x.could_extract_minus_sign():  # the right side written out as the definition rewrites sigmoid(-x)
        return 1 - 1 / (1 + sp.exp(x))
    return None


register(Operator(
    "sigmoid", Sigmoid, evaluate=_eval_sigmoid, latex=_latex_call(r"\sigma"), text=("sigmoid", "Sigmoid"),
    build=lambda x: sigmoid(x), derivative=lambda x: Sigmoid(x) * (1 - Sigmoid(x)),
    mutations=_swap(sp.tanh, "tanh"), family="elementwise", text_form=lambda e, pr: "σ(%s)" % pr(e.args[0]),
    rewrites=(Rewrite("sigmoid(-z) = 1 - sigmoid(z)", _sigmoid_symmetry),
              Rewrite("sigmoid definition", lambda e: 1 / (1 + sp.exp(-e.args[0]))),
              Rewrite("sigmoid as tanh: sigmoid(z) = (1 + tanh(z/2))/2",
                      lambda e: (1 + sp.tanh(e.args[0] / 2)) / 2)),
    doc="the logistic function 1/(1 + exp(-x))",
))
register(Operator(
    "softplus", Softplus, evaluate=_eval_softplus, latex=_latex_call(r"\operatorname{softplus}"),
    text=("softplus", "Softplus"), build=lambda x: softplus(x), derivative=lambda x: Sigmoid(x),
    text_form=lambda e, pr: "softplus(%s)" % pr(e.args[0]),
    mutations=_swap(Relu, "ReLU"), family="elementwise",
    rewrites=(Rewrite("softplus definition", lambda e: sp.log(1 + sp.exp(e.args[0]))),),
    doc="log(1 + exp(x))",
))
register(Operator(
    "gelu", Gelu, evaluate=_eval_gelu, latex=_latex_call(r"\operatorname{GELU}"), text=("gelu", "GELU", "Gelu"),
    text_form=lambda e, pr: "GELU(%s)" % pr(e.args[0]),
    build=lambda x: gelu(x),
    derivative=lambda x: _phi_cdf(x) + x * sp.exp(-x ** 2 / 2) / sp.sqrt(2 * sp.pi),
    mutations=_swap(Relu, "ReLU"), family="elementwise",
    rewrites=(Rewrite("GELU definition", lambda e: e.args[0] * _phi_cdf(e.args[0])),),
    doc="x Phi(x), Phi the standard normal CDF",
))
register(Operator(
    "leaky_relu", LeakyRelu, evaluate=_eval_leaky,
    latex=lambda e, pr: r"\operatorname{LeakyReLU}_{%s}\left( %s \right)" % (pr(e.args[1]), pr(e.args[0])),
    text=("leaky_relu", "LeakyReLU"), build=lambda x, a: leaky_relu(x, a),
    text_form=lambda e, pr: "LeakyReLU_%s(%s)" % (pr(e.args[1]), pr(e.args[0])),
    mutations=lambda e: iter([("neighbour", f"{e} replaced by ReLU", Relu(e.args[0]))]), family="elementwise",
    doc="x for x > 0, slope * x otherwise",
))
register(Operator(
    "erf", sp.erf, evaluate=_eval_erf, text=("erf",), family="elementwise",
    doc="the error function (evaluation only: sympy prints and differentiates it)",
))
register(Operator(
    "formula", Formula, evaluate=_eval_formula,
    latex=lambda e, pr: r"%s\left( %s \right)" % (_formula_head(e.args[0], pr), pr(e.args[2])),
    text=("_formula",), family="elementwise",
    rewrites=(Rewrite("definition of a declared function",
                      lambda e: e.args[1].expr.xreplace({e.args[1].variables[0]: e.args[2]})),),
    doc="a declared scalar function, by its formula",
))


def _step_mutants(e, whole):
    """A ReLU mask is mistaken for the sign of its argument, or put on another (real) symbol."""
    others = [a for a in sp.preorder_traversal(whole) if isinstance(a, sp.Symbol) and a.is_real and a != e.args[0]]
    yield "neighbour", f"ReLU mask {e} replaced by the sign of its argument", sp.sign(e.args[0])
    for o in others[:1]:
        yield "neighbour", f"ReLU mask on {o} instead of {e.args[0]}", Step(o)


def _eval_relu(e, inst, ev):
    v = ev(e.args[0], inst)
    return v if v > 0 else inst.backend.num(0)


# ReLU and its mask declare no derivative: sympy keeps Derivative(Relu(x), x) unevaluated (the kink stays visible)
register(Operator(
    "relu", Relu, evaluate=_eval_relu, latex=_latex_call(r"\operatorname{ReLU}"), text=("relu", "Relu"),
    mutations=lambda e: iter([("neighbour", f"{e} replaced by |{e.args[0]}|", sp.Abs(e.args[0]))]),
    text_form=lambda e, pr: "ReLU(%s)" % pr(e.args[0]), family="elementwise",
    doc="max(x, 0) on scalars, kept inert so its kink stays visible",
))
register(Operator(
    "step", Step, evaluate=lambda e, inst, ev: inst.backend.num(1 if ev(e.args[0], inst) > 0 else 0),
    latex=lambda e, pr: r"\mathbf{1}\left[ %s > 0 \right]" % pr(e.args[0]), text=("step",),
    mutations=_step_mutants, mutation_context=True, text_form=lambda e, pr: "1[%s > 0]" % pr(e.args[0]),
    family="elementwise", doc="the indicator 1[x > 0], the derivative of ReLU (0 at the kink)",
))


# -- a scalar function applied to every entry of a matrix, and the callables users write with -----------


class Elementwise(MatrixExpr):
    """``f`` applied to every entry of the matrix ``X``; ``f`` is ``Lambda(Z, body)``.

    >>> import sympy as sp
    >>> X = sp.MatrixSymbol("X", 2, 3)
    >>> str(Elementwise(sp.Lambda(Z, sp.tanh(Z)), X).T)
    'tanh(X.T)'
    """

    def __new__(cls, f, X):
        if not isinstance(f, sp.Lambda):
            raise TypeError("Elementwise needs a sympy Lambda as its function")
        return sp.Basic.__new__(cls, f, X)

    @property
    def function(self) -> sp.Lambda:
        return self.args[0]

    @property
    def body(self):
        """The scalar body, written with the bound variable :data:`Z`."""
        f = self.args[0]
        return f.expr.xreplace({f.variables[0]: Z})

    @property
    def arg(self):
        return self.args[1]

    @property
    def shape(self):
        return self.args[1].shape

    def _eval_transpose(self):
        return Elementwise(self.args[0], sp.Transpose(self.args[1]).doit())

    def doit(self, **hints):
        if hints.get("deep", True):
            return Elementwise(self.args[0], self.args[1].doit(**hints))
        return self

    def call(self):
        """The head of a body ``f(z)`` (one call of the bound variable), else ``None``."""
        b, v = self.args[0].expr, self.args[0].variables[0]
        if isinstance(b, Formula):
            return b if b.args[2] == v else None
        if isinstance(b, sp.Function) and b.args and b.args[0] == v and not any(a.has(v) for a in b.args[1:]):
            return b
        return None

    def _sympystr(self, printer) -> str:
        b, v = self.args[0].expr, self.args[0].variables[0]
        arg = printer._print(self.args[1])
        if self.call() is not None:
            head = str(b.args[0]) if isinstance(b, Formula) else type(b).__name__.lower()
            rest = "".join(", " + printer._print(a) for a in b.args[1:] if not isinstance(b, Formula))
            return "%s(%s%s)" % (head, arg, rest)
        return "(%s -> %s)(%s)" % (v, printer._print(b), arg)


class ElementwiseFunction:
    """A scalar function usable on scalars and, entry by entry, on matrices: ``f(x)``, ``f(X * w)``.

    ``f.prime`` is its derivative, a function of the same kind.

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> softplus.prime(x)
    Sigmoid(x)
    >>> str(sigmoid(sp.MatrixSymbol("A", 2, 2)))
    'sigmoid(A)'
    """

    def __init__(self, name: str, scalar: Callable, prime: Callable | None = None) -> None:
        self.name = name
        self._scalar = scalar
        self._prime = prime

    def __call__(self, x, *params):
        x = sp.sympify(x)
        if isinstance(x, MatrixExpr):
            return Elementwise(sp.Lambda(Z, self._scalar(Z, *params)), x)
        return self._scalar(x, *params)

    @property
    def prime(self) -> "ElementwiseFunction":
        """The derivative ``f'`` (sympy differentiates the scalar form)."""
        def d(x, *params):
            if self._prime is not None:
                return self._prime(x, *params)
            return sp.diff(self._scalar(Z, *params), Z).xreplace({Z: x})
        return ElementwiseFunction(self.name + "'", d)

    def __repr__(self) -> str:
        return f"ElementwiseFunction({self.name!r})"


sigmoid = ElementwiseFunction("sigmoid", Sigmoid, lambda x: Sigmoid(x) * (1 - Sigmoid(x)))
softplus = ElementwiseFunction("softplus", Softplus, Sigmoid)
gelu = ElementwiseFunction("gelu", Gelu)
leaky_relu = ElementwiseFunction("leaky_relu", LeakyRelu)
relu = ElementwiseFunction("relu", Relu, Step)
