r"""Index notation for the builder of :mod:`symbolic.read.build`: sums without bounds over one or several indices
(``\sum_j W_{kj} x_j``, ``\sum_{i,j} W_{ij}^2``), their ranges taken from the shapes of what the indices index,
and primed indices (``\sum_{j'} W_{kj'} x_{j'}``, ``j'`` an index of its own).

>>> from symbolic.read.context import context_from_dict
>>> from symbolic.read.latex import read_chain
>>> t = context_from_dict({"dims": ["m", "n"], "symbols": {"W": {"kind": "matrix", "shape": ["m", "n"]}}})
>>> str(read_chain(r"\sum_{i,j} W_{i,j}^2", t.scope()).exprs[0])
'Sum(W[i - 1, j - 1]**2, (j, 1, n), (i, 1, m))'
"""

from __future__ import annotations

from sympy.matrices.expressions.matexpr import MatrixElement

from ..algebra import Dot, Entry, MatrixExpr, sp
from ..exceptions import ReadError
from .shapes import _walk


def _siblings(table, name: str) -> bool:
    return any(n.startswith(f"{name}_") for n in table.symbols)


def _one(v):
    return Dot(v) if isinstance(v, MatrixExpr) else v


class IndexMixin:
    """Sums over indices whose range is a shape (``value``, ``scope``, ``name_of`` are the builder's)."""

    def index_name(self, t) -> str | None:
        """The name of an index: a letter (``j``) or a primed letter (``j'``), else None."""
        if not hasattr(t, "data"):
            return str(t).lstrip("\\")
        if self.is_name(t):
            return self.name_of(t)[0]
        if t.data == "prime" and self.is_name(t.children[0]):
            return self.name_of(t.children[0])[0] + "'"
        return None

    def index_names(self, t) -> set[str]:
        """The names in a subscript, a primed letter ``j'`` as its own name (and ``j`` too)."""
        out = {self.name_of(x)[0] for x in _walk(t) if self.is_name(x)}
        out |= {self.index_name(x) for x in _walk(t) if getattr(x, "data", None) == "prime"} - {None}
        return out

    def _unknown_range(self, name: str):
        r"""The number of terms of a sum over ``name`` written without bounds over a family of scalars
        (``\sum_j p_j \log q_j``): an integer ``#j >= 0`` nothing else constrains.  The write-up may know more of
        the family (``\sum_j p_j = 1``), so a counterexample on it is no counterexample: ``#j`` is opaque (a proof
        holds for every range; a failure at one range is UNDECIDED)."""
        key = f"#{name}"
        scope = self.scope
        sym = scope.d.decls[key].symbol if key in scope.d.decls else scope.d.index(key, lower=0)
        scope.opaque.add(key)
        self._note(f"the \\sum over {name} without bounds is read over {name} = 1..{key}, an unknown number of terms")
        return sym

    def declare_index(self, t, dim) -> None:
        """Declare the name ``t`` of a matrix entry's index, met first there, an index 1..``dim``."""
        name = self.name_of(t)[0] if self.is_name(t) else None
        scope = self.scope
        if name is None or name in scope.bound() or name in scope.d.decls or name in scope.table.symbols \
                or name in scope.table.definitions or not name.isalpha() or len(name) != 1:
            return
        scope.d.index(name, lower=1, upper=dim)

    def vector_entry(self, name: str, spec, sub, label: str):
        """``x_j`` (``x_2``) of a vector ``x`` the context declares, with no declared name ``x_j`` and no declared
        ``x_0`` or other subscripted sibling (then ``x_1`` is a point of that family): its entry ``j`` (an index
        1..size, declared here if new), the reading a sum over ``j`` gives it too; else None."""
        if getattr(spec, "kind", None) != "vector" or "^" in name or len(label) != 1:
            return None
        table, plain = self.scope.table, f"{name}_{label}"
        if plain in table.symbols or plain in self.scope.d.decls or plain in table.definitions:
            return None
        if _siblings(table, name):  # x_0 declared: x_1 is the next point, not an entry
            return None
        if not (self.is_name(sub) or (label.isdigit() and label != "0")):
            return None
        v = self.scope.symbol(name, bold=False)
        if not isinstance(v, MatrixExpr) or sp.sympify(v.shape[1]) != 1:
            return None
        self.declare_index(sub, v.shape[0])
        return self.scope.entry(name, self.value(sub) if label.isdigit() else _one(self.value(sub)))

    def plain_entries(self, d):
        """``d`` with each entry ``v_j`` (``Entry(v, j - 1)``, ``j`` a free one-letter name) of a declared vector
        ``v`` written as the plain name ``v_j`` where that is how ``v_j`` is read outside a sum over ``j``: ``v``
        has a declared subscripted sibling (``x_0``), see :meth:`vector_entry`; elsewhere ``v_j`` is the entry."""
        table = self.scope.table
        swap = {}
        for a in sp.preorder_traversal(d) if isinstance(d, sp.Basic) else ():
            if isinstance(a, Entry) and isinstance(a.args[0], sp.MatrixSymbol):
                j = a.args[1] + 1
                v = str(a.args[0])
                if isinstance(j, sp.Symbol) and len(j.name) == 1 and j.name not in self.scope.bound() \
                        and getattr(table.symbols.get(v), "kind", None) == "vector" and "^" not in v \
                        and f"{v}_{j.name}" not in table.symbols and _siblings(table, v):
                    swap[a] = self.scope.symbol(f"{v}_{j.name}", False)
        return d.xreplace(swap) if swap else d

    def index_sum(self, tok, variables, body):
        r"""``\sum_{i,j} body`` (or one index) with no bounds: each index runs over 1..n, where n is the size of
        the one dimension every use of it indexes (entries ``x_i`` of vectors, rows or columns of matrix entries
        ``W_{ij}``); any other use leaves the range unknown and the line UNREAD."""
        names = [self.index_name(v) for v in variables]
        if None in names or len(set(names)) != len(names):
            raise ReadError("a \\sum or \\prod without bounds i = a .. b is not read yet")
        for t in _walk(body):  # a bold x_i is the i-th vector of a family more often than an entry of x
            if getattr(t, "data", None) == "subscript" and set(names) & self.index_names(t.children[1]) \
                    and self.is_name(t.children[0]) and self.name_of(t.children[0])[1]:
                raise ReadError(f"a \\sum over {names[0]} without bounds of bold terms (vectors of a family, or "
                                "entries?) is not read yet")
        symbols = [self.scope.bind(n) for n in names]
        try:
            v = self.value(body)
        finally:
            for n in names:
                self.scope.unbind(n)
        if isinstance(v, MatrixExpr):
            if not (sp.sympify(v.shape[0]) == 1 and sp.sympify(v.shape[1]) == 1):
                raise ReadError("a \\sum of matrices is not read yet")
            v = Dot(v)
        limits = [(i, 1, _range(v, i, n) if not _over_family(v, i) else self._unknown_range(n))
                  for i, n in zip(symbols, names)]
        op = sp.Sum if str(tok) == "\\sum" else sp.Product
        for lim in reversed(limits):  # \sum_{i,j}: one sum in another (sympy writes them as one, j innermost)
            v = op(v, lim)
        return v


