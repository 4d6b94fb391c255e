"""Declared symbols: scalars, dimensions, matrices, functions, sequences.

A declaration is a frozen value object holding the sympy object the user
writes with and the assumptions the checker must respect when it proves
(sympy assumptions) and when it samples (intervals, kinds, bounds).

>>> s = ScalarDecl.make("beta", interval="(0, 1)")
>>> (s.lower, s.upper, s.lower_open, s.upper_open)
(0.0, 1.0, True, True)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable

import numpy as np

from ..algebra import Apply, MatrixExpr, SeqTerm, sp
from ..exceptions import InvalidInputError
from .kinds import MATRIX_KINDS, SQUARE_KINDS, SYMMETRIC_KINDS, VECTOR_KINDS, kinds_hold  # noqa: F401 - re-exported

FUNCTION_KINDS = frozenset({"activation", "relu", "exp", "smooth", "convex", "concave"})

_INTERVAL = re.compile(r"^\s*([\[(])\s*([^,]+?)\s*,\s*([^\])]+?)\s*([\])])\s*$")


def parse_interval(text: str) -> tuple[float | None, float | None, bool, bool]:
    """Parse ``"[0, 1)"`` into ``(lower, upper, lower_open, upper_open)``.

    >>> parse_interval("(0, inf)")
    (0.0, None, True, True)
    """
    m = _INTERVAL.match(text)
    if not m:
        raise InvalidInputError(
            f'Malformed interval: "{text}"; expected a form like "[0, 1)" or "(0, inf)"'
        )
    lo_b, lo, hi, hi_b = m.groups()

    def num(s: str) -> float | None:
        s = s.strip()
        if s in ("inf", "+inf", "oo", "-inf", "-oo"):
            return None
        try:
            return float(s)
        except ValueError:
            raise InvalidInputError(f'Malformed interval bound "{s}" in "{text}"') from None

    lower, upper = num(lo), num(hi)
    if lower is not None and upper is not None:
        if lower > upper or (lower == upper and (lo_b == "(" or hi_b == ")")):
            raise InvalidInputError(f'Empty interval "{text}": the assumptions contradict each other')
    return lower, upper, lo_b == "(", hi_b == ")"


@dataclass(frozen=True)
class ScalarDecl:
    """A real scalar with optional sign, integrality and interval."""

    name: str
    symbol: sp.Symbol
    lower: float | None = None
    upper: float | None = None
    lower_open: bool = True
    upper_open: bool = True
    integer: bool = False
    latex: str | None = None

    @classmethod
    def make(
        cls,
        name: str,
        *,
        positive: bool = False,
        nonnegative: bool = False,
        negative: bool = False,
        integer: bool = False,
        interval: str | None = None,
        latex: str | None = None,
    ) -> "ScalarDecl":
        lower = upper = None
        lo_open = hi_open = True
        if interval is not None:
            lower, upper, lo_open, hi_open = parse_interval(interval)
        flags = [positive, nonnegative, negative]
        if positive and negative or nonnegative and negative:
            raise InvalidInputError("assumptions contradict each other (positive and negative)", symbol=name)
        if positive:
            lower, lo_open = _tighten_lower(lower, lo_open, 0.0, True, name)
        elif nonnegative:
            lower, lo_open = _tighten_lower(lower, lo_open, 0.0, False, name)
        if negative:
            if lower is not None and lower >= 0:
                raise InvalidInputError("assumptions contradict each other (negative with a non-negative interval)", symbol=name)
            upper, hi_open = (0.0, True) if upper is None or upper >= 0 else (upper, hi_open)
        if lower is not None and upper is not None and (lower > upper or (lower == upper and (lo_open or hi_open))):
            raise InvalidInputError("assumptions contradict each other: the allowed set is empty", symbol=name)
        assumptions: dict[str, bool] = {"real": True}
        if lower is not None and (lower > 0 or (lower == 0 and lo_open)):
            assumptions["positive"] = True
        elif lower is not None and lower >= 0:
            assumptions["nonnegative"] = True
        if upper is not None and (upper < 0 or (upper == 0 and hi_open)):
            assumptions["negative"] = True
        elif upper is not None and upper <= 0:
            assumptions["nonpositive"] = True
        if integer:
            assumptions["integer"] = True
        del flags
        return cls(name, sp.Symbol(name, **assumptions), lower, upper, lo_open, hi_open, integer, latex)

    def contains(self, value: float) -> bool:
        if self.lower is not None and (value < self.lower or (self.lower_open and value == self.lower)):
            return False
        if self.upper is not None and (value > self.upper or (self.upper_open and value == self.upper)):
            return False
        return True


def _tighten_lower(lower, lo_open, new, new_open, name):
    if lower is None or lower < new or (lower == new and not lo_open and new_open):
        return new, new_open
    return lower, lo_open


@dataclass(frozen=True)
class DimDecl:
    """A symbolic dimension such as ``n`` or ``d_h``."""

    name: str
    symbol: sp.Symbol
    latex: str | None = None


@dataclass(frozen=True)
class IndexDecl:
    """An integer index (``t``, ``T``, ``i``) with a lower bound."""

    name: str
    symbol: sp.Symbol
    lower: int = 0
    upper_sample: int = 6
    latex: str | None = None
    upper: object = None  # an expression in the dimensions (e.g. m - 1), or None: unbounded


@dataclass(frozen=True, repr=False)
class MatrixDecl:
    """A matrix (a vector when ``cols`` is 1) with kinds such as symmetric.

    ``entries`` is the interval ``(lower, upper, lower_open, upper_open)``
    every entry lies in (``None``: any real); ``probability`` states that the
    entries are non-negative and sum to 1.

    >>> d = MatrixDecl("p", sp.MatrixSymbol("p", 3, 1), probability=True, entries=(0.0, None, False, True))
    >>> d.admits([[0.25], [0.75], [0.0]]), d.admits([[0.5], [0.25], [0.0]])
    (True, False)
    """

    name: str
    symbol: sp.MatrixSymbol
    kinds: frozenset = frozenset()
    random: bool = False
    latex: str | None = None
    entries: tuple | None = None
    probability: bool = False

    @property
    def shape(self):
        return self.symbol.shape

    def __repr__(self) -> str:  # the fields added later appear only when set: older cache keys stay valid
        extra = "".join(f", {k}={getattr(self, k)!r}" for k, default in (("entries", None), ("probability", False))
                        if getattr(self, k) != default)
        return (f"MatrixDecl(name={self.name!r}, symbol={self.symbol!r}, kinds={self.kinds!r}, "
                f"random={self.random!r}, latex={self.latex!r}{extra})")

    def admits(self, value) -> bool:
        """Every entry in the declared interval, a probability vector's entries sum to exactly 1, and the
        declared kinds hold (symmetric, psd/pd, orthogonal, diagonal, triangular, unit norm)."""
        if self.kinds and not kinds_hold(self.kinds, value):
            return False
        if self.entries is None and not self.probability:
            return True
        flat = list(np.asarray(value, dtype=object).ravel())
        if self.entries is not None:
            lo, hi, lo_open, hi_open = self.entries
            box = ScalarDecl(self.name, sp.Symbol(self.name), lo, hi, lo_open, hi_open)
            if not all(box.contains(v) for v in flat):
                return False
        if self.probability:
            return any(v < 0 for v in flat) is False and _sums_to_one(flat)
        return True


def _sums_to_one(flat) -> bool:
    """Exactly, for floats (a sum of float entries is a rational number); to the precision, for mp numbers."""
    if all(isinstance(v, (float, int, np.floating, np.integer)) for v in flat):
        return sum((Fraction(float(v)) for v in flat), Fraction(0)) == 1
    import mpmath

    return abs(mpmath.fsum(flat) - 1) <= mpmath.mpf(10) ** (3 - mpmath.mp.dps)


def entry_bounds(name: str, *, positive: bool = False, nonnegative: bool = False, entries: str | None = None,
                 probability: bool = False) -> tuple | None:
    """The interval ``(lower, upper, lower_open, upper_open)`` a vector's entries are declared to lie in.

    >>> entry_bounds("x", positive=True)
    (0.0, None, True, True)
    >>> entry_bounds("p", probability=True)
    (0.0, 1.0, False, False)
    """
    if not (positive or nonnegative or entries is not None or probability):
        return None
    if probability and entries is not None:
        raise InvalidInputError("a probability vector's entries lie in [0, 1] and sum to 1: entries= cannot "
                                "be combined with probability=True (state a further bound with d.assume)",
                                symbol=name)
    box = ScalarDecl.make(name, positive=positive, nonnegative=nonnegative or probability, interval=entries)
    lo, hi, lo_open, hi_open = box.lower, box.upper, box.lower_open, box.upper_open
    if probability:
        hi, hi_open = 1.0, False
    return (lo, hi, lo_open, hi_open)


@dataclass(frozen=True)
class FunctionDecl:
    """A scalar function applied element-wise; ``kind`` picks its numeric family.

    ``derivative_bound`` states ``|f'(x)| <= bound`` for all x.
    """

    name: str
    kind: str = "activation"
    derivative_bound: Any = None
    latex: str | None = None

    @property
    def prime_name(self) -> str:
        return self.name + "'"


@dataclass(frozen=True)
class ElementwiseDecl:
    """A scalar function given by its formula (``Derivation.elementwise``); ``formula`` is ``Lambda(z, body)``.

    Its repr holds the formula, so a cached verdict never answers another formula of the same name.
    """

    name: str
    formula: Any = None
    latex: str | None = None


@dataclass(frozen=True)
class SequenceDecl:
    """A sequence ``s(t)``: free (random terms), or defined by a recurrence.

    ``step`` is the recurrence ``s(t) = step`` written with the placeholder
    ``prev`` for ``s(t-1)`` and the index ``index``; ``initial`` is the term at
    ``start`` (``None``: a free, random starting value).
    """

    name: str
    rows: Any = None  # None: scalar sequence
    cols: Any = None
    index: sp.Symbol | None = None
    prev: Any = None
    step: Any = None
    start: int = 0
    initial: Any = None
    mean: Any = None
    bound: Any = None
    latex: str | None = None

    @property
    def is_vector(self) -> bool:
        return self.rows is not None

    def term(self, index):
        """The term at ``index``: a vector SeqTerm, or a scalar function application.

        >>> str(SequenceDecl("v").term(3))
        'v(3)'
        """
        if self.is_vector:
            return SeqTerm(sp.Symbol(self.name), index, self.rows, self.cols)
        return sp.Function(self.name, real=True)(sp.sympify(index))


class FunctionHandle:
    """What ``Derivation.function`` returns: call it on a scalar or a matrix.

    >>> f = FunctionHandle(FunctionDecl("sigma"))
    >>> str(f(sp.Symbol("x")))
    'sigma(x)'
    """

    def __init__(self, decl: FunctionDecl) -> None:
        self.decl = decl
        self._scalar = sp.Function(decl.name)
        self._prime = sp.Function(decl.prime_name)

    def __call__(self, x):
        x = sp.sympify(x)
        if isinstance(x, MatrixExpr):
            return Apply(sp.Symbol(self.decl.name), x)
        return self._scalar(x)

    def prime(self, x):
        """The derivative ``f'`` applied to ``x`` (element-wise on matrices)."""
        x = sp.sympify(x)
        if isinstance(x, MatrixExpr):
            return Apply(sp.Symbol(self.decl.prime_name), x)
        return self._prime(x)

    def __repr__(self) -> str:
        return f"FunctionHandle({self.decl.name!r})"


