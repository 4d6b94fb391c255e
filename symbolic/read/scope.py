"""A scope: resolves the names of read lines into one Derivation's declarations.

Names are declared the first time they are met, with the kind the
:class:`~symbolic.read.context.SymbolTable` gives; the context's own
declarations (dimensions, symbols, functions, sequences) are made first.

>>> from symbolic.read.context import SymbolTable
>>> s = SymbolTable().scope()
>>> s.symbol("A", True).shape, s.symbol("A", True) is s.symbol("A", True)
((n, n), True)
"""

from __future__ import annotations

from ..algebra import sp
from ..derivation import Derivation
from ..exceptions import InvalidInputError, ReadError

_ASSUME = ("positive", "nonnegative", "negative", "integer")


class Scope:
    """Declares names into ``derivation`` as lines are read (see module docstring)."""

    def __init__(self, table, derivation: Derivation | None = None) -> None:
        self.table = table
        self.d = derivation if derivation is not None else Derivation("read")
        self._bound: dict[str, sp.Symbol] = {}
        self._handles: dict[str, object] = {}
        self._declare_context()

    # -- the context's declarations ------------------------------------------
    def _declare_context(self) -> None:
        t = self.table
        for dim in t.dims:
            self._dim(dim)
        try:
            for spec in t.symbols.values():
                self._declare(spec.name, spec.kind, spec)
            for f in t.functions.values():
                bound = self.d.parse(f.derivative_bound) if f.derivative_bound else None
                self._handles[f.name] = self.d.function(f.name, kind=f.kind, derivative_bound=bound)
            for s in t.sequences.values():
                self._sequence(s)
        except InvalidInputError as err:
            raise err.with_context(derivation=f"context {t.file or ''}".strip()) from None

    def _dim(self, name: str):
        decl = self.d.decls.get(name)
        return decl.symbol if decl is not None else self.d.dim(name)

    def _shape(self, spec, kind: str):
        if spec is not None and spec.shape:
            return [self.d.parse(x) if not x.isdigit() else int(x) for x in spec.shape]
        n = self._dim(self.table.dims[0])
        return [n, 1] if kind == "vector" else [n, n]

    def _declare(self, name: str, kind: str, spec=None):
        if kind == "index":
            return self.d.index(name, lower=spec.lower if spec else 0)
        if kind in ("vector", "matrix"):
            rows, cols = self._shape(spec, kind)
            kinds = [a for a in (spec.assumptions if spec else ()) if a not in _ASSUME]
            return self.d.matrix(name, rows, cols, kinds=kinds)
        flags = {a: True for a in (spec.assumptions if spec else ()) if a in _ASSUME}
        return self.d.scalar(name, interval=spec.interval if spec else None, **flags)

    def _sequence(self, s) -> None:
        from ..algebra.parse import parse_expression

        index = self.symbol(s.index, False)
        names = self._names()

        def recurrence(t, prev):
            return parse_expression(s.recurrence, {**names, "prev": prev, s.index: t})

        self._handles[s.name] = self.d.sequence(
            s.name, size=None if s.size is None else self.d.parse(s.size), index=index,
            recurrence=recurrence if s.recurrence else None, start=s.start,
            initial=None if s.initial is None else self.d.parse(s.initial))

    def _names(self) -> dict:
        out = {}
        for name, decl in self.d.decls.items():
            out[name] = getattr(decl, "symbol", None) or self._handles.get(name)
        return out

    # -- what the builder asks ------------------------------------------------
    def symbol(self, name: str, bold: bool):
        """The expression for ``name`` (declared now if it is new).

        >>> from symbolic.read.context import SymbolTable
        >>> SymbolTable().scope().symbol("alpha", False).is_real
        True
        """
        if name in self._bound:
            return self._bound[name]
        decl = self.d.decls.get(name)
        if decl is not None:
            sym = getattr(decl, "symbol", None)
            if sym is None:
                raise ReadError(f"{name} is declared as a function or sequence, and used here as a value")
            return sym
        try:
            return self._declare(name, self.table.kind(name, bold=bold))
        except InvalidInputError as err:
            raise ReadError(f"cannot declare {name}: {err.message}") from None

    def function(self, name: str):
        """The handle of function ``name`` when it is one (declared on first use), else None."""
        if name in self._handles:
            handle = self._handles[name]
            return handle if hasattr(handle, "prime") else None
        if not self.table.is_function(name):
            return None
        if name in self.d.decls:
            raise ReadError(f"{name} is used both as a value and as a function")
        self._handles[name] = self.d.function(name)
        return self._handles[name]

    def is_sequence(self, name: str) -> bool:
        """Whether ``name`` is a sequence of the context (its subscript is then the index)."""
        return name in self.table.sequences

    def sequence_term(self, name: str, index):
        """Term ``index`` of the context's sequence ``name``."""
        return self._handles[name](index)

    def reshape(self, name: str, like):
        """Declare again ``name`` (met once, by default a scalar) with the shape of ``like``: a definition's left side.

        >>> from symbolic.read.context import SymbolTable
        >>> s = SymbolTable().scope(); _ = s.symbol("h", False)
        >>> s.reshape("h", s.symbol("x", True)).shape
        (n, 1)
        """
        if name in self.table.symbols or name not in self.d.decls or not hasattr(like, "shape"):
            raise ReadError(f"{name} cannot take the shape of {like}")
        del self.d.decls[name]
        return self.d.matrix(name, *like.shape)

    def entry(self, name: str, index):
        """Entry ``index`` (1-based, as written) of the vector ``name``.

        >>> from symbolic.read.context import SymbolTable
        >>> str(SymbolTable().scope().entry("x", 2))
        'Entry(x, 1)'
        """
        from ..algebra import Entry

        v = self.symbol(name, True)
        if not hasattr(v, "shape") or v.shape[1] != 1:
            raise ReadError(f"{name}_{index}: {name} is not a vector")
        if getattr(index, "is_Integer", False) and index < 1:
            raise ReadError(f"{name}_{index}: entries are numbered from 1")
        return Entry(v, index - 1)

    def bind(self, name: str):
        """Bind a summation index for the body of a sum."""
        sym = sp.Symbol(name, integer=True)
        self._bound[name] = sym
        return sym

    def unbind(self, name: str) -> None:
        """End the body of a sum."""
        self._bound.pop(name, None)

    def bound(self) -> set:
        """The summation indices bound now."""
        return set(self._bound)

    def term(self, name: str, index, bold: bool):
        """Entry ``index`` of a free sequence ``name`` (a term of a sum such as ``x_i``)."""
        if name in self.table.sequences:
            return self._handles[name](index)
        kind = self.table.kind(name, bold=bold)
        if kind == "vector":
            return self.entry(name, index)
        if kind == "matrix":
            raise ReadError(f"entries of the matrix {name} are not read yet")
        key = name + "_seq"
        if key not in self._handles:
            size = self._dim(self.table.dims[0]) if bold else None
            self._handles[key] = self.d.sequence(key, size=size)
        return self._handles[key](index)
