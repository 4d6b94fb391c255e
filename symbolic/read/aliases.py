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

from lark import Tree

from ..algebra import MatrixExpr, sp
from ..exceptions import ReadError
from .indices import _one


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
    'Entry(a^u, 1)'
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
    'Entry(c^q, k - 1)'
    """
    if getattr(sub, "data", None) != "subscript" or not builder.is_name(sub.children[0]):
        return None
    target = other_position(builder, name, sub.children[0], "_", note=False)
    if target is None:
        return None
    index = sub.children[1]
    builder._note(f"{name}_{{{builder.label(sub)}}} is read as the entry {builder.label(index)} of the declared "
                  f"{target} (the label {builder.label(sub.children[0])} written as a subscript)")
    v = builder.scope.symbol(target, False)
    if not isinstance(v, MatrixExpr) or sp.sympify(v.shape[1]) != 1:
        raise ReadError(f"{name}_{{{builder.label(sub)}}}: an entry of {target}, which is not a vector")
    if builder.is_name(index):
        builder.declare_index(index, v.shape[0])
    value = builder.value(index)
    return builder.scope.entry(target, value if getattr(value, "is_number", False) else _one(value))


def digit_label(builder, base, exp):
    r"""``b^1`` (``b_k^1``) for the declared ``b^{(1)}`` (its entry k): a bare superscript digit on a name whose
    parenthesized form is declared and whose digit form is not.  Read so when the power is no reading: the bare
    letter is declared nowhere, or it is a vector or matrix that has no such power; ``b_k^1`` with a declared
    vector ``b`` (then ``(b_k)^1`` is well-typed) has two readings: not read.  None when no such label.

    >>> from symbolic.read.context import context_from_dict
    >>> from symbolic.read.latex import read_chain
    >>> t = context_from_dict({"dims": ["n"], "symbols": {"c^{(2)}": {"kind": "vector", "size": "n"}}})
    >>> str(read_chain(r"c_k^2", t.scope()).exprs[0])
    'Entry(c^(2), k - 1)'
    """
    if getattr(exp, "data", None) not in ("digit", "number") or "." in str(exp.children[0]):
        return None
    sub = None
    if getattr(base, "data", None) == "subscript" and builder.is_name(base.children[0]):
        base, sub = base.children
    if not builder.is_name(base):
        return None
    name, digit = builder.name_of(base)[0], str(exp.children[0])
    table = builder.scope.table
    target = f"{name}^({digit})"
    if not _declared(table, target) or _declared(table, f"{name}^{digit}"):
        return None
    spec = table.symbols.get(name)
    if spec is not None or _declared(table, name):
        if sub is not None or getattr(spec, "kind", None) not in ("vector", "matrix"):
            written = builder.label(base) + ("" if sub is None else f"_{builder.label(sub)}")
            raise ReadError(f"{written}^{digit}: the power {digit} of {'the declared ' + name if sub is None else written + ', an entry of the declared ' + name}, "
                            f"or {'' if sub is None else 'an entry of '}the declared {target}? two readings: not read")
    written = f"{name}^{digit}" if sub is None else f"{name}_{builder.label(sub)}^{digit}"
    builder._note(f"{written} is read as {target if sub is None else target + '_' + builder.label(sub)} "
                  f"(the declared {target}, its label written without parentheses)")
    if sub is None:
        return builder.scope.symbol(target, False)
    return builder.b_power(Tree("subscript", [base, sub]), Tree("paren", [exp]))
