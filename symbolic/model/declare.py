"""Declaring the names of a derivation: dimensions, scalars, indices, matrices, vectors, functions, sequences.

:class:`Declaring` is the part of :class:`~symbolic.model.derivation.Derivation` that declares names;
each method records a declaration in ``self.decls`` and returns the sympy object (or handle) to
write expressions with.

>>> from symbolic import Derivation
>>> d = Derivation("d"); n = d.dim("n")
>>> sorted(d.decls), d.vector("x", n).shape
(['n'], (n, 1))
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterable

from ..algebra import sp
from ..algebra.depth import shorten
from .declarations import (
    FUNCTION_KINDS,
    MATRIX_KINDS,
    SQUARE_KINDS,
    VECTOR_KINDS,
    DimDecl,
    ElementwiseDecl,
    FunctionDecl,
    FunctionHandle,
    IndexDecl,
    MatrixDecl,
    ScalarDecl,
    SequenceDecl,
    SequenceHandle,
    entry_bounds,
)
from .declare_random import RandomDeclaring
from ..exceptions import InvalidInputError

__all__ = ["Declaring"]


class Declaring(RandomDeclaring):
    """The declaration methods of a derivation (a mixin of :class:`~symbolic.model.derivation.Derivation`).

    It relies on the derivation's ``name``, ``decls``, ``moments`` and ``_handles`` and on its
    ``_expr`` (an expression, parsed and shape-checked).
    """

    name: str
    decls: dict[str, Any]
    moments: dict
    _handles: dict[str, Any]

    def _declare(self, name: str, decl) -> None:
        if name in self.decls:
            raise InvalidInputError("declared twice", derivation=self.name, symbol=name)
        tex = getattr(decl, "latex", None)
        if tex is not None:  # printed verbatim into the report: only a safe subset of math LaTeX
            from ..algebra.safe_latex import latex_problem

            problem = latex_problem(tex)
            if problem:
                raise InvalidInputError(f"latex={shorten(repr(tex), 120)}: {problem}",
                                        derivation=self.name, symbol=name)
        self.decls[name] = decl

    def dim(self, name: str, *, latex: str | None = None) -> sp.Symbol:
        """Declare a symbolic dimension (a positive integer).

        >>> from symbolic import Derivation
        >>> Derivation("d").dim("n")
        n
        """
        sym = sp.Symbol(name, integer=True, positive=True)
        self._declare(name, DimDecl(name, sym, latex))
        return sym

    def scalar(
        self,
        name: str,
        *,
        positive: bool = False,
        nonnegative: bool = False,
        negative: bool = False,
        integer: bool = False,
        interval: str | None = None,
        latex: str | None = None,
    ) -> sp.Symbol:
        """Declare a real scalar, e.g. ``d.scalar("beta", interval="(0, 1)")``.

        >>> from symbolic import Derivation
        >>> Derivation("d").scalar("eps", positive=True).is_positive
        True
        """
        try:
            decl = ScalarDecl.make(
                name, positive=positive, nonnegative=nonnegative, negative=negative,
                integer=integer, interval=interval, latex=latex,
            )
        except InvalidInputError as err:
            raise err.with_context(derivation=self.name, symbol=name) from None
        self._declare(name, decl)
        return decl.symbol

    def index(self, name: str, *, lower: int = 0, upper=None, latex: str | None = None,
              upper_sample: int = 6) -> sp.Symbol:
        """Declare an integer index such as ``t`` (``lower <= t``, and ``t <= upper`` when given).

        ``upper`` may use the dimensions: ``d.index("k", upper=m - 1)`` indexes a vector of size m.

        >>> from symbolic import Derivation
        >>> Derivation("d").index("t", lower=1).is_integer
        True
        """
        assumptions = {"integer": True}
        if lower >= 1:
            assumptions["positive"] = True
        elif lower >= 0:
            assumptions["nonnegative"] = True
        sym = sp.Symbol(name, **assumptions)
        up = self._expr(upper, None) if upper is not None else None
        self._declare(name, IndexDecl(name, sym, lower, upper_sample, latex, up))
        return sym

    def matrix(self, name: str, rows, cols, *, kinds: Iterable[str] = (), latex: str | None = None,
               random: bool = False) -> sp.MatrixSymbol:
        """Declare a matrix of (symbolic) shape ``rows x cols``.

        >>> from symbolic import Derivation
        >>> d = Derivation("d"); n = d.dim("n")
        >>> d.matrix("W", n, n, kinds=["symmetric"]).shape
        (n, n)
        """
        kinds = frozenset(kinds)
        rows, cols = self._expr(rows, None) if isinstance(rows, str) else rows, self._expr(cols, None) if isinstance(cols, str) else cols
        valid = MATRIX_KINDS | (VECTOR_KINDS if sp.sympify(cols) == 1 else frozenset())
        bad = kinds - valid
        if bad:
            raise InvalidInputError(
                f"unknown {'vector' if sp.sympify(cols) == 1 else 'matrix'} kind {sorted(bad)[0]!r}; "
                f"expected one of {sorted(valid)}", derivation=self.name, symbol=name,
            )
        self._check_dims(name, (rows, cols))
        if kinds & SQUARE_KINDS and sp.sympify(rows) != sp.sympify(cols):
            raise InvalidInputError(
                f"a {'/'.join(sorted(kinds))} matrix must be square, got {rows} x {cols}",
                derivation=self.name, symbol=name,
            )
        sym = sp.MatrixSymbol(name, rows, cols)
        self._declare(name, MatrixDecl(name, sym, kinds, random, latex))
        return sym

    def vector(self, name: str, size, *, latex: str | None = None, random: bool = False, positive: bool = False,
               nonnegative: bool = False, entries: str | None = None, probability: bool = False,
               unit: bool = False, kinds: Iterable[str] = ()) -> sp.MatrixSymbol:
        """Declare a column vector of (symbolic) size ``size``; ``positive``, ``nonnegative`` and
        ``entries="(0, 1)"`` constrain every entry, ``probability`` makes it a probability vector
        (entries >= 0 summing to 1), ``unit`` gives it norm 1; ``kinds`` may list any of ``positive``,
        ``nonnegative``, ``probability``, ``unit``.  Random instances, counterexamples and their shrinking
        respect these.

        >>> from symbolic import Derivation
        >>> d = Derivation("d"); n = d.dim("n"); p = d.vector("p", n, probability=True)
        >>> d.decls["p"].entries, d.decls["p"].probability
        ((0.0, 1.0, False, False), True)
        """
        kinds = set(kinds)
        flags = {"positive", "nonnegative", "probability", "unit"}
        if kinds - flags:
            raise InvalidInputError(f"unknown vector kind {sorted(kinds - flags)[0]!r}; expected one of "
                                    f"{sorted(flags)}", derivation=self.name, symbol=name)
        positive, nonnegative = positive or "positive" in kinds, nonnegative or "nonnegative" in kinds
        probability, unit = probability or "probability" in kinds, unit or "unit" in kinds
        try:
            bounds = entry_bounds(name, positive=positive, nonnegative=nonnegative, entries=entries,
                                  probability=probability)
        except InvalidInputError as err:
            raise err.with_context(derivation=self.name, symbol=name) from None
        x = self.matrix(name, size, 1, latex=latex, random=random, kinds=["unit"] if unit else ())
        if bounds is not None or probability:
            self.decls[name] = replace(self.decls[name], entries=bounds, probability=probability)
        return x

    def random_vector(self, name: str, size, *, mean=None, second_moment=None,
                      latex: str | None = None) -> sp.MatrixSymbol:
        """Declare a random column vector with its mean and second moment E[x x^T].

        >>> from symbolic import Derivation
        >>> d = Derivation("d"); n = d.dim("n")
        >>> x = d.random_vector("x", n, mean=sp.ZeroMatrix(n, 1), second_moment=sp.Identity(n))
        >>> x.shape
        (n, 1)
        """
        x = self.matrix(name, size, 1, latex=latex, random=True)
        self.moments[x] = (mean, second_moment)
        return x

    def function(self, name: str, *, kind: str = "activation", derivative_bound=None,
                 latex: str | None = None) -> FunctionHandle:
        """Declare an element-wise function; ``derivative_bound`` states ``|f'| <= bound``."""
        from ..algebra.ops.elementwise import BUILTINS

        fixed = sorted(set(BUILTINS) - FUNCTION_KINDS)
        if kind in fixed and derivative_bound is None:  # a named function: its formula, not a random family
            return self.elementwise(name, BUILTINS[kind])
        if kind not in FUNCTION_KINDS:
            raise InvalidInputError(f"unknown function kind {kind!r}; expected one of "
                                    f"{', '.join(sorted(FUNCTION_KINDS))} (random families) or {', '.join(fixed)} "
                                    "(fixed functions)", derivation=self.name, symbol=name)
        decl = FunctionDecl(name, kind, self._expr(derivative_bound, None) if derivative_bound is not None else None, latex)
        self._declare(name, decl)
        handle = FunctionHandle(decl)
        self._handles[name] = handle
        return handle

    def elementwise(self, name: str, formula=None, *, latex: str | None = None):
        """Declare the scalar function ``name`` by its ``formula`` (a callable of one scalar); the handle
        applies it to a scalar, ``s(x)``, and entry by entry to a matrix, ``s(X * w)``.  Without a formula,
        ``name`` is a built-in (sigmoid, softplus, gelu, relu, leaky_relu, tanh, exp, log).

        >>> from symbolic import Derivation
        >>> d = Derivation("d"); x = d.scalar("x")
        >>> s = d.elementwise("softplus", lambda z: sp.log(1 + sp.exp(z)))
        >>> sp.diff(s(x), x)
        exp(x)/(exp(x) + 1)
        """
        from ..algebra.ops.elementwise import BUILTINS, ElementwiseFunction, Z, user_function

        if formula is None:
            if name not in BUILTINS:
                raise InvalidInputError(f"{name!r} is not a built-in element-wise function ({', '.join(sorted(BUILTINS))})"
                                        "; give its formula", derivation=self.name, symbol=name)
            handle, lam = BUILTINS[name], None
        elif isinstance(formula, ElementwiseFunction):
            handle = user_function(name, formula)
            lam = sp.Lambda(Z, formula(Z))
        else:
            if not callable(formula):
                raise InvalidInputError("the formula must be a callable of one scalar, e.g. lambda z: sp.tanh(z)",
                                        derivation=self.name, symbol=name)
            try:
                lam = sp.Lambda(Z, self._expr(formula(Z), f"formula of {name}"))
            except (TypeError, ValueError) as exc:
                raise InvalidInputError(f"its formula could not be built ({exc})", derivation=self.name,
                                        symbol=name) from None
            handle = user_function(name, lambda z: lam(z))
        self._declare(name, ElementwiseDecl(name, lam, latex))
        self._handles[name] = handle
        return handle

    def sequence(self, name: str, *, size=None, index=None, recurrence=None, start: int = 0,
                 initial=None, mean=None, bound=None, latex: str | None = None) -> SequenceHandle:
        """Declare a sequence; ``recurrence(t, prev)`` gives term t from term t-1.

        A sequence without a recurrence is free: its terms are random, with
        expectation ``mean`` when given (a stationary random sequence).
        ``bound=c`` states ``|s(t)_i| <= c`` for every term.
        """
        rows = self._expr(size, None) if size is not None else None
        cols = sp.Integer(1) if size is not None else None
        prev = step = None
        if recurrence is not None:
            if index is None:
                raise InvalidInputError("a recurrence needs its index symbol", derivation=self.name, symbol=name)
            if rows is not None:
                prev = sp.MatrixSymbol(f"{name}_prev", rows, 1)
            else:
                prev = sp.Symbol(f"{name}_prev", real=True)
            step = self._expr(recurrence(index, prev), f"recurrence of {name}")
        decl = SequenceDecl(name, rows, cols, index, prev, step, start,
                            self._expr(initial, None) if initial is not None else None,
                            self._expr(mean, None) if mean is not None else None,
                            self._expr(bound, None) if bound is not None else None, latex)
        self._declare(name, decl)
        handle = SequenceHandle(decl)
        self._handles[name] = handle
        return handle

    def _check_dims(self, name: str, dims) -> None:
        for d in dims:
            d = sp.sympify(d)
            if d.is_Integer:
                if d < 1:
                    raise InvalidInputError(f"dimension {d} is not positive", derivation=self.name, symbol=name)
                continue
            for s in d.free_symbols:
                decl = self.decls.get(s.name)
                if not isinstance(decl, DimDecl):
                    raise InvalidInputError(f"shape uses {s.name!r}, which is not a declared dimension",
                                            derivation=self.name, symbol=name)
