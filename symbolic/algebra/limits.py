"""Numeric values of limits at +infinity.

A sequence that has settled by index 256 gives its value directly.  A slowly
converging one (``(1 + 1/T)**T``) gets the limit sympy computes exactly, but
only when the numbers agree: at growing indices the terms approach that value
steadily, and a Richardson extrapolation of the last terms lands closer still.
The check is recorded as a :class:`LimitTrace` in the instance's memo, so a
counterexample can show the exact limit, the terms and the extrapolation.
sympy's value alone is never used, nor numbers alone for a sequence that has not settled.

>>> import sympy as sp
>>> from symbolic.algebra.evaluate import Instance, evaluate
>>> T = sp.Symbol("T", integer=True, positive=True)
>>> inst = Instance()
>>> round(float(evaluate(sp.Limit((1 + 1/T)**T, T, sp.oo), inst)), 12)
2.718281828459
>>> trace = limit_traces(inst)[0]
>>> trace.exact, trace.indices[-1]
('E', 4096)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp
from sympy.matrices.expressions.matexpr import MatrixExpr

from ..budget import budget, remaining
from ..exceptions import BudgetExceeded
from .backend import EvalError, Instance, Unsupported

SETTLE_INDICES = (64, 128, 256)
CHECK_INDICES = (256, 512, 1024, 2048, 4096)
EXACT_LIMIT_SECONDS = 2.0
NOT_SETTLED = "the sequence has not settled by index 256: no numeric value for the limit"


@dataclass(frozen=True)
class LimitTrace:
    """How a limit's value was obtained: sympy's exact value and the terms that confirm it."""

    limit: str  # the sequence, e.g. "(1 + 1/T)**T"
    var: str
    exact: str
    value: float
    indices: tuple[int, ...]
    terms: tuple[float, ...]
    extrapolated: float

    @property
    def last_error(self) -> float:
        """``|a_T - limit|`` at the largest index used."""
        return abs(self.terms[-1] - self.value)

    def describe(self) -> str:
        """One sentence for a counterexample.

        >>> LimitTrace("1/T", "T", "0", 0.0, (1, 2), (1.0, 0.5), 0.0).describe()
        'the limit of 1/T as T -> oo is 0 = 0 (exact, sympy), confirmed numerically: terms at T = 1: 1, 2: 0.5; Richardson extrapolation 0; |a_T - limit| = 0.5 at T = 2'
        """
        var = self.var
        terms = ", ".join(f"{t}: {v:.15g}" for t, v in zip(self.indices, self.terms))
        return (f"the limit of {self.limit} as {var} -> oo is {self.exact} = {self.value:.15g} (exact, sympy), "
                "confirmed numerically: "
                f"terms at {var} = {terms}; Richardson extrapolation {self.extrapolated:.15g}; "
                f"|a_{var} - limit| = {self.last_error:.3g} at {var} = {self.indices[-1]}")


def limit_traces(inst: Instance) -> list[LimitTrace]:
    """The limits an evaluation on ``inst`` took from sympy, with their numeric confirmation."""
    return [v for k, v in inst.memo.items() if isinstance(k, tuple) and k and k[0] == "limit"]


def _plain(body) -> bool:
    """Only sympy's own scalar functions: no matrices, declared functions, sequences or custom nodes."""
    for a in sp.preorder_traversal(body):
        if isinstance(a, (MatrixExpr, sp.core.function.AppliedUndef)) or type(a).__module__.startswith("symbolic"):
            return False
    return True


@lru_cache(maxsize=256)
def _sympy_limit(body, var):
    if not _plain(body):
        return None
    for e in (body, body.doit()):
        try:
            r = sp.limit(e, var, sp.oo)
        except BudgetExceeded:
            raise
        except Exception:  # noqa: BLE001 - sympy's limit raises many kinds of errors; none is a value
            continue
        if isinstance(r, sp.Limit) or r.has(sp.Limit, sp.AccumBounds, sp.oo, -sp.oo, sp.zoo, sp.nan):
            continue
        if var in r.free_symbols or not r.free_symbols <= body.free_symbols:
            continue
        return r
    return None


def exact_limit(body, var):
    """sympy's limit of ``body`` as ``var -> oo`` when it is a finite expression, else ``None``.

    >>> T = sp.Symbol("T", positive=True)
    >>> exact_limit((1 + 2/T)**T, T)
    exp(2)
    """
    try:
        with budget(min(EXACT_LIMIT_SECONDS, max(remaining() / 4, 0.05))):
            return _sympy_limit(body, var)
    except BudgetExceeded:
        return None  # not cached: a later call with more time may succeed


def eval_limit(e, inst: Instance, evaluate):
    """The numeric value of ``Limit(body, var, oo)`` on ``inst`` (see the module docstring)."""
    body, var, point = e.args[0], e.args[1], e.args[2]
    if point is not sp.S.Infinity:
        raise Unsupported("numeric limits only at +infinity")
    b = inst.backend

    def term(k):
        return evaluate(body, inst.with_values({var: b.num(k)}, share_memo=True))

    vals = [term(k) for k in SETTLE_INDICES]
    a, c = vals[-2], vals[-1]
    if abs(float(a) - float(c)) <= 1e-6 * max(1.0, abs(float(c))):
        return c
    exact = exact_limit(body, var)
    if exact is None:
        raise EvalError(NOT_SETTLED)
    value = evaluate(exact, inst)
    terms = [term(k) for k in CHECK_INDICES]
    extrapolated = _confirms(terms, value)
    if extrapolated is None:
        raise EvalError(f"{NOT_SETTLED}; sympy's limit {exact} is not confirmed by the terms up to index "
                        f"{CHECK_INDICES[-1]}")
    inst.memo[("limit", e)] = LimitTrace(str(body), str(var), str(exact), float(value), CHECK_INDICES,
                                         tuple(float(t) for t in terms), float(extrapolated))
    return value


def _confirms(terms, value):
    """The Richardson extrapolation of ``terms`` when they approach ``value`` steadily, else ``None``.

    Steadily: the distance to ``value`` shrinks at every doubling of the index,
    is below 1e-3 (relative) at the last one, and the extrapolation of the last
    three terms (``a_T ~ L + c/T**p``) is at least ten times closer still.

    >>> terms = [1 + 1 / t for t in CHECK_INDICES]
    >>> _confirms(terms, 1.0)
    1.0
    >>> _confirms(terms, 0.999) is None
    True
    """
    try:
        errs = [abs(float(t - value)) for t in terms]
        scale = max(1.0, abs(float(value)))
        if any(e2 >= e1 for e1, e2 in zip(errs, errs[1:])) or errs[-1] > 1e-3 * scale:
            return None
        s3, s4, s5 = terms[-3:]
        d1, d2 = s3 - s4, s4 - s5
        if d2 == 0 or not float(d1 / d2) > 1.05:
            return None
        extrapolated = s5 - d2 / (d1 / d2 - 1)
    except (TypeError, ValueError, ZeroDivisionError, OverflowError):
        return None
    if abs(float(extrapolated - value)) > errs[-1] / 10:
        return None
    return extrapolated
