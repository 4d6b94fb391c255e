"""The ``graph`` section of a context file: the nodes of the network a statement defines (schema in
:mod:`symbolic.read.context`; meaning in :mod:`symbolic.read.graph`).

>>> graph_section({"h^{a}": {"value": "W*x"}, "L": {"of": ["h^a"]}}, "a.toml", "")["h^a"].value
'W*x'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping

from ..exceptions import InvalidInputError

_GRAPH_KEYS = {"value", "of", "also", "latex"}


@dataclass(frozen=True)
class NodeSpec:
    """A node of the context's computation graph: ``value`` (the engine's safe syntax) or, without one, an
    arbitrary scalar function ``of`` the nodes named.

    >>> NodeSpec("L", None, ("w",)).of
    ('w',)
    """

    name: str
    value: str | None = None
    of: tuple[str, ...] = ()
    also: tuple[str, ...] = ()  # other spellings of the same node (O^a for o^a)


def graph_section(table: Mapping, file: str, where: str) -> dict:
    """The nodes of a parsed ``graph`` table, by canonical name; errors name the file and the key.

    >>> graph_section({"L": {}}, "a.toml", "")
    Traceback (most recent call last):
    ...
    symbolic.exceptions.InvalidInputError: symbol 'a.toml': graph.L needs a value, or (an arbitrary function) of = [...], not both
    """
    graph = {}
    for name, spec in table.items():
        if not isinstance(spec, Mapping):
            raise InvalidInputError(f"{where}graph.{name} must be a table of keys", symbol=file)
        bad = set(spec) - _GRAPH_KEYS
        if bad:
            raise InvalidInputError(f"unknown key {sorted(bad)[0]!r} in {where}graph.{name}; expected "
                                    f"{', '.join(sorted(_GRAPH_KEYS))}", symbol=file)
        of = spec.get("of", [])
        if isinstance(of, str) or not isinstance(of, (list, tuple)):
            raise InvalidInputError(f"{where}graph.{name}.of must be a list, e.g. of = [\"w\"]", symbol=file)
        if ("value" in spec) == bool(of):
            raise InvalidInputError(f"{where}graph.{name} needs a value, or (an arbitrary function) of = [...], "
                                    "not both", symbol=file)
        also = spec.get("also", [])
        if isinstance(also, str) or not isinstance(also, (list, tuple)):
            raise InvalidInputError(f"{where}graph.{name}.also must be a list, e.g. also = [\"O^a\"]", symbol=file)
        key = canonical(name)
        node = NodeSpec(key, None if "value" not in spec else str(spec["value"]),
                        tuple(canonical(str(n)) for n in of), tuple(canonical(str(n)) for n in also))
        graph[key] = node
        for other in node.also:  # another spelling: the same node
            graph.setdefault(other, node)
    return graph


def canonical(name: str) -> str:
    r"""A declared name as the reader spells it: braces around one letter or a parenthesised label dropped, \mathcal{L} as cal_L.

    >>> canonical("W^{(1)}"), canonical("o^{s}"), canonical("x_{t-1}"), canonical(r"\mathcal{L}")
    ('W^(1)', 'o^s', 'x_{t-1}', 'cal_L')
    """
    name = re.sub(r"\\(mathcal|mathscr|mathfrak)\s*\{\s*([A-Za-z])\s*\}", lambda m: f"{m.group(1)[4:]}_{m.group(2)}", name)
    return re.sub(r"([_^])\{(\([^{}()]*\)|[A-Za-z0-9*])\}", r"\1\2", name)