class SequenceHandle:
    """What ``Derivation.sequence`` returns: ``s(t)`` is the term at index t.

    >>> s = SequenceHandle(SequenceDecl("v"))
    >>> str(s(sp.Symbol("t")))
    'v(t)'
    """

    def __init__(self, decl: SequenceDecl) -> None:
        self.decl = decl

    def __call__(self, index):
        return self.decl.term(index)

    def __repr__(self) -> str:
        return f"SequenceHandle({self.decl.name!r})"


Recurrence = Callable[[Any, Any], Any]


def assumption_text(decl: Any) -> str | None:
    """What a declaration assumes of its symbol, in words (``None``: nothing beyond real).

    >>> assumption_text(ScalarDecl.make("beta", interval="(0, 1)")), assumption_text(ScalarDecl.make("x"))
    ('0 < beta < 1', None)
    """
    if isinstance(decl, ScalarDecl):
        lo = "" if decl.lower is None else f"{decl.lower:g} {'<' if decl.lower_open else '<='} "
        hi = "" if decl.upper is None else f" {'<' if decl.upper_open else '<='} {decl.upper:g}"
        text = f"{lo}{decl.name}{hi}" if lo or hi else ""
        if lo and not hi:  # one-sided: "x > 0" reads better than "0 < x"
            text = f"{decl.name} {'>' if decl.lower_open else '>='} {decl.lower:g}"
        if decl.integer:
            text = f"{text}, an integer" if text else f"{decl.name} an integer"
        return text or None
    if isinstance(decl, DimDecl):
        return f"{decl.name} a positive integer (a dimension)"
    if isinstance(decl, IndexDecl):
        return f"{decl.name} an integer >= {decl.lower}"
    return None


