r"""A label written in the other position: ``h_s`` for the declared ``h^s`` (and ``h_{s_1}`` for its entry 1),
``z^h`` for a declared vector or matrix ``z_h``.  A student's notation moves the label of a name between the
subscript and the superscript; the reader reads the written name as the declared one only when that is no
guess: the written name is declared nowhere (the context's symbols, definitions, graph, sequences), the other
form is, the bare letter is not (``h_s`` would then be an entry of ``h``), and the label is no index (a bound
index, a declared symbol, a dimension).  Each such reading is said in the line's reason.

>>> from symbolic.read.context import context_from_dict
>>> from symbolic.read.latex import read_chain
>>> t = context_from_dict({"dims": ["n"], "symbols": {"z^h": {"kind": "vector", "size": "n"}}})
>>> c = read_chain(r"z_h = z^h", t.scope())
>>> str(c.exprs[0]), c.exprs[0] == c.exprs[1]
('z^h', True)
"""

from __future__ import annotations

from ..algebra import MatrixExpr, sp
from ..exceptions import ReadError


def _declared(table, name: str) -> bool:
    return name in table.symbols or name in table.definitions or name in table.graph or name in table.sequences


def _written(name: str, mark: str, label: str) -> str:
    return f"{name}{mark}{label}" if len(label) == 1 else f"{name}{mark}{{{label}}}"


def other_position(builder, name: str, label_tree, mark: str, note: bool = True) -> str | None:
    r"""The declared name ``name`` with ``label_tree`` in the other position than ``mark`` (``"_"`` or ``"^"``):
    ``h^s`` for ``h_s``, ``z_h`` for ``z^h``; None when that would be a guess (see the module's docstring).

    >>> from symbolic.read.context import context_from_dict
    >>> from symbolic.read.latex import read_chain
    >>> t = context_from_dict({"dims": ["n"], "symbols": {"a^u": {"kind": "vector", "size": "n"}}})
    >>> str(read_chain(r"a_{u_2}", t.scope()).exprs[0])
    'a^u[1, 0]'
    """
    if not builder.is_name(label_tree):
        return None
    label = builder.name_of(label_tree)[0]
    scope, table = builder.scope, builder.scope.table
    other = "^" if mark == "_" else "_"
    written, target = _written(name, mark, label), _written(name, other, label)
    if _declared(table, written) or not _declared(table, target) or _declared(table, name):
        return None
    if _declared(table, _written(name, mark, f"({label})")):
        return None
    if label in scope.bound() or label in table.symbols or label in table.dims or label in table.definitions:
        return None  # x_i under a sum over i, x_y with y a declared class: an index, never a label
    if mark == "^":  # z^h: a power of a scalar z is well-typed; only a vector or matrix z_h has no power h
        spec = table.symbols.get(target)
        if spec is None or spec.kind not in ("vector", "matrix"):
            return None
    if note:
        builder._note(f"{written} is read as the declared {target} (the label {label} written as a "
                      f"{'subscript' if mark == '_' else 'superscript'})")
    return target


def aliased_entry(builder, name: str, sub):
    r"""``h_{s_1}``: entry 1 of the declared vector ``h^s`` (the label s written as a subscript, its entry as the
    subscript's subscript); None when ``sub`` is no such label (see :func:`other_position`).

    >>> from symbolic.read.context import context_from_dict
    >>> from symbolic.read.latex import read_chain
    >>> t = context_from_dict({"dims": ["n"], "symbols": {"c^q": {"kind": "vector", "size": "n"}}})
    >>> str(read_chain(r"c_{q_k}", t.scope()).exprs[0])
    'c^q[k - 1, 0]'
    """
    if getattr(sub, "data", None) != "subscript" or not builder.is_name(sub.children[0]):
        return None
    target = other_position(builder, name, sub.children[0], "_")
    if target is None:
        return None
    index = sub.children[1]
    v = builder.scope.symbol(target, False)
    if not isinstance(v, MatrixExpr) or sp.sympify(v.shape[1]) != 1:
        raise ReadError(f"{name}_{{{builder.label(sub)}}}: an entry of {target}, which is not a vector")
    if builder.is_name(index):
        builder.declare_index(index, v.shape[0])
    value = builder.value(index)
    return builder.scope.entry(target, value if getattr(value, "is_number", False) else _one(value))


def _one(v):
    from ..algebra import Dot

    return Dot(v) if isinstance(v, MatrixExpr) else v
