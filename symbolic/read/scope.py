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

import re

from ..algebra import sp
from ..model.derivation import Derivation
from ..exceptions import InvalidInputError, ReadError

_ASSUME = ("positive", "nonnegative", "negative", "integer")


class Scope:
    """Declares names into ``derivation`` as lines are read (see module docstring)."""

    def __init__(self, table, derivation: Derivation | None = None) -> None:
        self.table = table
        self.d = derivation if derivation is not None else Derivation("read")
        self._bound: dict[str, sp.Symbol] = {}
        self._handles: dict[str, object] = {}
        self.opaque: set[str] = set()  # values f(x, y) of undeclared functions, named as written
        self.unknown: set[str] = set()  # derivatives of such values: read, never checked
        self.notes: list[str] = []  # how the line being read was read where the text left a choice
        self.choices: dict[tuple, int] = {}  # (letter, declared name, as written) -> the reading in force (read/unlabelled.py)
        self.open: set[tuple] = set()  # such choices the lines met with no reading in force: the audit reads both
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
            for k, text in enumerate(t.hypotheses):
                self.d.assume(self._parse(text), name=f"context hypothesis {k + 1}")
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
            initial=None if s.initial is None else self._parse(s.initial),
            mean=self._parse(s.mean) if s.mean is not None else self._law_mean(s))

    def _law_mean(self, s):
        """The common mean of an identically distributed sequence: one unknown (a vector for a vector sequence)."""
        if s.law is None:
            return None
        name = f"mean_{s.name}"
        if s.size is None:
            return self.d.scalar(name, latex=rf"\mathbb{{E}}[{s.name}]")
        return self.d.matrix(name, self.d.parse(s.size), 1, latex=rf"\mathbb{{E}}[\mathbf{{{s.name}}}]")

    def _names(self) -> dict:
        out = {}
        for name, decl in self.d.decls.items():
            out[name] = getattr(decl, "symbol", None) or self._handles.get(name)
            if hasattr(out[name], "prime"):
                out[name + "_prime"] = out[name].prime
        return out

    def _parse(self, text: str, extra: dict | None = None):
        from ..algebra.parse import ParseError, parse_expression

        names = {**self._names(), **(extra or {})}
        for k, name in enumerate(sorted((n for n in names if not n.isidentifier()), key=len, reverse=True)):
            if name in text:  # a name written as it is used, such as f(x_0)
                text, names[f"_name{k}"] = text.replace(name, f"_name{k}"), names[name]
        try:
            return parse_expression(text, names)
        except ParseError as err:
            raise InvalidInputError(f"cannot read {text!r}: {err}") from None

    # -- named definitions of the context ---------------------------------------
    def definition(self, name: str, *, index=None, args: tuple = ()):
        """The value of the context's definition ``name`` (term ``index`` of a family, or applied to ``args``),
        or None when the context defines no such name of that form.

        >>> from symbolic.read.context import context_from_dict
        >>> t = context_from_dict({"symbols": {"a": {}}, "definitions": {"s": {"value": "a**2"}}})
        >>> str(t.scope().definition("s"))
        'a**2'
        """
        spec = self.table.definitions.get(name)
        if spec is None or (index is None) != (spec.index is None) or len(args) != len(spec.args):
            return None
        if spec.written:
            return self._written(name, spec.value)
        extra = dict(zip(spec.args, args))
        if self.table.graph:  # y = sigma(w^T x) with w a node of the graph: w as a line reads it
            from .graph import graph_of

            extra = {**graph_of(self).marker, **extra}
        if spec.index is not None:
            extra[spec.index] = index
        try:
            return self._parse(spec.value, extra)
        except InvalidInputError as err:
            raise ReadError(f"the context's definition of {name}: {err.message}") from None

    def _written(self, name: str, text: str):
        r"""The value of a definition the context writes in LaTeX (``written = "u - \epsilon \nabla_u L"``), read
        as a line of the submission is (its graph, its derivatives), once per derivation."""
        from .latex import read_chain

        memo = self.__dict__.setdefault("_written_values", {})
        if name not in memo:
            if name in memo.setdefault("_reading", set()):
                raise ReadError(f"the context's definition of {name} refers to itself")
            memo["_reading"].add(name)
            notes = list(self.notes)
            try:
                chain = read_chain(text, self)
            except InvalidInputError as err:
                raise ReadError(f"the context's definition of {name}: {err.message}") from None
            finally:
                memo["_reading"].discard(name)
                self.notes[:] = notes
            if chain.relations or len(chain.exprs) != 1:
                raise ReadError(f"the context's definition of {name} is not one expression: {text!r}")
            memo[name] = chain.exprs[0]
        return memo[name]

    # -- what the builder asks ------------------------------------------------
    def symbol(self, name: str, bold: bool):
        """The expression for ``name`` (declared now if it is new).

        >>> from symbolic.read.context import SymbolTable
        >>> SymbolTable().scope().symbol("alpha", False).is_real
        True
        """
        if name in self._bound:
            return self._bound[name]
        if name in self.table.graph:  # a node of the computation graph: its marker while the line is read
            from .graph import graph_of

            return graph_of(self).node(name)
        if name == "e" and getattr(self, "euler", False) and name not in self.d.decls:
            raise ReadError("e is Euler's number in a line before (e^x), and a variable here: not read")
        if name in self.table.definitions:
            value = self.definition(name)
            if value is not None:
                return value
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

    def placeholder(self, name: str):
        """A real number standing for the bare ``name`` of a declared sequence in ``f(x)`` (any x, not a term).

        >>> from symbolic.read.context import context_from_dict
        >>> t = context_from_dict({"sequences": {"x": {"index": "t"}}})
        >>> str(t.scope().placeholder("x"))
        'x_any'
        """
        if f"{name}_any" in self.d.decls:
            return self.d.decls[f"{name}_any"].symbol
        return self.d.scalar(f"{name}_any")

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
        if name not in self.table.functions:  # sigma by default: which function is unknown (the sigmoid?), so a
            self.opaque.update({name, name + "'"})  # counterexample on a random sigma is no counterexample
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

    def widen(self, sym, vector):
        """``x - \\mu`` with ``x`` a vector and ``\\mu`` a name nothing declares: ``\\mu`` is a vector of ``x``'s size,
        not a scalar (a vector plus a scalar has no meaning); None when ``sym`` is not such a name (the context
        declares it, a line already read uses it, or it is not a bare scalar).

        >>> from symbolic.read.context import SymbolTable
        >>> s = SymbolTable().scope(); mu = s.symbol("mu", False)
        >>> s.widen(mu, s.symbol("x", True)).shape
        (n, 1)
        """
        name = getattr(sym, "name", None)
        if not isinstance(sym, sp.Symbol) or name in self.table.symbols or name in self.table.definitions \
                or name in self._bound or name not in self.d.decls or not hasattr(vector, "shape"):
            return None
        if getattr(self.d.decls[name], "symbol", None) is not sym or self._used(sym):
            return None
        del self.d.decls[name]
        return self.d.matrix(name, *vector.shape)

    def _used(self, sym) -> bool:
        """Whether a step, definition or hypothesis of the derivation already holds ``sym``."""
        exprs = [e for st in self.d.steps for e in (st.lhs, st.rhs)]
        exprs = [x for e in exprs for x in (e if isinstance(e, tuple) else (e,))]
        exprs += [e for pair in self.d.definitions for e in pair] + [h for _, h in self.d.hypotheses]
        exprs += list(getattr(self.d, "_current_eq", None) or ())
        return any(sym in getattr(e, "free_symbols", ()) for e in exprs)

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

    def reversed_definition(self, new, value, seen: set):
        """``(c, value)`` or ``(c, sqrt(value))`` when ``new`` is a name not met yet, or its square, and
        ``value`` a scalar that does not use it ("with ... = c^2"); else None.

        >>> from symbolic.read.context import SymbolTable
        >>> s = SymbolTable().scope(); c, a = s.symbol("c", False), s.symbol("a", False)
        >>> s.reversed_definition(c**2, a**2, {"a"})
        (c, Abs(a))
        """
        base, power = (new.base, new.exp) if isinstance(new, sp.Pow) else (new, 1)
        if (not isinstance(base, sp.Symbol) or base.name in seen or base.name in self.table.symbols
                or power not in (1, 2) or hasattr(value, "shape") or base in getattr(value, "free_symbols", {base})):
            return None
        return base, value if power == 1 else sp.sqrt(value)

    def bind(self, name: str, value=None):
        """Bind a summation index for the body of a sum (or ``name`` to ``value``: the x of a max over x)."""
        sym = sp.Symbol(name, integer=True) if value is None else value
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