def constant_hypothesis(value: Any, decls: dict, text: str | None = None) -> str:
    """Explain a hypothesis that is already True or False before any checking.

    A Python ``bool`` means Python compared the expressions (``!=``, ``==``
    compare how they are written); sympy's ``true``/``false`` means sympy
    decided the relation from the declared assumptions.  ``text`` (the
    hypothesis as written, when it was text) narrows the declarations named.

    >>> decls = {"x": ScalarDecl.make("x", positive=True)}
    >>> constant_hypothesis(sp.false, decls, "x < 0")
    'the hypothesis "x < 0" is False given the declarations: it contradicts the declaration of x (x > 0)'
    >>> constant_hypothesis(True, decls)[:60]
    'got True: Python compared the expressions themselves (== and'
    """
    if isinstance(value, bool):
        return (f"got {value}: Python compared the expressions themselves (== and != compare how they are "
                "written, not their values); write sp.Ne(a, b) for a != b or sp.Eq(a, b) for a == b "
                "(both are accepted as hypotheses)")
    used = set(re.findall(r"[A-Za-z_]\w*", text)) if text else set(decls)
    said = [(n, assumption_text(d)) for n, d in decls.items() if n in used]
    said = [(n, t) for n, t in said if t]
    what = f' "{text}"' if text else ""
    if value == sp.false:
        if not said:
            return f"the hypothesis{what} is False: it can never hold"
        if len(said) == 1:
            return (f"the hypothesis{what} is False given the declarations: it contradicts the declaration "
                    f"of {said[0][0]} ({said[0][1]})")
        return (f"the hypothesis{what} is False given the declarations: it contradicts the declaration of one of "
                + ", ".join(f"{n} ({t})" for n, t in said))
    where = f" ({'; '.join(t for _, t in said)})" if said else ""
    return f"the hypothesis{what} is always True given the declarations{where}: it adds nothing; drop it"
