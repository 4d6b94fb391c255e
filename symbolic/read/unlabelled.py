r"""A derivative with respect to an entry of a bare letter the context does not declare (``W_{kj}``) of an
expression that holds the entries of a declared labelled name of that letter (``W^{(1)}_{kj'}``).  Two readings:
(a) ``W_{kj}`` is the entry of ``W^{(1)}`` with its label dropped, (b) it is a variable of its own, and the
derivative is 0.  The reader never picks one: with no reading in force (``scope.choices``) it records the choice
in ``scope.open`` and refuses the line (or reads (b) when ``scope.choices[UNSET]`` says so: the audit's first
run, whose lines are then never reported alone); the audit (:mod:`symbolic.app.audit_readings`) then reads the question under
each reading and reports both verdicts where they differ.  With two labelled candidates held (``W^{(1)}`` and
``W^{(2)}``) the line is not read.

>>> from symbolic.read.context import context_from_dict
>>> from symbolic.read.latex import read_chain
>>> t = context_from_dict({"dims": ["n"], "symbols": {"c^{(1)}": {"kind": "vector", "size": "n"}}})
>>> s = t.scope()
>>> s.choices = {("c", "c^(1)", "c_k"): 0}
>>> str(read_chain(r"\frac{\partial \sum_i c^{(1)}_i}{\partial c_k}", s).exprs[0])
'1'
>>> s.choices = {("c", "c^(1)", "c_k"): 1}
>>> str(read_chain(r"\frac{\partial \sum_i c^{(1)}_i}{\partial c_k}", s).exprs[0])
'0'
"""

from __future__ import annotations

import re

from ..algebra import MatrixExpr, sp
from ..exceptions import ReadError
from .indices import _one

ENTRY, OWN = 0, 1  # the two readings: the entry of the labelled name, a variable of its own
UNSET = ("*",)  # a key of ``scope.choices``: the reading of the choices not in force yet (the audit's first run)


def labels(key: tuple) -> tuple[str, str]:
    """The two readings of the choice ``key`` (letter, declared name, as written), in words.

    >>> labels(("W", "W^(1)", "W_{kj}"))
    ('W_{kj} the entry of W^(1) (its label dropped)', 'W_{kj} a variable of its own, not an entry of W^(1) (its derivatives 0)')
    """
    _letter, target, written = key
    return (f"{written} the entry of {target} (its label dropped)",
            f"{written} a variable of its own, not an entry of {target} (its derivatives 0)")


def refuse_or_read(builder, f, x):
    r"""Under no reading in force, refuse ``\partial f / \partial x`` where ``x`` is an entry of a bare letter
    declared nowhere and ``f`` holds a labelled declared name of that letter (and record the choice when there is
    one candidate); under the reading (b) in force, the derivative: 0, said in the note.  None otherwise."""
    base = _family(x)
    if base is None or "^" in base or not isinstance(f, sp.Basic):
        return None
    names = {str(a) for a in sp.preorder_traversal(f) if isinstance(a, (sp.Symbol, sp.MatrixSymbol))}
    if str(x) in names or base in names or (not isinstance(x, sp.Symbol) and str(_parent(x)) in names):
        return None
    labelled = sorted(n for n in names if n.startswith(base + "^"))
    if not labelled:
        return None
    table = builder.scope.table
    kinds = [getattr(table.symbols.get(n), "kind", None) for n in labelled]
    if len(labelled) == 1 and isinstance(x, sp.Symbol) and kinds[0] in ("vector", "matrix") \
            and base not in table.symbols and base not in table.definitions and base not in table.graph:
        key = (base, labelled[0], str(x))
        if key not in builder.scope.choices:
            builder.scope.open.add(key)
        if builder.scope.choices.get(key, builder.scope.choices.get(UNSET)) == OWN:
            builder._note(f"{x} is read as a variable of its own, not an entry of {labelled[0]}: the derivative "
                          "with respect to it is 0 (the other reading, the entry of "
                          f"{labelled[0]} with its label dropped, is checked too)")
            return sp.ZeroMatrix(*f.shape) if isinstance(f, MatrixExpr) and f.shape != (1, 1) else sp.S.Zero
        raise ReadError(f"the derivative with respect to {x}, which the expression does not hold, though it holds "
                        f"the entries of {labelled[0]}: two readings, {x} the entry of {labelled[0]} (its label "
                        f"dropped) or a variable of its own (then the derivative is 0)")
    raise ReadError(f"the derivative with respect to {x}, which the expression does not hold, though it holds "
                    f"{', '.join(labelled)}: the same name without its label (then not 0), or another (then 0)? "
                    "not read")


def labelled_entry(builder, name: str, sub):
    r"""``W_{kj}`` under the reading (a) in force: the entry (k, j) of the declared ``W^{(1)}`` (the entry k of a
    vector ``b^{(1)}`` for ``b_k``), with a note; None when no such reading is in force for ``name``."""
    chosen = [k for k, v in builder.scope.choices.items() if k[0] == name and v == ENTRY]
    if not chosen:
        return None
    targets = sorted({k[1] for k in chosen})
    if len(targets) > 1:
        raise ReadError(f"{name}_{{{builder.label(sub)}}}: an entry of {' or '.join(targets)}? not read")
    target = targets[0]
    table = builder.scope.table
    spec = table.symbols.get(target)
    label = builder.label(sub)
    if getattr(spec, "kind", None) == "matrix":
        entry = builder.matrix_entry(target, sub)
        if entry is None:
            raise ReadError(f"{name}_{{{label}}} read as an entry of the matrix {target}, but its subscript is "
                            "not two indices")
    else:
        v = builder.scope.symbol(target, False)
        if not isinstance(v, MatrixExpr) or sp.sympify(v.shape[1]) != 1 or not builder.is_name(sub):
            raise ReadError(f"{name}_{{{label}}} read as an entry of {target}, which is no vector indexed so")
        builder.declare_index(sub, v.shape[0])
        entry = builder.scope.entry(target, _one(builder.value(sub)))
    builder._note(f"{name}_{{{label}}} is read as the entry {entry} of {target} (its label dropped; the other "
                  f"reading, a variable of its own, is checked too)")
    return entry


def _parent(x):
    from ..algebra import Entry

    if isinstance(x, Entry):
        return x.args[0]
    return getattr(x, "parent", None)


def _family(x) -> str | None:
    """The name a variable is an entry of, or the letters before its subscript: ``W`` for ``W_kj``."""
    parent = _parent(x)
    if parent is not None:
        return str(parent)
    if isinstance(x, (sp.Symbol, sp.MatrixSymbol)):
        return re.split(r"_", str(x), maxsplit=1)[0]
    return None
