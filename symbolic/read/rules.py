r"""Sequences the context declares with several update rules under one name (``v_t`` of momentum and of the
moving average): the question is read once per rule, as for a name the text defines twice.  A definition the
context gives several values (``Delta theta_t = -v_t``, ``-delta v_t``) is read with the value of the same rank.

A rule is chosen by its position (0 the first the context writes); :func:`rule_counts` says how many rules each
such sequence has, :func:`with_rules` gives the table with the chosen rule in force.

>>> from symbolic.read.context import context_from_dict
>>> t = context_from_dict({"sequences": {"v": {"index": "t", "recurrence": ["2*prev", "3*prev"]}}})
>>> rule_counts(t), with_rules(t, {rule_key("v"): 1}).sequences["v"].recurrence
({'the update rules of v': 2}, '3*prev')
>>> d = context_from_dict({"definitions": {"s": {"value": ["1", "2"]}}})
>>> rule_counts(d), with_rules(d, {rule_key("s"): 1}).definitions["s"].value
({'the update rules of s': 2}, '2')
"""

from __future__ import annotations

from dataclasses import replace


def rule_key(name: str) -> str:
    """The key of sequence ``name``'s rules among the names defined more than once.

    >>> rule_key("v")
    'the update rules of v'
    """
    return f"the update rules of {name}"


def rule_counts(table) -> dict[str, int]:
    """How many update rules each sequence of ``table`` declared with several has (see the module docstring)."""
    return {rule_key(s.name): 1 + len(s.alternatives)
            for s in (*table.sequences.values(), *table.definitions.values()) if s.alternatives}


def with_rules(table, choice: dict[str, int]):
    """``table`` with rule ``choice[rule_key(name)]`` (default the first) of each sequence with several rules."""
    seqs = dict(table.sequences)
    for name, s in table.sequences.items():
        if s.alternatives:
            rules = (s.recurrence, *s.alternatives)
            k = min(choice.get(rule_key(name), 0), len(rules) - 1)
            seqs[name] = replace(s, recurrence=rules[k], alternatives=())
    defs = dict(table.definitions)
    for name, s in table.definitions.items():
        if s.alternatives:
            values = (s.value, *s.alternatives)
            defs[name] = replace(s, value=values[min(choice.get(rule_key(name), 0), len(values) - 1)], alternatives=())
    return replace(table, sequences=seqs, definitions=defs)


def closed_form_of(lhs, rhs, scope):
    """``(handle, F)`` of the context's recurrence ``s`` when ``lhs = rhs`` reads ``s_{t+c} = G`` with ``t`` its index,
    ``c`` a whole number and ``F = G(t - c)`` free of ``s`` but at its start: a closed form ``s_t = F(t)``, which
    an induction from the start proves for every t (so for every t + c past the start); else None.

    >>> from symbolic.read.context import context_from_dict
    >>> s = context_from_dict({"symbols": {"t": {"kind": "index", "lower": 1}},
    ...                        "sequences": {"v": {"index": "t", "recurrence": "2*prev"}}}).scope()
    >>> v, t = s.sequence_term("v", s.symbol("t", False)), s.symbol("t", False)
    >>> closed_form_of(v, 2**t * s.sequence_term("v", 0), s) is not None, closed_form_of(v, 2 * v, s)
    (True, None)
    >>> closed_form_of(s.sequence_term("v", t - 1), 2**(t - 1) * s.sequence_term("v", 0), s)[1]
    2**t*v(0)
    """
    from ..algebra import SeqTerm, sp

    name, index = _term(lhs)
    spec = scope.table.sequences.get(name) if name else None
    if spec is None or not spec.recurrence:
        return None
    t = scope.symbol(spec.index, False)
    shift = sp.sympify(index) - t
    if not shift.is_Integer:
        return None
    rhs = rhs.xreplace({t: t - shift}) if isinstance(rhs, sp.Basic) else rhs
    for a in sp.preorder_traversal(rhs) if isinstance(rhs, sp.Basic) else ():
        other, at = _term(a) if isinstance(a, (SeqTerm, sp.core.function.AppliedUndef)) else (None, None)
        if other == name and at != spec.start:
            return None
    handle = scope._handles.get(name)
    return None if handle is None else (handle, rhs)


def _term(e):
    from ..algebra import SeqTerm, sp

    if isinstance(e, SeqTerm):
        return str(e.name), e.index
    if isinstance(e, sp.core.function.AppliedUndef) and len(e.args) == 1:
        return type(e).__name__, e.args[0]
    return None, None


def initial_of(lhs, scope):
    """The value the context declares for ``lhs`` when it is a recurrence's term at its start (``g_0``), else None.

    >>> from symbolic.read.context import context_from_dict
    >>> s = context_from_dict({"symbols": {"a": {}}, "sequences": {"v": {"index": "t", "recurrence": "2*prev",
    ...                                                                 "initial": "a + 1"}}}).scope()
    >>> initial_of(s.sequence_term("v", 0), s), initial_of(s.sequence_term("v", 1), s)
    (a + 1, None)
    """
    name, index = _term(lhs)
    spec = scope.table.sequences.get(name) if name else None
    handle = scope._handles.get(name) if spec is not None else None
    if handle is None or handle.decl.initial is None or index != spec.start:
        return None
    return handle.decl.initial