def _over_family(v, i) -> bool:
    """Whether ``i`` occurs in ``v`` only as the index of terms of families of scalars (``p_j``, ``x^{(i)}``,
    ``r_{ik}``: applications of the reader's ``*_seq`` functions), never of an entry of a vector or matrix."""
    terms = {a for a in sp.preorder_traversal(v) if isinstance(a, sp.core.function.AppliedUndef)
             and type(a).__name__.endswith(("_seq", "_seq2")) and any(i in x.free_symbols for x in a.args)}
    if not terms or any(isinstance(a, (Entry, MatrixElement)) and i in a.free_symbols for a in sp.preorder_traversal(v)):
        return False
    return i not in v.xreplace({a: sp.Dummy() for a in terms}).free_symbols


def _range(v, i, name: str):
    """The size of the one dimension that ``i`` indexes in ``v`` (always as ``i - 1``), else a ReadError."""
    sizes, uses = set(), set()
    for a in sp.preorder_traversal(v):
        if isinstance(a, Entry) and i in a.args[1].free_symbols:
            uses.add(a)
            sizes.add(sp.sympify(a.args[0].shape[0]) if a.args[1] == i - 1 else None)
        elif isinstance(a, MatrixElement) and i in (a.i.free_symbols | a.j.free_symbols):
            uses.add(a)
            for k, at in enumerate((a.i, a.j)):
                if i in at.free_symbols:
                    sizes.add(sp.sympify(a.parent.shape[k]) if at == i - 1 else None)
    rest = v.xreplace({a: sp.Dummy() for a in uses})
    if not uses or None in sizes or len(sizes) != 1 or i in rest.free_symbols:
        raise ReadError(f"a \\sum over {name} without bounds: {name} does not index only entries of one size, so "
                        "its range is not known (write its bounds, or declare the vectors and matrices)")
    return sizes.pop()
