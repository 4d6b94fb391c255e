"""Values for the evaluator: the two arithmetics, instances, and comparisons.

:class:`Backend` is one precision (float64, or mpmath at a given number of
digits); :class:`Instance` holds the concrete values of one random instance;
:func:`close` compares two values relatively.

>>> b = Backend("mp", dps=30)
>>> str(b.num(1) / 3)[:12]
'0.3333333333'
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import mpmath
import numpy as np
import sympy as sp


class EvalError(Exception):
    """The expression cannot be evaluated on this instance (reason in message)."""


class Unsupported(EvalError):
    """A construct the numeric evaluator does not know."""


class DomainError(EvalError):
    """The expression is undefined at these values (division by zero, index out of range, ...)."""


@dataclass
class Backend:
    """Arithmetic for one precision: ``float64`` or ``mp`` (mpmath)."""

    name: str
    dps: int = 15

    @property
    def mp(self) -> bool:
        return self.name == "mp"

    def num(self, x):
        if self.mp:
            if isinstance(x, sp.Basic):
                return mpmath.mpf(sp.Float(x, self.dps + 5)._mpf_) if x.is_real is not False else mpmath.mpc(complex(x))
            return mpmath.mpf(x) if not isinstance(x, (mpmath.mpf, mpmath.mpc)) else x
        return float(x)

    def array(self, a):
        if self.mp:
            arr = np.array(a, dtype=object)
            return np.vectorize(lambda v: v if isinstance(v, (mpmath.mpf, mpmath.mpc)) else mpmath.mpf(v), otypes=[object])(arr) if arr.size else arr
        return np.array(a, dtype=float)

    def fn(self, name: str):
        if self.mp:
            return {
                "exp": mpmath.exp, "log": mpmath.log, "sqrt": mpmath.sqrt, "tanh": mpmath.tanh,
                "sin": mpmath.sin, "cos": mpmath.cos, "abs": abs, "atan": mpmath.atan,
                "cosh": mpmath.cosh, "sinh": mpmath.sinh,
            }[name]
        return {
            "exp": np.exp, "log": np.log, "sqrt": np.sqrt, "tanh": np.tanh, "sin": np.sin,
            "cos": np.cos, "abs": np.abs, "atan": np.arctan, "cosh": np.cosh, "sinh": np.sinh,
        }[name]

    def elementwise(self, f: Callable, x):
        if isinstance(x, np.ndarray):
            if self.mp:
                return np.vectorize(f, otypes=[object])(x) if x.size else x
            return np.asarray(f(x), dtype=float)
        return f(x)

    def eye(self, n: int):
        if self.mp:
            out = np.empty((n, n), dtype=object)
            out[...] = mpmath.mpf(0)
            for i in range(n):
                out[i, i] = mpmath.mpf(1)
            return out
        return np.eye(n)

    def zeros(self, r: int, c: int):
        if self.mp:
            out = np.empty((r, c), dtype=object)
            out[...] = mpmath.mpf(0)
            return out
        return np.zeros((r, c))

    def inv(self, A):
        if self.mp:
            M = mpmath.matrix(A.tolist()) ** -1
            return np.array(M.tolist(), dtype=object)
        if A.shape[0] and np.linalg.cond(A) > 1e14:
            raise DomainError("matrix is numerically singular")
        return np.linalg.inv(A)

    def spectral_norm(self, A):
        if A.shape[1] == 1 or A.shape[0] == 1:
            return self.fn("sqrt")(sum(v * v for v in A.ravel())) if self.mp else float(np.linalg.norm(A))
        if self.mp:
            s = mpmath.svd_r(mpmath.matrix(A.tolist()), compute_uv=False)
            return max(s[i] for i in range(len(s)))
        return float(np.linalg.norm(A, 2))

    def lambda_max(self, A):
        if self.mp:
            e, _ = mpmath.eigsy(mpmath.matrix(((A + A.T) / 2).tolist()))
            return max(e[i] for i in range(len(e)))
        return float(np.max(np.linalg.eigvalsh((A + A.T) / 2)))


F64 = Backend("float64")


@dataclass
class Instance:
    """Concrete values for one random instance.

    ``values`` maps sympy symbols (scalars, dimensions, indices, matrix
    symbols) to numbers or 2-D arrays; ``functions`` maps a function name to a
    scalar callable taking ``(x, backend)``; ``sequences`` maps a sequence
    name to a callable ``(index, instance) -> value``.
    """

    values: dict = field(default_factory=dict)
    functions: dict = field(default_factory=dict)
    sequences: dict = field(default_factory=dict)
    backend: Backend = field(default_factory=lambda: F64)
    memo: dict = field(default_factory=dict)
    describe: dict = field(default_factory=dict)

    def with_values(self, updates: dict, backend: Backend | None = None, *, share_memo: bool = False) -> "Instance":
        """A copy with some values replaced; ``share_memo`` keeps cached sequence terms."""
        vals = dict(self.values)
        vals.update(updates)
        memo = self.memo if share_memo else {k: v for k, v in self.memo.items() if k == ("unbounded",)}
        return Instance(vals, self.functions, self.sequences, backend or self.backend, memo, self.describe)



def size(d, inst: Instance, evaluate: Callable) -> int:
    """The integer value of the size expression ``d`` on ``inst``, computed by ``evaluate``.

    The evaluator is a parameter: it builds on this module (see :mod:`.evaluate`).

    >>> n = sp.Symbol("n")
    >>> size(2 * n + 1, Instance(values={n: 3}), lambda e, inst: e.subs(inst.values))
    7
    """
    v = float(evaluate(sp.sympify(d), inst))
    if not math.isfinite(v):
        raise DomainError(f"a size that is not a number ({d})")
    return int(round(v))


def _as_matrix(v, backend: Backend):
    if isinstance(v, np.ndarray):
        return v if v.ndim == 2 else v.reshape(-1, 1)
    return backend.array([[v]])


def _scalar(v, what: str = "expected a scalar, got an array"):
    """The number in ``v`` (a number, or an array of one entry); else an error that starts with ``what``."""
    if isinstance(v, np.ndarray):
        if v.size != 1:
            raise EvalError(f"{what} of shape {v.shape}")
        return v.reshape(-1)[0]
    return v


def close(a, c, tol: float, floor: float = 1e-6) -> tuple[bool, float]:
    """Relative comparison of two values (scalars or arrays): ``(ok, error)``.

    The error is ``|a - c| / max(|a|, |c|, floor)``: relative, except that
    differences between values below ``floor`` are measured absolutely.

    >>> close(1e-10, 2e-10, 1e-9)[0]
    False
    """
    if isinstance(a, np.ndarray) or isinstance(c, np.ndarray):
        a = np.asarray(a)
        c = np.asarray(c)
        if a.shape != c.shape:
            if a.size == 1 and c.size == 1:
                a, c = a.reshape(1, 1), c.reshape(1, 1)
            else:
                return False, math.inf
        diff = max((abs(x - y) for x, y in zip(a.ravel(), c.ravel())), default=0)
        scale = max([floor] + [abs(x) for x in a.ravel()] + [abs(y) for y in c.ravel()])
    else:
        diff = abs(a - c)
        scale = max(floor, abs(a), abs(c))
    err = float(diff / scale)
    if math.isnan(err):
        return False, math.inf
    return err <= tol, err


def to_plain(v, digits: int = 12):
    """Turn a value into plain floats / nested lists for display and JSON."""
    if isinstance(v, np.ndarray):
        return [[to_plain(x, digits) for x in row] for row in v]
    try:
        f = float(v)
    except (TypeError, ValueError):
        return str(v)
    if not math.isfinite(f):
        return str(f)
    if f == int(f) and abs(f) < 1e15:
        return int(f)
    return float(f"{f:.{digits}g}")