def premises_unread(names, unread: list[tuple[int, set]]) -> list[int]:
    """The lines (unread, before this one) that mention one of ``names`` (a counterexample's): a refutation
    that may only come from a premise the audit could not read.

    >>> premises_unread({"v_t", "alpha"}, [(12, {"v", "g"}), (14, {"x"})])
    [12]
    """
    bases = {_base(n) for n in names}
    return [line for line, used in unread if bases & {_base(u) for u in used}]


def recurrent(name: str, names) -> set[str]:
    """The names of ``names`` (those of a definition's value) that are other terms of ``name``'s family: a
    definition ``v_t = a v_{t-1} + ...`` is a recurrence, which a substitution at ``v_t`` alone does not apply.

    >>> sorted(recurrent("v_t", {"v_{t-1}", "alpha", "g_t"}))
    ['v_{t-1}']
    >>> recurrent("x", {"x_0"})
    set()
    """
    if "_" not in name:
        return set()
    return {n for n in names if n != name and "_" in n and _base(n) == _base(name)}


def _base(name: str) -> str:
    """The family of a name: its subscripts dropped, a labelled superscript kept (o^a and o^s differ).

    >>> _base("v_{t-1}"), _base("o_k^s"), _base("f(x_0)")
    ('v', 'o^s', 'f')
    """
    name = re.sub(r"_(\{[^{}]*\}|\\?[A-Za-z0-9]+)", "", name.split("(")[0])
    return name.rstrip("'")
